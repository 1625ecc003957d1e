// Turning a table's per-row WriteOutcome into a statement result. A write is never half-reported:
// when any row failed, the error lists every row — which were written (with their Ids), which
// failed and why, which were not sent — so the caller knows exactly what changed in the source.

import type { Row, RowOutcome, WriteOutcome, WriteVerb } from './table.js';
import type { WriteStatementResult } from './plan-types.js';

/** Thrown when some rows of a multi-row write failed; `rows` says what happened to each. */
export class PartialWriteError extends Error {
  override name = 'PartialWriteError';

  constructor(
    readonly verb: WriteVerb,
    readonly table: string,
    /** One entry per row of the statement, in statement order. */
    readonly rows: readonly RowOutcome[],
  ) {
    super(describe(verb, table, rows), { cause: firstError(rows) });
  }

  /** How many rows the source did change. */
  get rowsAffected(): number {
    return this.rows.filter((r) => r.ok).length;
  }

  /** Ids of the rows written. */
  get succeededIds(): string[] {
    return this.rows.flatMap((r) => (r.ok && r.id !== undefined ? [r.id] : []));
  }
}

/**
 * The statement's result when every row succeeded. A single-row statement that failed throws
 * the table's own error (its message already says what was wrong); several rows with any
 * failure throw PartialWriteError.
 */
export function settleOutcome(verb: WriteVerb, table: string, outcome: WriteOutcome): WriteStatementResult & { written: Row[] } {
  const failed = outcome.rows.filter((r) => !r.ok && !r.absent);
  if (failed.length > 0) {
    if (outcome.rows.length === 1) throw firstError(outcome.rows);
    throw new PartialWriteError(verb, table, outcome.rows);
  }
  const written = outcome.rows.flatMap((r) => (r.ok && r.row ? [r.row] : []));
  return {
    rowsAffected: outcome.rowsAffected,
    ...(outcome.lastInsertId !== undefined ? { lastInsertId: outcome.lastInsertId } : {}),
    written,
  };
}

function firstError(rows: readonly RowOutcome[]): Error | undefined {
  for (const r of rows) if (!r.ok && !r.absent) return r.error;
  return undefined;
}

function describe(verb: WriteVerb, table: string, rows: readonly RowOutcome[]): string {
  const ok = rows.filter((r) => r.ok);
  const ids = ok.flatMap((r) => (r.id !== undefined ? [r.id] : []));
  const head = `${verb} ${table}: ${ok.length} of ${rows.length} rows written${ids.length > 0 ? ` (${abbreviate(ids)})` : ''}`;
  const failures = rows.flatMap((r) =>
    r.ok ? [] : [`row ${r.index + 1}${r.id !== undefined ? ` (${r.id})` : ''}: ${r.absent ? 'not found, nothing changed' : r.error.message}`]);
  const shown = failures.slice(0, 5);
  if (failures.length > shown.length) shown.push(`… and ${failures.length - shown.length} more`);
  return `${head}; ${shown.join('; ')}`;
}

function abbreviate(ids: string[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')}, … ${ids.length - 5} more`;
}
