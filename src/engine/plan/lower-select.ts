// Lowering of a SELECT plan (see select-parts.ts for its shape) to one pipeline of operators.
// The fast path reads a lone table (or a join of them) in batches and fuses WHERE into the first
// operator, because every async hop costs per row; other shapes run row by row.

import { compileExpr, compilePredicate, type Evaluator } from '../expressions.js';
import { analyzing, measured, type Instrument } from '../instrument.js';
import { aggregateBatches, aggregateRows } from '../operators/aggregate.js';
import { distinctBatches, distinctRows } from '../operators/distinct.js';
import { filterRows } from '../operators/filter.js';
import { limitRows } from '../operators/limit.js';
import { projectBatch, projectBatches, projectRows } from '../operators/project.js';
import { sortBatches, sortRows, type SortKey } from '../operators/sort.js';
import { combineTests } from '../scan.js';
import { distinctKey } from '../values.js';
import { prepareRows, subqueryPreparer } from '../subqueries.js';
import type { ExecContext, Row } from '../table.js';
import { lowerFrom } from './lower-from.js';
import type { Meters } from './meters.js';
import type { PlanNode } from './nodes.js';
import { selectParts } from './select-parts.js';

export function lowerSelect(root: PlanNode, sql: string, meters: Meters): (ctx: ExecContext) => AsyncIterable<Row> {
  const parts = selectParts(root);
  const { limit: limitNode, distinct, sort, project, having, window, aggregate, where } = parts;
  const relation = parts.from.kind === 'SingleRow' ? undefined : lowerFrom(parts.from, meters);
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
  const projectPrepare = subqueryPreparer([...project.exprs, ...(having?.conjuncts ?? [])], sql);
  const aggregateSpecs = (aggregate?.aggregates ?? []).map((a) => ({ fn: a.fn, arg: a.arg ? compileExpr(a.arg) : null, distinct: a.distinct }));
  const keyEvaluators = (aggregate?.keys ?? []).map(compileExpr);
  const havingTest = having ? combineTests(having.conjuncts.map(compilePredicate)) : undefined;
  const width = project.visible;
  const sorter: SortKey[] = (sort?.keys ?? []).map((k) => ({ index: k.index, descending: k.descending, nullsFirst: k.nullsFirst }));
  const keep = sort?.keep;
  const hasWindows = window !== undefined;
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
    const measure = (input: AsyncIterable<Row>, instrument: Instrument | undefined): AsyncIterable<Row> => (analyze && instrument ? measured(input, instrument) : input);
    if (relation && emptyReason !== undefined && !(aggregated && groupCount === 0)) return emptyStream();
    const prepare = projectPrepare?.(ctx);
    const batches =
      relation?.batches && emptyReason === undefined && !wherePrepare && !prepare && !hasWindows && (aggregated || limit === undefined || sortNeeded)
        ? relation.batches(ctx)
        : undefined;
    let stream: AsyncIterable<Row>;
    let sortedInBatches = false;
    let distinctInBatches = false;
    if (batches) stream = emptyStream();
    else if (relation) stream = emptyReason !== undefined ? emptyStream() : relation.rows(ctx);
    else stream = singleEmptyRow();
    if (batches) {
      const test = combineTests([relation!.batchTest, whereTest].filter((t): t is (row: Row) => boolean => t !== undefined));
      if (aggregated) {
        stream = aggregateBatches(batches, aggregateSpecs, keyEvaluators, test, ctx);
        stream = projectRows(stream, projections, havingTest, ctx.signal);
      } else if (distinct && !distinct.on) {
        stream = measure(distinctBatches(batches, (batch) => projectBatch(batch, projections, test), width, ctx), meter.distinct);
        distinctInBatches = true;
      } else if (sortNeeded) {
        // The sort reads every row anyway: project and buffer each batch in one loop.
        stream = measure(sortBatches(batches, (batch) => projectBatch(batch, projections, test), sorter, keep, ctx), meter.sort);
        sortedInBatches = true;
      } else {
        stream = projectBatches(batches, projections, test, ctx.signal);
      }
    } else {
      if (wherePrepare) stream = prepareRows(stream, wherePrepare(ctx));
      if (hasWindows) {
        if (whereTest) stream = filterRows(stream, whereTest, ctx.signal);
        if (aggregated) {
          stream = measure(aggregateRows(stream, aggregateSpecs, keyEvaluators, ctx), meter.aggregate);
          if (havingTest) stream = filterRows(stream, havingTest, ctx.signal);
        }
        stream = measure(window.windows.apply!(stream, window.base), meter.window);
        if (prepare) stream = prepareRows(stream, prepare);
        stream = projectRows(stream, projections);
      } else if (aggregated) {
        if (whereTest) stream = filterRows(stream, whereTest, ctx.signal);
        stream = measure(aggregateRows(stream, aggregateSpecs, keyEvaluators, ctx), meter.aggregate);
        if (prepare) stream = prepareRows(stream, prepare);
        stream = projectRows(stream, projections, havingTest, ctx.signal);
      } else {
        if (prepare) {
          if (whereTest) stream = filterRows(stream, whereTest, ctx.signal);
          stream = projectRows(prepareRows(stream, prepare), projections);
        } else {
          stream = projectRows(stream, projections, whereTest, ctx.signal);
        }
        stream = measure(stream, meter.filter);
      }
    }
    if (sortNeeded && !sortedInBatches) stream = measure(sortRows(stream, sorter, keep, ctx), meter.sort);
    if (distinct?.on) stream = measure(firstOfEach(stream, distinct.on), meter.distinct);
    else if (distinct && !distinctInBatches) stream = measure(distinctRows(stream, width, ctx), meter.distinct);
    if (limit !== undefined || offset > 0) stream = measure(limitRows(stream, limit, offset), meter.limit);
    if (projections.length > width) stream = trimRows(stream, width);
    return stream;
  };
}

/** DISTINCT ON: the first row of each value of the `on` columns, in input order. */
async function* firstOfEach(input: AsyncIterable<Row>, on: readonly number[]): AsyncGenerator<Row> {
  const seen = new Set<string>();
  for await (const row of input) {
    let key = '';
    for (const index of on) key += `${distinctKey(row[index] ?? null)}\u0000`;
    if (seen.has(key)) continue;
    seen.add(key);
    yield row;
  }
}

export async function* emptyStream(): AsyncGenerator<Row> {}

async function* singleEmptyRow(): AsyncGenerator<Row> {
  yield [];
}

export async function* trimRows(input: AsyncIterable<Row>, width: number): AsyncGenerator<Row> {
  for await (const row of input) yield row.slice(0, width);
}
