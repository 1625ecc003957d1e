// Stripe-shaped errors. Handlers throw StripeError; the server turns it into
// `{ error: { type, code?, message, param?, doc_url? } }` with the right status.

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  code?: string;
  message: string;
  param?: string;
  doc_url?: string;
  /** Card errors: the issuer's reason (`insufficient_funds`, …). */
  decline_code?: string;
  /** Card errors: the failed charge. */
  charge?: string;
  /** The object the failed request acted on, as it now is (Stripe's `api_errors`). */
  payment_intent?: unknown;
  payment_method?: unknown;
  setup_intent?: unknown;
}

export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    /**
     * Stripe saves an idempotent result only once an endpoint started executing; a request
     * rejected while its parameters were checked leaves the key unused.
     */
    readonly savedForIdempotency = true,
  ) {
    super(body.message);
  }
}

export function withCode(code: string): { code: string; doc_url: string } {
  return { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` };
}

export function invalidRequest(message: string, param?: string, code?: string, status = 400): StripeError {
  return new StripeError(status, {
    ...(code ? withCode(code) : {}),
    message,
    ...(param !== undefined ? { param } : {}),
    type: 'invalid_request_error',
  });
}

/** Rejected while parameters were checked: never stored under an idempotency key. */
export function paramError(message: string, param: string, code?: string): StripeError {
  return new StripeError(
    400,
    { ...(code ? withCode(code) : {}), message, param, type: 'invalid_request_error' },
    false,
  );
}

export const errors = {
  unknownParameter: (param: string) =>
    paramError(`Received unknown parameter: ${param}`, param, 'parameter_unknown'),
  missingParameter: (param: string) =>
    paramError(`Missing required param: ${param}.`, param, 'parameter_missing'),
  invalidInteger: (param: string, value: unknown) =>
    paramError(`Invalid integer: ${String(value)}`, param, 'parameter_invalid_integer'),
  invalidNumber: (param: string, value: unknown) =>
    paramError(`Invalid decimal: ${String(value)}`, param),
  invalidBoolean: (param: string, value: unknown) =>
    paramError(`Invalid boolean: ${String(value)}`, param),
  invalidArray: (param: string) => paramError('Invalid array', param),
  invalidObject: (param: string) => paramError('Invalid object', param),
  invalidString: (param: string) => paramError('Invalid string', param),
  invalidEnum: (param: string, allowed: readonly string[]) =>
    paramError(`Invalid ${lastName(param)}: must be one of ${oxfordOr(allowed)}`, param),
  emptyString: (param: string) =>
    paramError(
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      param,
      'parameter_invalid_empty',
    ),
  tooLong: (param: string, max: number) =>
    paramError(`Invalid ${lastName(param)}: must be at most ${max} characters`, param, 'parameter_invalid_string_too_long'),
  notExpandable: (segment: string, hint?: string) =>
    new StripeError(
      400,
      {
        message: `This property cannot be expanded (${segment}).${hint ? ` You may want to try expanding '${hint}' instead.` : ''}`,
        type: 'invalid_request_error',
      },
      false,
    ),
  expandTooDeep: () =>
    new StripeError(400, { message: 'You cannot expand more than 4 levels of a property.', type: 'invalid_request_error' }, false),
  resourceMissing: (objectName: string, id: string, param: string) =>
    invalidRequest(`No such ${objectName}: '${id}'`, param, 'resource_missing', 404),
  /** Unknown ids given as parameters (cursors, references) are a 400, not a 404. */
  referenceMissing: (objectName: string, id: string, param: string) =>
    invalidRequest(`No such ${objectName}: '${id}'`, param, 'resource_missing', 400),
  idempotencyMismatch: (key: string) =>
    new StripeError(400, {
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      type: 'idempotency_error',
    }),
  rateLimited: () =>
    new StripeError(429, {
      ...withCode('rate_limit'),
      message:
        'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
      type: 'invalid_request_error',
    }),
  apiError: (status: number) =>
    new StripeError(status, {
      message:
        "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at https://support.stripe.com/contact.",
      type: 'api_error',
    }),
  unrecognizedUrl: (method: string, path: string) =>
    invalidRequest(
      `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      undefined,
      undefined,
      404,
    ),
  noApiKey: () =>
    invalidRequest(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      undefined,
      undefined,
      401,
    ),
  invalidApiKey: (maskedKey: string) =>
    invalidRequest(`Invalid API Key provided: ${maskedKey}`, undefined, undefined, 401),
  accountInaccessible: (maskedKey: string, account: string) =>
    invalidRequest(
      `The provided key '${maskedKey}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
      undefined,
      'account_invalid',
      403,
    ),
};

function lastName(param: string): string {
  const match = /\[([^\]]*)\]$/.exec(param);
  return match ? (match[1] as string) : param;
}

function oxfordOr(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  if (values.length === 2) return `${values[0]} or ${values[1]}`;
  return `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}`;
}

export function toErrorPayload(error: StripeError): { error: StripeErrorBody } {
  return { error: error.body };
}
