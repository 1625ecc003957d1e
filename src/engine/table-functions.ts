// Set-returning functions in FROM, as PostgreSQL has them: generate_series(start, stop[, step])
// over integers, numbers, or timestamps stepped by an interval. Arguments are bound without the
// FROM row (constants, parameters, NOW()); each run of the query generates the rows afresh.

import type { TableFunctionNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, statementValues } from './binder.js';
import type { BoundExpr } from './bound.js';
import { compileExpr } from './expressions.js';
import { formatExpr } from './format.js';
import { Interval } from './interval.js';
import type { QueryPlan } from './plan-types.js';
import type { PlanEnv } from './planner.js';
import { chunks, flatten, type Batches } from './operators/batches.js';
import type { DataType, ExecContext, Row, SqlValue } from './table.js';
import { toNumber } from './values.js';
import { ValueSet } from './value-sets.js';

export function planTableFunction(node: TableFunctionNode, env: PlanEnv): QueryPlan {
  if (node.name !== 'GENERATE_SERIES') return planFunctionRows(node, env);
  if (node.args.length < 2 || node.args.length > 3) {
    throw new SqlError(`generate_series takes 2 or 3 arguments (start, stop[, step]), got ${node.args.length}`, env.sql, node.pos);
  }
  const ctx = { sql: env.sql, params: env.params, scope: null, aggregates: 'WHERE' as const, ...statementValues(env) };
  const args = node.args.map((a) => bindExpr(a, ctx));
  const type = seriesType(args, env.sql, node);
  const [start, stop, step] = args.map(compileExpr);
  const name = node.columns?.[0] ?? node.alias ?? 'generate_series';
  const batches = (ctx: ExecContext): Batches => chunks(series(type, start!([]), stop!([]), step ? step([]) : null, env.sql, node), ctx.signal);
  return {
    kind: 'query',
    columns: [{ name, type }],
    rows: (ctx) => flatten(batches(ctx)),
    batches,
    explain: () => [`Function generate_series(${args.map(formatExpr).join(', ')})`],
    explainJson: () => ({ node: 'Function', name: 'generate_series', args: args.map(formatExpr) }),
  };
}

function seriesType(args: BoundExpr[], sql: string, node: TableFunctionNode): DataType {
  const [start, , step] = args;
  if (start!.type === 'Datetime' || start!.type === 'Date' || (start!.kind === 'const' && start!.value instanceof Date)) {
    if (!step || (step.type !== 'Interval' && step.type !== 'String')) {
      throw new SqlError('generate_series over timestamps needs an interval step: generate_series(a, b, INTERVAL \'1 day\')', sql, node.pos);
    }
    return 'Datetime';
  }
  const numeric = args.map((a) => a.type ?? 'Integer');
  if (numeric.some((t) => t === 'Double' || t === 'Decimal')) return 'Double';
  return numeric.some((t) => t === 'Long') ? 'Long' : 'Integer';
}

function* series(type: DataType, start: SqlValue, stop: SqlValue, step: SqlValue, sql: string, node: TableFunctionNode): Generator<Row> {
  if (start === null || stop === null || (step === null && type === 'Datetime')) return;
  if (type === 'Datetime') {
    const interval = step instanceof Interval ? step : Interval.between(new Date(0), new Date(0));
    if (interval.totalMs() === 0) throw new SqlError('generate_series step size cannot be zero', sql, node.pos);
    const end = (stop as Date).getTime();
    const forward = interval.totalMs() > 0;
    for (let at = start as Date; forward ? at.getTime() <= end : at.getTime() >= end; at = interval.addTo(at)) yield [at];
    return;
  }
  const from = toNumber(start);
  const to = toNumber(stop);
  const by = step === null ? 1 : toNumber(step);
  if (from === null || to === null || by === null) return;
  if (by === 0) throw new SqlError('generate_series step size cannot be zero', sql, node.pos);
  for (let i = 0, value = from; by > 0 ? value <= to : value >= to; value = from + ++i * by) yield [value];
}

/**
 * Any other function in FROM, as PostgreSQL reads one: a set-returning function (unnest) gives a
 * row per value, a scalar one (`string_to_array(…) AS s`) one row, in a column named by the alias.
 */
function planFunctionRows(node: TableFunctionNode, env: PlanEnv): QueryPlan {
  const ctx = { sql: env.sql, params: env.params, scope: null, aggregates: 'WHERE' as const, ...statementValues(env) };
  const call = bindExpr({ kind: 'call', name: node.name, args: node.args, star: false, distinct: false, pos: node.pos }, ctx);
  const evaluate = compileExpr(call);
  const name = node.columns?.[0] ?? node.alias ?? node.name.toLowerCase().replace(/^.*\./, '');
  const type: DataType = call.type ?? 'String';
  const batches = (ctx: ExecContext): Batches => {
    const value = evaluate([]);
    const values = (value as unknown) instanceof ValueSet ? (value as unknown as ValueSet).values : [value];
    return chunks(values.map((v) => [v]), ctx.signal);
  };
  return {
    kind: 'query',
    columns: [{ name, type }],
    rows: (ctx) => flatten(batches(ctx)),
    batches,
    explain: () => [`Function ${formatExpr(call)}`],
    explainJson: () => ({ node: 'Function', name: node.name.toLowerCase(), args: node.args.length === 0 ? [] : call.kind === 'call' ? call.args.map(formatExpr) : [] }),
  };
}
