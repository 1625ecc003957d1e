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

/** Whether the expression calls a set-returning function, itself or in an argument or operand. */
export function returnsSet(expr: BoundExpr): boolean {
  if (expr.kind === 'call' && expr.fn.setReturning === true) return true;
  return operandsOf(expr).some(returnsSet);
}

/** The operands through which a set's values pass one at a time (a function's arguments, an operator's operands, a cast's value). */
export function operandsOf(expr: BoundExpr): BoundExpr[] {
  switch (expr.kind) {
    case 'call':
      return expr.args;
    case 'binary':
      return [expr.left, expr.right];
    case 'chain':
      return expr.operands;
    case 'unary':
      return [expr.operand];
    case 'cast':
      return [expr.expr];
    default:
      return [];
  }
}

/** The expression with its operands replaced by `values[i]`, in operandsOf's order. */
export function overOperands(expr: BoundExpr): BoundExpr {
  const slot = (e: BoundExpr, index: number): BoundExpr => ({ kind: 'slot', index, text: '', type: e.type, pos: e.pos });
  switch (expr.kind) {
    case 'call':
      return { ...expr, args: expr.args.map(slot) };
    case 'binary':
      return { ...expr, left: slot(expr.left, 0), right: slot(expr.right, 1) };
    case 'chain':
      return { ...expr, operands: expr.operands.map(slot) };
    case 'unary':
      return { ...expr, operand: slot(expr.operand, 0) };
    case 'cast':
      return { ...expr, expr: slot(expr.expr, 0) };
    default:
      return expr;
  }
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
