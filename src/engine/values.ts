// Values, types, coercion, comparison and three-valued logic: the rules every other engine file
// relies on, in one place.
//
// Representation: String → string, Boolean → boolean, Integer/Double → number, Long → number
// (a bigint beyond ±2^53, never one within, so each value has one form), Decimal → Numeric
// (exact, numeric.ts), Datetime → Date (UTC), Date → Date at UTC midnight (PostgreSQL's date;
// only the type tells it from a Datetime, and a date compares with a timestamp as that
// midnight, as PostgreSQL's does), NULL → null. A boolean expression yields true, false or
// null (UNKNOWN).
//
// Comparison coercion, one rule — when the two sides differ in kind, the string side is parsed
// as the other side's kind:
//   Datetime vs string → the string is parsed as a UTC datetime ('2024-01-18',
//                        '2024-01-18 02:16:47', '2024-01-18 02:16:47.0', '2024-01-18T02:16:47Z')
//   number vs string   → the string is parsed as a number
//   Boolean vs string  → 'true' / 'false' (any case)
// A parse that fails, or any other mix of kinds, makes the comparison NULL. Comparing with NULL
// is NULL. Strings compare case-sensitively by UTF-16 code unit.
//
// Arithmetic (arithmetic.ts): integer op integer stays integer (`/` and `%` truncate toward
// zero), exact to 2^63 and an error beyond, as PostgreSQL's bigint; Decimal with an integer or
// Decimal is exact numeric; anything with a Double is a double. Division or modulo by zero is NULL
// (not an error), so one bad row cannot abort a whole scan. Strings in arithmetic are parsed
// as numbers (NULL when they are not). `||` concatenates the text of both sides, NULL if
// either is NULL.
//
// Ordering: as in PostgreSQL, NULL sorts above every value — last in ASC, first in DESC.
// NULLS FIRST|LAST overrides it (`ORDER BY AmountTotal DESC NULLS LAST` to start with amounts).

import { SqlArray, SqlRecord, compareComposites, isComposite } from './composite.js';
import { Interval, parseInterval } from './interval.js';
import { Numeric } from './numeric.js';
import type { DataType, SqlValue } from './table.js';

export type { DataType, SqlValue };

/**
 * Where NULLs go when ORDER BY says nothing: as in PostgreSQL, above every value, so last in
 * ascending order and first in descending order.
 */
export function defaultNullsFirst(descending: boolean): boolean {
  return descending;
}

/** Three-valued logic: true, false, or null for UNKNOWN. */
export type Truth = boolean | null;

export function isNumericType(type: DataType | null): boolean {
  return type === 'Integer' || type === 'Long' || type === 'Decimal' || type === 'Double';
}

export function isIntegralType(type: DataType | null): boolean {
  return type === 'Integer' || type === 'Long';
}

/** The DataType a JS value naturally has (null for NULL). */
export function typeOfValue(value: SqlValue): DataType | null {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'number':
      if (!Number.isInteger(value)) return 'Double';
      return value >= -2147483648 && value <= 2147483647 ? 'Integer' : 'Long';
    case 'bigint':
      return 'Long';
    default:
      if (value instanceof SqlArray) return 'Array';
      if (value instanceof SqlRecord) return 'Record';
      return value instanceof Interval ? 'Interval' : value instanceof Numeric ? 'Decimal' : 'Datetime';
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing text

const NUMBER_PATTERN = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export function parseNumber(text: string): number | null {
  return NUMBER_PATTERN.test(text) ? Number(text) : null;
}

const DOUBLE_SPECIAL = /^\s*([+-]?)(nan|infinity|inf)\s*$/i;

/** Text as float8 reads it: a number, or NaN, [+-]Infinity, [+-]inf (any case); null otherwise. */
export function parseDouble(text: string): number | null {
  const n = parseNumber(text);
  if (n !== null) return n;
  const special = DOUBLE_SPECIAL.exec(text);
  if (!special) return null;
  if (special[2]!.toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/** PostgreSQL's bigint range. */
export const BIGINT_MIN = -(2n ** 63n);
export const BIGINT_MAX = 2n ** 63n - 1n;

/** An integer in the engine's one form for it: a number within ±2^53, else the bigint. */
export function integerValue(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/** Integer text exactly, as a number or (beyond ±2^53) a bigint; null when it is not integer text. */
export function parseInteger(text: string): number | bigint | null {
  if (!INTEGER_TEXT.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : integerValue(BigInt(text.trim()));
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** Any numeric value (or numeric text) as an exact Numeric (NaN and ±Infinity as numeric's own); null when it is not a number. */
export function toNumeric(value: SqlValue): Numeric | null {
  if (value instanceof Numeric) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Numeric.fromNumber(value);
  if (typeof value === 'string') return Numeric.parse(value);
  return null;
}

const DATETIME_PATTERN =
  /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/** Parses the accepted datetime literal formats as UTC; null when the text is not one. */
export function parseDatetime(text: string): Date | null {
  const m = DATETIME_PATTERN.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  let time = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(time);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const zone = m[8];
  if (zone && zone[0] !== 'Z' && zone[0] !== 'z' && zone[0] !== 'U' && zone[0] !== 'u') {
    // PostgreSQL writes the offset as +HH, +HH:MM or +HHMM; all three are read.
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60000;
  }
  return new Date(time);
}

function parseBoolean(text: string): boolean | null {
  const lower = text.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

/** The day of an instant, as a Date value: its UTC midnight. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** A Date value as PostgreSQL writes a date: `2024-03-01` (years before 1 as `0001-01-01 BC`). */
export function formatDate(day: Date): string {
  const year = day.getUTCFullYear();
  return year > 0 ? calendarDay(day) : `${calendarDay(day)} BC`;
}

function calendarDay(d: Date): string {
  const year = d.getUTCFullYear();
  return `${String(year > 0 ? year : 1 - year).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A Datetime as PostgreSQL writes a timestamptz in UTC: `2024-03-01 13:45:00+00`, the fraction
 * of a second only when there is one (`…:00.25+00`).
 */
export function formatTimestamp(at: Date): string {
  const ms = at.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`.replace(/0+$/, '');
  const clock = `${pad2(at.getUTCHours())}:${pad2(at.getUTCMinutes())}:${pad2(at.getUTCSeconds())}${fraction}`;
  return `${calendarDay(at)} ${clock}+00${at.getUTCFullYear() > 0 ? '' : ' BC'}`;
}

// ---------------------------------------------------------------------------------------------
// Comparison

/** Negative, zero or positive; null when either side is NULL or the two cannot be compared. */
export function compareValues(a: SqlValue, b: SqlValue): number | null {
  // Numbers and strings first, in a body small enough for V8 to inline into every caller.
  if (typeof a === 'number') {
    if (typeof b === 'number') {
      const d = a - b;
      return d === d ? d : compareDoubles(a, b);
    }
  } else if (typeof a === 'string' && typeof b === 'string') {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return compareOther(a, b);
}

/**
 * Two doubles as PostgreSQL orders float8: NaN equals NaN and sorts above everything, equal
 * infinities are equal (their difference is NaN, which only these cases reach).
 */
export function compareDoubles(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** compareValues for NULL, booleans, datetimes and mixed kinds. */
function compareOther(a: SqlValue, b: SqlValue): number | null {
  if (a === null || b === null) return null;
  const ta = typeof a;
  if (a instanceof Numeric || b instanceof Numeric) return compareNumeric(a, b);
  if (ta === 'bigint' || typeof b === 'bigint') {
    // A Long beyond ±2^53 with another number; JS compares number and bigint exactly.
    if ((ta === 'bigint' || ta === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
      const [x, y] = [a as number | bigint, b as number | bigint];
      if (x !== x || y !== y) return x !== x ? 1 : -1; // a NaN double: above any integer
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  if (ta === typeof b) {
    if (ta === 'number') return (a as number) - (b as number);
    if (ta === 'string') return a < b ? -1 : a > b ? 1 : 0;
    if (ta === 'boolean') return Number(a) - Number(b);
    if (isComposite(a) || isComposite(b)) return isComposite(a) && isComposite(b) ? compareComposites(a, b, compareValues) : null;
    if (a instanceof Interval || b instanceof Interval) return a instanceof Interval && b instanceof Interval ? a.totalMs() - b.totalMs() : null;
    return (a as Date).getTime() - (b as Date).getTime();
  }
  if (typeof b === 'string') {
    const parsed = parseLike(a, b);
    return parsed === null ? null : compareValues(a, parsed);
  }
  if (ta === 'string') {
    const parsed = parseLike(b, a as string);
    return parsed === null ? null : compareValues(parsed, b);
  }
  return null;
}

/**
 * A Numeric with another number: exactly against integers and numerics, as doubles against a
 * double (PostgreSQL compares numeric with float8 as float8); text is read as numeric.
 */
function compareNumeric(a: SqlValue, b: SqlValue): number | null {
  if (typeof a === 'number' && !Number.isInteger(a)) return compareDoubles(a, (b as Numeric).toNumber());
  if (typeof b === 'number' && !Number.isInteger(b)) return compareDoubles((a as Numeric).toNumber(), b);
  const [x, y] = [toNumeric(a), toNumeric(b)];
  return x === null || y === null ? null : x.compareTo(y);
}

/** Parses `text` as the kind of `model`, per the comparison coercion rule. */
function parseLike(model: SqlValue, text: string): SqlValue {
  if (typeof model === 'number') return parseNumber(text);
  if (typeof model === 'bigint') return parseInteger(text) ?? parseNumber(text);
  if (typeof model === 'boolean') return parseBoolean(text);
  if (model instanceof Date) return parseDatetime(text);
  if (model instanceof Interval) return parseInterval(text);
  return null;
}

/** SQL equality: NULL when either side is NULL. */
export function sqlEquals(a: SqlValue, b: SqlValue): Truth {
  const c = compareValues(a, b);
  return c === null ? null : c === 0;
}

/** Equality for DISTINCT and IN-list deduplication: NULLs are equal to each other. */
export function distinctKey(value: SqlValue): string {
  if (value === null) return 'n';
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
    case 'bigint':
      return `d${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
    default:
      if (value instanceof Numeric) return `d${value.key()}`;
      if (isComposite(value)) return `c${value.toString()}`;
      return value instanceof Date ? `t${value.getTime()}` : `i${value.totalMs()}`;
  }
}

/**
 * A value as a Map or Set key (GROUP BY, hash joins, IN sets): equal values give equal keys. A
 * Date by its instant, an interval by its length, a Numeric by value — the number it equals
 * when a double holds it exactly, so 5 and 5.00 meet; primitives as they are.
 */
export function hashKeyOf(value: SqlValue): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return `t${value.getTime()}`;
  if (value instanceof Numeric) {
    const key = value.key();
    const n = Number(key);
    return String(n) === key ? n : `d${key}`;
  }
  if (isComposite(value)) return `c${value.toString()}`;
  return `i${value.totalMs()}`;
}

// ---------------------------------------------------------------------------------------------
// Three-valued logic

export function and3(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

export function or3(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

export function not3(a: Truth): Truth {
  return a === null ? null : !a;
}

/** The truth of a value used as a condition: booleans as is, NULL unknown, others by kind. */
export function toTruth(value: SqlValue): Truth {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return parseBoolean(value);
  if (typeof value === 'bigint') return value !== 0n;
  if (value instanceof Numeric) return value.sign !== 0;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Coercion to a column type

export type CoercionMode =
  /** Writing a value (INSERT): integral columns need integral values. */
  | 'store'
  /** Comparing with a column (pushdown): any number compares with any numeric column. */
  | 'compare';

/** Converts `value` to `type`; undefined when it cannot. NULL stays NULL. */
export function coerceToType(value: SqlValue, type: DataType, mode: CoercionMode): SqlValue | undefined {
  if (value === null) return null;
  switch (type) {
    case 'String':
      if (typeof value === 'string') return value;
      if (value instanceof Date) return formatTimestamp(value);
      return String(value);
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') return parseBoolean(value) ?? undefined;
      if (value === 1 || value === 0) return value === 1;
      return undefined;
    case 'Decimal': {
      // Exact: a decimal column compared with or given 0.1 holds 0.1, not the nearest double.
      const n = typeof value === 'boolean' || value instanceof Date || value instanceof Interval ? null : toNumeric(value);
      return n ?? undefined;
    }
    case 'Integer':
    case 'Long': {
      if (typeof value === 'string') {
        const exact = parseInteger(value);
        if (exact !== null) return exact;
      }
      if (typeof value === 'bigint') return value;
      if (value instanceof Numeric) {
        if (value.isInteger()) return integerValue(value.toBigInt());
        // Compared with an integer column: as the double (pushdown rounds fractional bounds).
        return mode === 'store' ? undefined : value.toNumber();
      }
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value) : null;
      if (n === null || !Number.isFinite(n)) return undefined;
      if (mode === 'store' && !Number.isInteger(n)) return undefined;
      return n;
    }
    case 'Double': {
      // NaN and ±Infinity are float8 values too ('NaN'::float8, a numeric NaN).
      const n = toNumber(value);
      return n === null ? undefined : n;
    }
    case 'Datetime':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
      if (typeof value === 'string') return parseDatetime(value) ?? undefined;
      return undefined;
    case 'Date': {
      const d = coerceToType(value, 'Datetime', mode);
      return d instanceof Date ? startOfUtcDay(d) : undefined;
    }
    case 'Interval':
      if (value instanceof Interval) return value;
      if (typeof value === 'string') return parseInterval(value) ?? undefined;
      return undefined;
  }
}

/** A value written as SQL text, for messages and EXPLAIN. */
export function formatSqlValue(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Numeric) return String(value);
  if (value instanceof Interval) return `INTERVAL '${value.toString()}'`;
  if (isComposite(value)) return `'${value.toString().replace(/'/g, "''")}'`;
  return `'${value.toISOString()}'`;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/** A number as a double (Numeric and bigint to the nearest); text parsed; null for anything else. */
export function toNumber(value: SqlValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseDouble(value);
  if (value instanceof Numeric) return value.toNumber();
  if (typeof value === 'bigint') return Number(value);
  return null;
}

export function valueToText(value: SqlValue): string | null {
  if (value === null) return null;
  if (value instanceof Date) return formatTimestamp(value);
  return String(value);
}
