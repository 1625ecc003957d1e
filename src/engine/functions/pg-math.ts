// PostgreSQL's numeric functions beyond the common core (math.ts): trunc, log / log10, cbrt,
// div, gcd / lcm, width_bucket, num_nulls / num_nonnulls, degrees / radians, the
// trigonometric functions and random(). Types follow PostgreSQL's: trunc and div of a numeric
// stay exact; an integer argument of trunc, log or cbrt is read as a double, as PostgreSQL
// resolves those functions. A result that is not a finite number is NULL (math.ts's rule).

import type { ScalarFunction } from '../functions.js';
import { Numeric } from '../numeric.js';
import type { DataType, SqlValue } from '../table.js';
import { isIntegralType, toNumber, toNumeric } from '../values.js';
import { integerArg } from './text.js';

const finite = (n: number): number | null => (Number.isFinite(n) ? n + 0 : null);

/** A double function of doubles: NULL in (or text that is no number) gives NULL. */
function double(name: string, arity: number, fn: (...n: number[]) => number): ScalarFunction {
  return {
    name,
    minArgs: arity,
    maxArgs: arity,
    returnType: () => 'Double',
    call: (args) => {
      const numbers = args.map((a) => toNumber(a));
      return numbers.some((n) => n === null) ? null : finite(fn(...(numbers as number[])));
    },
  };
}

/** trunc(x) and trunc(numeric, s): toward zero; a numeric stays exact. */
const trunc: ScalarFunction = {
  name: 'TRUNC',
  minArgs: 1,
  maxArgs: 2,
  returnType: ([type, scale]) => (type === 'Decimal' || scale !== undefined ? 'Decimal' : 'Double'),
  call: ([value, scaleArg]) => {
    if (value === null || scaleArg === null) return null;
    if (value instanceof Numeric || scaleArg !== undefined) {
      const n = toNumeric(value!);
      const scale = scaleArg === undefined ? 0 : integerArg(scaleArg);
      return n === null || scale === null ? null : n.truncate(scale);
    }
    const n = toNumber(value!);
    return n === null ? null : finite(Math.trunc(n));
  },
};

/** The value as PostgreSQL's numeric log writes it: 16 digits after the point. */
function numericOf(n: number): Numeric | null {
  return Number.isFinite(n) ? Numeric.fromDouble(n)?.round(16) ?? null : null;
}

/** log(x): base 10, a double (numeric for a numeric x); log(b, x): a numeric. */
const log: ScalarFunction = {
  name: 'LOG',
  minArgs: 1,
  maxArgs: 2,
  returnType: (types) => (types.length === 2 || types[0] === 'Decimal' ? 'Decimal' : 'Double'),
  call: (args) => {
    const numbers = args.map((a) => toNumber(a));
    if (numbers.some((n) => n === null || n <= 0)) return null;
    if (args.length === 2) return numbers[0] === 1 ? null : numericOf(Math.log(numbers[1]!) / Math.log(numbers[0]!));
    const result = Math.log10(numbers[0]!);
    return args[0] instanceof Numeric ? numericOf(result) : finite(result);
  },
};

/** div(a, b): the integer quotient toward zero, as a numeric. */
const div: ScalarFunction = {
  name: 'DIV',
  minArgs: 2,
  maxArgs: 2,
  returnType: () => 'Decimal',
  call: ([a, b]) => {
    const [x, y] = [toNumeric(a ?? null), toNumeric(b ?? null)];
    if (x === null || y === null || y.sign === 0) return null;
    return x.dividedBy(y, 20)?.truncate(0) ?? null;
  },
};

function gcdOf(a: bigint, b: bigint): bigint {
  [a, b] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function integerPair(name: string, fn: (a: bigint, b: bigint) => bigint): ScalarFunction {
  return {
    name,
    minArgs: 2,
    maxArgs: 2,
    returnType: ([a, b]) => (isIntegralType(a ?? null) && isIntegralType(b ?? null) ? (a === 'Long' || b === 'Long' ? 'Long' : 'Integer') : 'Decimal'),
    call: ([a, b]) => {
      const [x, y] = [toNumeric(a ?? null), toNumeric(b ?? null)];
      if (x === null || y === null || !x.isInteger() || !y.isInteger()) return null;
      const result = fn(x.toBigInt(), y.toBigInt());
      return typeof a === 'number' && typeof b === 'number' ? Number(result) : Numeric.fromInteger(result);
    },
  };
}

/** width_bucket(x, low, high, count): which of `count` equal buckets x falls in; 0 below, count + 1 above. */
const widthBucket: ScalarFunction = {
  name: 'WIDTH_BUCKET',
  minArgs: 4,
  maxArgs: 4,
  returnType: () => 'Integer',
  call: (args) => {
    const [x, low, high] = args.slice(0, 3).map((a) => toNumber(a ?? null));
    const count = integerArg(args[3]);
    if (x == null || low == null || high == null || count === null || count <= 0 || low === high) return null;
    const ascending = low < high;
    if (ascending ? x < low : x > low) return 0;
    if (ascending ? x >= high : x <= high) return count + 1;
    return Math.floor(((x - low) / (high - low)) * count) + 1;
  },
};

function countNulls(name: string, nulls: boolean): ScalarFunction {
  return { name, minArgs: 1, maxArgs: Infinity, returnType: () => 'Integer', call: (args: SqlValue[]) => args.filter((a) => (a === null) === nulls).length };
}

export const pgMathFunctions: ScalarFunction[] = [
  trunc,
  log,
  double('LOG10', 1, (x) => (x > 0 ? Math.log10(x) : NaN)),
  double('CBRT', 1, Math.cbrt),
  div,
  integerPair('GCD', gcdOf),
  integerPair('LCM', (a, b) => (a === 0n || b === 0n ? 0n : (a * b < 0n ? -(a * b) : a * b) / gcdOf(a, b))),
  widthBucket,
  countNulls('NUM_NULLS', true),
  countNulls('NUM_NONNULLS', false),
  double('DEGREES', 1, (x) => (x * 180) / Math.PI),
  double('RADIANS', 1, (x) => (x * Math.PI) / 180),
  double('SIN', 1, Math.sin),
  double('COS', 1, Math.cos),
  double('TAN', 1, Math.tan),
  double('ASIN', 1, Math.asin),
  double('ACOS', 1, Math.acos),
  double('ATAN', 1, Math.atan),
  double('ATAN2', 2, Math.atan2),
  { name: 'RANDOM', minArgs: 0, maxArgs: 0, returnType: () => 'Double', volatile: true, call: () => Math.random() },
];
