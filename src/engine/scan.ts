// One table's part of a query: offer the conjuncts that touch only it (as Predicates), and
// optionally ORDER BY and LIMIT; what the table does not guarantee is evaluated right after
// its scan. Columns here are in the table's own row layout.

import type { Position } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import type { BoundExpr } from './bound.js';
import { compilePredicate } from './expressions.js';
import { formatExpr } from './format.js';
import { analyzeWhere, compileScanPredicate, type AnalyzedWhere } from './predicates.js';
import type { ExecContext, OrderKey, Predicate, Row, ScanPlan, ScanRequest, SqlValue, Table } from './table.js';
import { formatSqlValue } from './values.js';
import { analyzing, countRequest, describeActuals, newInstrument, type Instrument } from './instrument.js';
import { batchesOfRows, noBatches, type Batches } from './operators/batches.js';

export interface PlannedScan {
  table: Table;
  request: ScanRequest;
  plan: ScanPlan | undefined;
  analysis: AnalyzedWhere;
  /** Why no row can qualify, when that is known before scanning. */
  emptyReason: string | undefined;
  /** Residual predicates and conjuncts that are not predicates, as one test (undefined: none). */
  test: ((row: Row) => boolean) | undefined;
  filterText: string[];
  instrument: Instrument;
}

export interface ScanOffer {
  orderBy?: OrderKey[];
  /** Offered only when `acceptsLimit` says nothing else sits above the scan. */
  limit?: number;
  acceptsLimit?: (plan: ScanPlan) => boolean;
  /** Where the table is named, so a table refusing the request (Table.plan throws) is a SqlError there. */
  pos?: Position;
}

export function planScan(table: Table, conjuncts: BoundExpr[], columns: string[], sql: string, offer: ScanOffer = {}): PlannedScan {
  const analysis = analyzeWhere(conjuncts, sql);
  const request: ScanRequest = { predicates: analysis.predicates, columns, orderBy: offer.orderBy ?? [] };
  let plan: ScanPlan | undefined;
  let emptyReason = analysis.contradiction;
  if (!emptyReason) {
    plan = planOrRefuse(table, request, sql, offer.pos);
    if (offer.limit !== undefined && offer.acceptsLimit?.(plan) && analysis.engineOnly.length === 0) {
      const limited = planOrRefuse(table, { ...request, limit: offer.limit }, sql, offer.pos);
      if (offer.acceptsLimit(limited)) plan = limited;
    }
    if (plan.empty) emptyReason = 'the table reports the predicates contradict each other';
  }
  const tests = [
    ...(plan?.residual ?? []).map((p) => compileScanPredicate(p, analysis.columnIndex.get(p.id) ?? indexOfColumn(table, p.column))),
    ...analysis.engineOnly.map(compilePredicate),
  ];
  const filterText = [...(plan?.residual.map((p) => p.text) ?? []), ...analysis.engineOnly.map(formatExpr)];
  return {
    table,
    request,
    plan,
    analysis,
    emptyReason,
    test: combineTests(tests),
    filterText,
    instrument: newInstrument(`Scan ${table.name}`),
  };
}

/**
 * A table refuses a request by throwing from plan() (say, a filter Stripe requires is missing):
 * that is a problem with the query, reported as a SqlError where the table is named. Errors that
 * mean a bug (TypeError and the like) pass through untouched.
 */
function planOrRefuse(table: Table, request: ScanRequest, sql: string, pos: Position | undefined): ScanPlan {
  try {
    return table.plan(request);
  } catch (error) {
    const isBug = error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError;
    if (!pos || isBug || error instanceof SqlError || !(error instanceof Error)) throw error;
    throw new SqlError(error.message, sql, pos);
  }
}

/**
 * The scan's rows (before its residual test) in batches, counted for EXPLAIN ANALYZE: the
 * table's own batches when it offers them (Table.scanBatches), else its rows wrapped here, once.
 * `rowAtATime` (a LIMIT that may stop early) reads scan() a row per batch even from a table with
 * batches, so not one row more is read than the consumer takes.
 */
export function scanBatches(scan: PlannedScan, ctx: ExecContext, plan: ScanPlan | undefined = scan.plan, rowAtATime = false): Batches {
  if (scan.emptyReason !== undefined || !plan) return noBatches();
  const instrument = scan.instrument;
  const table = scan.table;
  const scanCtx: ExecContext = {
    ...ctx,
    onRequest: (cost) => {
      countRequest(instrument, cost);
      ctx.onRequest?.(cost, table.name);
    },
  };
  const batches = table.scanBatches && !rowAtATime ? table.scanBatches(plan, scanCtx) : batchesOfRows(table.scan(plan, scanCtx), ctx.signal);
  return analyzing.has(ctx) ? counted(batches, instrument) : batches;
}

/** The scan for EXPLAIN: its table's lines (by default the plan's), residual and actuals. */
export function describeScan(scan: PlannedScan, tableLines: string[] | undefined = scan.plan?.describe()): string[] {
  const lines: string[] = [];
  if (scan.emptyReason !== undefined) {
    lines.push(`Empty: no row can match (${scan.emptyReason}); ${scan.table.name} is not scanned`);
    return lines;
  }
  lines.push(`Scan ${scan.table.name}`);
  for (const line of tableLines ?? []) lines.push(`  ${line}`);
  const residual = `  residual: ${scan.filterText.join(' AND ')}`;
  // Some tables already list what they leave residual.
  if (scan.filterText.length > 0 && !lines.includes(residual)) lines.push(residual);
  const actuals = describeActuals(scan.instrument);
  if (actuals) lines.push(`  ${actuals}`);
  return lines;
}

/**
 * `request` with `column IN (keys)`, or `column = key`: what a lookup join's fetch asks of its
 * inner table (Table.keyLookup), the predicate numbered after the request's own.
 */
export function withKeys(request: ScanRequest, column: string, op: 'IN' | '=', keys: readonly SqlValue[]): ScanRequest {
  const id = request.predicates.reduce((max, p) => Math.max(max, p.id), 0) + 1;
  const predicate: Predicate =
    op === 'IN'
      ? { id, column, op, values: [...keys], text: `${column} IN (${keys.map(formatSqlValue).join(', ')})` }
      : { id, column, op, value: keys[0] ?? null, text: `${column} = ${formatSqlValue(keys[0] ?? null)}` };
  return { ...request, predicates: [...request.predicates, predicate] };
}

async function* counted(input: Batches, instrument: Instrument): AsyncGenerator<Row[]> {
  instrument.runs++;
  const start = performance.now();
  try {
    for await (const batch of input) {
      instrument.rows += batch.length;
      yield batch;
    }
  } finally {
    instrument.millis += performance.now() - start;
  }
}

function indexOfColumn(table: Table, name: string): number {
  const lower = name.toLowerCase();
  return table.columns.findIndex((c) => c.name.toLowerCase() === lower);
}

export function combineTests(tests: ((row: Row) => boolean)[]): ((row: Row) => boolean) | undefined {
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0]!;
  // Two and three tests (the usual WHERE) as straight calls: no loop or iterator per row.
  if (tests.length === 2) {
    const [a, b] = tests as [(row: Row) => boolean, (row: Row) => boolean];
    return (row) => a(row) && b(row);
  }
  if (tests.length === 3) {
    const [a, b, c] = tests as [(row: Row) => boolean, (row: Row) => boolean, (row: Row) => boolean];
    return (row) => a(row) && b(row) && c(row);
  }
  const all = tests.slice();
  const count = all.length;
  return (row) => {
    for (let i = 0; i < count; i++) if (!all[i]!(row)) return false;
    return true;
  };
}
