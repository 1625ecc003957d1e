// PostgreSQL's arrays and row values in expressions: `ARRAY[a, b]`, subscripts `a[i]`, field
// selection `(r).f`, `x = ANY(a)` and its kin, array_upper/array_lower/array_length/
// cardinality/array_to_string/string_to_array/parse_ident, the set-returning unnest and generate_subscripts, and the
// bitwise `&` and `|` that catalog queries apply to flag columns. The parser writes the
// operators as calls of these names ('[]', '.', 'ARRAY[]', '= ANY', …).

import type { ScalarFunction } from '../functions.js';
import type { DataType, SqlValue } from '../table.js';
import { SqlArray, SqlRecord } from '../composite.js';
import { ValueSet } from '../value-sets.js';
import { compareValues, or3, and3, toNumber, valueToText, type Truth } from '../values.js';

const array = (value: SqlValue | undefined): SqlArray | undefined => (value instanceof SqlArray ? value : undefined);
const integer = (value: SqlValue | undefined): number | null => {
  const n = toNumber(value ?? null);
  return n === null || !Number.isInteger(n) ? null : n;
};

function fn(name: string, args: [number, number], returnType: (types: (DataType | null)[]) => DataType | null, call: (args: SqlValue[]) => SqlValue, extra: Partial<ScalarFunction> = {}): ScalarFunction {
  return { name, minArgs: args[0], maxArgs: args[1], returnType, call, ...extra };
}

const COMPARISONS: Readonly<Record<string, (c: number) => boolean>> = {
  '=': (c) => c === 0, '<>': (c) => c !== 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0,
};

/** `x op ANY (array)`: true when some element compares so; `op ALL`: when every one does (NULLs as SQL's three-valued logic). */
function quantified(op: string, all: boolean): ScalarFunction {
  const test = COMPARISONS[op]!;
  return fn(`${op} ${all ? 'ALL' : 'ANY'}`, [2, 2], () => 'Boolean', ([value, list]) => {
    const items = array(list)?.items;
    if (items === undefined || value === null || value === undefined) return null;
    let result: Truth = all;
    for (const item of items) {
      const c = compareValues(value, item);
      const truth = c === null ? null : test(c);
      result = all ? and3(result, truth) : or3(result, truth);
    }
    return result;
  }, { infix: `${op} ${all ? 'ALL' : 'ANY'}` });
}

/** The bounds of dimension 1 (the only one these arrays have); NULL for others, and for an empty array. */
function bound(name: string, of: (a: SqlArray) => number): ScalarFunction {
  return fn(name, [2, 2], () => 'Integer', ([value, dimension]) => {
    const a = array(value);
    return a && a.items.length > 0 && integer(dimension) === 1 ? of(a) : null;
  });
}

function bitwise(name: string, apply: (a: bigint, b: bigint) => bigint): ScalarFunction {
  return fn(name, [2, 2], ([a, b]) => (a === 'Long' || b === 'Long' ? 'Long' : 'Integer'), ([a, b]) => {
    const [x, y] = [integer(a), integer(b)];
    return x === null || y === null ? null : Number(apply(BigInt(x), BigInt(y)));
  }, { infix: name });
}

export const pgArrayFunctions: ScalarFunction[] = [
  fn('ARRAY[]', [0, Number.POSITIVE_INFINITY], () => 'Array', (args) => new SqlArray(args)),
  // The element's type is the array's to tell (catalog columns hold numbers, names, …): known from the values.
  fn('[]', [2, 2], () => null, ([value, index]) => {
    const i = integer(index);
    return i === null ? null : (array(value)?.at(i) ?? null);
  }),
  fn('.', [2, 2], () => null, ([value, name]) => (value instanceof SqlRecord && typeof name === 'string' ? (value.field(name) ?? null) : null), {
    // A field of a record a call makes has the type the function declares (`(_pg_expandarray(k)).n` is an integer).
    typeOf: ([record, name]) => {
      if (record?.kind !== 'call' || name?.kind !== 'const' || typeof name.value !== 'string') return null;
      const fields = record.fn.recordFields ?? {};
      return Object.entries(fields).find(([field]) => field.toLowerCase() === String(name.value).toLowerCase())?.[1] ?? null;
    },
  }),
  ...Object.keys(COMPARISONS).flatMap((op) => [quantified(op, false), quantified(op, true)]),
  bound('ARRAY_UPPER', (a) => a.upper),
  bound('ARRAY_LOWER', (a) => a.lower),
  bound('ARRAY_LENGTH', (a) => a.items.length),
  fn('CARDINALITY', [1, 1], () => 'Integer', ([value]) => array(value)?.items.length ?? null),
  fn('ARRAY_TO_STRING', [2, 3], () => 'String', ([value, separator, nullText]) => {
    const a = array(value);
    const sep = valueToText(separator ?? null);
    if (!a || sep === null) return null;
    const texts = a.items.flatMap((v) => (v === null ? (nullText === undefined || nullText === null ? [] : [valueToText(nullText)!]) : [valueToText(v)!]));
    return texts.join(sep);
  }),
  fn('STRING_TO_ARRAY', [2, 3], () => 'Array', ([value, delimiter, nullText]) => {
    const [text, sep] = [valueToText(value ?? null), valueToText(delimiter ?? null)];
    if (text === null) return null;
    if (text === '') return new SqlArray([]);
    const parts = sep === null ? [...text] : sep === '' ? [text] : text.split(sep);
    const nullString = nullText === undefined || nullText === null ? undefined : valueToText(nullText);
    return new SqlArray(parts.map((p) => (p === nullString ? null : p)));
  }),
  // `"Schema".table` → {Schema,table}: quoted parts as written, unquoted ones folded to lower case.
  fn('PARSE_IDENT', [1, 2], () => 'Array', ([value]) => {
    const text = valueToText(value ?? null);
    if (text === null) return null;
    const parts = [...text.matchAll(/\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(\.|$)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase()));
    return new SqlArray(parts);
  }),
  fn('UNNEST', [1, 1], () => null, ([value]) => new ValueSet(array(value)?.items ?? []) as unknown as SqlValue, { setReturning: true }),
  fn('GENERATE_SUBSCRIPTS', [2, 2], () => 'Integer', ([value, dimension]) => {
    const a = array(value);
    const subscripts = a && integer(dimension) === 1 ? a.items.map((_, i) => a.lower + i) : [];
    return new ValueSet(subscripts) as unknown as SqlValue;
  }, { setReturning: true }),
  bitwise('&', (a, b) => a & b),
  bitwise('|', (a, b) => a | b),
];
