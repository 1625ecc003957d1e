// PostgreSQL's string functions beyond the common core (text.ts): strpos, split_part, lpad /
// rpad, initcap, concat_ws, reverse, repeat, btrim, translate, starts_with, ascii / chr,
// octet_length, md5, to_hex, regexp_replace, quote_ident / quote_literal / quote_nullable,
// format (%s %I %L) and gen_random_uuid. Counts are in characters (code points), as
// PostgreSQL's are. NULL in gives NULL out, except where PostgreSQL says otherwise
// (concat_ws skips NULLs; quote_nullable and format's %L write NULL).

import { createHash, randomUUID } from 'node:crypto';
import type { ScalarFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { valueToText } from '../values.js';
import { strictFunction as strict } from './strict.js';
import { integerArg } from './text.js';
import { regex } from './pg-regex.js';

const text = (value: SqlValue | undefined): string | null => valueToText(value ?? null);

function pad(name: string, left: boolean): ScalarFunction {
  return strict(name, 2, 3, 'String', ([value, lengthArg, fillArg]) => {
    const chars = Array.from(text(value)!);
    const length = integerArg(lengthArg);
    if (length === null) return null;
    if (length <= chars.length) return chars.slice(0, Math.max(0, length)).join('');
    const fill = Array.from(fillArg === undefined ? ' ' : text(fillArg)!);
    if (fill.length === 0) return chars.join('');
    const padding = Array.from({ length: length - chars.length }, (_, i) => fill[i % fill.length]).join('');
    return left ? padding + chars.join('') : chars.join('') + padding;
  });
}

/** 1-based character position of `sub` in `s`; 0 when absent. */
function strpos(s: string, sub: string): number {
  const at = s.indexOf(sub);
  return at < 0 ? 0 : Array.from(s.slice(0, at)).length + 1;
}

/** split_part(s, delimiter, n): the nth field (from the end when n < 0); '' past the ends. */
const splitPart = strict('SPLIT_PART', 3, 3, 'String', ([value, delimiterArg, nArg]) => {
  const [s, delimiter, n] = [text(value)!, text(delimiterArg)!, integerArg(nArg)];
  if (n === null || n === 0) return null;
  const fields = delimiter === '' ? [s] : s.split(delimiter);
  return fields[n > 0 ? n - 1 : fields.length + n] ?? '';
});

/** initcap: each run of letters and digits starts upper case, the rest lower. */
function initcap(s: string): string {
  return s.toLowerCase().replace(/(^|[^\p{L}\p{N}])([\p{L}\p{N}])/gu, (_, before: string, first: string) => before + first.toUpperCase());
}

function translate(s: string, from: string, to: string): string {
  const [source, target] = [Array.from(from), Array.from(to)];
  return Array.from(s)
    .map((ch) => {
      const i = source.indexOf(ch);
      return i < 0 ? ch : (target[i] ?? '');
    })
    .join('');
}

function btrim(s: string, characters: string): string {
  const set = new Set(Array.from(characters));
  const chars = Array.from(s);
  let [start, end] = [0, chars.length];
  while (start < end && set.has(chars[start]!)) start++;
  while (end > start && set.has(chars[end - 1]!)) end--;
  return chars.slice(start, end).join('');
}

/**
 * regexp_replace(s, pattern, replacement[, flags]): the first match (every match with flag g)
 * replaced; `\1`…`\9` in the replacement is a group, `\&` the whole match, as PostgreSQL writes them.
 */
const regexpReplace = strict('REGEXP_REPLACE', 3, 4, 'String', ([value, patternArg, replacementArg, flagsArg]) => {
  const flags = flagsArg === undefined ? '' : text(flagsArg)!;
  const re = regex(text(patternArg)!, `u${flags.includes('g') ? 'g' : ''}${flags.includes('i') ? 'i' : ''}`);
  if (re === null) return null;
  const replacement = text(replacementArg)!.replace(/\$/g, '$$$$').replace(/\\(\d|&|\\)/g, (_, what: string) => (what === '&' ? '$&' : what === '\\' ? '\\' : `$${what}`));
  return text(value)!.replace(re, replacement);
});

/** quote_ident: the name as is when PostgreSQL would read it back unquoted, else in double quotes. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  const escaped = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${escaped.replace(/\\/g, '\\\\')}'` : `'${escaped}'`;
}

/** format(fmt, …): %s (NULL as ''), %I (an identifier), %L (a literal, NULL as NULL), %%, and %n$ positions. */
function format(args: SqlValue[]): SqlValue {
  const template = text(args[0]);
  if (template === null) return null;
  let next = 1;
  return template.replace(/%(?:(\d+)\$)?([sIL%])/g, (whole, position: string | undefined, kind: string) => {
    if (kind === '%') return '%';
    const index = position === undefined ? next++ : Number(position);
    if (position !== undefined) next = index + 1;
    const value = index < args.length ? text(args[index]) : null;
    if (kind === 's') return value ?? '';
    if (kind === 'I') return value === null ? '' : quoteIdent(value);
    return value === null ? 'NULL' : quoteLiteral(value);
  });
}

export const pgTextFunctions: ScalarFunction[] = [
  strict('CHARACTER_LENGTH', 1, 1, 'Integer', ([s]) => Array.from(text(s)!).length),
  strict('OCTET_LENGTH', 1, 1, 'Integer', ([s]) => Buffer.byteLength(text(s)!, 'utf8')),
  strict('STRPOS', 2, 2, 'Integer', ([s, sub]) => strpos(text(s)!, text(sub)!)),
  // position(sub IN s), as the parser passes it.
  strict('POSITION', 2, 2, 'Integer', ([sub, s]) => strpos(text(s)!, text(sub)!)),
  splitPart,
  pad('LPAD', true),
  pad('RPAD', false),
  strict('INITCAP', 1, 1, 'String', ([s]) => initcap(text(s)!)),
  strict('REVERSE', 1, 1, 'String', ([s]) => Array.from(text(s)!).reverse().join('')),
  strict('REPEAT', 2, 2, 'String', ([s, n]) => text(s)!.repeat(Math.max(0, integerArg(n) ?? 0))),
  strict('BTRIM', 1, 2, 'String', ([s, characters]) => btrim(text(s)!, characters === undefined ? ' ' : text(characters)!)),
  strict('TRANSLATE', 3, 3, 'String', ([s, from, to]) => translate(text(s)!, text(from)!, text(to)!)),
  strict('STARTS_WITH', 2, 2, 'Boolean', ([s, prefix]) => text(s)!.startsWith(text(prefix)!)),
  strict('ASCII', 1, 1, 'Integer', ([s]) => text(s)!.codePointAt(0) ?? 0),
  strict('CHR', 1, 1, 'String', ([n]) => {
    const code = integerArg(n);
    return code === null || code <= 0 || code > 0x10ffff ? null : String.fromCodePoint(code);
  }),
  strict('MD5', 1, 1, 'String', ([s]) => createHash('md5').update(text(s)!, 'utf8').digest('hex')),
  strict('TO_HEX', 1, 1, 'String', ([n]) => {
    const value = integerArg(n);
    if (value === null) return null;
    // A negative integer as its two's complement: 32 bits when it fits an integer, else 64.
    return value >= 0 ? value.toString(16) : BigInt.asUintN(value >= -(2 ** 31) ? 32 : 64, BigInt(value)).toString(16);
  }),
  regexpReplace,
  strict('QUOTE_IDENT', 1, 1, 'String', ([s]) => quoteIdent(text(s)!)),
  strict('QUOTE_LITERAL', 1, 1, 'String', ([s]) => quoteLiteral(text(s)!)),
  { name: 'QUOTE_NULLABLE', minArgs: 1, maxArgs: 1, returnType: () => 'String', call: ([s]) => (s === null || s === undefined ? 'NULL' : quoteLiteral(text(s)!)) },
  {
    name: 'CONCAT_WS',
    minArgs: 2,
    maxArgs: Infinity,
    returnType: () => 'String',
    call: ([separator, ...values]) => (separator === null ? null : values.filter((v) => v !== null).map((v) => text(v)).join(text(separator)!)),
  },
  { name: 'FORMAT', minArgs: 1, maxArgs: Infinity, returnType: () => 'String', call: format },
  { name: 'GEN_RANDOM_UUID', minArgs: 0, maxArgs: 0, returnType: () => 'String', volatile: true, call: () => randomUUID() },
];
