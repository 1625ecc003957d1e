// A scan of a table that offers its columns as vectors (Table.columnar, column-vectors.ts): the
// residual predicates of the form `column op constant` and `column IS [NOT] NULL` are tested on
// the vectors, a thousand positions at a time in tight loops over Float64Arrays, and only the
// rows that pass are read (for the tests the vectors cannot do) and handed on. Results are those
// of the row tests (predicates.ts compileScanPredicate): the same comparisons, by the difference
// of the two numbers, on the same numbers.

import type { ColumnarRows, ColumnarSource, ColumnVector, VectorKind } from '../column-vectors.js';
import { vectorKindOf, vectorNumber } from '../column-vectors.js';
import { compilePredicate } from '../expressions.js';
import { analyzing, type Instrument } from '../instrument.js';
import { compileScanPredicate } from '../predicates.js';
import { combineTests, type PlannedScan } from '../scan.js';
import type { ExecContext, Predicate, PredicateOp, Row } from '../table.js';
import { BATCH_ROWS, type RowTest } from './batches.js';

/** A planned scan whose table offers vectors for its plan. */
export interface ColumnScan {
  source: ColumnarSource;
  /** The predicates the table left to the engine, each with its column's index in the row. */
  residual: readonly { predicate: Predicate; index: number }[];
  /** The WHERE conjuncts that are no predicates, tested on the row after the rest. */
  engineTest: RowTest | undefined;
  /** Whether any residual predicate has the form a vector can test (the column's values decide at run time). */
  filtersOnVectors: boolean;
  instrument: Instrument;
}

/** The scan as a ColumnScan, when its table offers vectors for its plan. */
export function columnScanOf(scan: PlannedScan): ColumnScan | undefined {
  if (scan.emptyReason !== undefined || !scan.plan || !scan.table.columnar) return undefined;
  const source = scan.table.columnar(scan.plan);
  if (!source) return undefined;
  const table = scan.table;
  const residual = scan.plan.residual.map((predicate) => ({
    predicate,
    index: scan.analysis.columnIndex.get(predicate.id) ?? table.columns.findIndex((c) => c.name.toLowerCase() === predicate.column.toLowerCase()),
  }));
  return {
    source,
    residual,
    engineTest: combineTests(scan.analysis.engineOnly.map(compilePredicate)),
    filtersOnVectors: residual.some(({ predicate }) => vectorOp(predicate) !== undefined),
    instrument: scan.instrument,
  };
}

/** One run of a ColumnScan: the rows, their vectors, and the positions that pass. */
export interface OpenedScan {
  readonly rows: readonly Row[];
  readonly data: ColumnarRows;
  /** Holds the positions that passed after each step of selections(). */
  readonly selected: Int32Array;
  /** The tests left for the row itself (predicates no vector could take, then the other conjuncts). */
  readonly rowTest: RowTest | undefined;
  /** Fills `selected` with the positions in [from, to) that pass the vector tests; returns how many. */
  select(from: number, to: number): number;
}

/** Opens the scan; `alsoRead`: the columns read as vectors besides the predicates' (sort keys). */
export function openColumnScan(scan: ColumnScan, alsoRead: readonly number[] = []): OpenedScan {
  const columns = scan.residual.flatMap(({ predicate, index }) => (index >= 0 && vectorOp(predicate) !== undefined ? [index] : []));
  const data = scan.source.open([...columns, ...alsoRead]);
  const rows = data.rows;
  const selected = new Int32Array(BATCH_ROWS);
  const tests: VectorTest[] = [];
  const rowTests: RowTest[] = [];
  for (const { predicate, index } of scan.residual) {
    const test = vectorTest(predicate, index >= 0 ? data.vector(index) : undefined);
    if (test) tests.push(test);
    else rowTests.push(compileScanPredicate(predicate, index));
  }
  if (scan.engineTest) rowTests.push(scan.engineTest);
  return { rows, data, selected, rowTest: combineTests(rowTests), select: (from, to) => selectPositions(tests, selected, from, to) };
}

/** The positions in [from, to) that pass every test, into `sel`; how many. */
function selectPositions(tests: readonly VectorTest[], sel: Int32Array, from: number, to: number): number {
  let count = to - from;
  for (let j = 0; j < count; j++) sel[j] = from + j;
  for (let k = 0; k < tests.length && count > 0; k++) {
    const test = tests[k]!;
    count = test.keep(test.values, test.nulls, test.value, sel, count);
  }
  return count;
}

/**
 * The scan's positions BATCH_ROWS at a time: each step fills `opened.selected` and yields how many
 * passed the vector tests. Tells the table what was read, and whether the consumer stopped early.
 */
export function* selections(scan: ColumnScan, opened: OpenedScan, ctx: ExecContext): Generator<number> {
  const signal = ctx.signal;
  const total = opened.rows.length;
  const analyze = analyzing.has(ctx);
  const instrument = scan.instrument;
  if (analyze) instrument.runs++;
  const start = performance.now();
  let finished = false;
  try {
    for (let from = 0; from < total; from += BATCH_ROWS) {
      signal?.throwIfAborted();
      const to = Math.min(from + BATCH_ROWS, total);
      opened.data.read?.(to - from);
      if (analyze) instrument.rows += to - from;
      yield opened.select(from, to);
    }
    finished = true;
  } finally {
    if (!finished) opened.data.closedEarly?.();
    if (analyze) instrument.millis += performance.now() - start;
  }
}

/** The scan's rows that pass every test, in batches (the same rows, in the same order, as the row path). */
export async function* columnBatches(scan: ColumnScan, ctx: ExecContext): AsyncGenerator<Row[]> {
  const opened = openColumnScan(scan);
  const { rows, selected, rowTest } = opened;
  for (const count of selections(scan, opened, ctx)) {
    const batch: Row[] = [];
    if (rowTest) {
      for (let j = 0; j < count; j++) {
        const row = rows[selected[j]!]!;
        if (rowTest(row)) batch.push(row);
      }
    } else {
      for (let j = 0; j < count; j++) batch.push(rows[selected[j]!]!);
    }
    if (batch.length > 0) yield batch;
  }
}

// ---------------------------------------------------------------------------------------------
// Kernels: each keeps, in place, the positions of `sel` whose value passes. Comparisons are by
// the difference, as compileScanPredicate's (NaN, whether a NULL's or a real one, passes only <>,
// and a NULL not even that). One function per operator, written out: each loop then holds one
// comparison and no call, which is the whole point of testing on vectors.

type VectorOp = Exclude<PredicateOp, 'IN' | 'LIKE' | 'OR'>;

/** The predicate's op when a vector can test it: a comparison with a number, boolean or datetime, or IS [NOT] NULL. */
function vectorOp(predicate: Predicate): VectorOp | undefined {
  switch (predicate.op) {
    case 'IS NULL':
    case 'IS NOT NULL':
      return predicate.op;
    case 'IN':
    case 'LIKE':
    case 'OR':
      return undefined;
    default: {
      // NaN or an infinity as the constant (NaN = NaN, Infinity - Infinity is NaN): the row test's compareValues.
      const value = predicate.value ?? null;
      if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
      return vectorKindOf(value) === undefined ? undefined : predicate.op;
    }
  }
}

/** A predicate as a kernel over its column's vector. */
interface VectorTest {
  keep: Kernel;
  values: Float64Array;
  nulls: Uint8Array;
  /** The constant as the vector's number (unused by IS [NOT] NULL). */
  value: number;
}

/** Keeps, in place, the first `count` positions of `sel` that pass; returns how many. */
type Kernel = (values: Float64Array, nulls: Uint8Array, value: number, sel: Int32Array, count: number) => number;

const KERNELS: Record<VectorOp, Kernel> = {
  'IS NULL': keepNull,
  'IS NOT NULL': keepNotNull,
  '=': keepEqual,
  '<>': keepNotEqual,
  '<': keepLess,
  '<=': keepLessOrEqual,
  '>': keepGreater,
  '>=': keepGreaterOrEqual,
};

function vectorTest(predicate: Predicate, vector: ColumnVector | undefined): VectorTest | undefined {
  const op = vectorOp(predicate);
  if (!vector || op === undefined) return undefined;
  const { values, nulls } = vector;
  if (op === 'IS NULL' || op === 'IS NOT NULL') return { keep: KERNELS[op], values, nulls, value: 0 };
  const value = predicate.value as number | boolean | Date;
  // A value of another kind than the column's takes compareValues' coercion: the row test's.
  if (!kindMatches(vector.kind, vectorKindOf(value)!)) return undefined;
  return { keep: KERNELS[op], values, nulls, value: vectorNumber(value) };
}

function kindMatches(column: VectorKind | undefined, value: VectorKind): boolean {
  return column === undefined || column === value;
}

function keepNull(_values: Float64Array, nulls: Uint8Array, _value: number, sel: Int32Array, count: number): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = sel[j]!;
    sel[k] = i;
    k += nulls[i] === 1 ? 1 : 0;
  }
  return k;
}

function keepNotNull(_values: Float64Array, nulls: Uint8Array, _value: number, sel: Int32Array, count: number): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = sel[j]!;
    sel[k] = i;
    k += nulls[i] === 0 ? 1 : 0;
  }
  return k;
}

function keepEqual(values: Float64Array, _nulls: Uint8Array, n: number, sel: Int32Array, count: number): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = sel[j]!;
    sel[k] = i;
    k += values[i]! - n === 0 ? 1 : 0;
  }
  return k;
}

function keepNotEqual(values: Float64Array, nulls: Uint8Array, n: number, sel: Int32Array, count: number): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = sel[j]!;
    sel[k] = i;
    k += values[i]! - n !== 0 && nulls[i] === 0 ? 1 : 0;
  }
  return k;
}

function keepLess(values: Float64Array, _nulls: Uint8Array, n: number, sel: Int32Array, count: number): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = sel[j]!;
    sel[k] = i;
    k += values[i]! - n < 0 ? 1 : 0;
  }
  return k;
}

function keepLessOrEqual(values: Float64Array, _nulls: Uint8Array, n: number, sel: Int32Array, count: number): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = sel[j]!;
    sel[k] = i;
    k += values[i]! - n <= 0 ? 1 : 0;
  }
  return k;
}

function keepGreater(values: Float64Array, _nulls: Uint8Array, n: number, sel: Int32Array, count: number): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = sel[j]!;
    sel[k] = i;
    k += values[i]! - n > 0 ? 1 : 0;
  }
  return k;
}

function keepGreaterOrEqual(values: Float64Array, _nulls: Uint8Array, n: number, sel: Int32Array, count: number): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = sel[j]!;
    sel[k] = i;
    k += values[i]! - n >= 0 ? 1 : 0;
  }
  return k;
}
