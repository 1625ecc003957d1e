import type { Evaluator } from '../expressions.js';
import type { JoinType } from '../../sql/ast.js';
import type { Row, SqlValue } from '../table.js';
import { distinctKey, hashKeyOf } from '../values.js';
import { BATCH_ROWS, type Batches, type RowTest } from './batches.js';
import { checkHeld, rowCap, type OperatorLimits } from './row-budget.js';

export interface JoinSpec {
  type: JoinType;
  leftWidth: number;
  rightWidth: number;
  /** Equi-join keys: left[i] evaluated on left rows, right[i] on right rows. */
  leftKeys: Evaluator[];
  rightKeys: Evaluator[];
  /** The rest of the join condition, on the combined row. */
  condition: ((row: Row) => boolean) | undefined;
  /**
   * The positions of a left (right) row the query reads above the join; the others are NULL in
   * the joined row, so it costs a copy of what is read only. Undefined: every position.
   */
  leftReads?: readonly number[] | undefined;
  rightReads?: readonly number[] | undefined;
}

/**
 * Makes the joined row of a left row and the right row at an index of the build side; either
 * absent (null, -1) for an outer join's unmatched rows.
 */
type Combine = (left: Row | null, right: number) => Row;

/** The positions a joined row copies: the left row's read (same positions), the right row's read (from) and where they go (to). */
function joinedLayout(spec: JoinSpec): { leftReads: number[]; rightFrom: number[]; rightTo: number[] } {
  const all = (width: number): number[] => Array.from({ length: width }, (_, i) => i);
  const rightFrom = (spec.rightReads ?? all(spec.rightWidth)).slice();
  return { leftReads: (spec.leftReads ?? all(spec.leftWidth)).slice(), rightFrom, rightTo: rightFrom.map((i) => i + spec.leftWidth) };
}

/**
 * Builds joined rows, the left row's values then the right row's. A copy of an all-NULL row
 * with the values read set is several times faster than Array.prototype.concat, which
 * dominated a large join.
 */
function joinedRowBuilder(spec: JoinSpec, rightRows: readonly Row[]): Combine {
  const template = nulls(spec.leftWidth + spec.rightWidth);
  const { leftReads, rightFrom, rightTo } = joinedLayout(spec);
  const leftCount = leftReads.length;
  const rightCount = rightTo.length;
  return (left, right) => {
    const out = template.slice();
    if (left !== null) for (let i = 0; i < leftCount; i++) out[leftReads[i]!] = left[leftReads[i]!]!;
    if (right >= 0) {
      const row = rightRows[right]!;
      for (let i = 0; i < rightCount; i++) out[rightTo[i]!] = row[rightFrom[i]!]!;
    }
    return out;
  };
}

/**
 * Writes every joined row into one and the same array: for a consumer that is done with a row
 * before it asks for the next (an aggregate reads its keys and arguments and keeps values,
 * never the row). A large join then allocates nothing per match; building a row per match
 * cost a hash join under an aggregate about a third of its time in garbage collection.
 */
function scratchRowWriter(spec: JoinSpec, rightRows: readonly Row[]): Combine {
  const row = nulls(spec.leftWidth + spec.rightWidth);
  const { leftReads, rightFrom, rightTo } = joinedLayout(spec);
  // The build side's columns read, each as one array: a probe reads a value where it would
  // first reach for the row and then into it (a cache miss each, on a large build side).
  const columns = rightFrom.map((j) => rightRows.map((r) => r[j]!));
  const leftCount = leftReads.length;
  const rightCount = rightTo.length;
  return (left, right) => {
    if (left !== null) for (let i = 0; i < leftCount; i++) row[leftReads[i]!] = left[leftReads[i]!]!;
    else for (let i = 0; i < leftCount; i++) row[leftReads[i]!] = null;
    if (right >= 0) for (let i = 0; i < rightCount; i++) row[rightTo[i]!] = columns[i]![right]!;
    else for (let i = 0; i < rightCount; i++) row[rightTo[i]!] = null;
    return row;
  };
}

/** A key for hashing; undefined when a key value is NULL (which never matches). */
export function hashKey(keys: readonly Evaluator[], row: Row): unknown {
  if (keys.length === 1) {
    const v = keys[0]!(row);
    if (v === null) return undefined;
    return hashKeyOf(v);
  }
  let text = '';
  for (const key of keys) {
    const v: SqlValue = key(row);
    if (v === null) return undefined;
    text += `${distinctKey(v)}\u0000`;
  }
  return text;
}

function nulls(width: number): Row {
  return new Array<SqlValue>(width).fill(null);
}

/**
 * Reads a relation whole (a hash join's build side): the rows of its batches that pass `test`.
 * More rows than MaxIntermediateRows stop it with IntermediateRowsExceeded.
 */
export async function materialize(batches: Batches, test: RowTest | undefined, limits?: OperatorLimits): Promise<Row[]> {
  const out: Row[] = [];
  const cap = rowCap(limits);
  for await (const batch of batches) {
    limits?.signal?.throwIfAborted();
    for (let i = 0; i < batch.length; i++) if (!test || test(batch[i]!)) out.push(batch[i]!);
    checkHeld('Hash Join', out.length, cap);
  }
  return out;
}

type Bucket = number | number[];

/**
 * Key → the right row with that key, or the rows when several share it (most keys are unique).
 * Keys that are all small non-negative integers (ids 1…n, say) index an array instead of a Map.
 */
function bucketTable(keys: readonly unknown[]): (key: unknown) => Bucket | undefined {
  let max = -1;
  let dense = true;
  for (const key of keys) {
    if (key === undefined) continue;
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key > 2 * keys.length + 1024) {
      dense = false;
      break;
    }
    if (key > max) max = key;
  }
  if (dense) {
    const slots = new Array<Bucket | undefined>(max + 1).fill(undefined);
    keys.forEach((key, i) => {
      if (key === undefined) return;
      const bucket = slots[key as number];
      if (bucket === undefined) slots[key as number] = i;
      else if (typeof bucket === 'number') slots[key as number] = [bucket, i];
      else bucket.push(i);
    });
    // A key of another kind ('5', 5.5) is in no slot: only numbers index the array.
    return (key) => (typeof key === 'number' && (key | 0) === key && key >= 0 && key <= max ? slots[key] : undefined);
  }
  const table = new Map<unknown, Bucket>();
  keys.forEach((key, i) => {
    if (key === undefined) return;
    const bucket = table.get(key);
    if (bucket === undefined) table.set(key, i);
    else if (typeof bucket === 'number') table.set(key, [bucket, i]);
    else bucket.push(i);
  });
  return (key) => table.get(key);
}

class HashSide {
  private readonly lookup: (key: unknown) => Bucket | undefined;
  readonly all: number[];
  readonly matched: Uint8Array | undefined;

  constructor(
    readonly rows: Row[],
    readonly spec: JoinSpec,
  ) {
    const keyed = spec.leftKeys.length > 0;
    this.lookup = bucketTable(keyed ? rows.map((row) => hashKey(spec.rightKeys, row)) : []);
    this.all = keyed ? [] : rows.map((_, i) => i);
    this.matched = spec.type === 'RIGHT' || spec.type === 'FULL' ? new Uint8Array(rows.length) : undefined;
  }

  /** Hands `emit` the joined rows of one left row, each made by `combine`; returns the right rows it tried. */
  probe(leftRow: Row, combine: Combine, emit: (row: Row) => void): number {
    const spec = this.spec;
    let candidates: number | number[] | undefined = this.all;
    if (spec.leftKeys.length > 0) {
      const key = hashKey(spec.leftKeys, leftRow);
      candidates = key === undefined ? undefined : this.lookup(key);
    }
    let matched = false;
    let tried = 1;
    if (typeof candidates === 'number') matched = this.join(leftRow, candidates, combine, emit);
    else if (candidates) {
      tried = candidates.length;
      for (let c = 0; c < tried; c++) if (this.join(leftRow, candidates[c]!, combine, emit)) matched = true;
    }
    if (!matched && (spec.type === 'LEFT' || spec.type === 'FULL')) emit(combine(leftRow, -1));
    return tried;
  }

  /** Joins one pair when the rest of the condition holds; true when it did. */
  private join(leftRow: Row, i: number, combine: Combine, emit: (row: Row) => void): boolean {
    const joined = combine(leftRow, i);
    if (this.spec.condition && !this.spec.condition(joined)) return false;
    if (this.matched) this.matched[i] = 1;
    emit(joined);
    return true;
  }

  /** RIGHT / FULL: the right rows nothing matched, padded on the left. */
  unmatched(combine: Combine, emit: (row: Row) => void): void {
    if (!this.matched) return;
    for (let i = 0; i < this.rows.length; i++) if (!this.matched[i]) emit(combine(null, i));
  }
}

/**
 * Joined rows are handed on once a batch holds this many: a left batch against a large right
 * side (a cross join) must not build its whole product before the first row goes out.
 */
export const OUTPUT_BATCH_ROWS = BATCH_ROWS;

/**
 * Builds a hash table of the right side (all of it, read when the first left batch is asked
 * for), then streams the left batches that pass `leftTest` through it. Without keys every right
 * row is a candidate (a nested loop, whose memory is the right side plus one batch). RIGHT and
 * FULL joins emit the right rows nothing matched at the end.
 */
export async function* hashJoinBatches(
  left: Batches,
  leftTest: RowTest | undefined,
  right: () => Promise<Row[]>,
  spec: JoinSpec,
  signal?: AbortSignal,
): AsyncGenerator<Row[]> {
  const side = new HashSide(await right(), spec);
  const combine = joinedRowBuilder(spec, side.rows);
  for await (const batch of left) {
    signal?.throwIfAborted();
    yield* probeBatch(side, combine, batch, leftTest, signal);
  }
  const rest: Row[] = [];
  side.unmatched(combine, (row) => rest.push(row));
  if (rest.length > 0) yield rest;
}

/**
 * The same join as hashJoinBatches, each joined row handed to `sink` instead of collected:
 * the row is one array rewritten for every match (scratchRowWriter), so `sink` must take what
 * it needs from it before it returns. Checks the signal once per left batch, and within a
 * batch once the pairs tried reach a few batches' worth.
 */
export async function hashJoinInto(
  left: Batches,
  leftTest: RowTest | undefined,
  right: () => Promise<Row[]>,
  spec: JoinSpec,
  sink: (row: Row) => void,
  signal?: AbortSignal,
): Promise<void> {
  const side = new HashSide(await right(), spec);
  const combine = scratchRowWriter(spec, side.rows);
  // A nested loop tries every right row for each left row: one left batch can be many pairs.
  let tried = 0;
  for await (const batch of left) {
    signal?.throwIfAborted();
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      if (leftTest && !leftTest(row)) continue;
      tried += side.probe(row, combine, sink);
      if (tried >= OUTPUT_BATCH_ROWS * 4) {
        signal?.throwIfAborted();
        tried = 0;
      }
    }
  }
  side.unmatched(combine, sink);
}

/** The joined rows of one left batch, OUTPUT_BATCH_ROWS at a time. */
function* probeBatch(side: HashSide, combine: Combine, batch: readonly Row[], leftTest: RowTest | undefined, signal: AbortSignal | undefined): Generator<Row[]> {
  let out: Row[] = [];
  const emit = (joined: Row): void => {
    out.push(joined);
  };
  for (let i = 0; i < batch.length; i++) {
    const row = batch[i]!;
    if (leftTest && !leftTest(row)) continue;
    side.probe(row, combine, emit);
    if (out.length >= OUTPUT_BATCH_ROWS) {
      yield out;
      signal?.throwIfAborted();
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/**
 * Scans of one lookup batch read at once when the inner table takes one key per scan (`=`):
 * each is a remote request or two, and one after another would leave most of the table's
 * request budget unused. The table's own limits (a Stripe table's rate budget and its cap on
 * requests in flight) bound what is sent; this bounds the scans open at a time.
 */
export const LOOKUP_SCANS_IN_FLIGHT = 16;

/**
 * The batches of every source, at most `limit` sources read at once, yielded source by source
 * in the sources' order once all are read (a lookup batch's inner side is held whole anyway).
 * The first failure aborts the signal the others were given and is thrown.
 */
export async function* readConcurrently(
  sources: readonly ((signal: AbortSignal) => Batches)[],
  limit: number,
  signal?: AbortSignal,
): AsyncGenerator<Row[]> {
  const stop = new AbortController();
  const stopped = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const results = new Array<Row[][]>(sources.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const index = next++;
      const batches: Row[][] = [];
      for await (const batch of sources[index]!(stopped)) batches.push(batch);
      results[index] = batches;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, sources.length) }, worker));
  } catch (error) {
    stop.abort();
    throw error;
  }
  for (const batches of results) yield* batches;
}

/**
 * For each `batchSize` left rows, fetches only the right rows whose key is among theirs
 * (through the right table's pushdown), then joins them in memory. INNER and LEFT.
 */
export async function* lookupJoinBatches(
  left: Batches,
  leftTest: RowTest | undefined,
  fetch: (keys: SqlValue[]) => Batches,
  spec: JoinSpec,
  batchSize: number,
  limits?: OperatorLimits,
): AsyncGenerator<Row[]> {
  const signal = limits?.signal;
  let pending: Row[] = [];
  const flush = async function* (rows: Row[]): AsyncGenerator<Row[]> {
    const keys = new Map<unknown, SqlValue>();
    for (const row of rows) {
      const v = spec.leftKeys[0]!(row);
      if (v !== null) keys.set(hashKeyOf(v), v);
    }
    const right = keys.size > 0 ? await materialize(fetch([...keys.values()]), undefined, limits) : [];
    yield* probeBatch(new HashSide(right, spec), joinedRowBuilder(spec, right), rows, undefined, signal);
  };
  for await (const batch of left) {
    signal?.throwIfAborted();
    for (const row of batch) {
      if (leftTest && !leftTest(row)) continue;
      pending.push(row);
      if (pending.length >= batchSize) {
        yield* flush(pending);
        pending = [];
      }
    }
  }
  if (pending.length > 0) yield* flush(pending);
}
