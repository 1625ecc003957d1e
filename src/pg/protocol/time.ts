// Time zones as a session's TimeZone setting names them, and timestamps printed and read the
// way PostgreSQL does in its ISO DateStyle (`2024-01-18 02:16:47.5+00`).

export interface TimeZone {
  /** The name as given (reported back in ParameterStatus / SHOW). */
  name: string;
  /** Minutes east of UTC at that instant. */
  offsetMinutes(at: Date): number;
}

export const UTC: TimeZone = { name: 'UTC', offsetMinutes: () => 0 };

const UTC_NAMES = new Set(['utc', 'gmt', 'z', 'zulu', 'etc/utc', 'etc/gmt', 'universal', 'etc/universal', 'uct']);

/** A zone from its name (IANA names, UTC, or hours like `-5` / `+05:30`); undefined if unknown. */
export function timeZoneNamed(name: string): TimeZone | undefined {
  const trimmed = name.trim();
  if (UTC_NAMES.has(trimmed.toLowerCase())) return { name: trimmed, offsetMinutes: () => 0 };
  const hours = /^([+-]?)(\d{1,2})(?::?(\d{2}))?$/.exec(trimmed);
  if (hours) {
    // SET TIME ZONE -5: five hours west of UTC (a number, not a POSIX string).
    const minutes = (Number(hours[2]) * 60 + Number(hours[3] ?? 0)) * (hours[1] === '-' ? -1 : 1);
    return { name: trimmed, offsetMinutes: () => minutes };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: trimmed, timeZoneName: 'longOffset' });
  } catch {
    return undefined;
  }
  return {
    name: trimmed,
    offsetMinutes(at) {
      const label = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const match = /GMT([+-])(\d{2}):(\d{2})/.exec(label);
      if (!match) return 0;
      return (Number(match[2]) * 60 + Number(match[3])) * (match[1] === '-' ? -1 : 1);
    },
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS[.fff]+HH[:MM]`, as timestamptz prints in DateStyle ISO. */
export function formatTimestamptz(value: Date, zone: TimeZone): string {
  const offset = zone.offsetMinutes(value);
  return `${formatClock(new Date(value.getTime() + offset * 60_000))}${formatOffset(offset)}`;
}

/** timestamp (without time zone): the UTC clock reading. */
export function formatTimestamp(value: Date): string {
  return formatClock(value);
}

/** date: the UTC calendar day. */
export function formatDate(value: Date): string {
  return `${formatYear(value.getUTCFullYear())}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}${value.getUTCFullYear() <= 0 ? ' BC' : ''}`;
}

const DAY_MS = 86_400_000;
/** The last day formatted: rows of a result often fall on the same day. */
let lastDay = { number: NaN, text: '' };

function formatClock(d: Date): string {
  const t = d.getTime();
  const number = Math.floor(t / DAY_MS);
  if (number !== lastDay.number) {
    lastDay = { number, text: `${formatYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` };
  }
  const ms = d.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms, 3)}`.replace(/0+$/, '');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}`;
  return `${lastDay.text} ${time}${d.getUTCFullYear() <= 0 ? ' BC' : ''}`;
}

function formatYear(year: number): string {
  return pad(year <= 0 ? 1 - year : year, 4);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const rest = abs % 60;
  return `${sign}${pad(Math.floor(abs / 60))}${rest ? `:${pad(rest)}` : ''}`;
}

const TIMESTAMP_TEXT =
  /^(\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?$/i;

/**
 * A timestamp or date as clients send it (`2024-01-18`, `2024-01-18 02:16:47.123456+01`,
 * ISO with `T` and `Z`); without an offset, the time is read in `zone` (or as UTC when
 * `zone` is undefined: timestamp without time zone). Undefined when the text is not one.
 */
export function parseTimestamp(text: string, zone: TimeZone | undefined): Date | undefined {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  if (lower === 'now') return new Date();
  if (lower === 'epoch') return new Date(0);
  const m = TIMESTAMP_TEXT.exec(trimmed);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 24 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const clock = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), ms);
  if (!Number.isFinite(clock)) return undefined;
  const check = new Date(clock);
  if (check.getUTCDate() !== day && Number(h) !== 24) return undefined; // 2024-02-31
  let offsetMinutes: number;
  if (offset !== undefined) {
    const o = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(offset);
    offsetMinutes = o ? (Number(o[2]) * 60 + Number(o[3] ?? 0) + Number(o[4] ?? 0) / 60) * (o[1] === '-' ? -1 : 1) : 0;
  } else if (zone) {
    // The offset at that wall-clock time: read it twice, as the first guess may cross a DST change.
    const guess = zone.offsetMinutes(new Date(clock));
    offsetMinutes = zone.offsetMinutes(new Date(clock - guess * 60_000));
  } else {
    offsetMinutes = 0;
  }
  return new Date(clock - offsetMinutes * 60_000);
}
