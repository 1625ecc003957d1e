// Turning Stripe's error answers into StripeApiError, with every message scrubbed of keys.

import { StripeApiError } from './errors.js';
import { scrubSecrets } from './redact.js';

export interface ErrorResponse {
  status: number;
  bodyText: string;
  requestId?: string;
  /** An earlier attempt of the same request had an unknown outcome (see StripeApiError). */
  earlierAttemptMayHaveApplied?: boolean;
}

interface StripeErrorBody {
  type?: unknown;
  code?: unknown;
  message?: unknown;
  param?: unknown;
  doc_url?: unknown;
  decline_code?: unknown;
}

const BODY_EXCERPT_CHARS = 200;

export function apiErrorFromResponse(response: ErrorResponse, apiKey: string, keyHint: string): StripeApiError {
  const body = parseErrorBody(response.bodyText);
  const scrub = (text: string) => scrubSecrets(text, [apiKey]);
  // Every field, not only the message: a server (or a proxy) may echo the request anywhere.
  const field = (value: unknown) => {
    const text = stringField(value);
    return text === undefined ? undefined : scrub(text);
  };
  const stripeMessage = typeof body?.message === 'string' ? scrub(body.message) : undefined;
  const message =
    response.status === 401
      ? `Stripe rejected the API key ${keyHint} (401): check the key and that it belongs to this account/mode` +
        (stripeMessage ? `. Stripe said: ${stripeMessage}` : '')
      : stripeMessage ?? describeBodyless(response, scrub);
  return new StripeApiError({
    message,
    status: response.status,
    type: field(body?.type) ?? defaultType(response.status),
    code: field(body?.code),
    param: field(body?.param),
    docUrl: field(body?.doc_url),
    declineCode: field(body?.decline_code),
    requestId: response.requestId === undefined ? undefined : scrub(response.requestId),
    earlierAttemptMayHaveApplied: response.earlierAttemptMayHaveApplied,
  });
}

function parseErrorBody(text: string): StripeErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = (parsed as { error?: unknown } | null)?.error;
    return typeof error === 'object' && error !== null ? (error as StripeErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

function describeBodyless(response: ErrorResponse, scrub: (text: string) => string): string {
  const excerpt = response.bodyText.trim().replace(/\s+/g, ' ').slice(0, BODY_EXCERPT_CHARS);
  return excerpt
    ? `Stripe answered HTTP ${response.status} without a Stripe error body: ${scrub(excerpt)}`
    : `Stripe answered HTTP ${response.status} with an empty body`;
}

function defaultType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
