// Sends a write statement's requests one row at a time, in order, and reports every row. The
// first refusal stops the statement: later rows are reported as not sent, never dropped.

import type { ExecContext, Row, RowOutcome, WriteOutcome } from '../engine/table.js';
import type { HttpMethod, StripeObject, StripeParams } from '../stripe/types.js';
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

export async function runWrites(
  transport: StripeTransport,
  def: TableDef,
  verb: 'create' | 'update' | 'delete',
  requests: PlannedRequest[],
  ctx: ExecContext,
  toRow: (object: StripeObject, request: PlannedRequest) => Row | undefined,
): Promise<WriteOutcome> {
  const rows: RowOutcome[] = [];
  let failedAt: number | undefined;
  let lastInsertId: string | undefined;
  for (const [index, request] of requests.entries()) {
    const known = request.id !== undefined ? { id: request.id } : {};
    if (failedAt !== undefined) {
      rows.push({ index, ok: false, ...known, error: new Error(`not sent: row ${failedAt + 1} of the statement failed first`) });
      continue;
    }
    try {
      ctx.onRequest?.();
      const object = await transport.request<StripeObject>({
        method: request.method,
        path: request.path,
        ...(request.params ? { params: request.params } : {}),
        ...(request.accountId !== undefined ? { accountId: request.accountId } : {}),
        ...(request.method === 'POST' ? { idempotencyKey: idempotencyKeyFor(ctx, index) } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      const id = typeof object?.id === 'string' ? object.id : request.id;
      if (verb === 'create' && id !== undefined) lastInsertId = id;
      const row = verb === 'delete' ? undefined : toRow(object, request);
      rows.push({ index, ok: true, ...(id !== undefined ? { id } : {}), ...(row ? { row } : {}) });
    } catch (error) {
      failedAt = index;
      const wrapped = toWriteError(error, def, verb, index);
      rows.push({ index, ok: false, ...known, error: wrapped instanceof Error ? wrapped : new Error(String(wrapped)) });
    }
  }
  const rowsAffected = rows.filter((r) => r.ok).length;
  return { rowsAffected, ...(lastInsertId !== undefined ? { lastInsertId } : {}), rows };
}

/** The first failure of an outcome, for callers that want an exception. */
export function firstFailure(outcome: WriteOutcome): Error | undefined {
  const failed = outcome.rows.find((r) => !r.ok);
  return failed && !failed.ok ? failed.error : undefined;
}
