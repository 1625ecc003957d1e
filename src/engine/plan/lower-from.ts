// Lowering of the FROM part of a plan: scans, derived tables and joins become one stream of
// rows (or batches), each row laid out from the subtree's first source on.

import { shiftColumns, type BoundExpr } from '../bound.js';
import { compileExpr, compilePredicate } from '../expressions.js';
import { analyzing, measured } from '../instrument.js';
import { filterRows } from '../operators/filter.js';
import { hashJoin, hashJoinBatches, lookupJoin, materialize, type JoinSpec } from '../operators/join.js';
import { compileScanPredicate } from '../predicates.js';
import { combineTests, scanBatches, scanRows, withPredicate, type PlannedScan } from '../scan.js';
import type { ExecContext, Predicate, Row, ScanPlan, SqlValue, Table } from '../table.js';
import { coerceToType, formatSqlValue } from '../values.js';
import { LOOKUP_BATCH } from '../rules/join-method.js';
import { baseOf, widthOf } from './layout.js';
import type { Meters } from './meters.js';
import type { JoinNode, PlanNode, ProjectNode } from './nodes.js';

export interface Relation {
  rows(ctx: ExecContext): AsyncIterable<Row>;
  /** Batches of rows before `batchTest`, when the whole subtree can deliver them; undefined otherwise. */
  batches?(ctx: ExecContext): AsyncIterable<Row[]> | undefined;
  batchTest?: ((row: Row) => boolean) | undefined;
  /** The lone table's planned scan, when FROM is one table. */
  scan?: PlannedScan;
}

export function lowerFrom(node: PlanNode, meters: Meters): Relation {
  switch (node.kind) {
    case 'Scan': {
      const scan = node.planned!;
      return {
        scan,
        batches: (ctx) => scanBatches(scan, ctx),
        batchTest: scan.test,
        rows: (ctx) => {
          const rows = scanRows(scan, ctx);
          return scan.test ? filterRows(rows, scan.test, ctx.signal) : rows;
        },
      };
    }
    case 'SubqueryScan': {
      const base = node.source.offset;
      const test = combineTests(node.conjuncts.map((c) => compilePredicate(shiftColumns(c, -base))));
      const plan = node.plan;
      return { rows: (ctx) => (test ? filterRows(plan.rows(ctx), test, ctx.signal) : plan.rows(ctx)) };
    }
    case 'Join':
      return node.method?.kind === 'lookup' ? lowerLookupJoin(node, meters) : lowerJoin(node, meters);
    case 'Project':
      return lowerPermutation(node, meters);
    case 'Filter': {
      const inner = lowerFrom(node.input, meters);
      const base = baseOf(node.input);
      const test = combineTests(node.conjuncts.map((c) => compilePredicate(shiftColumns(c, -base))));
      return test ? { rows: (ctx) => filterRows(inner.rows(ctx), test, ctx.signal) } : inner;
    }
    default:
      throw new Error(`${node.kind} cannot be lowered as part of FROM`);
  }
}

function joinSpec(node: JoinNode, leftKeys: readonly BoundExpr[], rightKeys: readonly BoundExpr[], residual: readonly BoundExpr[]): JoinSpec {
  const base = baseOf(node);
  const leftBase = baseOf(node.left);
  const rightBase = baseOf(node.right);
  return {
    type: node.type,
    leftWidth: widthOf(node.left),
    rightWidth: widthOf(node.right),
    leftKeys: leftKeys.map((k) => compileExpr(shiftColumns(k, -leftBase))),
    rightKeys: rightKeys.map((k) => compileExpr(shiftColumns(k, -rightBase))),
    condition: combineTests(residual.map((c) => compilePredicate(shiftColumns(c, -base)))),
  };
}

function afterTest(node: JoinNode): ((row: Row) => boolean) | undefined {
  const base = baseOf(node);
  return combineTests(node.after.map((c) => compilePredicate(shiftColumns(c, -base))));
}

function lowerJoin(node: JoinNode, meters: Meters): Relation {
  const method = node.method!;
  const spec = method.kind === 'hash' ? joinSpec(node, method.leftKeys, method.rightKeys, method.residual) : joinSpec(node, [], [], method.residual);
  const left = lowerFrom(node.left, meters);
  const right = lowerFrom(node.right, meters);
  const after = afterTest(node);
  const meter = meters.of(node, method.kind === 'hash' ? 'Hash Join' : 'Nested Loop Join');
  return {
    batches: (ctx) => {
      const leftBatches = left.batches?.(ctx);
      if (!leftBatches) return undefined;
      const rightBatches = right.batches?.(ctx);
      const rightRows = materialize(rightBatches ? undefined : right.rows(ctx), rightBatches, right.batchTest, ctx);
      return hashJoinBatches(leftBatches, left.batchTest, rightRows, spec, after, ctx.signal);
    },
    rows: (ctx) => {
      const joined = hashJoin(left.rows(ctx), right.rows(ctx), spec, ctx.signal, ctx);
      const filtered = after ? filterRows(joined, after, ctx.signal) : joined;
      return analyzing.has(ctx) ? measured(filtered, meter) : filtered;
    },
  };
}

function lowerLookupJoin(node: JoinNode, meters: Meters): Relation {
  const method = node.method as Extract<NonNullable<JoinNode['method']>, { kind: 'lookup' }>;
  const { inner: scan, column, columnIndex, op } = method;
  const spec: JoinSpec = { ...joinSpec(node, [method.leftKey], [method.rightKey], method.residual), rightKeys: [(row) => row[columnIndex] ?? null] };
  const left = lowerFrom(node.left, meters);
  const after = afterTest(node);
  const meter = meters.of(node, 'Lookup Join');
  let nextId = 1;
  // One plan for the batch (IN), or one per key when the table takes only `=`.
  const fetchPlans = (keys: SqlValue[]): ScanPlan[] => {
    const values = keys.map((k) => coerceToType(k, column.type, 'compare')).filter((v): v is SqlValue => v !== undefined && v !== null);
    const predicates: Predicate[] =
      op === 'IN'
        ? [{ id: -nextId++, column: column.name, op: 'IN', values, text: `${column.name} IN (${values.map(formatSqlValue).join(', ')})` }]
        : values.map((value) => ({ id: -nextId++, column: column.name, op: '=', value, text: `${column.name} = ${formatSqlValue(value)}` }));
    return predicates.map((predicate) => scan.table.plan(withPredicate(scan.request, predicate)));
  };
  return {
    rows: (ctx) => {
      const fetchOne = (plan: ScanPlan): AsyncIterable<Row> => {
        const tests = combineTests([...plan.residual.map((p) => compilePredicateOn(p, scan.table)), ...(scan.test ? [scan.test] : [])]);
        const rows = scanRows(scan, ctx, plan);
        return tests ? filterRows(rows, tests, ctx.signal) : rows;
      };
      const fetch = async function* (keys: SqlValue[]): AsyncGenerator<Row> {
        for (const plan of fetchPlans(keys)) yield* fetchOne(plan);
      };
      const joined = lookupJoin(left.rows(ctx), fetch, spec, LOOKUP_BATCH, ctx.signal);
      const filtered = after ? filterRows(joined, after, ctx.signal) : joined;
      return analyzing.has(ctx) ? measured(filtered, meter) : filtered;
    },
  };
}

function compilePredicateOn(predicate: Predicate, table: Table): (row: Row) => boolean {
  const index = table.columns.findIndex((c) => c.name.toLowerCase() === predicate.column.toLowerCase());
  return compileScanPredicate(predicate, index);
}

/** A reordered join run: each row put back in the written layout. */
function lowerPermutation(node: ProjectNode, meters: Meters): Relation {
  const inner = lowerFrom(node.input, meters);
  const base = baseOf(node.input);
  const permutation = node.exprs.map((e) => (e.kind === 'column' ? e.index - base : -1));
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
