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

/**
 * Integers summed as numbers while the total stays within ±2^53, then as a bigint. `count` is
 * the values added (NULLs are skipped). SUM and AVG of integers; as a class, so the running
 * total is a field updated in place (a closure's variable would box every new double).
 */
class IntegerTotal {
  small = 0;
  big: bigint | null = null;
  count = 0;

  add(value: SqlValue): void {
    if (value === null) return;
    if (typeof value === 'number' && this.big === null) {
      const next = this.small + value;
      // A safe integer added to a safe total: exact when the result is still safe.
      if (next <= Number.MAX_SAFE_INTEGER && next >= -Number.MAX_SAFE_INTEGER && Number.isInteger(value)) {
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

  /** The inverse of add, for a value added before (a sliding window frame). */
  remove(value: SqlValue): void {
    if (value === null) return;
    if (typeof value === 'number' && this.big === null) {
      const next = this.small - value;
      if (next <= Number.MAX_SAFE_INTEGER && next >= -Number.MAX_SAFE_INTEGER && Number.isInteger(value)) {
        this.small = next;
        this.count--;
        return;
      }
    }
    const exact = exactInteger(value);
    if (exact === null) return;
    this.big = (this.big ?? BigInt(this.small)) - exact;
    this.count--;
  }

  total(): bigint {
    return this.big ?? BigInt(this.small);
  }
}

/** SUM of integers: a bigint (Long) of integers, a numeric of Longs, as PostgreSQL types them. */
class IntegerSum extends IntegerTotal implements Accumulator {
  constructor(private readonly asNumeric: boolean) {
    super();
  }

  result(): SqlValue {
    if (this.count === 0) return null;
    if (this.big === null && !this.asNumeric) return this.small;
    return this.asNumeric ? Numeric.fromInteger(this.total()) : checkedBigint(this.total());
  }
}

/** AVG of integers: a numeric, sum / count at PostgreSQL's division scale. */
class IntegerAverage extends IntegerTotal implements Accumulator {
  result(): SqlValue {
    return this.count === 0 ? null : Numeric.fromInteger(this.total()).dividedBy(Numeric.fromInteger(this.count));
  }
}

function exactInteger(value: SqlValue): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : null;
  const n = toNumeric(value);
  return n === null ? null : n.toBigInt();
}

/**
 * Numerics summed exactly. The sum's scale is the largest of the values summed; with values
 * removed (a sliding window frame) it is the largest of those left, as PostgreSQL keeps it, so
 * each scale's count is kept.
 */
class NumericTotal {
  sum = Numeric.ZERO;
  count = 0;
  /** How many values of each scale are in the sum. */
  #scales: number[] = [];
  #removed = false;

  add(value: SqlValue): void {
    const n = toNumeric(value);
    if (n === null) return;
    this.sum = this.count === 0 ? n : this.sum.plus(n);
    this.count++;
    this.#scales[n.scale] = (this.#scales[n.scale] ?? 0) + 1;
  }

  remove(value: SqlValue): void {
    const n = toNumeric(value);
    if (n === null) return;
    this.sum = this.sum.minus(n);
    this.count--;
    this.#scales[n.scale]!--;
    this.#removed = true;
  }

  total(): Numeric {
    if (!this.#removed) return this.sum;
    let scale = this.sum.scale;
    while (scale > 0 && !this.#scales[scale]) scale--;
    return scale < this.sum.scale ? this.sum.round(scale) : this.sum;
  }
}

class NumericSum extends NumericTotal implements Accumulator {
  result(): SqlValue {
    return this.count === 0 ? null : this.total();
  }
}

class NumericAverage extends NumericTotal implements Accumulator {
  result(): SqlValue {
    return this.count === 0 ? null : this.total().dividedBy(Numeric.fromInteger(this.count));
  }
}

/**
 * Doubles (and intervals): JS arithmetic, summed in order as PostgreSQL sums them. `count` is
 * the values added. Infinities and NaN are counted apart from the finite sum (the total is what
 * a plain sum gives), so that a sliding window frame can remove one. The rounding of the running
 * sum is kept beside it (Neumaier's compensation): once a value is removed the total is the
 * compensated sum, which stays within a rounding of the exact sum however many values went
 * through, where a plain running sum keeps the rounding of every value gone.
 */
class DoubleTotal {
  sum = 0;
  count = 0;
  intervals: Interval | null = null;
  #positive = 0;
  #negative = 0;
  #nan = 0;
  #compensation = 0;
  #removed = false;

  add(value: SqlValue): void {
    if (typeof value !== 'number') {
      if (value instanceof Interval) {
        this.intervals = this.intervals ? this.intervals.plus(value) : value;
        this.count++;
        return;
      }
      const n = toNumber(value);
      if (n === null) return;
      value = n;
    }
    this.count++;
    if (value - value !== 0) this.#nonFinite(value, 1);
    else this.#plus(value);
  }

  remove(value: SqlValue): void {
    if (value instanceof Interval) {
      this.intervals = this.intervals!.plus(value.negate());
      this.count--;
      return;
    }
    const n = typeof value === 'number' ? value : toNumber(value);
    if (n === null) return;
    this.count--;
    this.#removed = true;
    if (n - n !== 0) this.#nonFinite(n, -1);
    else this.#plus(-n);
  }

  #nonFinite(n: number, step: 1 | -1): void {
    if (Number.isNaN(n)) this.#nan += step;
    else if (n > 0) this.#positive += step;
    else this.#negative += step;
  }

  /** `sum` stays the plain running sum; the compensation collects what its roundings lost. */
  #plus(n: number): void {
    const t = this.sum + n;
    this.#compensation += Math.abs(this.sum) >= Math.abs(n) ? this.sum - t + n : n - t + this.sum;
    this.sum = t;
  }

  total(): number {
    if (this.#nan > 0 || (this.#positive > 0 && this.#negative > 0)) return NaN;
    if (this.#positive > 0) return Infinity;
    if (this.#negative > 0) return -Infinity;
    return this.#removed ? this.sum + this.#compensation : this.sum;
  }
}

class DoubleSum extends DoubleTotal implements Accumulator {
  result(): SqlValue {
    return this.count === 0 ? null : (this.intervals ?? this.total());
  }
}

class DoubleAverage extends DoubleTotal implements Accumulator {
  result(): SqlValue {
    if (this.count === 0) return null;
    return this.intervals ? this.intervals.times(1 / this.count) : this.total() / this.count;
  }
}

function sumOf(argType: DataType | null): AggregateFunction {
  const base = { name: 'SUM', allowsStar: false, returnType: sumType, forArgType: sumOf };
  if (argType === 'Integer' || argType === 'Long') {
    const asNumeric = argType === 'Long';
    return { ...base, create: () => new IntegerSum(asNumeric) };
  }
  if (argType === 'Decimal') return { ...base, create: () => new NumericSum() };
  return { ...base, create: () => new DoubleSum() };
}

function avgOf(argType: DataType | null): AggregateFunction {
  const base = { name: 'AVG', allowsStar: false, returnType: avgType, forArgType: avgOf };
  if (isIntegralType(argType)) return { ...base, create: () => new IntegerAverage() };
  if (argType === 'Decimal') return { ...base, create: () => new NumericAverage() };
  return { ...base, create: () => new DoubleAverage() };
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
