// Lowering of the FROM part of a plan: scans, derived tables and joins become one stream of
// batches, each row laid out from the subtree's first source on.

import { shiftColumns, type BoundExpr } from '../bound.js';
import { compileExpr, compilePredicate } from '../expressions.js';
import { analyzing, measured, type Instrument } from '../instrument.js';
import { mapBatches, type Batches, type RowTest } from '../operators/batches.js';
import type { RowFold } from '../operators/aggregate.js';
import { columnBatches, columnScanOf, type ColumnScan } from '../operators/column-scan.js';
import { hashJoinBatches, hashJoinInto, LOOKUP_SCANS_IN_FLIGHT, lookupJoinBatches, materialize, readConcurrently, type JoinSpec } from '../operators/join.js';
import { compileScanPredicate } from '../predicates.js';
import { combineTests, scanBatches, withKeys, type PlannedScan } from '../scan.js';
import type { ExecContext, Predicate, Row, ScanPlan, SqlValue, Table } from '../table.js';
import { coerceToType } from '../values.js';
import { LOOKUP_BATCH } from '../rules/join-method.js';
import { baseOf, widthOf } from './layout.js';
import type { Meters } from './meters.js';
import type { JoinNode, PlanNode, ProjectNode } from './nodes.js';

export interface Relation {
  /** The subtree's rows, in batches, before `test`. */
  batches(ctx: ExecContext): Batches;
  /** Rows failing it are not part of the relation: left to the consumer to fuse into its own loop. */
  test?: RowTest | undefined;
  /** The lone table's planned scan, when FROM is one table. */
  scan?: PlannedScan;
  /**
   * The same rows (before `test`) pushed one at a time into a callback that must be done with
   * each before it returns: the row may be an array reused for the next one. A consumer that
   * keeps no rows (an aggregate) reads a join this way without a joined row built per match.
   */
  fold?(ctx: ExecContext): RowFold;
  /** The lone table's scan on its column vectors, when its table offers them (an ORDER BY … LIMIT reads its key there). */
  columns?: ColumnScan;
}

export interface FromOptions {
  /**
   * The consumer may stop after a few rows (a LIMIT with nothing that reads every row first),
   * so the scans on the outer spine hand on a row per batch and read nothing ahead.
   */
  rowAtATime?: boolean;
  /**
   * Joined rows may carry only the columns projection pruning kept (the rest NULL). Not when a
   * subquery reads the row: pruning does not see what a correlated subquery reads.
   */
  narrowJoins?: boolean;
}

export function lowerFrom(node: PlanNode, meters: Meters, options: FromOptions = {}): Relation {
  const rowAtATime = options.rowAtATime ?? false;
  switch (node.kind) {
    case 'Scan': {
      const scan = node.planned!;
      // A table that offers its columns as vectors is filtered on them (column-scan.ts), unless
      // the consumer may stop after a few rows, which must then be read one at a time.
      const columns = rowAtATime ? undefined : columnScanOf(scan);
      if (columns?.filtersOnVectors) return { scan, columns, batches: (ctx) => columnBatches(columns, ctx) };
      return { scan, ...(columns ? { columns } : {}), batches: (ctx) => scanBatches(scan, ctx, scan.plan, rowAtATime), test: scan.test };
    }
    case 'SubqueryScan': {
      const base = node.source.offset;
      const test = combineTests(node.conjuncts.map((c) => compilePredicate(shiftColumns(c, -base))));
      const plan = node.plan;
      return { batches: (ctx) => plan.batches(ctx), test };
    }
    case 'Join':
      return node.method?.kind === 'lookup' ? lowerLookupJoin(node, meters, options) : lowerJoin(node, meters, options);
    case 'Project':
      return lowerPermutation(node, meters, options);
    case 'Filter': {
      const inner = lowerFrom(node.input, meters, options);
      const base = baseOf(node.input);
      const test = combineTests([inner.test, ...node.conjuncts.map((c) => compilePredicate(shiftColumns(c, -base)))].filter((t) => t !== undefined));
      return { batches: inner.batches, test };
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

/** The positions of the subtree's rows the query reads (projection pruning's columns); undefined when unknown. */
function readsOf(node: PlanNode): number[] | undefined {
  const base = baseOf(node);
  const reads: number[] = [];
  const visit = (n: PlanNode): boolean => {
    switch (n.kind) {
      case 'Scan': {
        if (!n.columns) return false;
        const names = new Set(n.columns);
        n.source.columns.forEach((c, i) => {
          if (names.has(c.name)) reads.push(n.source.offset + i - base);
        });
        return true;
      }
      case 'Join':
        return visit(n.left) && visit(n.right);
      case 'Project':
      case 'Filter':
        return visit(n.input);
      default:
        return false;
    }
  };
  return visit(node) ? reads.sort((a, b) => a - b) : undefined;
}

function afterTest(node: JoinNode): ((row: Row) => boolean) | undefined {
  const base = baseOf(node);
  return combineTests(node.after.map((c) => compilePredicate(shiftColumns(c, -base))));
}

function lowerJoin(node: JoinNode, meters: Meters, options: FromOptions): Relation {
  const method = node.method!;
  const spec = {
    ...(method.kind === 'hash' ? joinSpec(node, method.leftKeys, method.rightKeys, method.residual) : joinSpec(node, [], [], method.residual)),
    ...(options.narrowJoins ? { leftReads: readsOf(node.left), rightReads: readsOf(node.right) } : {}),
  };
  const left = lowerFrom(node.left, meters, options);
  const right = lowerFrom(node.right, meters, { ...options, rowAtATime: false });
  const meter = meters.of(node, method.kind === 'hash' ? 'Hash Join' : 'Nested Loop Join');
  const after = afterTest(node);
  const build = (ctx: ExecContext) => (): Promise<Row[]> => materialize(right.batches(ctx), right.test, ctx);
  return {
    batches: (ctx) => metered(hashJoinBatches(left.batches(ctx), left.test, build(ctx), spec, ctx.signal), after, meter, ctx),
    fold: (ctx) => (sink) => hashJoinInto(left.batches(ctx), left.test, build(ctx), spec, sink, ctx.signal),
    test: after,
  };
}

function lowerLookupJoin(node: JoinNode, meters: Meters, options: FromOptions): Relation {
  const method = node.method as Extract<NonNullable<JoinNode['method']>, { kind: 'lookup' }>;
  const { inner: scan, column, columnIndex, op } = method;
  const spec: JoinSpec = {
    ...joinSpec(node, [method.leftKey], [method.rightKey], method.residual),
    rightKeys: [(row) => row[columnIndex] ?? null],
    ...(options.narrowJoins ? { leftReads: readsOf(node.left), rightReads: readsOf(node.right) } : {}),
  };
  const left = lowerFrom(node.left, meters, options);
  const meter = meters.of(node, 'Lookup Join');
  const after = afterTest(node);
  // One plan for the batch (IN), or one per key when the table takes only `=`.
  const fetchPlans = (keys: SqlValue[]): ScanPlan[] => {
    const values = keys.map((k) => coerceToType(k, column.type, 'compare')).filter((v): v is SqlValue => v !== undefined && v !== null);
    const requests = op === 'IN' ? [withKeys(scan.request, column.name, 'IN', values)] : values.map((value) => withKeys(scan.request, column.name, '=', [value]));
    return requests.map((request) => scan.table.plan(request));
  };
  return {
    batches: (ctx) => {
      const fetchOne = (plan: ScanPlan, scanCtx: ExecContext): Batches => {
        const test = combineTests([...plan.residual.map((p) => compilePredicateOn(p, scan.table)), ...(scan.test ? [scan.test] : [])]);
        return mapBatches(scanBatches(scan, scanCtx, plan), test, undefined, scanCtx.signal);
      };
      const fetch = (keys: SqlValue[]): Batches => {
        const plans = fetchPlans(keys);
        if (plans.length === 1) return fetchOne(plans[0]!, ctx);
        // One scan per key (`=`): several at once.
        return readConcurrently(plans.map((plan) => (signal: AbortSignal) => fetchOne(plan, { ...ctx, signal })), LOOKUP_SCANS_IN_FLIGHT, ctx.signal);
      };
      return metered(lookupJoinBatches(left.batches(ctx), left.test, fetch, spec, LOOKUP_BATCH, ctx), after, meter, ctx);
    },
    test: after,
  };
}

/**
 * A join's output, counted under EXPLAIN ANALYZE: the rows that pass its `after` test (applied
 * here too, so the count is the join's; the consumer applies the test again, as always).
 */
function metered(joined: Batches, after: RowTest | undefined, meter: Instrument, ctx: ExecContext): Batches {
  return analyzing.has(ctx) ? measured(mapBatches(joined, after, undefined, ctx.signal), meter) : joined;
}

function compilePredicateOn(predicate: Predicate, table: Table): (row: Row) => boolean {
  const index = table.columns.findIndex((c) => c.name.toLowerCase() === predicate.column.toLowerCase());
  return compileScanPredicate(predicate, index);
}

/** A reordered join run: each row put back in the written layout. */
function lowerPermutation(node: ProjectNode, meters: Meters, options: FromOptions): Relation {
  const inner = lowerFrom(node.input, meters, options);
  const base = baseOf(node.input);
  const permutation = node.exprs.map((e) => (e.kind === 'column' ? e.index - base : -1));
  const restore = (row: Row): Row => {
    const out = new Array<SqlValue>(permutation.length);
    for (let i = 0; i < permutation.length; i++) out[i] = row[permutation[i]!]!;
    return out;
  };
  const innerFold = inner.fold;
  const fold = innerFold
    ? (ctx: ExecContext): RowFold =>
        (sink) => {
          // Each row put back into one reused row, as the inner rows come.
          const out = new Array<SqlValue>(permutation.length).fill(null);
          const test = inner.test;
          return innerFold(ctx)((row) => {
            if (test && !test(row)) return;
            for (let i = 0; i < permutation.length; i++) out[i] = row[permutation[i]!]!;
            sink(out);
          });
        }
    : undefined;
  return { batches: (ctx) => mapBatches(inner.batches(ctx), inner.test, restore, ctx.signal), ...(fold ? { fold } : {}) };
}
