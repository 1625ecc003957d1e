import type { Evaluator } from '../expressions.js';
import type { JoinType } from '../../sql/ast.js';
import type { Row, SqlValue } from '../table.js';
import { distinctKey } from '../values.js';
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
}

/** A key for hashing; undefined when a key value is NULL (which never matches). */
export function hashKey(keys: readonly Evaluator[], row: Row): unknown {
  if (keys.length === 1) {
    const v = keys[0]!(row);
    if (v === null) return undefined;
    return v instanceof Date ? `t${v.getTime()}` : v;
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
 * Reads a relation whole (a hash join's build side), from batches when it has them; more rows
 * than MaxIntermediateRows stop it with IntermediateRowsExceeded.
 */
export async function materialize(
  rows: AsyncIterable<Row> | undefined,
  batches: AsyncIterable<Row[]> | undefined,
  test?: (row: Row) => boolean,
  limits?: OperatorLimits,
): Promise<Row[]> {
  const out: Row[] = [];
  const cap = rowCap(limits);
  if (batches) {
    for await (const batch of batches) {
      limits?.signal?.throwIfAborted();
      for (const row of batch) if (!test || test(row)) out.push(row);
      checkHeld('Hash Join', out.length, cap);
    }
  } else if (rows) {
    for await (const row of rows) {
      if (out.push(row) > cap) checkHeld('Hash Join', out.length, cap);
    }
  }
  return out;
}

class HashSide {
  /** Key → the right row with that key, or the rows when several share it (most keys are unique). */
  readonly table = new Map<unknown, number | number[]>();
  readonly all: number[];
  readonly matched: Uint8Array | undefined;

  constructor(
    readonly rows: Row[],
    readonly spec: JoinSpec,
  ) {
    const keyed = spec.leftKeys.length > 0;
    if (keyed) {
      for (let i = 0; i < rows.length; i++) {
        const key = hashKey(spec.rightKeys, rows[i]!);
        if (key === undefined) continue;
        const bucket = this.table.get(key);
        if (bucket === undefined) this.table.set(key, i);
        else if (typeof bucket === 'number') this.table.set(key, [bucket, i]);
        else bucket.push(i);
      }
    }
    this.all = keyed ? [] : rows.map((_, i) => i);
    this.matched = spec.type === 'RIGHT' || spec.type === 'FULL' ? new Uint8Array(rows.length) : undefined;
  }

  /** Appends the joined rows for one left row to `out`. */
  probe(leftRow: Row, out: Row[]): void {
    const spec = this.spec;
    let candidates: number | number[] | undefined = this.all;
    if (spec.leftKeys.length > 0) {
      const key = hashKey(spec.leftKeys, leftRow);
      candidates = key === undefined ? undefined : this.table.get(key);
    }
    let matched = false;
    if (typeof candidates === 'number') matched = this.join(leftRow, candidates, out);
    else if (candidates) for (const i of candidates) if (this.join(leftRow, i, out)) matched = true;
    if (!matched && (spec.type === 'LEFT' || spec.type === 'FULL')) out.push(leftRow.concat(nulls(spec.rightWidth)));
  }

  /** Joins one pair when the rest of the condition holds; true when it did. */
  private join(leftRow: Row, i: number, out: Row[]): boolean {
    const joined = leftRow.concat(this.rows[i]!);
    if (this.spec.condition && !this.spec.condition(joined)) return false;
    if (this.matched) this.matched[i] = 1;
    out.push(joined);
    return true;
  }

  /** RIGHT / FULL: the right rows nothing matched, padded on the left. */
  unmatched(): Row[] {
    if (!this.matched) return [];
    const padding = nulls(this.spec.leftWidth);
    const out: Row[] = [];
    for (let i = 0; i < this.rows.length; i++) if (!this.matched[i]) out.push(padding.concat(this.rows[i]!));
    return out;
  }
}

/**
 * Joined rows are handed on once a batch holds this many: a left batch against a large right
 * side (a cross join) must not build its whole product before the first row goes out.
 */
export const OUTPUT_BATCH_ROWS = 1024;

/** hashJoin over batches of left rows, producing batches: no async step per row. */
export async function* hashJoinBatches(
  left: AsyncIterable<Row[]>,
  leftTest: ((row: Row) => boolean) | undefined,
  right: Promise<Row[]>,
  spec: JoinSpec,
  after: ((row: Row) => boolean) | undefined,
  signal?: AbortSignal,
): AsyncGenerator<Row[]> {
  const side = new HashSide(await right, spec);
  for await (const batch of left) {
    signal?.throwIfAborted();
    let out: Row[] = [];
    for (const row of batch) {
      if (leftTest && !leftTest(row)) continue;
      side.probe(row, out);
      if (out.length >= OUTPUT_BATCH_ROWS) {
        yield after ? out.filter(after) : out;
        signal?.throwIfAborted();
        out = [];
      }
    }
    if (out.length > 0) yield after ? out.filter(after) : out;
  }
  const rest = side.unmatched();
  if (rest.length > 0) yield after ? rest.filter(after) : rest;
}

/**
 * Builds a hash table of the right side (all of it), then streams the left side through it.
 * Without keys every right row is a candidate (nested loop). RIGHT and FULL joins emit the
 * right rows nothing matched at the end.
 */
export async function* hashJoin(left: AsyncIterable<Row>, right: AsyncIterable<Row>, spec: JoinSpec, signal?: AbortSignal, limits?: OperatorLimits): AsyncGenerator<Row> {
  const side = new HashSide(await materialize(right, undefined, undefined, limits), spec);
  const out: Row[] = [];
  for await (const leftRow of left) {
    signal?.throwIfAborted();
    side.probe(leftRow, out);
    if (out.length > 0) {
      yield* out;
      out.length = 0;
    }
  }
  yield* side.unmatched();
}

/**
 * For each batch of left rows, fetches only the right rows whose key is among the batch's
 * keys (through the right table's pushdown), then joins the batch in memory. INNER and LEFT.
 */
export async function* lookupJoin(
  left: AsyncIterable<Row>,
  fetch: (keys: SqlValue[]) => AsyncIterable<Row>,
  spec: JoinSpec,
  batchSize: number,
  signal?: AbortSignal,
): AsyncGenerator<Row> {
  let batch: Row[] = [];
  const flush = async function* (rows: Row[]): AsyncGenerator<Row> {
    const keys = new Map<unknown, SqlValue>();
    for (const row of rows) {
      const v = spec.leftKeys[0]!(row);
      if (v !== null) keys.set(v instanceof Date ? `t${v.getTime()}` : v, v);
    }
    const right = keys.size > 0 ? fetch([...keys.values()]) : (async function* () {})();
    yield* hashJoin(rows as unknown as AsyncIterable<Row>, right, spec, signal);
  };
  for await (const row of left) {
    batch.push(row);
    if (batch.length >= batchSize) {
      yield* flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield* flush(batch);
}
