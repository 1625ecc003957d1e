// Lowering of a SELECT plan (see select-parts.ts for its shape) to one pipeline of operators over
// batches. A filter is not an operator of its own: its test is handed up and fused into the
// loop of the next operator that reads the rows (the aggregate, the projection).

import { compileExpr, compilePredicate, type Evaluator } from '../expressions.js';
import { analyzing, measured, type Instrument } from '../instrument.js';
import { aggregateBatches, aggregateFold } from '../operators/aggregate.js';
import { mapBatches, noBatches, trimBatches, type Batches, type RowTest } from '../operators/batches.js';
import { distinctBatches, firstOfEach } from '../operators/distinct.js';
import { limitBatches } from '../operators/limit.js';
import { stageBatches } from '../operators/project.js';
import { sortBatches, topBatches, type SortKey } from '../operators/sort.js';
import { sortOfColumns } from '../operators/column-sort.js';
import { topOfColumns } from '../operators/column-top.js';
import { baseOf } from './layout.js';
import { combineTests } from '../scan.js';
import { findSubqueries, subqueryPreparer } from '../subqueries.js';
import type { ExecContext, Row } from '../table.js';
import { lowerFrom } from './lower-from.js';
import type { Meters } from './meters.js';
import { isUnary, type PlanNode } from './nodes.js';
import type { BoundExpr } from '../bound.js';
import { selectParts } from './select-parts.js';
import { expandSets, returnsSet } from '../value-sets.js';

export function lowerSelect(root: PlanNode, sql: string, meters: Meters): (ctx: ExecContext) => Batches {
  const parts = selectParts(root);
  const { limit: limitNode, distinct, sort, project, having, window, aggregate, where } = parts;
  // A LIMIT over rows streamed as they come (no sort, grouping or window reads them all first).
  const stopsEarly = parts.limit?.limit !== undefined && !parts.sort && !parts.aggregate && !parts.window;
  const narrowJoins = !readsSubqueries(root);
  const relation = parts.from.kind === 'SingleRow' ? undefined : lowerFrom(parts.from, meters, { rowAtATime: stopsEarly, narrowJoins });
  const emptyReason = relation?.scan?.emptyReason;
  const aggregated = aggregate !== undefined;
  const groupCount = aggregate?.keys.length ?? 0;
  const limit = limitNode?.limit;
  const offset = limitNode?.offset ?? 0;
  const sortNeeded = sort !== undefined;
  const whereConjuncts = where?.conjuncts ?? [];
  const whereTest = combineTests(whereConjuncts.map(compilePredicate));
  const wherePrepare = subqueryPreparer(whereConjuncts, sql);
  const projections: Evaluator[] = project.exprs.map(compileExpr);
  const expandsSets = project.exprs.some(returnsSet);
  const projectPrepare = subqueryPreparer([...project.exprs, ...(having?.conjuncts ?? [])], sql);
  const aggregateSpecs = (aggregate?.aggregates ?? []).map((a) => ({ fn: a.fn, arg: a.arg ? compileExpr(a.arg) : null, distinct: a.distinct }));
  const keyEvaluators = (aggregate?.keys ?? []).map(compileExpr);
  const havingTest = having ? combineTests(having.conjuncts.map(compilePredicate)) : undefined;
  const width = project.visible;
  const sorter: SortKey[] = (sort?.keys ?? []).map((k) => ({ index: k.index, descending: k.descending, nullsFirst: k.nullsFirst }));
  const keep = sort?.keep;
  const hasWindows = window !== undefined;
  // ORDER BY over plain columns: the sort can read its keys before projecting (topBatches).
  const plainOutputs = project.exprs.every((e) => e.kind === 'column' || e.kind === 'const');
  const topN = keep !== undefined && plainOutputs;
  // The table column the first key reads, for a sort on column vectors (column-top.ts, column-sort.ts).
  const firstKey = sorter.length > 0 ? project.exprs[sorter[0]!.index] : undefined;
  const sortKeyColumn = relation?.columns && firstKey?.kind === 'column' ? firstKey.index - baseOf(parts.from) : undefined;
  // The whole sort on vectors: the rows are projected once sorted, so only where projecting cannot fail.
  const fullSortOnColumns = sortNeeded && keep === undefined && plainOutputs && sortKeyColumn !== undefined;
  const keyColumns = sorter.map((k) => {
    const expr = project.exprs[k.index]!;
    return relation?.columns && expr.kind === 'column' ? expr.index - baseOf(parts.from) : undefined;
  });
  const meter = {
    limit: limitNode && meters.of(limitNode),
    distinct: distinct && meters.of(distinct),
    sort: sort && meters.of(sort),
    aggregate: aggregate && meters.of(aggregate),
    window: window && meters.of(window),
    filter: meters.of(project, 'Filter'),
  };

  return (ctx) => {
    const analyze = analyzing.has(ctx);
    const signal = ctx.signal;
    const measure = (input: Batches, instrument: Instrument | undefined): Batches => (analyze && instrument ? measured(input, instrument) : input);
    if (relation && emptyReason !== undefined && !(aggregated && groupCount === 0)) return noBatches();
    // A join under the aggregate pushes its matches through one reused row instead of building
    // a row per match: not under EXPLAIN ANALYZE (which counts the join's rows), nor when a
    // subquery might read the row.
    const fold = aggregated && narrowJoins && !wherePrepare && !analyze && emptyReason === undefined ? relation?.fold?.(ctx) : undefined;
    let stream: Batches;
    // Rows failing `test` are still in `stream`: the next operator drops them in its own loop.
    let test: RowTest | undefined;
    if (!relation) stream = singleEmptyRow();
    else if (emptyReason !== undefined) stream = noBatches();
    else {
      stream = fold ? noBatches() : relation.batches(ctx);
      test = relation.test;
    }
    const prepare = projectPrepare?.(ctx);
    const prepareWhere = wherePrepare?.(ctx);
    if (prepareWhere) {
      stream = stageBatches(stream, { test, prepare: prepareWhere, check: whereTest }, signal);
      test = undefined;
    } else {
      test = both(test, whereTest);
    }
    if (fold) {
      stream = aggregateFold(fold, aggregateSpecs, keyEvaluators, test, ctx);
      test = undefined;
    } else if (aggregated) {
      stream = measure(aggregateBatches(stream, aggregateSpecs, keyEvaluators, test, ctx), meter.aggregate);
      test = undefined;
    }
    // Whether the operator below already ordered the rows (a sort that reads its keys first).
    let sorted = false;
    // The lone table's vectors, when it offers them (operators/column-scan.ts).
    const columns = relation?.columns;
    if (hasWindows) {
      // The window functions read the rows HAVING keeps (or WHERE, without grouping).
      const kept = both(test, aggregated ? havingTest : undefined);
      stream = measure(window.windows.apply!(kept ? mapBatches(stream, kept, undefined, signal) : stream, window.base), meter.window);
      stream = stageBatches(stream, { prepare, outputs: projections }, signal);
    } else if (aggregated) {
      stream = stageBatches(stream, { prepare, check: havingTest, outputs: projections }, signal);
    } else if (topN && columns && !prepare && !analyze && !prepareWhere) {
      stream = topOfColumns(columns, whereTest, projections, sorter, keep!, sortKeyColumn, ctx);
      sorted = true;
    } else if (fullSortOnColumns && columns && !prepare && !analyze && !prepareWhere) {
      stream = sortOfColumns(columns, whereTest, projections, sorter, keyColumns, ctx);
      sorted = true;
    } else if (topN && !prepare && !analyze) {
      stream = topBatches(stream, test, projections, sorter, keep!, ctx);
      sorted = true;
    } else {
      stream = measure(stageBatches(stream, { test, prepare, outputs: projections }, signal), meter.filter);
    }
    if (expandsSets) stream = expandSets(stream, signal);
    if (sortNeeded && !sorted) stream = measure(sortBatches(stream, sorter, keep, ctx), meter.sort);
    if (distinct?.on) stream = measure(firstOfEach(stream, distinct.on, signal), meter.distinct);
    else if (distinct) stream = measure(distinctBatches(stream, width, ctx), meter.distinct);
    if (limit !== undefined || offset > 0) stream = measure(limitBatches(stream, limit, offset, signal), meter.limit);
    if (projections.length > width) stream = trimBatches(stream, width, signal);
    return stream;
  };
}

/** Whether an expression anywhere in the plan runs a subquery (which may read the FROM row). */
function readsSubqueries(node: PlanNode): boolean {
  const exprs: BoundExpr[] = [];
  const visit = (n: PlanNode): void => {
    switch (n.kind) {
      case 'Scan':
      case 'SubqueryScan':
        exprs.push(...n.conjuncts);
        return;
      case 'Join':
        exprs.push(...n.condition, ...n.after);
        visit(n.left);
        visit(n.right);
        return;
      case 'Filter':
        exprs.push(...n.conjuncts);
        break;
      case 'Project':
        exprs.push(...n.exprs);
        break;
      case 'Aggregate':
        exprs.push(...n.keys, ...n.aggregates.flatMap((a) => (a.arg ? [a.arg] : [])));
        break;
      case 'Window':
        exprs.push(...n.windows.calls.flatMap((c) => [...(c.argExpr ? [c.argExpr] : []), ...c.partitionExprs, ...c.orderExprs]));
        break;
      default:
        break;
    }
    if (isUnary(n)) visit(n.input);
  };
  visit(node);
  return findSubqueries(exprs).length > 0;
}

function both(a: RowTest | undefined, b: RowTest | undefined): RowTest | undefined {
  return a && b ? (row) => a(row) && b(row) : (a ?? b);
}

async function* singleEmptyRow(): AsyncGenerator<Row[]> {
  yield [[]];
}
