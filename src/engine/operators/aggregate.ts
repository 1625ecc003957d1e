import type { Evaluator } from '../expressions.js';
import type { Accumulator, AggregateFunction } from '../functions.js';
import type { Row, SqlValue } from '../table.js';
import { distinctKey } from '../values.js';

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
}

/**
 * Folds rows into one row per group: [key values…, aggregate results…]. Without keys there is
 * exactly one group, even over no rows. Groups come out in order of first appearance.
 */
class Aggregator {
  private readonly groups = new Map<unknown, Group>();
  private readonly single: Group | undefined;

  constructor(
    private readonly specs: readonly AggregateSpec[],
    private readonly keys: readonly Evaluator[],
  ) {
    this.single = keys.length === 0 ? this.newGroup([]) : undefined;
  }

  private newGroup(keyValues: SqlValue[]): Group {
    return {
      keys: keyValues,
      accumulators: this.specs.map((spec) => spec.fn.create()),
      seen: this.specs.map((spec) => (spec.distinct ? new Set<string>() : null)),
    };
  }

  add(row: Row): void {
    let group = this.single;
    if (!group) {
      const keys = this.keys;
      if (keys.length === 1) {
        // One key: the value itself is the map key (Dates by instant), no string building.
        const v = keys[0]!(row);
        const mapKey = v instanceof Date ? `t${v.getTime()}` : v;
        group = this.groups.get(mapKey);
        if (!group) this.groups.set(mapKey, (group = this.newGroup([v])));
      } else {
        const values = new Array<SqlValue>(keys.length);
        let text = '';
        for (let k = 0; k < keys.length; k++) {
          values[k] = keys[k]!(row);
          text += `${distinctKey(values[k]!)}\u0000`;
        }
        group = this.groups.get(text);
        if (!group) this.groups.set(text, (group = this.newGroup(values)));
      }
    }
    const specs = this.specs;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      if (spec.arg === null) {
        group.accumulators[i]!.add(true);
        continue;
      }
      const value = spec.arg(row);
      const distinctSet = group.seen[i];
      if (distinctSet && value !== null) {
        const key = distinctKey(value);
        if (distinctSet.has(key)) continue;
        distinctSet.add(key);
      }
      group.accumulators[i]!.add(value);
    }
  }

  *results(): Generator<Row> {
    if (this.single) {
      yield this.single.accumulators.map((a) => a.result());
      return;
    }
    for (const group of this.groups.values()) {
      const out: Row = group.keys.slice();
      for (const a of group.accumulators) out.push(a.result());
      yield out;
    }
  }
}

export async function* aggregateRows(
  input: AsyncIterable<Row>,
  specs: readonly AggregateSpec[],
  keys: readonly Evaluator[] = [],
): AsyncGenerator<Row> {
  const aggregator = new Aggregator(specs, keys);
  for await (const row of input) aggregator.add(row);
  yield* aggregator.results();
}

/** The same over batches of rows, with WHERE fused in: no async step per row. */
export async function* aggregateBatches(
  input: AsyncIterable<Row[]>,
  specs: readonly AggregateSpec[],
  keys: readonly Evaluator[],
  test: ((row: Row) => boolean) | undefined,
  signal?: AbortSignal,
): AsyncGenerator<Row> {
  const aggregator = new Aggregator(specs, keys);
  for await (const batch of input) {
    signal?.throwIfAborted();
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      if (test && !test(row)) continue;
      aggregator.add(row);
    }
  }
  yield* aggregator.results();
}
