// PostgreSQL's date and time functions beyond the common core (date.ts, pg-dates.ts):
// make_date / make_timestamp / make_interval, age, date_bin, justify_days / justify_hours /
// justify_interval, isfinite, and timezone(zone, ts) — what `ts AT TIME ZONE zone` reads as.
// Every instant is UTC; a wall-clock time in another zone is the instant whose UTC fields
// show that clock, as timestamps without a time zone are held here.

import type { ScalarFunction } from '../functions.js';
import { Interval } from '../interval.js';
import type { SqlValue } from '../table.js';
import { toNumber, valueToText } from '../values.js';
import { strictFunction as strict } from './strict.js';

const DAY_MS = 86_400_000;

const numbers = (args: SqlValue[]): number[] | undefined => {
  const values = args.map((a) => toNumber(a));
  return values.some((v) => v === null || !Number.isFinite(v)) ? undefined : (values as number[]);
};

/** Date.UTC of the fields, or undefined when a field is out of its range (2024-02-30). */
function instantOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date | undefined {
  if (![year, month, day, hour, minute].every(Number.isInteger) || month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second >= 60 || second < 0) return undefined;
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, 0) + Math.round(second * 1000));
  at.setUTCFullYear(year); // Date.UTC reads years 0–99 as 1900–1999
  return at.getUTCDate() === day || hour === 24 ? at : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * age(later, earlier): the difference in years, months and days, then the time, as PostgreSQL
 * counts it field by field and borrows a month's days from the earlier date's month.
 */
export function age(later: Date, earlier: Date): Interval {
  const negative = later.getTime() < earlier.getTime();
  const fields = (d: Date) => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
  const [a, b] = [fields(later), fields(earlier)];
  let [years, months, days, hours, minutes, seconds, ms] = a.map((v, i) => (negative ? -1 : 1) * (v - b[i]!)) as [number, number, number, number, number, number, number];
  while (ms < 0) [ms, seconds] = [ms + 1000, seconds - 1];
  while (seconds < 0) [seconds, minutes] = [seconds + 60, minutes - 1];
  while (minutes < 0) [minutes, hours] = [minutes + 60, hours - 1];
  while (hours < 0) [hours, days] = [hours + 24, days - 1];
  while (days < 0) {
    const [year, month] = negative ? [a[0]!, a[1]!] : [b[0]!, b[1]!];
    [days, months] = [days + daysInMonth(year, month), months - 1];
  }
  while (months < 0) [months, years] = [months + 12, years - 1];
  const sign = negative ? -1 : 1;
  return new Interval(sign * (years * 12 + months) || 0, sign * days || 0, sign * (((hours * 60 + minutes) * 60 + seconds) * 1000 + ms) || 0);
}

/** date_bin(stride, source, origin): the start of the stride-wide bin, counted from origin, that holds source. */
function dateBin(stride: Interval, source: Date, origin: Date): Date | undefined {
  if (stride.months !== 0) return undefined; // PostgreSQL refuses month and year strides
  const width = stride.days * DAY_MS + stride.ms;
  if (width <= 0) return undefined;
  const bins = Math.floor((source.getTime() - origin.getTime()) / width);
  return new Date(origin.getTime() + bins * width);
}

/** justify_hours: whole 24-hour spans of the time part become days, the two parts of one sign. */
export function justifyHours(value: Interval): Interval {
  let days = value.days + Math.trunc(value.ms / DAY_MS);
  let ms = value.ms % DAY_MS;
  if (days > 0 && ms < 0) [days, ms] = [days - 1, ms + DAY_MS];
  else if (days < 0 && ms > 0) [days, ms] = [days + 1, ms - DAY_MS];
  return new Interval(value.months, days || 0, ms || 0);
}

/** justify_days: whole 30-day spans become months, the two of one sign. */
export function justifyDays(value: Interval): Interval {
  let months = value.months + Math.trunc(value.days / 30);
  let days = value.days % 30;
  if (months > 0 && days < 0) [months, days] = [months - 1, days + 30];
  else if (months < 0 && days > 0) [months, days] = [months + 1, days - 30];
  return new Interval(months || 0, days || 0, value.ms);
}

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

/** The zone's offset from UTC at `at`, in minutes east; undefined for a zone name Node does not know. */
function zoneOffsetMinutes(zone: string, at: Date): number | undefined {
  const fixed = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(zone.trim());
  // POSIX signs, as PostgreSQL reads a bare offset: '+05' is five hours WEST of Greenwich.
  if (fixed) return (fixed[1] === '+' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0));
  if (!zoneFormats.has(zone)) {
    try {
      zoneFormats.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }));
    } catch {
      zoneFormats.set(zone, null);
    }
  }
  const format = zoneFormats.get(zone);
  if (!format) return undefined;
  const part = (type: string) => Number(format.formatToParts(at).find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** timezone(zone, ts), `ts AT TIME ZONE zone`: the wall-clock time in `zone` at the instant ts. */
function atTimeZone(zone: string, at: Date): Date | undefined {
  const offset = zoneOffsetMinutes(zone, at);
  return offset === undefined ? undefined : new Date(at.getTime() + offset * 60_000);
}

const asDate = (value: SqlValue): Date | undefined => (value instanceof Date ? value : undefined);

/** age(later, earlier), and age(ts) from today's midnight: the statement's clock is bound in by withNow. */
const ageFunction: ScalarFunction = {
  name: 'AGE',
  minArgs: 1,
  maxArgs: 2,
  returnType: () => 'Interval',
  call: () => null,
  withNow: (now: Date) => ({
    ...ageFunction,
    call: (args: SqlValue[]) => {
      const [later, earlier] = args.length === 1 ? [new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS), asDate(args[0]!)] : [asDate(args[0]!), asDate(args[1]!)];
      return later && earlier ? age(later, earlier) : null;
    },
  }),
};

export const pgDateLibrary: ScalarFunction[] = [
  strict('MAKE_DATE', 3, 3, 'Date', (args) => {
    const [y, m, d] = numbers(args) ?? [];
    return y === undefined ? undefined : instantOf(y, m!, d!);
  }),
  ...['MAKE_TIMESTAMP', 'MAKE_TIMESTAMPTZ'].map((name) =>
    strict(name, 6, 6, 'Datetime', (args) => {
      const [y, mo, d, h, mi, s] = numbers(args) ?? [];
      return y === undefined ? undefined : instantOf(y, mo!, d!, h, mi, s);
    }),
  ),
  {
    name: 'MAKE_INTERVAL',
    minArgs: 0,
    maxArgs: 7,
    returnType: () => 'Interval',
    call: (args) => {
      const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = numbers(args) ?? [];
      if (args.some((a) => a === null)) return null;
      return new Interval(years * 12 + months, weeks * 7 + days, Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000));
    },
  },
  ageFunction,
  strict('DATE_BIN', 3, 3, 'Datetime', ([stride, source, origin]) =>
    stride instanceof Interval && source instanceof Date && origin instanceof Date ? dateBin(stride, source, origin as Date) : undefined,
  ),
  strict('JUSTIFY_HOURS', 1, 1, 'Interval', ([v]) => (v instanceof Interval ? justifyHours(v) : undefined)),
  strict('JUSTIFY_DAYS', 1, 1, 'Interval', ([v]) => (v instanceof Interval ? justifyDays(v) : undefined)),
  strict('JUSTIFY_INTERVAL', 1, 1, 'Interval', ([v]) => (v instanceof Interval ? justifyDays(justifyHours(v)) : undefined)),
  strict('ISFINITE', 1, 1, 'Boolean', () => true),
  strict('TIMEZONE', 2, 2, 'Datetime', ([zone, at]) => (at instanceof Date ? atTimeZone(valueToText(zone!)!, at) : undefined)),
];
