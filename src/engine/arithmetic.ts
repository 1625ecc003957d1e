// Arithmetic on numbers, by the static types of the operands (chosen once per expression, so
// a row pays for no type tests beyond its own kind of arithmetic):
//
//   integer  Integer/Long with Integer/Long. JS numbers while the result stays within ±2^53 (the
//            fast path, one Number.isSafeInteger test); beyond, bigint arithmetic, exact to
//            PostgreSQL's bigint range and an error ("bigint out of range", SQLSTATE 22003)
//            past it. `/` and `%` truncate toward zero.
//   numeric  a Decimal with a Decimal or an integer: exact (numeric.ts), with PostgreSQL's
//            result scales.
//   double   anything with a Double (or text read as a number): JS doubles.
//
// Division or modulo by zero is NULL in all three (values.ts says why).

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

export type ArithmeticKind = 'integer' | 'numeric' | 'double';

/** Which arithmetic `left op right` uses, from the operands' static types. */
export function arithmeticKind(left: DataType | null, right: DataType | null): ArithmeticKind {
  if (isIntegralType(left) && isIntegralType(right)) return 'integer';
  const exact = (t: DataType | null): boolean => t === 'Decimal' || isIntegralType(t);
  if ((left === 'Decimal' || right === 'Decimal') && exact(left) && exact(right)) return 'numeric';
  return 'double';
}

type Operation = (a: SqlValue, b: SqlValue) => SqlValue;

/** `a op b` for two non-NULL operands of the given kind. */
export function arithmeticOperation(op: string, kind: ArithmeticKind, pos?: Position): Operation {
  switch (kind) {
    case 'integer':
      return integerOperation(op, pos);
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

/** Integer arithmetic on numbers, whose result may pass ±2^53 (then redone exactly). */
export function fastInteger(op: string): (a: number, b: number) => number | null {
  switch (op) {
    case '/':
      // Exact for operands within ±2^53: the quotient is at least 1/b away from the next integer.
      return (a, b) => (b === 0 ? null : Math.trunc(a / b));
    default:
      return doubleArithmetic(op);
  }
}

function integerOperation(op: string, pos: Position | undefined): Operation {
  const fast = fastInteger(op);
  const exact = exactInteger(op);
  const double = doubleArithmetic(op);
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
        const r = fast(a, b);
        if (r === null || Number.isSafeInteger(r)) return r;
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
    return checkedBigint(r, pos);
  };
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

/** An exact integer result in the engine's form, or PostgreSQL's error past bigint's range. */
export function checkedBigint(value: bigint, pos?: Position): number | bigint {
  if (value < BIGINT_MIN || value > BIGINT_MAX) throw new ValueOutOfRange('bigint out of range', pos);
  return integerValue(value);
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

/** Unary minus of any number, exact for Numeric and bigint (and -(-2^63) out of range). */
export function negate(value: SqlValue, pos?: Position): SqlValue {
  if (typeof value === 'number') return -value;
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
