// Sends a write statement's requests, a few at a time, starting them in statement order, and
// reports every row. The first refusal stops the statement: rows already in flight finish,
// rows not yet started are reported as not sent, never dropped.

import type { ExecContext, Row, RowOutcome, WriteOutcome } from '../engine/table.js';
import type { HttpMethod, StripeObject, StripeParams } from '../stripe/types.js';
import { mapWithConcurrency } from '../batch.js';
import { isMissing, isMissingAfterUnknownAttempt } from './errors.js';
import { idempotencyKeyFor } from './idempotency.js';
import type { StripeTransport, TableDef } from './types.js';
import { toWriteError } from './write-error.js';

export interface PlannedRequest {
  method: HttpMethod;
  path: string;
  params?: StripeParams;
  accountId?: string;
  /** The parent's id of a child object, for the returned row's parent column. */
  parentId?: string;
  /** The object's id when known before the request (UPDATE, DELETE). */
  id?: string;
}

/**
 * Requests of one statement in flight at once. Stripe answers a write in a few hundred
 * milliseconds, so one at a time would cap a statement near 3 rows/s, far below the request
 * budget; the transport's rate limiter and concurrency cap still bound the whole connection.
 */
export const WRITES_IN_FLIGHT = 8;

export async function runWrites(
  transport: StripeTransport,
  def: TableDef,
  verb: 'create' | 'update' | 'delete',
  requests: PlannedRequest[],
  ctx: ExecContext,
  toRow: (object: StripeObject, request: PlannedRequest) => Row | undefined | Promise<Row | undefined>,
  concurrency = WRITES_IN_FLIGHT,
): Promise<WriteOutcome> {
  let failedAt: number | undefined;
  const rows = await mapWithConcurrency(requests, concurrency, async (request, index): Promise<RowOutcome> => {
    const known = request.id !== undefined ? { id: request.id } : {};
    // Rows start in statement order, so a row not yet started comes after the failed one.
    if (ctx.signal?.aborted || failedAt !== undefined) {
      const why = ctx.signal?.aborted ? 'the statement was cancelled' : `row ${failedAt! + 1} of the statement failed first`;
      return { index, ok: false, ...known, notSent: true, error: new Error(`not sent: ${why}`) };
    }
    // The transport reports a request once some attempt of it went out; one cancelled while it
    // still waited for the rate budget never reached Stripe.
    let reachedStripe = false;
    const onRequest: NonNullable<ExecContext['onRequest']> = (...args) => {
      reachedStripe = true;
      ctx.onRequest?.(...args);
    };
    try {
      const object = await transport.request<StripeObject>({
        method: request.method,
        path: request.path,
        ...(request.params ? { params: request.params } : {}),
        ...(request.accountId !== undefined ? { accountId: request.accountId } : {}),
        ...(request.method === 'POST' ? { idempotencyKey: idempotencyKeyFor(ctx, index) } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onRequest,
      });
      const id = typeof object?.id === 'string' ? object.id : request.id;
      const row = verb === 'delete' ? undefined : await rowOrNothing(toRow, object, request);
      return { index, ok: true, ...(id !== undefined ? { id } : {}), ...(row ? { row } : {}) };
    } catch (error) {
      // A DELETE whose answer was lost and whose retry found nothing: the lost attempt deleted it.
      if (verb === 'delete' && isMissingAfterUnknownAttempt(error)) return { index, ok: true, ...known };
      const wrapped = toWriteError(error, def, verb, index);
      const asError = wrapped instanceof Error ? wrapped : new Error(String(wrapped));
      // Changing or deleting an object that does not exist changes nothing, as in SQL.
      if (verb !== 'create' && isMissing(error)) return { index, ok: false, ...known, error: asError, absent: true };
      failedAt = Math.min(failedAt ?? index, index);
      if (ctx.signal?.aborted && !reachedStripe) return { index, ok: false, ...known, notSent: true, error: new Error('not sent: the statement was cancelled') };
      // Cancelled in flight: whether Stripe acted is unknown (the abort ends the wait, not the request).
      if (ctx.signal?.aborted) return { index, ok: false, ...known, error: asError, outcomeUnknown: true };
      return { index, ok: false, ...known, error: asError };
    }
  });
  const created = verb === 'create' ? rows.filter((r) => r.ok && r.id !== undefined) : [];
  const lastInsertId = created.at(-1)?.id;
  const rowsAffected = rows.filter((r) => r.ok).length;
  return { rowsAffected, ...(lastInsertId !== undefined ? { lastInsertId } : {}), rows };
}

/**
 * The written object as a row. Stripe has already acted: failing to read more of it (the rest
 * of an expanded list) must not report the write as failed, so the row is then left out.
 */
async function rowOrNothing(
  toRow: (object: StripeObject, request: PlannedRequest) => Row | undefined | Promise<Row | undefined>,
  object: StripeObject,
  request: PlannedRequest,
): Promise<Row | undefined> {
  try {
    return await toRow(object, request);
  } catch {
    return undefined;
  }
}

/** The first failure of an outcome, for callers that want an exception. */
export function firstFailure(outcome: WriteOutcome): Error | undefined {
  const failed = outcome.rows.find((r) => !r.ok);
  return failed && !failed.ok ? failed.error : undefined;
}
