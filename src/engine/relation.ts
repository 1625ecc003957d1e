// FROM: tables, derived tables and joins, planned into one stream of combined rows (each
// source's columns at its offset). WHERE / ON conjuncts that touch one table are offered to
// that table (never to the null-supplying side of an outer join); equi-joins hash, others loop,
// and a join whose inner table can be fetched by key (`col IN (…)` pushed) becomes a lookup join.

import type { JoinType, Position } from '../sql/ast.js';
import { shiftColumns, walk, type BoundExpr } from './bound.js';
import { compileExpr, compilePredicate } from './expressions.js';
import { formatExpr } from './format.js';
import { filterRows } from './operators/filter.js';
import { hashJoin, hashJoinBatches, lookupJoin, materialize, type JoinSpec } from './operators/join.js';
import type { QueryPlan } from './plan-types.js';
import { compileScanPredicate } from './predicates.js';
import { analyzing, measured, newInstrument, withActuals } from './instrument.js';
import { reorderInnerJoins, type ReorderedJoins } from './join-order.js';
import { combineTests, describeScan, planScan, scanBatches, scanRows, withPredicate, type PlannedScan, type ScanOffer } from './scan.js';
import type { ScopeSource } from './scope.js';
import type { DataType, ExecContext, Predicate, Row, ScanPlan, SqlValue, Table } from './table.js';
import { coerceToType, formatSqlValue, isNumericType } from './values.js';

export const LOOKUP_BATCH = 100;

export type FromTree =
  | { kind: 'table'; table: Table; source: ScopeSource; pos?: Position }
  | { kind: 'derived'; plan: QueryPlan; source: ScopeSource }
  | { kind: 'join'; type: JoinType; left: FromTree; right: FromTree; on: BoundExpr | undefined };

export interface Relation {
  rows(ctx: ExecContext): AsyncIterable<Row>;
  /**
   * A lone table that delivers batches: its rows before the scan's own test (`batchTest`),
   * undefined when not available for this run.
   */
  batches?(ctx: ExecContext): AsyncIterable<Row[]> | undefined;
  batchTest?: ((row: Row) => boolean) | undefined;
  explain(): string[];
  /** The single table's scan, when FROM is one table (ORDER BY / LIMIT were offered to it). */
  scan?: PlannedScan;
}

export interface RelationEnv {
  sql: string;
  /** Column names each table must deliver, by source. */
  neededColumns(source: ScopeSource): string[];
}

function sourcesOf(tree: FromTree): ScopeSource[] {
  return tree.kind === 'join' ? [...sourcesOf(tree.left), ...sourcesOf(tree.right)] : [tree.source];
}

function baseOf(tree: FromTree): number {
  return sourcesOf(tree)[0]!.offset;
}

function widthOf(tree: FromTree): number {
  return sourcesOf(tree).reduce((n, s) => n + s.columns.length, 0);
}

/** The [from, to) column range each conjunct reads, or undefined when it reads something else too (outer rows, subqueries). */
function columnRange(expr: BoundExpr): { min: number; max: number; local: boolean } {
  let min = Infinity;
  let max = -Infinity;
  let local = true;
  walk(expr, (e) => {
    if (e.kind === 'column') {
      min = Math.min(min, e.index);
      max = Math.max(max, e.index);
    } else if (e.kind === 'subquery' || e.kind === 'outer' || e.kind === 'aggregate') {
      local = false;
    }
  });
  return { min, max, local };
}

function within(expr: BoundExpr, tree: FromTree): boolean {
  const r = columnRange(expr);
  if (!r.local) return false;
  const base = baseOf(tree);
  return r.min >= base && r.max < base + widthOf(tree);
}

export function splitAnd(expr: BoundExpr | undefined): BoundExpr[] {
  if (!expr) return [];
  const out: BoundExpr[] = [];
  const stack = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'binary' && e.op === 'AND') stack.push(e.right, e.left);
    else out.push(e);
  }
  return out;
}

/** Plans `tree` with `conjuncts` (global layout) to apply; rows come out in the tree's local layout. */
export function planRelation(tree: FromTree, conjuncts: BoundExpr[], env: RelationEnv, offer?: ScanOffer): Relation {
  const base = baseOf(tree);
  const local = (e: BoundExpr): BoundExpr => shiftColumns(e, -base);
  if (tree.kind === 'table') {
    const scan = planScan(tree.table, conjuncts.map(local), env.neededColumns(tree.source), env.sql, { ...offer, ...(tree.pos ? { pos: tree.pos } : {}) });
    return {
      scan,
      batches: (ctx) => scanBatches(scan, ctx),
      batchTest: scan.test,
      rows: (ctx) => {
        const rows = scanRows(scan, ctx);
        return scan.test ? filterRows(rows, scan.test, ctx.signal) : rows;
      },
      explain: () => describeScan(scan),
    };
  }
  if (tree.kind === 'derived') {
    const test = combineTests(conjuncts.map((c) => compilePredicate(local(c))));
    const plan = tree.plan;
    return {
      rows: (ctx) => (test ? filterRows(plan.rows(ctx), test, ctx.signal) : plan.rows(ctx)),
      explain: () => [
        `Subquery ${tree.source.alias ?? tree.source.name}`,
        ...(conjuncts.length > 0 ? [`  filter: ${conjuncts.map(formatExpr).join(' AND ')}`] : []),
        ...plan.explain().map((l) => `  ${l}`),
      ],
    };
  }
  const reordered = reorderInnerJoins(tree, conjuncts, splitAnd);
  if (reordered) return planReordered(reordered, env);
  return planJoin(tree, conjuncts, env);
}

/** A run of inner joins planned in the order join-order.ts chose, rows put back in the written layout. */
function planReordered(reordered: ReorderedJoins, env: RelationEnv): Relation {
  const { permutation, originals } = reordered;
  const inner = planJoin(reordered.tree as Extract<FromTree, { kind: 'join' }>, reordered.conditions, {
    ...env,
    neededColumns: (source) => env.neededColumns(originals.get(source) ?? source),
  });
  const restore = (row: Row): Row => {
    const out = new Array<SqlValue>(permutation.length);
    for (let i = 0; i < permutation.length; i++) out[i] = row[permutation[i]!]!;
    return out;
  };
  return {
    rows: (ctx) => mapRows(inner.rows(ctx), restore),
    batches: (ctx) => {
      const batches = inner.batches?.(ctx);
      return batches && mapBatches(batches, inner.batchTest, restore);
    },
    explain: () => [`Join order ${reordered.order.join(', ')} (reordered: each table joins one it has a condition with)`, ...indent(inner.explain())],
  };
}

async function* mapRows(rows: AsyncIterable<Row>, map: (row: Row) => Row): AsyncGenerator<Row> {
  for await (const row of rows) yield map(row);
}

async function* mapBatches(batches: AsyncIterable<Row[]>, test: ((row: Row) => boolean) | undefined, map: (row: Row) => Row): AsyncGenerator<Row[]> {
  for await (const batch of batches) {
    const out: Row[] = [];
    for (const row of batch) if (!test || test(row)) out.push(map(row));
    yield out;
  }
}

function planJoin(tree: Extract<FromTree, { kind: 'join' }>, conjuncts: BoundExpr[], env: RelationEnv): Relation {
  const { type, left, right } = tree;
  const leftPush: BoundExpr[] = [];
  const rightPush: BoundExpr[] = [];
  const joinCondition: BoundExpr[] = [];
  const after: BoundExpr[] = [];
  const inner = type === 'INNER' || type === 'CROSS';
  const pool = inner ? [...conjuncts, ...splitAnd(tree.on)] : conjuncts;
  for (const c of pool) {
    if (within(c, left) && (inner || type === 'LEFT')) leftPush.push(c);
    else if (within(c, right) && (inner || type === 'RIGHT')) rightPush.push(c);
    else if (inner) joinCondition.push(c);
    else after.push(c);
  }
  if (!inner) {
    // ON of an outer join: conditions on the null-supplying side alone filter that side.
    for (const c of splitAnd(tree.on)) {
      if (type === 'LEFT' && within(c, right)) rightPush.push(c);
      else if (type === 'RIGHT' && within(c, left)) leftPush.push(c);
      else joinCondition.push(c);
    }
  }

  const base = baseOf(tree);
  const leftBase = baseOf(left);
  const rightBase = baseOf(right);
  const leftWidth = widthOf(left);
  const rightWidth = widthOf(right);
  const leftKeys: BoundExpr[] = [];
  const rightKeys: BoundExpr[] = [];
  const residual: BoundExpr[] = [];
  for (const c of joinCondition) {
    if (c.kind === 'binary' && c.op === '=' && hashable(c.left, c.right)) {
      if (within(c.left, left) && within(c.right, right) && hasColumn(c.left) && hasColumn(c.right)) {
        leftKeys.push(c.left);
        rightKeys.push(c.right);
        continue;
      }
      if (within(c.right, left) && within(c.left, right) && hasColumn(c.left) && hasColumn(c.right)) {
        leftKeys.push(c.right);
        rightKeys.push(c.left);
        continue;
      }
    }
    residual.push(c);
  }
  const conditionText = [...leftKeys.map((k, i) => `${formatExpr(k)} = ${formatExpr(rightKeys[i]!)}`), ...residual.map(formatExpr)].join(' AND ');
  const spec: JoinSpec = {
    type,
    leftWidth,
    rightWidth,
    leftKeys: leftKeys.map((k) => compileExpr(shiftColumns(k, -leftBase))),
    rightKeys: rightKeys.map((k) => compileExpr(shiftColumns(k, -rightBase))),
    condition: combineTests(residual.map((c) => compilePredicate(shiftColumns(c, -base)))),
  };
  const leftRelation = planRelation(left, leftPush, env);
  const afterTest = combineTests(after.map((c) => compilePredicate(shiftColumns(c, -base))));
  const afterText = after.length > 0 ? [`  filter: ${after.map(formatExpr).join(' AND ')}`] : [];

  const lookup = lookupPlan(right, rightPush, rightKeys, type, env, isSelective(leftRelation));
  if (lookup) {
    const { scan, column, columnIndex, op, perBatch } = lookup;
    const lookupMeter = newInstrument('Lookup Join');
    const cost = perBatch === undefined ? '' : `, about ${perBatch} request${perBatch === 1 ? '' : 's'} per batch`;
    const lookupSpec: JoinSpec = { ...spec, rightKeys: [(row) => row[columnIndex] ?? null] };
    let nextId = 1000;
    // One plan for the batch (IN), or one per key when the table takes only `=`.
    const fetchPlans = (keys: SqlValue[]): ScanPlan[] => {
      const values = keys.map((k) => coerceToType(k, column.type, 'compare')).filter((v): v is SqlValue => v !== undefined && v !== null);
      const predicates: Predicate[] =
        op === 'IN'
          ? [{ id: nextId++, column: column.name, op: 'IN', values, text: `${column.name} IN (${values.map(formatSqlValue).join(', ')})` }]
          : values.map((value) => ({ id: nextId++, column: column.name, op: '=', value, text: `${column.name} = ${formatSqlValue(value)}` }));
      return predicates.map((predicate) => scan.table.plan(withPredicate(scan.request, predicate)));
    };
    // For EXPLAIN: the table's own account of one fetch, with a stand-in key.
    const describePlan = (): ScanPlan => {
      const key = column.type === 'String' ? '<key>' : sampleValue(column.type, 0);
      const predicate: Predicate =
        op === 'IN'
          ? { id: 998, column: column.name, op: 'IN', values: [key], text: `${column.name} IN (${formatSqlValue(key)})` }
          : { id: 998, column: column.name, op: '=', value: key, text: `${column.name} = ${formatSqlValue(key)}` };
      return scan.table.plan(withPredicate(scan.request, predicate));
    };
    return {
      rows: (ctx) => {
        const fetchOne = (plan: ScanPlan): AsyncIterable<Row> => {
          const tests = combineTests([
            ...plan.residual.map((p) => compilePredicateOn(p, scan.table)),
            ...(scan.test ? [scan.test] : []),
          ]);
          const rows = scanRows(scan, ctx, plan);
          return tests ? filterRows(rows, tests, ctx.signal) : rows;
        };
        const fetch = async function* (keys: SqlValue[]): AsyncGenerator<Row> {
          for (const plan of fetchPlans(keys)) yield* fetchOne(plan);
        };
        const joined = lookupJoin(leftRelation.rows(ctx), fetch, lookupSpec, LOOKUP_BATCH, ctx.signal);
        const filtered = afterTest ? filterRows(joined, afterTest, ctx.signal) : joined;
        return analyzing.has(ctx) ? measured(filtered, lookupMeter) : filtered;
      },
      explain: () => [
        withActuals(op === 'IN'
          ? `Lookup Join ${type} ON ${conditionText} (fetches ${scan.table.name} by ${column.name} IN (batch of up to ${LOOKUP_BATCH} keys)${cost})`
          : `Lookup Join ${type} ON ${conditionText} (fetches ${scan.table.name} by ${column.name} = key, once per distinct key${cost})`, lookupMeter),
        ...afterText,
        ...indent(leftRelation.explain()),
        ...indent(describeScan(scan, describePlan()).map((l, i) => (i === 0 ? `${l} (per ${op === 'IN' ? `batch: ${column.name} IN (…)` : `key: ${column.name} = …`})` : l))),
      ],
    };
  }

  const rightRelation = planRelation(right, rightPush, env);
  const method = leftKeys.length > 0 ? 'Hash Join' : 'Nested Loop Join';
  const meter = newInstrument(method);
  return {
    batches: (ctx) => {
      const leftBatches = leftRelation.batches?.(ctx);
      if (!leftBatches) return undefined;
      const rightBatches = rightRelation.batches?.(ctx);
      const rightRows = materialize(rightBatches ? undefined : rightRelation.rows(ctx), rightBatches, rightRelation.batchTest);
      return hashJoinBatches(leftBatches, leftRelation.batchTest, rightRows, spec, afterTest, ctx.signal);
    },
    rows: (ctx) => {
      const joined = hashJoin(leftRelation.rows(ctx), rightRelation.rows(ctx), spec, ctx.signal);
      const filtered = afterTest ? filterRows(joined, afterTest, ctx.signal) : joined;
      return analyzing.has(ctx) ? measured(filtered, meter) : filtered;
    },
    explain: () => [
      withActuals(`${method} ${type === 'CROSS' && conditionText ? 'INNER' : type}${conditionText ? ` ON ${conditionText}` : ''}`, meter),
      ...afterText,
      ...indent(leftRelation.explain()),
      ...indent(rightRelation.explain()),
    ],
  };
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}

function hasColumn(expr: BoundExpr): boolean {
  return columnRange(expr).min !== Infinity;
}

/** Equal static kinds hash alike; mixed kinds (number vs text) need the comparison's coercion. */
function hashable(a: BoundExpr, b: BoundExpr): boolean {
  const kind = (t: BoundExpr['type']): string => (t === null ? '?' : isNumericType(t) ? 'number' : t);
  return kind(a.type) === kind(b.type) && a.type !== null;
}

function compilePredicateOn(predicate: Predicate, table: Table): (row: Row) => boolean {
  const index = table.columns.findIndex((c) => c.name.toLowerCase() === predicate.column.toLowerCase());
  return compileScanPredicate(predicate, index);
}

/**
 * A lookup join is possible when the inner side is one table joined on one of its columns, and
 * the table pushes `column IN (…)` for it; it is chosen unless a full scan is known to cost no
 * more requests than a single batch.
 */
function lookupPlan(
  right: FromTree,
  rightPush: BoundExpr[],
  rightKeys: BoundExpr[],
  type: JoinType,
  env: RelationEnv,
  outerSelective: boolean,
): { scan: PlannedScan; column: { name: string; type: DataType }; columnIndex: number; op: 'IN' | '='; perBatch?: number } | undefined {
  if (right.kind !== 'table' || rightKeys.length !== 1 || (type !== 'INNER' && type !== 'LEFT')) return undefined;
  const key = rightKeys[0]!;
  if (key.kind !== 'column') return undefined;
  const columnIndex = key.index - right.source.offset;
  const column = right.table.columns[columnIndex]!;
  const rightBase = right.source.offset;
  const scan = planScan(right.table, rightPush.map((c) => shiftColumns(c, -rightBase)), neededWith(env.neededColumns(right.source), column.name), env.sql);
  if (scan.emptyReason !== undefined || !scan.plan) return undefined;
  // Probed with a full batch of stand-in keys, so the estimate reflects a real batch.
  const samples = Array.from({ length: LOOKUP_BATCH }, (_, i) => sampleValue(column.type, i));
  const probeIn = right.table.plan(
    withPredicate(scan.request, { id: 999, column: column.name, op: 'IN', values: samples, text: `${column.name} IN (…)` }),
  );
  const sample = samples[0]!;
  let op: 'IN' | '=' = 'IN';
  let probe = probeIn;
  if (!probeIn.pushed.some((p) => p.id === 999)) {
    probe = right.table.plan(withPredicate(scan.request, { id: 999, column: column.name, op: '=', value: sample, text: `${column.name} = ${formatSqlValue(sample)}` }));
    if (!probe.pushed.some((p) => p.id === 999)) return undefined;
    op = '=';
  }
  const full = scan.plan.estimatedRequests;
  const perBatch = probe.estimatedRequests === undefined ? undefined : probe.estimatedRequests * (op === 'IN' ? 1 : LOOKUP_BATCH);
  if (full !== undefined && (full === 0 || (perBatch !== undefined && full <= perBatch))) return undefined;
  // Outer rows without a bound: fetching the inner side a key at a time (a retrieve per Id, a
  // list per customer) would cost a request per distinct key, where reading it once does not.
  if (!outerSelective && (perBatch === undefined || perBatch > 1)) return undefined;
  return { scan, column, columnIndex, op, ...(perBatch !== undefined ? { perBatch } : {}) };
}

/**
 * Whether the outer side of a join is known to be small: an in-memory table or a single read, a
 * pushed equality or IN (a customer, an email), or a pushed LIMIT. Anything but a lone table
 * counts as small, as before this check existed (nothing better is known about it).
 */
function isSelective(relation: Relation): boolean {
  const scan = relation.scan;
  if (!scan || scan.emptyReason !== undefined || !scan.plan) return true;
  const plan = scan.plan;
  if (plan.estimatedRequests !== undefined && plan.estimatedRequests <= 1) return true;
  return plan.limitApplied || plan.pushed.some((p) => p.op === '=' || p.op === 'IN');
}

function neededWith(columns: string[], name: string): string[] {
  return columns.some((c) => c.toLowerCase() === name.toLowerCase()) ? columns : [...columns, name];
}

function sampleValue(type: DataType, i: number): SqlValue {
  switch (type) {
    case 'String':
      return `key_${i}`;
    case 'Boolean':
      return i % 2 === 0;
    case 'Datetime':
      return new Date(i * 1000);
    default:
      return i + 1;
  }
}
