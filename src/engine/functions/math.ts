// Numeric functions. Strings are parsed as numbers (NULL when they are not), NULL in → NULL
// out, and a result that is not a finite number (SQRT(-1), POWER(0, -1), overflow) is NULL
// rather than an error — the engine's rule for division by zero; NaN and ±Infinity given in
// come out as float8's functions give them (ABS('-Infinity') is Infinity). Integer arguments keep an
// integer type where SQL Server keeps one (ABS, ROUND, FLOOR, CEILING, SIGN, MOD).

import type { ScalarFunction } from '../functions.js';
import type { DataType, SqlValue } from '../table.js';
import { checkedBigint, ValueOutOfRange } from '../arithmetic.js';
import { isIntegralType, isNumericType, toNumber } from '../values.js';
import { Numeric } from '../numeric.js';

/** The argument's numeric type, or Double when it is not numeric (a string parsed at run time). */
function sameNumericType(types: (DataType | null)[]): DataType {
  const t = types[0] ?? null;
  return isNumericType(t) ? t! : 'Double';
}

function finite(n: number): number | null {
  // `+ 0` turns -0 into 0: SQL has no negative zero.
  return Number.isFinite(n) ? n + 0 : null;
}

/** `exact`, when given, computes a Decimal's result exactly (PostgreSQL's numeric variant). */
function numeric1(name: string, fn: (n: number) => number, returnType: (types: (DataType | null)[]) => DataType, exact?: (n: Numeric) => Numeric): ScalarFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    returnType,
    call: ([value]) => {
      if (exact && value instanceof Numeric) return exact(value);
      const n = toNumber(value ?? null);
      // NaN or an infinity in gives what float8 gives (sqrt('Infinity') is Infinity); a non-finite result of a finite input is NULL.
      return n === null ? null : Number.isFinite(n) ? finite(fn(n)) : fn(n);
    },
  };
}

/**
 * ABS of an integer stays in its type, as PostgreSQL's int4abs and int8abs: exact for a bigint,
 * and out of range for the one value whose magnitude the type cannot hold (-2^31, -2^63).
 */
function integerExactAbs(abs: ScalarFunction): ScalarFunction {
  const integerAbs = (type: DataType | null) => ([value]: SqlValue[]): SqlValue => {
    if (typeof value === 'bigint') return value < 0n ? checkedBigint(-value) : value;
    if (type === 'Integer' && value === -2147483648) throw new ValueOutOfRange('integer out of range');
    return abs.call([value ?? null]);
  };
  return { ...abs, specialize: ([arg]) => (isIntegralType(arg?.type ?? null) ? { ...abs, call: integerAbs(arg!.type) } : abs) };
}

function numeric0(name: string, value: number): ScalarFunction {
  return { name, minArgs: 0, maxArgs: 0, returnType: () => 'Double', call: () => value };
}

/**
 * Rounds half away from zero at `digits` decimals (negative: to tens, hundreds…), on the
 * decimal text of the number so that 2.675 rounds to 2.68 as a person (and SQL's NUMERIC) expects.
 */
export function roundHalfAway(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  const text = String(magnitude);
  let rounded: number;
  if (!text.includes('e')) {
    const shifted = Number(`${text}e${digits}`);
    // Past 2^53 a double has no fraction left to round (and its text would need an exponent).
    if (!Number.isFinite(shifted) || shifted >= 2 ** 53) return value;
    rounded = Number(`${Math.round(shifted)}e${-digits}`);
  } else {
    // Exponent notation (below 1e-6 or above 1e21): scale arithmetically.
    const factor = 10 ** digits;
    if (!Number.isFinite(factor)) return value;
    rounded = factor === 0 ? 0 : Math.round(magnitude * factor) / factor;
  }
  return Math.sign(value) * rounded + 0;
}

const double = (): DataType => 'Double';

export const mathFunctions: ScalarFunction[] = [
  integerExactAbs(numeric1('ABS', Math.abs, sameNumericType, (n) => n.abs())),
  numeric1('FLOOR', Math.floor, sameNumericType, (n) => n.floor()),
  numeric1('CEILING', Math.ceil, sameNumericType, (n) => n.ceil()),
  numeric1('CEIL', Math.ceil, sameNumericType, (n) => n.ceil()),
  numeric1('SIGN', (n) => (n > 0 ? 1 : n < 0 ? -1 : 0), sameNumericType, (n) => (n.special === 'NaN' ? n : Numeric.fromInteger(n.sign))),
  numeric1('SQRT', Math.sqrt, double),
  numeric1('EXP', Math.exp, double),
  numeric1('LN', (n) => (n > 0 ? Math.log(n) : NaN), double),
  numeric1('LOG10', (n) => (n > 0 ? Math.log10(n) : NaN), double),
  numeric0('PI', Math.PI),
  {
    name: 'ROUND',
    minArgs: 1,
    maxArgs: 2,
    returnType: sameNumericType,
    call: ([value, digitsArg]) => {
      const digits = digitsArg === undefined ? 0 : toNumber(digitsArg);
      if (value instanceof Numeric && digits !== null) return value.round(Math.trunc(digits));
      const n = toNumber(value ?? null);
      if (n === null || digits === null) return null;
      return Number.isFinite(n) ? finite(roundHalfAway(n, Math.trunc(digits))) : n;
    },
  },
  {
    name: 'POWER',
    minArgs: 2,
    maxArgs: 2,
    returnType: double,
    call: ([base, exponent]) => {
      const [b, e] = [toNumber(base ?? null), toNumber(exponent ?? null)];
      return b === null || e === null ? null : finite(b ** e);
    },
  },
  {
    // MOD(a, b) is a % b: the sign follows a; b = 0 gives NULL.
    name: 'MOD',
    minArgs: 2,
    maxArgs: 2,
    returnType: ([a, b]) => (isIntegralType(a ?? null) && isIntegralType(b ?? null) ? (a === 'Long' || b === 'Long' ? 'Long' : 'Integer') : 'Double'),
    call: ([a, b]) => {
      const [x, y] = [toNumber(a ?? null), toNumber(b ?? null)];
      return x === null || y === null || y === 0 ? null : finite(x % y);
    },
  },
];
