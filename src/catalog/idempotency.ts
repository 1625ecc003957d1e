// Exactly-once writes: the Idempotency-Key each row's POST carries.

import type { ExecContext } from '../engine/table.js';

/**
 * Row `rowIndex` (0-based, statement order) of a write sends `${ctx.idempotencyKey}-${rowIndex}`
 * when the statement has a prefix, so re-running the same statement after a crash repeats the
 * same keys and Stripe replays the first result instead of acting twice (Stripe keeps keys for
 * 24 hours). Without a prefix each row gets a fresh random key. Either way the key is made once
 * per row and the transport reuses it on its own retries.
 */
export function idempotencyKeyFor(ctx: ExecContext, rowIndex: number): string {
  return ctx.idempotencyKey !== undefined ? `${ctx.idempotencyKey}-${rowIndex}` : crypto.randomUUID();
}
