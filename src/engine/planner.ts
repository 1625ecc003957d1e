// SELECT planning: bind the statement, split WHERE into predicates, negotiate pushdown with the
// table (predicates, ORDER BY, then LIMIT), and assemble the operator pipeline:
//   scan → filter → [aggregate] → project → sort → distinct → limit
// Planning does no I/O; every run of the plan builds a fresh pipeline.

import type { ExprNode, SelectNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, Scope, type BindContext, type ParamValues } from './binder.js';
import { walk, type BoundAggregate, type BoundExpr } from './bound.js';
import { compileExpr, compilePredicate, type Evaluator } from './expressions.js';
import { formatExpr } from './format.js';
import { containsAggregate, replaceAggregates } from './aggregates.js';
import { aggregateRows } from './operators/aggregate.js';
import { distinctRows } from './operators/distinct.js';
import { filterRows } from './operators/filter.js';
import { limitRows } from './operators/limit.js';
import { projectRows } from './operators/project.js';
import { sortRows, type SortKey } from './operators/sort.js';
import type { QueryPlan, ResultColumn } from './plan-types.js';
import { analyzeWhere, compileScanPredicate, splitConjuncts } from './predicates.js';
import { resolveTable } from './resolve-table.js';
import type { Catalog, ExecContext, OrderKey, Row, ScanPlan, ScanRequest, Table } from './table.js';

interface OutputColumn {
  name: string;
  expr: BoundExpr;
}

interface PlannedSortKey {
  /** Index into the output row, or into the extra keys that follow it. */
  index: number;
  descending: boolean;
  nullsFirst: boolean;
  /** NULLS FIRST|LAST was written out (a table is only offered the default placement). */
  explicitNulls: boolean;
  text: string;
  /** The key's expression; a plain column can be offered to the table. */
  expr: BoundExpr;
}

export function planSelect(stmt: SelectNode, sql: string, catalog: Catalog, params: ParamValues | undefined): QueryPlan {
  const table = stmt.from ? resolveTable(stmt.from, sql, catalog) : undefined;
  const scope = table ? new Scope(table.name, stmt.from?.alias, table.columns) : null;
  const ctx = (aggregates: BindContext['aggregates']): BindContext => ({ sql, params, scope, aggregates });

  const outputs = bindSelectList(stmt, sql, scope, ctx('allowed'));
  const where = stmt.where ? bindExpr(stmt.where, ctx('WHERE')) : undefined;
  const limit = stmt.limit ? bindCount(stmt.limit, 'LIMIT', ctx('LIMIT')) : undefined;
  const offset = stmt.offset ? bindCount(stmt.offset, 'OFFSET', ctx('LIMIT')) : 0;

  const extraKeys: BoundExpr[] = [];
  const sortKeys = stmt.orderBy.map((item): PlannedSortKey => {
    const bound = bindOrderKey(item.expr, outputs, sql, ctx('allowed'));
    let index: number;
    if (typeof bound === 'number') {
      index = bound;
    } else {
      if (stmt.distinct) {
        throw new SqlError('With SELECT DISTINCT, ORDER BY items must appear in the select list', sql, item.pos);
      }
      index = outputs.length + extraKeys.push(bound) - 1;
    }
    const expr = index < outputs.length ? outputs[index]!.expr : extraKeys[index - outputs.length]!;
    const descending = item.direction === 'DESC';
    const nullsFirst = item.nulls === undefined ? descending : item.nulls === 'FIRST';
    const nullsText = item.nulls ? ` NULLS ${item.nulls}` : '';
    const text = `${typeof bound === 'number' ? outputs[index]!.name : formatExpr(expr)} ${item.direction}${nullsText}`;
    return { index, descending, nullsFirst, explicitNulls: item.nulls !== undefined, text, expr };
  });

  const aggregated = [...outputs.map((o) => o.expr), ...extraKeys].some(containsAggregate);
  const aggregates: BoundAggregate[] = [];
  const finalOutputs = aggregated ? outputs.map((o) => replaceAggregates(o.expr, aggregates, sql)) : outputs.map((o) => o.expr);
  const finalExtras = aggregated ? extraKeys.map((e) => replaceAggregates(e, aggregates, sql)) : extraKeys;

  const columns: ResultColumn[] = outputs.map((o) => ({ name: o.name, type: o.expr.type ?? 'String' }));
  const conjuncts = splitConjuncts(where);
  const analysis = analyzeWhere(conjuncts, sql);

  // ORDER BY is offered only when every key is a plain column; an aggregate query has one row.
  const orderBy: OrderKey[] = [];
  const orderOfferable =
    !aggregated &&
    sortKeys.length > 0 &&
    sortKeys.every((k) => k.expr.kind === 'column' && (!k.explicitNulls || k.nullsFirst === k.descending));
  if (orderOfferable) {
    for (const k of sortKeys) {
      if (k.expr.kind === 'column') orderBy.push({ column: k.expr.column.name, direction: k.descending ? 'DESC' : 'ASC' });
    }
  }

  let scanPlan: ScanPlan | undefined;
  let emptyReason = analysis.contradiction;
  if (table && !emptyReason) {
    const request: ScanRequest = {
      predicates: analysis.predicates,
      columns: neededColumns(table, stmt, [...outputs.map((o) => o.expr), ...extraKeys, ...(where ? [where] : [])]),
      orderBy,
    };
    scanPlan = table.plan(request);
    const orderDone = (p: ScanPlan): boolean => sortKeys.length === 0 || (orderOfferable && p.orderSatisfied);
    const nothingAbove = (p: ScanPlan): boolean =>
      p.residual.length === 0 && analysis.engineOnly.length === 0 && orderDone(p) && !stmt.distinct && !aggregated;
    if (limit !== undefined && nothingAbove(scanPlan)) {
      const limited = table.plan({ ...request, limit: limit + offset });
      if (nothingAbove(limited)) scanPlan = limited;
    }
    if (scanPlan.empty) emptyReason = 'the table reports the predicates contradict each other';
  }

  const sortNeeded = !aggregated && sortKeys.length > 0 && !(orderOfferable && scanPlan?.orderSatisfied === true);
  const residualTests = scanPlan
    ? scanPlan.residual.map((p) => compileScanPredicate(p, analysis.columnIndex.get(p.id) ?? indexOfColumn(table!, p.column)))
    : [];
  // When the table is not consulted (no FROM), every predicate is the engine's.
  const engineConjuncts = table ? analysis.engineOnly : conjuncts;
  const tests = [...residualTests, ...engineConjuncts.map(compilePredicate)];
  const filterText = [...(scanPlan?.residual.map((p) => p.text) ?? []), ...engineConjuncts.map(formatExpr)];

  const projections: Evaluator[] = [...finalOutputs, ...finalExtras].map(compileExpr);
  const aggregateSpecs = aggregates.map((a) => ({ fn: a.fn, arg: a.arg ? compileExpr(a.arg) : null, distinct: a.distinct }));
  const width = outputs.length;
  const sorter: SortKey[] = sortKeys.map((k) => ({ index: k.index, descending: k.descending, nullsFirst: k.nullsFirst }));

  const rows = (execCtx: ExecContext): AsyncIterable<Row> => {
    let stream: AsyncIterable<Row>;
    if (emptyReason !== undefined && !aggregated) return emptyStream();
    if (emptyReason !== undefined) stream = emptyStream();
    else if (table && scanPlan) stream = table.scan(scanPlan, execCtx);
    else stream = singleEmptyRow();
    const test = tests.length > 0 ? combineTests(tests) : undefined;
    if (aggregated) {
      if (test) stream = filterRows(stream, test, execCtx.signal);
      stream = projectRows(aggregateRows(stream, aggregateSpecs), projections);
    } else {
      stream = projectRows(stream, projections, test, execCtx.signal);
    }
    if (sortNeeded) stream = sortRows(stream, sorter, stmt.distinct || limit === undefined ? undefined : limit + offset);
    if (stmt.distinct) stream = distinctRows(stream, width);
    if (limit !== undefined || offset > 0) stream = limitRows(stream, limit, offset);
    if (projections.length > width) stream = trimRows(stream, width);
    return stream;
  };

  const explain = (): string[] => {
    const lines: string[] = [];
    if (limit !== undefined || offset > 0) {
      lines.push(`Limit ${limit ?? 'ALL'}${offset > 0 ? ` Offset ${offset}` : ''}`);
    }
    if (stmt.distinct) lines.push('Distinct');
    if (sortNeeded) lines.push(`Sort ${sortKeys.map((k) => k.text).join(', ')}`);
    if (aggregated) lines.push(`Aggregate ${aggregates.map(formatExpr).join(', ')}`);
    if (emptyReason !== undefined) {
      lines.push(`Empty: no row can match (${emptyReason}); ${table ? `${table.name} is not scanned` : 'nothing to evaluate'}`);
      return lines;
    }
    if (filterText.length > 0) lines.push(`Filter ${filterText.join(' AND ')}`);
    if (table && scanPlan) {
      lines.push(`Scan ${table.name}`);
      for (const line of scanPlan.describe()) lines.push(`  ${line}`);
    } else {
      lines.push('Single row (no FROM)');
    }
    return lines;
  };

  return { kind: 'query', columns, rows, explain };
}

function bindSelectList(stmt: SelectNode, sql: string, scope: Scope | null, ctx: BindContext): OutputColumn[] {
  const outputs: OutputColumn[] = [];
  for (const item of stmt.columns) {
    if (item.kind === 'star') {
      if (!scope) throw new SqlError('SELECT * needs a FROM clause', sql, item.pos);
      if (item.table !== undefined && !scope.answersTo(item.table)) {
        throw new SqlError(`Unknown table or alias ${item.table}`, sql, item.pos);
      }
      scope.columns.forEach((column, index) => {
        if (!column.pseudo) outputs.push({ name: column.name, expr: { kind: 'column', index, column, type: column.type, pos: item.pos } });
      });
      continue;
    }
    const expr = bindExpr(item.expr, ctx);
    outputs.push({ name: item.alias ?? defaultName(item.expr, expr, outputs.length + 1), expr });
  }
  return outputs;
}

/** The column's own name, the function's name, or `ExprN` by position in the select list. */
function defaultName(node: ExprNode, bound: BoundExpr, position: number): string {
  if (bound.kind === 'column' && node.kind === 'column') return bound.column.name;
  if (node.kind === 'call') return node.name.toUpperCase();
  return `Expr${position}`;
}

/** An ORDER BY key: an output index (alias or ordinal) or an expression over the table row. */
function bindOrderKey(node: ExprNode, outputs: OutputColumn[], sql: string, ctx: BindContext): number | BoundExpr {
  if (node.kind === 'column' && node.table === undefined) {
    const lower = node.name.toLowerCase();
    const index = outputs.findIndex((o) => o.name.toLowerCase() === lower);
    if (index >= 0) return index;
  }
  if (node.kind === 'literal' && typeof node.value === 'number') {
    if (!Number.isInteger(node.value) || node.value < 1 || node.value > outputs.length) {
      throw new SqlError(`ORDER BY position ${node.value} is out of range: the select list has ${outputs.length} column${outputs.length === 1 ? '' : 's'}`, sql, node.pos);
    }
    return node.value - 1;
  }
  return bindExpr(node, ctx);
}

function bindCount(node: ExprNode, clause: 'LIMIT' | 'OFFSET', ctx: BindContext): number {
  const bound = bindExpr(node, { ...ctx, scope: null });
  const value = bound.kind === 'const' ? bound.value : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new SqlError(`${clause} must be a non-negative integer`, ctx.sql, node.pos);
  }
  return value;
}

/** Column names the query reads, in table order. */
function neededColumns(table: Table, stmt: SelectNode, exprs: BoundExpr[]): string[] {
  const used = new Set<number>();
  for (const expr of exprs) {
    walk(expr, (e) => {
      if (e.kind === 'column') used.add(e.index);
    });
  }
  if (stmt.columns.some((c) => c.kind === 'star')) table.columns.forEach((c, i) => !c.pseudo && used.add(i));
  return table.columns.filter((_, i) => used.has(i)).map((c) => c.name);
}

function indexOfColumn(table: Table, name: string): number {
  const lower = name.toLowerCase();
  return table.columns.findIndex((c) => c.name.toLowerCase() === lower);
}

function combineTests(tests: ((row: Row) => boolean)[]): (row: Row) => boolean {
  if (tests.length === 1) return tests[0]!;
  return (row) => {
    for (const test of tests) if (!test(row)) return false;
    return true;
  };
}

async function* emptyStream(): AsyncGenerator<Row> {}

async function* singleEmptyRow(): AsyncGenerator<Row> {
  yield [];
}

async function* trimRows(input: AsyncIterable<Row>, width: number): AsyncGenerator<Row> {
  for await (const row of input) yield row.slice(0, width);
}
