// String functions. Positions and lengths count characters (code points), as SQL does, not
// UTF-16 units; a string without surrogates takes the fast path. Arguments that are not text
// are converted with valueToText (numbers as JS prints them, Datetimes as PostgreSQL writes a timestamptz in UTC).
// Invalid counts (a negative length) give NULL rather than an error, so one row cannot abort
// a scan — the same rule the engine applies to division by zero.

import type { ScalarFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { toNumber, valueToText } from '../values.js';

const SURROGATE = /[\uD800-\uDFFF]/;

function chars(text: string): string[] | null {
  return SURROGATE.test(text) ? Array.from(text) : null;
}

function charLength(text: string): number {
  const c = chars(text);
  return c ? c.length : text.length;
}

/** Characters [from, to) of `text`, 0-based, clamped to the string. */
function charSlice(text: string, from: number, to: number): string {
  const start = Math.max(0, from);
  const c = chars(text);
  if (c) return c.slice(start, Math.max(start, to)).join('');
  return text.slice(start, Math.max(start, to));
}

/** An integer argument (truncated toward zero), or null when NULL or not a number. */
export function integerArg(value: SqlValue | undefined): number | null {
  const n = toNumber(value ?? null);
  return n === null || !Number.isFinite(n) ? null : Math.trunc(n);
}

function text(value: SqlValue | undefined): string | null {
  return valueToText(value ?? null);
}

/** One text argument in, NULL in → NULL out. */
function unaryText(name: string, fn: (t: string) => SqlValue, type: 'String' | 'Integer'): ScalarFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    returnType: () => type,
    call: ([value]) => {
      const t = text(value);
      return t === null ? null : fn(t);
    },
  };
}

function escapeRegExp(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

/** TRIM/LTRIM/RTRIM(s[, characters]): removes spaces (only spaces, as SQL does) or the given characters. */
function trimFunction(name: string, leading: boolean, trailing: boolean): ScalarFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: 2,
    returnType: () => 'String',
    call: ([value, set]) => {
      const t = text(value);
      const characters = set === undefined ? ' ' : text(set);
      if (t === null || characters === null) return null;
      if (characters === '') return t;
      const cls = `[${escapeRegExp(characters)}]+`;
      let result = t;
      if (leading) result = result.replace(new RegExp(`^${cls}`, 'u'), '');
      if (trailing) result = result.replace(new RegExp(`${cls}$`, 'u'), '');
      return result;
    },
  };
}

/** SUBSTRING(s, start[, length]): 1-based; a start before 1 still counts toward the length. */
function substring(name: string): ScalarFunction {
  return {
    name,
    minArgs: 2,
    maxArgs: 3,
    returnType: () => 'String',
    call: ([value, startArg, lengthArg]) => {
      const t = text(value);
      const start = integerArg(startArg);
      const length = lengthArg === undefined ? Infinity : integerArg(lengthArg);
      if (t === null || start === null || length === null || length < 0) return null;
      return charSlice(t, start - 1, start - 1 + length);
    },
  };
}

/** LEFT(s, n) / RIGHT(s, n): the first / last n characters; a negative n gives NULL. */
function edge(name: string, fromLeft: boolean): ScalarFunction {
  return {
    name,
    minArgs: 2,
    maxArgs: 2,
    returnType: () => 'String',
    call: ([value, countArg]) => {
      const t = text(value);
      const count = integerArg(countArg);
      if (t === null || count === null || count < 0) return null;
      if (fromLeft) return charSlice(t, 0, count);
      const length = charLength(t);
      return charSlice(t, length - count, length);
    },
  };
}

/** LEN ignores trailing spaces, as SQL Server's does; LENGTH counts every character. */
function lengthWithoutTrailingSpaces(t: string): number {
  return charLength(t.replace(/ +$/, ''));
}

export const textFunctions: ScalarFunction[] = [
  unaryText('UPPER', (t) => t.toUpperCase(), 'String'),
  unaryText('LOWER', (t) => t.toLowerCase(), 'String'),
  unaryText('LENGTH', charLength, 'Integer'),
  unaryText('CHAR_LENGTH', charLength, 'Integer'),
  unaryText('LEN', lengthWithoutTrailingSpaces, 'Integer'),
  trimFunction('TRIM', true, true),
  trimFunction('LTRIM', true, false),
  trimFunction('RTRIM', false, true),
  substring('SUBSTRING'),
  substring('SUBSTR'),
  edge('LEFT', true),
  edge('RIGHT', false),
  {
    name: 'REPLACE',
    minArgs: 3,
    maxArgs: 3,
    returnType: () => 'String',
    call: ([value, from, to]) => {
      const [t, f, r] = [text(value), text(from), text(to)];
      if (t === null || f === null || r === null) return null;
      // An empty search string would match between every character; SQL leaves the text alone.
      return f === '' ? t : t.split(f).join(r);
    },
  },
  {
    // NULL arguments count as '' (as in SQL Server and PostgreSQL), so CONCAT is never NULL.
    name: 'CONCAT',
    minArgs: 1,
    maxArgs: Infinity,
    returnType: () => 'String',
    call: (args) => args.map((a) => text(a) ?? '').join(''),
  },
  {
    // CHARINDEX(sub, s[, start]): 1-based position of sub in s at or after start; 0 when absent
    // or when sub is empty (SQL Server's answer). Case-sensitive, like every string comparison here.
    name: 'CHARINDEX',
    minArgs: 2,
    maxArgs: 3,
    returnType: () => 'Integer',
    call: ([subArg, value, startArg]) => {
      const [sub, t] = [text(subArg), text(value)];
      const start = startArg === undefined ? 1 : integerArg(startArg);
      if (sub === null || t === null || start === null) return null;
      if (sub === '') return 0;
      const c = chars(t) ?? chars(sub);
      if (!c) return t.indexOf(sub, Math.max(0, start - 1)) + 1;
      const all = Array.from(t);
      const needle = Array.from(sub);
      for (let i = Math.max(0, start - 1); i + needle.length <= all.length; i++) {
        if (needle.every((ch, j) => all[i + j] === ch)) return i + 1;
      }
      return 0;
    },
  },
];
