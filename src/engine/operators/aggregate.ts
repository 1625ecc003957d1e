import type { Evaluator } from '../expressions.js';
import type { Accumulator, AggregateFunction } from '../functions.js';
import type { Row, SqlValue } from '../table.js';
import { distinctKey, hashKeyOf } from '../values.js';
import { chunks, type Batches } from './batches.js';
import { checkHeld, rowCap, type OperatorLimits } from './row-budget.js';

export interface AggregateSpec {
  fn: AggregateFunction;
  /** Null for COUNT(*), which counts rows. */
  arg: Evaluator | null;
  distinct: boolean;
}

interface Group {
  keys: SqlValue[];
  accumulators: Accumulator[];
  seen: (Set<string> | null)[];
  /** Rows folded into the group: COUNT(*) is this, with no call per row. */
  rows: number;
}

/**
 * Folds rows into one row per group: [key values…, aggregate results…]. Without keys there is
 * exactly one group, even over no rows. Groups come out in order of first appearance.
 */
class Aggregator {
  private readonly groups = new Map<unknown, Group>();
  /** Groups of a lone key that is a small non-negative integer, by that integer: no hashing. */
  private dense: (Group | undefined)[] = [];
  /** Every group, in order of first appearance (the output order). */
  private readonly order: Group[] = [];
  private readonly single: Group | undefined;
  /** Per spec: its argument, or null for COUNT(*), which adds nothing but the row. */
  private readonly args: (Evaluator | null)[];
  private readonly anyDistinct: boolean;
  private readonly keyValues: SqlValue[] = [];

  constructor(
    private readonly specs: readonly AggregateSpec[],
    private readonly keys: readonly Evaluator[],
    /** The most groups held at once (MaxIntermediateRows). */
    private readonly cap: number,
  ) {
    // Any other aggregate without an argument is fed TRUE per row.
    this.args = specs.map((spec) => (isCountStar(spec) ? null : (spec.arg ?? (() => true))));
    this.anyDistinct = specs.some((spec) => spec.distinct && spec.arg !== null);
    this.single = keys.length === 0 ? this.newGroup([]) : undefined;
  }

  private newGroup(keyValues: SqlValue[]): Group {
    const group: Group = {
      keys: keyValues,
      accumulators: this.specs.map((spec) => spec.fn.create()),
      seen: this.specs.map((spec) => (spec.distinct && spec.arg !== null ? new Set<string>() : null)),
      rows: 0,
    };
    if (keyValues.length > 0) {
      this.order.push(group);
      checkHeld('Aggregate', this.order.length, this.cap);
    }
    return group;
  }

  /**
   * The group of a lone key whose hash key is an integer in [0, DENSE_KEYS), through the array;
   * `value` is the key as read (5, or a Numeric 5.00 that equals it), kept for a new group.
   */
  private denseGroup(v: number, value: SqlValue): Group {
    const dense = this.dense;
    let group = v < dense.length ? dense[v] : undefined;
    if (group === undefined) {
      if (v >= dense.length) {
        const grown = new Array<Group | undefined>(Math.max(v + 1, 2 * dense.length, 64)).fill(undefined);
        for (let i = 0; i < dense.length; i++) grown[i] = dense[i];
        this.dense = grown;
      }
      this.dense[v] = group = this.newGroup([value]);
    }
    return group;
  }

  private groupOf(row: Row): Group {
    const keys = this.keys;
    if (keys.length === 1) {
      // One key: the value itself is the map key (Dates by instant…), no string building.
      const v = keys[0]!(row);
      if (typeof v === 'number' && (v | 0) === v && v >= 0 && v < DENSE_KEYS) return this.denseGroup(v, v);
      const mapKey = hashKeyOf(v);
      // A value of another kind equal to a small integer (a Numeric 5.00) joins that integer's group.
      if (typeof mapKey === 'number' && (mapKey | 0) === mapKey && mapKey >= 0 && mapKey < DENSE_KEYS) return this.denseGroup(mapKey, v);
      let group = this.groups.get(mapKey);
      if (!group) this.groups.set(mapKey, (group = this.newGroup([v])));
      return group;
    }
    // The key values are copied out of the scratch array only for a new group.
    const values = this.keyValues;
    let text = '';
    for (let k = 0; k < keys.length; k++) {
      const v = keys[k]!(row);
      values[k] = v;
      text += `${distinctKey(v)}\u0000`;
    }
    let group = this.groups.get(text);
    if (!group) this.groups.set(text, (group = this.newGroup(values.slice())));
    return group;
  }

  add(row: Row): void {
    const group = this.single ?? this.groupOf(row);
    group.rows++;
    const args = this.args;
    const accumulators = group.accumulators;
    if (!this.anyDistinct) {
      for (let i = 0; i < args.length; i++) {
        const arg = args[i]!;
        if (arg !== null) accumulators[i]!.add(arg(row));
      }
      return;
    }
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === null) continue;
      const value = arg(row);
      const distinctSet = group.seen[i];
      if (distinctSet && value !== null) {
        const key = distinctKey(value);
        if (distinctSet.has(key)) continue;
        distinctSet.add(key);
      }
      accumulators[i]!.add(value);
    }
  }

  /** Adds the row when it passes `test`. */
  addIf(row: Row, test: ((row: Row) => boolean) | undefined): void {
    if (!test || test(row)) this.add(row);
  }

  /** Adds the rows of a batch that pass `test`. */
  addBatch(batch: readonly Row[], test: ((row: Row) => boolean) | undefined): void {
    const single = this.single;
    if (single && this.args.every((arg) => arg === null)) {
      // Only COUNT(*) (and no keys): counting is all there is to do.
      if (!test) single.rows += batch.length;
      else for (let i = 0; i < batch.length; i++) if (test(batch[i]!)) single.rows++;
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      if (test && !test(row)) continue;
      this.add(row);
    }
  }

  private result(group: Group): SqlValue[] {
    const out: SqlValue[] = group.keys.slice();
    for (let i = 0; i < this.args.length; i++) out.push(this.args[i] === null ? group.rows : group.accumulators[i]!.result());
    return out;
  }

  *results(): Generator<Row> {
    if (this.single) {
      yield this.result(this.single);
      return;
    }
    for (const group of this.order) yield this.result(group);
  }
}

/** Lone integer keys below this index an array of groups (GROUP BY a small code or id). */
const DENSE_KEYS = 1 << 16;

/** COUNT(*): its result is the number of rows, which the group counts anyway. */
function isCountStar(spec: AggregateSpec): boolean {
  return spec.arg === null && spec.fn.name === 'COUNT';
}

/** Folds the batches' rows that pass `test` (a WHERE fused in) into one row per group. */
export async function* aggregateBatches(
  input: Batches,
  specs: readonly AggregateSpec[],
  keys: readonly Evaluator[],
  test: ((row: Row) => boolean) | undefined,
  limits?: OperatorLimits,
): AsyncGenerator<Row[]> {
  const aggregator = new Aggregator(specs, keys, rowCap(limits));
  const signal = limits?.signal;
  for await (const batch of input) {
    signal?.throwIfAborted();
    aggregator.addBatch(batch, test);
  }
  yield* chunks(aggregator.results(), signal);
}

/**
 * A source that pushes its rows into a callback rather than yielding batches (a hash join
 * writing each match into one reused row); resolves when every row has been pushed.
 */
export type RowFold = (sink: (row: Row) => void) => Promise<void>;

/** aggregateBatches over a RowFold: each row is folded in as it is pushed, and not kept. */
export async function* aggregateFold(
  input: RowFold,
  specs: readonly AggregateSpec[],
  keys: readonly Evaluator[],
  test: ((row: Row) => boolean) | undefined,
  limits?: OperatorLimits,
): AsyncGenerator<Row[]> {
  const aggregator = new Aggregator(specs, keys, rowCap(limits));
  await input((row) => aggregator.addIf(row, test));
  yield* chunks(aggregator.results(), limits?.signal);
}
