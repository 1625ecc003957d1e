import type { Evaluator } from '../expressions.js';
import type { AggregateFunction } from '../functions.js';
import type { Row } from '../table.js';
import { distinctKey } from '../values.js';

export interface AggregateSpec {
  fn: AggregateFunction;
  /** Null for COUNT(*), which counts rows. */
  arg: Evaluator | null;
  distinct: boolean;
}

/** Aggregation without GROUP BY: folds every input row into one row of aggregate results. */
export async function* aggregateRows(input: AsyncIterable<Row>, specs: readonly AggregateSpec[]): AsyncGenerator<Row> {
  const accumulators = specs.map((spec) => spec.fn.create());
  const seen = specs.map((spec) => (spec.distinct ? new Set<string>() : null));
  for await (const row of input) {
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      if (spec.arg === null) {
        accumulators[i]!.add(true);
        continue;
      }
      const value = spec.arg(row);
      const distinctSet = seen[i];
      if (distinctSet && value !== null) {
        const key = distinctKey(value);
        if (distinctSet.has(key)) continue;
        distinctSet.add(key);
      }
      accumulators[i]!.add(value);
    }
  }
  yield accumulators.map((a) => a.result());
}
