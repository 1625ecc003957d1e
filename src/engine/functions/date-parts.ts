// Date parts as SQL Server names them (with its abbreviations), shared by DATEADD, DATEDIFF,
// DATEPART and DATE_TRUNC. A part arrives as a string ('day') — or, once the binder honours
// ScalarFunction.keywordArgs, as the name of a bare identifier (day).

import type { SqlValue } from '../table.js';

export type DatePart =
  | 'year'
  | 'quarter'
  | 'month'
  | 'dayofyear'
  | 'day'
  | 'week'
  | 'iso_week'
  | 'weekday'
  | 'hour'
  | 'minute'
  | 'second'
  | 'millisecond';

const ALIASES: Record<string, DatePart> = {
  year: 'year', yy: 'year', yyyy: 'year', years: 'year',
  quarter: 'quarter', qq: 'quarter', q: 'quarter', quarters: 'quarter',
  month: 'month', mm: 'month', m: 'month', months: 'month',
  dayofyear: 'dayofyear', dy: 'dayofyear', y: 'dayofyear', doy: 'dayofyear',
  day: 'day', dd: 'day', d: 'day', days: 'day',
  week: 'week', wk: 'week', ww: 'week', weeks: 'week',
  iso_week: 'iso_week', isowk: 'iso_week', isoww: 'iso_week',
  weekday: 'weekday', dw: 'weekday', w: 'weekday',
  hour: 'hour', hh: 'hour', hours: 'hour',
  minute: 'minute', mi: 'minute', n: 'minute', minutes: 'minute',
  second: 'second', ss: 'second', s: 'second', seconds: 'second',
  millisecond: 'millisecond', ms: 'millisecond', milliseconds: 'millisecond',
};

const PARTS = new Map<string, DatePart>(Object.entries(ALIASES));

/** The last name looked up and its part: a query names the same part on every row. */
let lastName = '';
let lastPart: DatePart | null = null;

/** The date part a value names, or null when it names none. */
export function parseDatePart(value: SqlValue | undefined): DatePart | null {
  if (typeof value !== 'string') return null;
  if (value === lastName) return lastPart;
  const part = PARTS.get(value.trim().toLowerCase()) ?? null;
  lastName = value;
  lastPart = part;
  return part;
}

/** Every accepted spelling, for error messages. */
export function datePartNames(): string[] {
  return Object.keys(ALIASES);
}

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Days since 1970-01-01 (UTC), floored, so times before midnight belong to their own day. */
export function dayNumber(time: number): number {
  return Math.floor(time / MS_PER_DAY);
}

/** Sunday-based week number since the epoch (1970-01-04 was a Sunday), as SQL Server's weeks start on Sunday. */
export function sundayWeekNumber(time: number): number {
  return Math.floor((dayNumber(time) + 4) / 7);
}

export function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

export function dayOfYear(d: Date): number {
  return dayNumber(d.getTime()) - dayNumber(Date.UTC(d.getUTCFullYear(), 0, 1)) + 1;
}

/** ISO 8601 week of the year: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(d: Date): number {
  const day = dayNumber(d.getTime());
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date((day - weekday + 3) * MS_PER_DAY);
  const firstThursdayYearStart = dayNumber(Date.UTC(thursday.getUTCFullYear(), 0, 1));
  return Math.floor((dayNumber(thursday.getTime()) - firstThursdayYearStart) / 7) + 1;
}
