// Set-returning functions in the select list, as PostgreSQL runs them (`SELECT unnest(a)`,
// `SELECT (_pg_expandarray(k)).n, _pg_expandarray(k) AS keys`): a call yields a ValueSet, the
// calls around it apply to each of its values in turn, and the projected row becomes as many
// rows as its longest set, the shorter sets padded with NULL and the other columns repeated
// (PostgreSQL 10's rule). Several calls of one select list so run in lockstep.

import type { BoundExpr } from './bound.js';
import type { Batches } from './operators/batches.js';
import type { Row, SqlValue } from './table.js';

/** What a set-returning call gives for one row: never a column value, only a projection's cell until it is expanded. */
export class ValueSet {
  constructor(readonly values: readonly SqlValue[]) {}
}

/** Whether the expression calls a set-returning function (only through other calls, as the select list writes them). */
export function returnsSet(expr: BoundExpr): boolean {
  return expr.kind === 'call' && (expr.fn.setReturning === true || expr.args.some(returnsSet));
}

/** `call` applied to arguments some of which are sets: one call per position, in lockstep. */
export function callOverSets(call: (args: SqlValue[]) => SqlValue, args: SqlValue[]): SqlValue {
  if (!args.some((a) => (a as unknown) instanceof ValueSet)) return call(args);
  const length = Math.max(...args.map((a) => ((a as unknown) instanceof ValueSet ? (a as unknown as ValueSet).values.length : 0)));
  const out: SqlValue[] = [];
  for (let i = 0; i < length; i++) out.push(call(args.map((a) => ((a as unknown) instanceof ValueSet ? ((a as unknown as ValueSet).values[i] ?? null) : a))));
  return new ValueSet(out) as unknown as SqlValue;
}

/** Each projected row as many rows as its longest set (none for empty sets). */
export async function* expandSets(input: Batches, signal?: AbortSignal): AsyncGenerator<Row[]> {
  for await (const batch of input) {
    signal?.throwIfAborted();
    const out: Row[] = [];
    for (const row of batch) {
      const sets = row.map((v) => ((v as unknown) instanceof ValueSet ? (v as unknown as ValueSet) : undefined));
      if (!sets.some((s) => s)) {
        out.push(row);
        continue;
      }
      const length = Math.max(...sets.map((s) => s?.values.length ?? 0));
      for (let i = 0; i < length; i++) out.push(row.map((v, c) => (sets[c] ? (sets[c]!.values[i] ?? null) : v)));
    }
    if (out.length > 0) yield out;
  }
}
