// Values, types, coercion, comparison and three-valued logic: the rules every other engine file
// relies on, in one place.
//
// Representation: String → string, Boolean → boolean, Integer/Long/Decimal/Double → number,
// Datetime → Date (UTC), Date → Date at UTC midnight (PostgreSQL's date; only the type tells it
// from a Datetime, and a date compares with a timestamp as that midnight, as PostgreSQL's does),
// NULL → null. A boolean expression yields true, false or null (UNKNOWN).
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
// Arithmetic: integer op integer stays integer (`/` and `%` truncate toward zero); anything
// with a Double or Decimal is a number as JS computes it. Division or modulo by zero is NULL
// (not an error), so one bad row cannot abort a whole scan. Strings in arithmetic are parsed
// as numbers (NULL when they are not). `||` concatenates the text of both sides, NULL if
// either is NULL.
//
// Ordering: as in PostgreSQL, NULL sorts above every value — last in ASC, first in DESC.
// NULLS FIRST|LAST overrides it (`ORDER BY AmountTotal DESC NULLS LAST` to start with amounts).

import { Interval, parseInterval } from './interval.js';
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
      return Math.abs(value) <= 2147483647 ? 'Integer' : 'Long';
    default:
      return value instanceof Interval ? 'Interval' : 'Datetime';
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing text

const NUMBER_PATTERN = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export function parseNumber(text: string): number | null {
  return NUMBER_PATTERN.test(text) ? Number(text) : null;
}

const DATETIME_PATTERN =
  /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i;

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
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
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
  const ymd = `${String(year > 0 ? year : 1 - year).padStart(4, '0')}-${String(day.getUTCMonth() + 1).padStart(2, '0')}-${String(day.getUTCDate()).padStart(2, '0')}`;
  return year > 0 ? ymd : `${ymd} BC`;
}

// ---------------------------------------------------------------------------------------------
// Comparison

/** Negative, zero or positive; null when either side is NULL or the two cannot be compared. */
export function compareValues(a: SqlValue, b: SqlValue): number | null {
  // Numbers and strings first, in a body small enough for V8 to inline into every caller.
  if (typeof a === 'number') {
    if (typeof b === 'number') return a - b;
  } else if (typeof a === 'string' && typeof b === 'string') {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return compareOther(a, b);
}

/** compareValues for NULL, booleans, datetimes and mixed kinds. */
function compareOther(a: SqlValue, b: SqlValue): number | null {
  if (a === null || b === null) return null;
  const ta = typeof a;
  if (ta === typeof b) {
    if (ta === 'number') return (a as number) - (b as number);
    if (ta === 'string') return a < b ? -1 : a > b ? 1 : 0;
    if (ta === 'boolean') return Number(a) - Number(b);
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

/** Parses `text` as the kind of `model`, per the comparison coercion rule. */
function parseLike(model: SqlValue, text: string): SqlValue {
  if (typeof model === 'number') return parseNumber(text);
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
      return `d${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
    default:
      return value instanceof Date ? `t${value.getTime()}` : `i${value.totalMs()}`;
  }
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
      if (value instanceof Date) return value.toISOString();
      return String(value);
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') return parseBoolean(value) ?? undefined;
      if (value === 1 || value === 0) return value === 1;
      return undefined;
    case 'Integer':
    case 'Long':
    case 'Decimal':
    case 'Double': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value) : null;
      if (n === null || !Number.isFinite(n)) return undefined;
      if (mode === 'store' && isIntegralType(type) && !Number.isInteger(n)) return undefined;
      return n;
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
  if (typeof value === 'number') return String(value);
  if (value instanceof Interval) return `INTERVAL '${value.toString()}'`;
  return `'${value.toISOString()}'`;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

export function toNumber(value: SqlValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseNumber(value);
  return null;
}

export function valueToText(value: SqlValue): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
