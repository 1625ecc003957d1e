// SUM and AVG, typed as PostgreSQL types them: SUM of integers is a bigint (SUM of bigints a
// numeric), exact past 2^53; SUM of numerics is an exact numeric with the largest scale; AVG of
// integers or numerics is a numeric, sum / count at PostgreSQL's division scale; of doubles a
// double. Intervals sum and average as intervals. The binder picks the variant for the
// argument's type (AggregateFunction.forArgType); the untyped one (a NULL or text argument)
// sums doubles.

import type { AggregateFunction, Accumulator } from '../functions.js';
import { Interval } from '../interval.js';
import { Numeric } from '../numeric.js';
import { checkedBigint } from '../arithmetic.js';
import type { DataType, SqlValue } from '../table.js';
import { isIntegralType, toNumber, toNumeric } from '../values.js';

/** Integers summed as numbers while the total stays within ±2^53, then as a bigint. */
class IntegerTotal {
  small = 0;
  big: bigint | null = null;
  count = 0;

  add(value: SqlValue): void {
    if (typeof value === 'number' && this.big === null && Number.isSafeInteger(value)) {
      const next = this.small + value;
      if (Number.isSafeInteger(next)) {
        this.small = next;
        this.count++;
        return;
      }
    }
    const exact = exactInteger(value);
    if (exact === null) return;
    this.big = (this.big ?? BigInt(this.small)) + exact;
    this.count++;
  }

  total(): bigint {
    return this.big ?? BigInt(this.small);
  }
}

function exactInteger(value: SqlValue): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : null;
  const n = toNumeric(value);
  return n === null ? null : n.toBigInt();
}

/** Numerics summed exactly. */
class NumericTotal {
  sum = Numeric.ZERO;
  count = 0;

  add(value: SqlValue): void {
    const n = toNumeric(value);
    if (n === null) return;
    this.sum = this.count === 0 ? n : this.sum.plus(n);
    this.count++;
  }
}

/** Doubles (and intervals) as before: JS arithmetic. */
function doubleSum(): Accumulator {
  let sum: number | null = null;
  let intervals: Interval | null = null;
  return {
    add(value) {
      if (value instanceof Interval) {
        intervals = intervals ? intervals.plus(value) : value;
        return;
      }
      const n = toNumber(value);
      if (n !== null) sum = (sum ?? 0) + n;
    },
    result: () => intervals ?? sum,
  };
}

function doubleAverage(): Accumulator {
  let sum = 0;
  let count = 0;
  let intervals: Interval | null = null;
  return {
    add(value) {
      if (value instanceof Interval) {
        intervals = intervals ? intervals.plus(value) : value;
        count++;
        return;
      }
      const n = toNumber(value);
      if (n === null) return;
      sum += n;
      count++;
    },
    result: () => (count === 0 ? null : intervals ? intervals.times(1 / count) : sum / count),
  };
}

function sumOf(argType: DataType | null): AggregateFunction {
  const base = { name: 'SUM', allowsStar: false, returnType: sumType, forArgType: sumOf };
  if (argType === 'Integer' || argType === 'Long') {
    const asNumeric = argType === 'Long';
    return {
      ...base,
      create() {
        const total = new IntegerTotal();
        return {
          add: (value) => value !== null && total.add(value),
          result: () => (total.count === 0 ? null : asNumeric ? Numeric.fromInteger(total.total()) : checkedBigint(total.total())),
        };
      },
    };
  }
  if (argType === 'Decimal') {
    return {
      ...base,
      create() {
        const total = new NumericTotal();
        return { add: (value) => value !== null && total.add(value), result: () => (total.count === 0 ? null : total.sum) };
      },
    };
  }
  return { ...base, create: doubleSum };
}

function avgOf(argType: DataType | null): AggregateFunction {
  const base = { name: 'AVG', allowsStar: false, returnType: avgType, forArgType: avgOf };
  if (isIntegralType(argType)) {
    return {
      ...base,
      create() {
        const total = new IntegerTotal();
        return {
          add: (value) => value !== null && total.add(value),
          result: () => (total.count === 0 ? null : Numeric.fromInteger(total.total()).dividedBy(Numeric.fromInteger(total.count))),
        };
      },
    };
  }
  if (argType === 'Decimal') {
    return {
      ...base,
      create() {
        const total = new NumericTotal();
        return {
          add: (value) => value !== null && total.add(value),
          result: () => (total.count === 0 ? null : total.sum.dividedBy(Numeric.fromInteger(total.count))),
        };
      },
    };
  }
  return { ...base, create: doubleAverage };
}

function sumType(t: DataType | null): DataType {
  if (t === 'Interval') return 'Interval';
  if (t === 'Integer') return 'Long';
  return t === 'Long' || t === 'Decimal' ? 'Decimal' : 'Double';
}

function avgType(t: DataType | null): DataType {
  if (t === 'Interval') return 'Interval';
  return isIntegralType(t) || t === 'Decimal' ? 'Decimal' : 'Double';
}

export const SUM: AggregateFunction = sumOf(null);
export const AVG: AggregateFunction = avgOf(null);
