// Arithmetic on numbers, by the static types of the operands (chosen once per expression, so
// a row pays for no type tests beyond its own kind of arithmetic):
//
//   int4     Integer with Integer (PostgreSQL's integer op integer): JS numbers, and an error
//            ("integer out of range", SQLSTATE 22003) past ±2^31, as PostgreSQL's int4 raises.
//            An operand already past ±2^31 (Stripe's integers have no such bound) makes it int8's.
//   int8     Integer/Long with a Long (PostgreSQL promotes int4 with int8 to int8): JS numbers
//            while the result stays within ±2^53 (the fast path, one range test); beyond,
//            bigint arithmetic, exact to PostgreSQL's bigint range and an error ("bigint out of
//            range") past it.
//            In both, `/` and `%` truncate toward zero.
//   numeric  a Decimal with a Decimal or an integer: exact (numeric.ts), with PostgreSQL's
//            result scales.
//   double   anything with a Double (or text read as a number): JS doubles.
//
// Division or modulo by zero is NULL in each (values.ts says why).

import type { Position } from '../sql/ast.js';
import { Numeric } from './numeric.js';
import type { DataType, SqlValue } from './table.js';
import { BIGINT_MAX, BIGINT_MIN, integerValue, isIntegralType, toNumber, toNumeric } from './values.js';

/**
 * A value beyond its type's range (bigint out of range, numeric field overflow), raised while
 * rows are computed; the statement's edge (statement-errors.ts) turns it into a SqlError at `pos`.
 */
export class ValueOutOfRange extends Error {
  override name = 'ValueOutOfRange';
  constructor(
    message: string,
    readonly pos?: Position,
  ) {
    super(message);
  }
}

export type ArithmeticKind = 'int4' | 'int8' | 'numeric' | 'double';

/** Which arithmetic `left op right` uses, from the operands' static types. */
export function arithmeticKind(left: DataType | null, right: DataType | null): ArithmeticKind {
  if (isIntegralType(left) && isIntegralType(right)) return left === 'Long' || right === 'Long' ? 'int8' : 'int4';
  const exact = (t: DataType | null): boolean => t === 'Decimal' || isIntegralType(t);
  if ((left === 'Decimal' || right === 'Decimal') && exact(left) && exact(right)) return 'numeric';
  return 'double';
}

type Operation = (a: SqlValue, b: SqlValue) => SqlValue;

/** `a op b` for two non-NULL operands of the given kind. */
export function arithmeticOperation(op: string, kind: ArithmeticKind, pos?: Position): Operation {
  switch (kind) {
    case 'int4':
      return integerOperation(op, INT4, pos);
    case 'int8':
      return integerOperation(op, INT8, pos);
    case 'numeric':
      return numericOperation(op);
    default:
      return doubleOperation(op);
  }
}

function doubleOperation(op: string): Operation {
  const apply = doubleArithmetic(op);
  return (a, b) => {
    const x = toNumber(a);
    if (x === null) return null;
    const y = toNumber(b);
    return y === null ? null : apply(x, y);
  };
}

export function doubleArithmetic(op: string): (a: number, b: number) => number | null {
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => (b === 0 ? null : a / b);
    default:
      return (a, b) => (b === 0 ? null : a % b);
  }
}

/** An integer type's range: within [fastMin, fastMax] a JS-number result is kept as it is. */
interface IntegerRange {
  readonly min: bigint;
  readonly max: bigint;
  readonly fastMin: number;
  readonly fastMax: number;
  readonly error: string;
}

const INT4: IntegerRange = { min: -(2n ** 31n), max: 2n ** 31n - 1n, fastMin: -(2 ** 31), fastMax: 2 ** 31 - 1, error: 'integer out of range' };
const INT8: IntegerRange = { min: BIGINT_MIN, max: BIGINT_MAX, fastMin: Number.MIN_SAFE_INTEGER, fastMax: Number.MAX_SAFE_INTEGER, error: 'bigint out of range' };

/** Integer arithmetic on safe-integer numbers, whose result may leave the range (then redone exactly). */
function fastInteger(op: string): (a: number, b: number) => number | null {
  switch (op) {
    case '/':
      // Exact for operands within ±2^53: the quotient is at least 1/b away from the next integer.
      return (a, b) => (b === 0 ? null : Math.trunc(a / b));
    default:
      return doubleArithmetic(op);
  }
}

/**
 * The one integer path, for int4 and int8 alike: safe-integer operands whose result stays
 * within the type's fast range are done on JS numbers; anything else is redone in bigint and
 * checked against the type's range (an out-of-range double result is out of range exactly too,
 * as rounding never crosses ±2^31 or ±2^53).
 */
function integerOperation(op: string, range: IntegerRange, pos: Position | undefined): Operation {
  const fast = fastInteger(op);
  const exact = exactInteger(op);
  const double = doubleArithmetic(op);
  const { fastMin, fastMax } = range;
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
        const r = fast(a, b);
        if (r === null || (r >= fastMin && r <= fastMax)) return r;
      } else if (!Number.isInteger(a) || !Number.isInteger(b)) {
        // Not integers after all (a typed parameter given 1.5): as doubles, as before.
        return double(a, b);
      }
    }
    const x = exactIntegerOf(a);
    const y = exactIntegerOf(b);
    if (x === null || y === null) {
      const [dx, dy] = [toNumber(a), toNumber(b)];
      return dx === null || dy === null ? null : double(dx, dy);
    }
    const r = exact(x, y);
    if (r === null) return null;
    // A Stripe integer past int4 (an amount in a currency of many digits) is no int4 PostgreSQL
    // could hold: arithmetic on it runs as bigint's, where an int4 result would fail on its input.
    const widened = range === INT4 && (outside(x, INT4) || outside(y, INT4)) ? INT8 : range;
    return checkedInteger(r, widened, pos);
  };
}

function outside(value: bigint, range: IntegerRange): boolean {
  return value < range.min || value > range.max;
}

/** An integral value as a bigint; null for text or a fraction. */
function exactIntegerOf(value: SqlValue): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : null;
  if (value instanceof Numeric && value.isInteger()) return value.toBigInt();
  return null;
}

function exactInteger(op: string): (a: bigint, b: bigint) => bigint | null {
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => (b === 0n ? null : a / b);
    default:
      return (a, b) => (b === 0n ? null : a % b);
  }
}

/** An exact integer result in the engine's form, or PostgreSQL's error past the type's range. */
function checkedInteger(value: bigint, range: IntegerRange, pos?: Position): number | bigint {
  if (value < range.min || value > range.max) throw new ValueOutOfRange(range.error, pos);
  return integerValue(value);
}

/** An exact integer result in the engine's form, or PostgreSQL's error past bigint's range. */
export function checkedBigint(value: bigint, pos?: Position): number | bigint {
  return checkedInteger(value, INT8, pos);
}

function numericOperation(op: string): Operation {
  const apply = numericArithmetic(op);
  return (a, b) => {
    const x = toNumeric(a);
    if (x === null) return null;
    const y = toNumeric(b);
    return y === null ? null : apply(x, y);
  };
}

function numericArithmetic(op: string): (a: Numeric, b: Numeric) => Numeric | null {
  switch (op) {
    case '+':
      return (a, b) => a.plus(b);
    case '-':
      return (a, b) => a.minus(b);
    case '*':
      return (a, b) => a.times(b);
    case '/':
      return (a, b) => a.dividedBy(b);
    default:
      return (a, b) => a.mod(b);
  }
}

/** Unary minus of any number, exact for Numeric and bigint (and -(-2^63) out of range; -(-2^31) too for an Integer). */
export function negate(value: SqlValue, pos?: Position, type: DataType | null = null): SqlValue {
  if (typeof value === 'number') {
    if (type === 'Integer' && value === -(2 ** 31)) throw new ValueOutOfRange(INT4.error, pos);
    return -value;
  }
  if (value instanceof Numeric) return value.negated();
  if (typeof value === 'bigint') return checkedBigint(-value, pos);
  const n = toNumber(value);
  return n === null ? null : -n;
}

/** Unary plus: a number as it is, text read as a number. */
export function unaryPlus(value: SqlValue): SqlValue {
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Numeric) return value;
  return toNumber(value);
}
