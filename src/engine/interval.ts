// PostgreSQL's interval: months, days and a time part kept apart, because a month and a day have
// no fixed length (adding 1 month to 31 January lands on 28 or 29 February; adding 1 day is a
// calendar day). `NOW() - INTERVAL '30 days'`, `created + interval '1 month'` and
// `period_end - period_start` (which gives one) all read as they do in PostgreSQL. Every
// instant here is UTC, so a day is always 24 hours.

const MS = { second: 1000, minute: 60_000, hour: 3_600_000 } as const;
const DAY_MS = 86_400_000;

export class Interval {
  constructor(
    readonly months: number,
    readonly days: number,
    /** The time part, in milliseconds. */
    readonly ms: number,
  ) {}

  /** For comparing and ordering: PostgreSQL counts a month as 30 days. */
  totalMs(): number {
    return (this.months * 30 + this.days) * DAY_MS + this.ms;
  }

  /** EXTRACT(epoch FROM …): seconds, a year being 365.25 days as in PostgreSQL. */
  epochSeconds(): number {
    const years = Math.trunc(this.months / 12);
    const months = this.months % 12;
    return years * 365.25 * 86_400 + (months * 30 + this.days) * 86_400 + this.ms / 1000;
  }

  negate(): Interval {
    return new Interval(-this.months || 0, -this.days || 0, -this.ms || 0);
  }

  plus(other: Interval): Interval {
    return new Interval(this.months + other.months, this.days + other.days, this.ms + other.ms);
  }

  /** `interval * n`: fractions of months and days carry down, as PostgreSQL does. */
  times(factor: number): Interval {
    const months = this.months * factor;
    const wholeMonths = Math.trunc(months);
    const days = this.days * factor + (months - wholeMonths) * 30;
    const wholeDays = Math.trunc(days);
    const ms = Math.round(this.ms * factor + (days - wholeDays) * DAY_MS);
    return new Interval(wholeMonths || 0, wholeDays || 0, ms || 0);
  }

  /** The instant `at` moved by this interval: months first, then days, then the time. */
  addTo(at: Date): Date {
    const d = new Date(at.getTime());
    if (this.months !== 0) {
      const day = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + this.months);
      const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      d.setUTCDate(Math.min(day, lastDay));
    }
    return new Date(d.getTime() + this.days * DAY_MS + this.ms);
  }

  /** PostgreSQL's output: `1 year 2 mons 3 days 04:05:06.5`, `-00:30:00`, `00:00:00`. */
  toString(): string {
    const parts: string[] = [];
    const years = Math.trunc(this.months / 12);
    const months = this.months % 12;
    // PostgreSQL writes the singular for 1 alone: `-1 days`.
    const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
    if (years !== 0) parts.push(plural(years, 'year', 'years'));
    if (months !== 0) parts.push(plural(months, 'mon', 'mons'));
    if (this.days !== 0) parts.push(plural(this.days, 'day', 'days'));
    if (this.ms !== 0 || parts.length === 0) parts.push(formatTime(this.ms));
    return parts.join(' ');
  }

  toJSON(): string {
    return this.toString();
  }

  /** `interval - other`, and the interval between two instants (days and time, as PostgreSQL gives it). */
  static between(later: Date, earlier: Date): Interval {
    const diff = later.getTime() - earlier.getTime();
    const days = Math.trunc(diff / DAY_MS);
    return new Interval(0, days || 0, diff - days * DAY_MS || 0);
  }
}

function formatTime(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / MS.hour);
  rest -= hours * MS.hour;
  const minutes = Math.floor(rest / MS.minute);
  rest -= minutes * MS.minute;
  const seconds = rest / 1000;
  const whole = Math.floor(seconds);
  const fraction = rest % 1000 === 0 ? '' : `.${String(rest % 1000).padStart(3, '0').replace(/0+$/, '')}`;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${sign}${two(hours)}:${two(minutes)}:${two(whole)}${fraction}`;
}

const UNITS: Readonly<Record<string, { months?: number; days?: number; ms?: number }>> = {
  millennium: { months: 12_000 }, millennia: { months: 12_000 }, century: { months: 1200 }, centuries: { months: 1200 },
  decade: { months: 120 }, decades: { months: 120 },
  year: { months: 12 }, years: { months: 12 }, y: { months: 12 }, yr: { months: 12 }, yrs: { months: 12 },
  month: { months: 1 }, months: { months: 1 }, mon: { months: 1 }, mons: { months: 1 },
  week: { days: 7 }, weeks: { days: 7 }, w: { days: 7 },
  day: { days: 1 }, days: { days: 1 }, d: { days: 1 },
  hour: { ms: MS.hour }, hours: { ms: MS.hour }, h: { ms: MS.hour }, hr: { ms: MS.hour }, hrs: { ms: MS.hour },
  minute: { ms: MS.minute }, minutes: { ms: MS.minute }, min: { ms: MS.minute }, mins: { ms: MS.minute }, m: { ms: MS.minute },
  second: { ms: MS.second }, seconds: { ms: MS.second }, sec: { ms: MS.second }, secs: { ms: MS.second }, s: { ms: MS.second },
  millisecond: { ms: 1 }, milliseconds: { ms: 1 }, ms: { ms: 1 },
};

/**
 * Reads PostgreSQL's interval input: `30 days`, `1 day 2 hours`, `2 weeks`, `1.5 hours`,
 * `-1 month`, `1 year 2 mons 3 days 04:05:06`, `00:30:00`, `@ 3 days ago`. Null when it is not one.
 */
export function parseInterval(text: string): Interval | null {
  let rest = text.trim().toLowerCase().replace(/^@\s*/, '');
  let ago = false;
  if (/\sago$/.test(rest)) {
    ago = true;
    rest = rest.replace(/\s*ago$/, '');
  }
  if (rest === '') return null;
  let months = 0;
  let days = 0;
  let ms = 0;
  const token = /\s*(?:([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)\s*([a-z]+)|([+-]?)(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?)\s*/y;
  let matched = 0;
  while (token.lastIndex < rest.length) {
    const m = token.exec(rest);
    if (!m) return null;
    matched++;
    if (m[1] !== undefined) {
      const unit = UNITS[m[2]!];
      if (!unit) return null;
      const n = Number(m[1]);
      const monthsPart = (unit.months ?? 0) * n;
      const daysPart = (unit.days ?? 0) * n + (monthsPart - Math.trunc(monthsPart)) * 30;
      months += Math.trunc(monthsPart);
      days += Math.trunc(daysPart);
      ms += (unit.ms ?? 0) * n + (daysPart - Math.trunc(daysPart)) * DAY_MS;
    } else {
      const sign = m[3] === '-' ? -1 : 1;
      ms += sign * (Number(m[4]) * MS.hour + Number(m[5]) * MS.minute + Number(m[6] ?? 0) * MS.second);
    }
  }
  if (matched === 0) return null;
  const interval = new Interval(months, days, Math.round(ms));
  return ago ? interval.negate() : interval;
}
