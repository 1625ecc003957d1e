// The two ways a Stripe request fails: Stripe said no, or we could not get an answer.

export interface StripeApiErrorFields {
  message: string;
  status: number;
  type: string;
  code?: string;
  param?: string;
  requestId?: string;
  docUrl?: string;
  declineCode?: string;
  earlierAttemptMayHaveApplied?: boolean;
}

/** Stripe answered with an error (`{error:{type, code, message, param, doc_url, decline_code}}`). */
export class StripeApiError extends Error {
  override name = 'StripeApiError';
  /** card_error, invalid_request_error, api_error, idempotency_error, authentication_error, … */
  readonly type: string;
  readonly code?: string;
  readonly param?: string;
  /** HTTP status. */
  readonly status: number;
  /** Stripe's `Request-Id` response header: quote it to Stripe support. */
  readonly requestId?: string;
  readonly docUrl?: string;
  readonly declineCode?: string;
  /**
   * This answer came to a retry, and an earlier attempt's outcome is unknown (its response was
   * lost, timed out, or was a 5xx): Stripe may have carried that one out. A DELETE then
   * answered 404 was most likely deleted by the attempt whose answer was lost.
   */
  readonly earlierAttemptMayHaveApplied: boolean;

  constructor(fields: StripeApiErrorFields) {
    super(fields.message);
    this.type = fields.type;
    this.status = fields.status;
    if (fields.code !== undefined) this.code = fields.code;
    if (fields.param !== undefined) this.param = fields.param;
    if (fields.requestId !== undefined) this.requestId = fields.requestId;
    if (fields.docUrl !== undefined) this.docUrl = fields.docUrl;
    if (fields.declineCode !== undefined) this.declineCode = fields.declineCode;
    this.earlierAttemptMayHaveApplied = fields.earlierAttemptMayHaveApplied ?? false;
  }
}

/**
 * No usable answer: network failures once retries are spent, timeouts, a base URL that is not
 * a Stripe API. `cause` is a sanitised copy of the underlying error (name, code, message),
 * never the original object, so no request headers can ride along in it.
 */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
  declare readonly cause?: Error;

  constructor(message: string, cause?: Error) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
