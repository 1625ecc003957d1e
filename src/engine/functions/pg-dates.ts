// PostgreSQL's date functions: DATE_PART and EXTRACT with PostgreSQL's fields, TO_CHAR's
// common template patterns, TO_TIMESTAMP, CURRENT_DATE and LOCALTIMESTAMP. All in UTC, as every
// instant is here. A field or pattern we cannot read gives NULL (never an error mid-scan).

import type { ScalarFunction } from '../functions.js';
import type { DataType, SqlValue } from '../table.js';
import { Numeric } from '../numeric.js';
import { toNumber, valueToText } from '../values.js';
import { datetimeArg } from './date.js';
import { Interval } from '../interval.js';

const DAY_MS = 86_400_000;

/** ISO 8601 week number and its year (weeks start on Monday; week 1 holds the first Thursday). */
function isoWeek(d: Date): { week: number; year: number } {
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  thursday.setUTCDate(thursday.getUTCDate() + 4 - (thursday.getUTCDay() || 7));
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return { week, year };
}

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
}

export function pgDatePart(field: string, d: Date): number | null {
  const year = d.getUTCFullYear();
  const seconds = d.getUTCSeconds() + d.getUTCMilliseconds() / 1000;
  switch (field.toLowerCase().replace(/s$/, '')) {
    case 'year': return year;
    case 'month': return d.getUTCMonth() + 1;
    case 'day': return d.getUTCDate();
    case 'hour': return d.getUTCHours();
    case 'minute': return d.getUTCMinutes();
    case 'second': return seconds;
    case 'millisecond': return seconds * 1000;
    case 'microsecond': return seconds * 1_000_000;
    case 'dow': return d.getUTCDay();
    case 'isodow': return d.getUTCDay() === 0 ? 7 : d.getUTCDay();
    case 'doy': return dayOfYear(d);
    case 'week': return isoWeek(d).week;
    case 'isoyear': return isoWeek(d).year;
    case 'quarter': return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'epoch': return d.getTime() / 1000;
    case 'decade': return Math.floor(year / 10);
    case 'century': return year > 0 ? Math.floor((year - 1) / 100) + 1 : Math.floor(year / 100);
    case 'millennium': return year > 0 ? Math.floor((year - 1) / 1000) + 1 : Math.floor(year / 1000);
    default: return null;
  }
}

/** EXTRACT from an interval: its own fields (`day` is the days field, not a total), or `epoch` seconds. */
function intervalPart(field: string, interval: Interval): number | null {
  const time = interval.ms;
  switch (field.toLowerCase().replace(/s$/, '')) {
    case 'epoch': return interval.epochSeconds();
    case 'year': return Math.trunc(interval.months / 12);
    case 'month': return interval.months % 12;
    case 'day': return interval.days;
    case 'hour': return Math.trunc(time / 3_600_000);
    case 'minute': return Math.trunc((time % 3_600_000) / 60_000);
    case 'second': return (time % 60_000) / 1000;
    case 'millisecond': return time % 60_000;
    default: return null;
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Longest first, so `YYYY` wins over `YY` and `HH24` over `HH`. */
const PATTERNS = ['YYYY', 'HH24', 'HH12', 'MONTH', 'Month', 'month', 'DDD', 'IYYY', 'YYY', 'MON', 'Mon', 'mon', 'DAY', 'Day', 'day', 'YY', 'MM', 'DD', 'HH', 'MI', 'SS', 'MS', 'US', 'AM', 'PM', 'am', 'pm', 'DY', 'Dy', 'dy', 'IW', 'WW', 'Q', 'D', 'Y'];

function cased(text: string, pattern: string): string {
  if (pattern === pattern.toUpperCase()) return text.toUpperCase();
  if (pattern === pattern.toLowerCase()) return text.toLowerCase();
  return text;
}

function renderPattern(pattern: string, d: Date, fill: boolean): string {
  const pad = (n: number, width: number): string => (fill ? String(n).padStart(width, '0') : String(n));
  const hours12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  switch (pattern) {
    case 'YYYY': return pad(d.getUTCFullYear(), 4);
    case 'IYYY': return pad(isoWeek(d).year, 4);
    case 'YYY': return pad(d.getUTCFullYear() % 1000, 3);
    case 'YY': return pad(d.getUTCFullYear() % 100, 2);
    case 'Y': return String(d.getUTCFullYear() % 10);
    case 'MM': return pad(d.getUTCMonth() + 1, 2);
    case 'DD': return pad(d.getUTCDate(), 2);
    case 'DDD': return pad(dayOfYear(d), 3);
    case 'D': return String(d.getUTCDay() + 1);
    case 'HH24': return pad(d.getUTCHours(), 2);
    case 'HH12':
    case 'HH': return pad(hours12, 2);
    case 'MI': return pad(d.getUTCMinutes(), 2);
    case 'SS': return pad(d.getUTCSeconds(), 2);
    case 'MS': return pad(d.getUTCMilliseconds(), 3);
    case 'US': return pad(d.getUTCMilliseconds() * 1000, 6);
    case 'AM': case 'PM': return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'am': case 'pm': return d.getUTCHours() < 12 ? 'am' : 'pm';
    case 'Q': return String(Math.floor(d.getUTCMonth() / 3) + 1);
    case 'IW': return pad(isoWeek(d).week, 2);
    case 'WW': return pad(Math.floor((dayOfYear(d) - 1) / 7) + 1, 2);
    case 'MONTH': case 'Month': case 'month': {
      const name = cased(MONTHS[d.getUTCMonth()]!, pattern);
      return fill ? name.padEnd(9) : name;
    }
    case 'MON': case 'Mon': case 'mon': return cased(MONTHS[d.getUTCMonth()]!.slice(0, 3), pattern);
    case 'DAY': case 'Day': case 'day': {
      const name = cased(DAYS[d.getUTCDay()]!, pattern);
      return fill ? name.padEnd(9) : name;
    }
    case 'DY': case 'Dy': case 'dy': return cased(DAYS[d.getUTCDay()]!.slice(0, 3), pattern);
    default: return pattern;
  }
}

/** TO_CHAR(timestamp, template): PostgreSQL's patterns, `FM` (no padding) and "quoted text". */
export function toChar(d: Date, template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template[i] === '"') {
      const end = template.indexOf('"', i + 1);
      out += end < 0 ? template.slice(i + 1) : template.slice(i + 1, end);
      i = end < 0 ? template.length : end + 1;
      continue;
    }
    let fill = true;
    if (template.startsWith('FM', i)) {
      fill = false;
      i += 2;
    }
    const pattern = PATTERNS.find((p) => template.startsWith(p, i));
    if (pattern) {
      out += renderPattern(pattern, d, fill);
      i += pattern.length;
    } else {
      out += template[i];
      i++;
    }
  }
  return out;
}

function text(value: SqlValue | undefined): string | null {
  return value === undefined ? null : valueToText(value);
}

const TIME_UNITS = new Set(['hour', 'minute', 'second', 'millisecond', 'microsecond']);
const INTERVAL_REFUSES = new Set(['dow', 'isodow', 'doy', 'isoyear']);
const KNOWN_UNITS = new Set([...TIME_UNITS, ...INTERVAL_REFUSES, 'year', 'month', 'day', 'week', 'quarter', 'epoch', 'decade', 'century', 'millennium']);
const TYPE_NAMES: Partial<Record<DataType, string>> = { Date: 'date', Datetime: 'timestamp with time zone', Interval: 'interval' };

/** Digits after the point of EXTRACT's numeric: microseconds for seconds, as PostgreSQL keeps them (none from a date). */
function extractScale(unit: string, source: DataType | null): number {
  if (source === 'Date') return 0;
  return unit === 'second' || unit === 'epoch' ? 6 : unit === 'millisecond' ? 3 : 0;
}

/** EXTRACT's call for a source of this type (a date and a timestamp at midnight are the same value here, not the same scale). */
function extractOf(source: DataType | null): ScalarFunction['call'] {
  return (args) => {
    const part = datePart(args);
    if (part === null) return null;
    const unit = text(args[0])!.toLowerCase().replace(/s$/, '');
    return Numeric.fromDouble(part)?.round(extractScale(unit, source)) ?? null;
  };
}

/**
 * EXTRACT: DATE_PART as a numeric (PostgreSQL 14 on), its scale by unit and source type
 * (`EXTRACT(second FROM ts)` is 5.250000, `EXTRACT(epoch FROM date)` a whole number). A unit
 * written in the query that the source type has not (`hour` of a date) is refused, as there.
 */
const EXTRACT: ScalarFunction = {
  name: 'EXTRACT',
  minArgs: 2,
  maxArgs: 2,
  returnType: () => 'Decimal',
  call: extractOf(null),
  specialize: ([field, source], refuse) => {
    const type = source?.type ?? null;
    const written = typeof field?.constant === 'string' ? field.constant : undefined;
    const unit = written?.toLowerCase().replace(/s$/, '');
    if (unit !== undefined && written !== undefined && type !== null && TYPE_NAMES[type] !== undefined) {
      const typeName = TYPE_NAMES[type]!;
      if (!KNOWN_UNITS.has(unit)) refuse(`unit "${written}" not recognized for type ${typeName}`);
      if ((type === 'Date' && TIME_UNITS.has(unit)) || (type === 'Interval' && INTERVAL_REFUSES.has(unit))) refuse(`unit "${written}" not supported for type ${typeName}`);
    }
    return { ...EXTRACT, specialize: undefined, call: extractOf(type) };
  },
};

function datePart([field, value]: SqlValue[]): number | null {
  const f = text(field);
  if (f !== null && value instanceof Interval) return intervalPart(f, value);
  const d = datetimeArg(value);
  return f === null || d === null ? null : pgDatePart(f, d);
}

export const pgDateFunctions: ScalarFunction[] = [
  {
    name: 'DATE_PART',
    minArgs: 2,
    maxArgs: 2,
    returnType: () => 'Double',
    call: datePart,
  },
  EXTRACT,
  {
    name: 'TO_CHAR',
    minArgs: 2,
    maxArgs: 2,
    returnType: () => 'String',
    call: ([value, template]) => {
      const d = datetimeArg(value);
      const t = text(template);
      return d === null || t === null ? null : toChar(d, t);
    },
  },
  {
    // TO_TIMESTAMP(epoch seconds), or TO_TIMESTAMP(text) read as a timestamp.
    name: 'TO_TIMESTAMP',
    minArgs: 1,
    maxArgs: 1,
    returnType: () => 'Datetime',
    call: ([value]) => {
      if (value === null || value === undefined) return null;
      if (typeof value === 'string' && !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return datetimeArg(value);
      const seconds = toNumber(value);
      return seconds === null ? null : new Date(Math.round(seconds * 1000));
    },
  },
  { name: 'CURRENT_DATE', minArgs: 0, maxArgs: 0, returnType: () => 'Date', call: () => null, statementValue: 'today' },
  { name: 'LOCALTIMESTAMP', minArgs: 0, maxArgs: 0, returnType: () => 'Datetime', call: () => new Date(), statementValue: 'now' },
];
