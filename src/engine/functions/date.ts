// Date and time functions, all in UTC (the engine's Datetimes are UTC instants). Datetime
// arguments may be Dates or strings in the accepted literal formats (values.ts); anything else,
// an unknown date part, or a result outside JavaScript's date range gives NULL.
//
// Semantics follow SQL Server where it defines the function (DATEADD clamps to the end of the
// month; DATEDIFF counts boundaries crossed, weeks starting on Sunday; DATEPART(week) numbers
// weeks from the one holding 1 January, weekday 1 = Sunday), and PostgreSQL for DATE_TRUNC
// (its week starts on Monday). DATETRUNC is SQL Server's spelling, whose week starts on Sunday.

import type { ScalarFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { parseDatetime } from '../values.js';
import {
  dayNumber,
  dayOfYear,
  daysInMonth,
  isoWeek,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  MS_PER_SECOND,
  parseDatePart,
  sundayWeekNumber,
  type DatePart,
} from './date-parts.js';
import { integerArg } from './text.js';

/** A Datetime argument: a Date, or a string in an accepted datetime format. */
export function datetimeArg(value: SqlValue | undefined): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string') return parseDatetime(value);
  return null;
}

function validDate(time: number): Date | null {
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? null : d;
}

function addMonths(d: Date, months: number): Date | null {
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  const timeOfDay = d.getTime() - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const result = new Date(0);
  result.setUTCFullYear(year, month, day);
  return validDate(result.getTime() + timeOfDay);
}

export function dateAdd(part: DatePart, amount: number, d: Date): Date | null {
  switch (part) {
    case 'year':
      return addMonths(d, amount * 12);
    case 'quarter':
      return addMonths(d, amount * 3);
    case 'month':
      return addMonths(d, amount);
    case 'week':
    case 'iso_week':
      return validDate(d.getTime() + amount * 7 * MS_PER_DAY);
    case 'day':
    case 'dayofyear':
    case 'weekday':
      return validDate(d.getTime() + amount * MS_PER_DAY);
    case 'hour':
      return validDate(d.getTime() + amount * MS_PER_HOUR);
    case 'minute':
      return validDate(d.getTime() + amount * MS_PER_MINUTE);
    case 'second':
      return validDate(d.getTime() + amount * MS_PER_SECOND);
    case 'millisecond':
      return validDate(d.getTime() + amount);
  }
}

/** How many `part` boundaries lie between a and b (negative when b is earlier). */
export function dateDiff(part: DatePart, a: Date, b: Date): number {
  const [ta, tb] = [a.getTime(), b.getTime()];
  const months = (d: Date): number => d.getUTCFullYear() * 12 + d.getUTCMonth();
  switch (part) {
    case 'year':
      return b.getUTCFullYear() - a.getUTCFullYear();
    case 'quarter': {
      const quarters = (d: Date): number => d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
      return quarters(b) - quarters(a);
    }
    case 'month':
      return months(b) - months(a);
    case 'week':
      return sundayWeekNumber(tb) - sundayWeekNumber(ta);
    case 'iso_week':
      // Monday-based weeks: 1970-01-05 was a Monday.
      return Math.floor((dayNumber(tb) + 3) / 7) - Math.floor((dayNumber(ta) + 3) / 7);
    case 'day':
    case 'dayofyear':
    case 'weekday':
      return dayNumber(tb) - dayNumber(ta);
    case 'hour':
      return Math.floor(tb / MS_PER_HOUR) - Math.floor(ta / MS_PER_HOUR);
    case 'minute':
      return Math.floor(tb / MS_PER_MINUTE) - Math.floor(ta / MS_PER_MINUTE);
    case 'second':
      return Math.floor(tb / MS_PER_SECOND) - Math.floor(ta / MS_PER_SECOND);
    case 'millisecond':
      return tb - ta;
  }
}

export function datePart(part: DatePart, d: Date): number {
  switch (part) {
    case 'year':
      return d.getUTCFullYear();
    case 'quarter':
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'month':
      return d.getUTCMonth() + 1;
    case 'dayofyear':
      return dayOfYear(d);
    case 'day':
      return d.getUTCDate();
    case 'week': {
      const jan1Weekday = new Date(Date.UTC(d.getUTCFullYear(), 0, 1)).getUTCDay();
      return Math.floor((dayOfYear(d) - 1 + jan1Weekday) / 7) + 1;
    }
    case 'iso_week':
      return isoWeek(d);
    case 'weekday':
      return d.getUTCDay() + 1;
    case 'hour':
      return d.getUTCHours();
    case 'minute':
      return d.getUTCMinutes();
    case 'second':
      return d.getUTCSeconds();
    case 'millisecond':
      return d.getUTCMilliseconds();
  }
}

/** The start of the `part` period holding d; null for parts that are not periods (weekday, dayofyear). */
export function dateTrunc(part: DatePart, d: Date, weekStartsOnMonday: boolean): Date | null {
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  const t = d.getTime();
  const floorTo = (unit: number): Date => new Date(Math.floor(t / unit) * unit);
  switch (part) {
    case 'year':
      return utc(y, 0, 1);
    case 'quarter':
      return utc(y, m - (m % 3), 1);
    case 'month':
      return utc(y, m, 1);
    case 'week': {
      const back = weekStartsOnMonday ? (d.getUTCDay() + 6) % 7 : d.getUTCDay();
      return new Date((dayNumber(t) - back) * MS_PER_DAY);
    }
    case 'iso_week':
      return new Date((dayNumber(t) - ((d.getUTCDay() + 6) % 7)) * MS_PER_DAY);
    case 'day':
      return floorTo(MS_PER_DAY);
    case 'hour':
      return floorTo(MS_PER_HOUR);
    case 'minute':
      return floorTo(MS_PER_MINUTE);
    case 'second':
      return floorTo(MS_PER_SECOND);
    case 'millisecond':
      return d;
    default:
      return null;
  }
}

function utc(year: number, monthIndex: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d;
}

function now(name: string): ScalarFunction {
  // The binder replaces the call by the statement's instant (BindContext.now); `call` serves
  // only callers that evaluate it outside a statement.
  return { name, minArgs: 0, maxArgs: 0, returnType: () => 'Datetime', call: () => new Date(), statementValue: 'now' };
}

function part(name: string, which: DatePart): ScalarFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    returnType: () => 'Integer',
    call: ([value]) => {
      const d = datetimeArg(value);
      return d === null ? null : datePart(which, d);
    },
  };
}

function truncFunction(name: string, weekStartsOnMonday: boolean): ScalarFunction {
  return {
    name,
    minArgs: 2,
    maxArgs: 2,
    keywordArgs: [0],
    returnType: () => 'Datetime',
    call: ([partArg, value]) => {
      const p = parseDatePart(partArg);
      const d = datetimeArg(value);
      return p === null || d === null ? null : dateTrunc(p, d, weekStartsOnMonday);
    },
  };
}

export const dateFunctions: ScalarFunction[] = [
  now('NOW'),
  now('GETDATE'),
  now('GETUTCDATE'),
  now('CURRENT_TIMESTAMP'),
  now('SYSDATETIME'),
  part('YEAR', 'year'),
  part('MONTH', 'month'),
  part('DAY', 'day'),
  {
    name: 'DATEADD',
    minArgs: 3,
    maxArgs: 3,
    keywordArgs: [0],
    returnType: () => 'Datetime',
    call: ([partArg, amountArg, value]) => {
      const p = parseDatePart(partArg);
      const amount = integerArg(amountArg);
      const d = datetimeArg(value);
      return p === null || amount === null || d === null ? null : dateAdd(p, amount, d);
    },
  },
  {
    name: 'DATEDIFF',
    minArgs: 3,
    maxArgs: 3,
    keywordArgs: [0],
    returnType: () => 'Integer',
    call: ([partArg, from, to]) => {
      const p = parseDatePart(partArg);
      const [a, b] = [datetimeArg(from), datetimeArg(to)];
      return p === null || a === null || b === null ? null : dateDiff(p, a, b);
    },
  },
  {
    name: 'DATEPART',
    minArgs: 2,
    maxArgs: 2,
    keywordArgs: [0],
    returnType: () => 'Integer',
    call: ([partArg, value]) => {
      const p = parseDatePart(partArg);
      const d = datetimeArg(value);
      return p === null || d === null ? null : datePart(p, d);
    },
  },
  truncFunction('DATE_TRUNC', true),
  truncFunction('DATETRUNC', false),
];
