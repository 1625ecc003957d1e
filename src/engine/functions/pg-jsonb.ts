// PostgreSQL's everyday jsonb / json functions over JSON text (Metadata and Stripe's other
// nested fields): jsonb_typeof, jsonb_array_length, jsonb_extract_path[_text], to_jsonb,
// jsonb_build_object / jsonb_build_array, jsonb_strip_nulls, the containment operator @>, and
// the aggregates jsonb_agg, and the set-returning jsonb_array_elements[_text],
// jsonb_object_keys and jsonb_each[_text]. Each json_* spelling is the same function.
// Results are JSON text in jsonb's form (`{"a": 1}`, keys shorter-first), so they read and
// compare as PostgreSQL's do. Text that is not JSON gives NULL, as the -> operators do: one odd
// row cannot stop a scan.

import type { AggregateFunction, ScalarFunction } from '../functions.js';
import { Interval } from '../interval.js';
import type { DataType, SqlValue } from '../table.js';
import { Numeric } from '../numeric.js';
import { valueToText } from '../values.js';
import { ValueSet } from '../value-sets.js';
import { SqlRecord } from '../composite.js';
import { jsonbKeys, jsonbText, parseJsonText } from './pg-json.js';

/** A value's text parsed as JSON; undefined for NULL or text that is not JSON. */
const parsed = (value: SqlValue): unknown => parseJsonText(valueToText(value));

/** An SQL value as the JSON value to_jsonb makes of it; a value that is JSON (`isJson`) nests as what it holds. */
export function toJsonValue(value: SqlValue, isJson = false): unknown {
  if (value === null) return null;
  if (isJson && typeof value === 'string') return parsed(value) ?? value;
  if (typeof value === 'bigint' || value instanceof Numeric) return value; // written exactly by jsonbText
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (value instanceof Interval) return valueToText(value);
  return value;
}

/** The type names jsonb_typeof gives. */
function typeOfJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** Whether `outer` contains `inner` as jsonb's @> has it: objects by subset, arrays by elements, scalars by equality. */
function contains(outer: unknown, inner: unknown): boolean {
  if (Array.isArray(outer)) {
    const items = Array.isArray(inner) ? inner : [inner];
    return items.every((item) => outer.some((candidate) => contains(candidate, item) && (typeof item !== 'object' || item === null || Array.isArray(item) === Array.isArray(candidate))));
  }
  if (outer !== null && typeof outer === 'object') {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return false;
    return Object.entries(inner).every(([key, value]) => key in outer && contains((outer as Record<string, unknown>)[key], value));
  }
  return outer === inner;
}

/** The function under each of its names (jsonb_… and json_…); `returnsJson` when its text is JSON. */
function jsonFunction(names: string[], minArgs: number, maxArgs: number, returnType: DataType, call: (args: SqlValue[]) => SqlValue, returnsJson = false): ScalarFunction[] {
  return names.map((name) => ({ name, minArgs, maxArgs, returnType: () => returnType, ...(returnsJson ? { returnsJson } : {}), call }));
}

const typeofFunctions = jsonFunction(['JSONB_TYPEOF', 'JSON_TYPEOF'], 1, 1, 'String', ([json]) => {
  const value = parsed(json ?? null);
  return value === undefined ? null : typeOfJson(value);
});

const arrayLength = jsonFunction(['JSONB_ARRAY_LENGTH', 'JSON_ARRAY_LENGTH'], 1, 1, 'Integer', ([json]) => {
  const value = parsed(json ?? null);
  return Array.isArray(value) ? value.length : null;
});

function followPath(args: SqlValue[]): unknown {
  let current = parsed(args[0] ?? null);
  for (const step of args.slice(1)) {
    if (step === null || current === null || typeof current !== 'object') return undefined;
    const key = valueToText(step) ?? '';
    current = Array.isArray(current) ? (/^-?\d+$/.test(key) ? current[Number(key) < 0 ? current.length + Number(key) : Number(key)] : undefined) : (current as Record<string, unknown>)[key];
  }
  return current;
}

const extractPath = jsonFunction(['JSONB_EXTRACT_PATH', 'JSON_EXTRACT_PATH'], 1, Infinity, 'String', (args) => {
  const value = followPath(args);
  return value === undefined ? null : jsonbText(value);
}, true);

const extractPathText = jsonFunction(['JSONB_EXTRACT_PATH_TEXT', 'JSON_EXTRACT_PATH_TEXT'], 1, Infinity, 'String', (args) => {
  const value = followPath(args);
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : jsonbText(value);
});

/** A builder whose arguments that are JSON nest as JSON: one variant per pattern of JSON arguments. */
function jsonBuilder(names: string[], minArgs: number, maxArgs: number, build: (args: SqlValue[], json: boolean[]) => SqlValue): ScalarFunction[] {
  return jsonFunction(names, minArgs, maxArgs, 'String', (args) => build(args, []), true).map((fn) => ({
    ...fn,
    withJsonArgs: (json: boolean[]) => ({ ...fn, call: (args: SqlValue[]) => build(args, json) }),
  }));
}

const buildObject = jsonBuilder(['JSONB_BUILD_OBJECT', 'JSON_BUILD_OBJECT'], 0, Infinity, (args, json) => {
  const object: Record<string, unknown> = {};
  for (let i = 0; i + 1 < args.length; i += 2) object[valueToText(args[i] ?? null) ?? 'null'] = toJsonValue(args[i + 1] ?? null, json[i + 1]);
  return jsonbText(object);
});

const buildArray = jsonBuilder(['JSONB_BUILD_ARRAY', 'JSON_BUILD_ARRAY'], 0, Infinity, (args, json) => jsonbText(args.map((a, i) => toJsonValue(a, json[i]))));

const toJson = jsonBuilder(['TO_JSONB', 'TO_JSON'], 1, 1, ([value], json) => (value === null || value === undefined ? null : jsonbText(toJsonValue(value, json[0]))));

function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, stripNulls(v)]));
}

const stripNullsFunctions = jsonFunction(['JSONB_STRIP_NULLS', 'JSON_STRIP_NULLS'], 1, 1, 'String', ([json]) => {
  const value = parsed(json ?? null);
  return value === undefined ? null : jsonbText(stripNulls(value));
}, true);

/** `a @> b` and `b <@ a`: containment. */
function containment(name: string, flip: boolean): ScalarFunction {
  return {
    name,
    infix: name,
    minArgs: 2,
    maxArgs: 2,
    returnType: () => 'Boolean',
    call([left, right]) {
      const [outer, inner] = flip ? [parsed(right ?? null), parsed(left ?? null)] : [parsed(left ?? null), parsed(right ?? null)];
      return outer === undefined || inner === undefined ? null : contains(outer, inner);
    },
  };
}

/** A set-returning function over one JSON argument (in the select list, as PostgreSQL runs them). */
function jsonSet(names: string[], returnsJson: boolean, values: (json: unknown) => SqlValue[], recordFields?: Record<string, DataType>): ScalarFunction[] {
  return names.map((name) => ({
    name,
    minArgs: 1,
    maxArgs: 1,
    setReturning: true,
    returnsJson,
    returnType: () => (recordFields ? null : 'String'),
    ...(recordFields ? { recordFields } : {}),
    call: ([json]) => new ValueSet(values(parsed(json ?? null))) as unknown as SqlValue,
  }));
}

/** An object's members in jsonb's key order; none for anything else. */
const entries = (json: unknown): [string, unknown][] =>
  json !== null && typeof json === 'object' && !Array.isArray(json) ? jsonbKeys(json).map((key) => [key, (json as Record<string, unknown>)[key]]) : [];
const asText = (value: unknown): SqlValue => (value === null ? null : typeof value === 'string' ? value : jsonbText(value));

const setFunctions: ScalarFunction[] = [
  ...jsonSet(['JSONB_ARRAY_ELEMENTS', 'JSON_ARRAY_ELEMENTS'], true, (json) => (Array.isArray(json) ? json.map((v) => jsonbText(v)) : [])),
  ...jsonSet(['JSONB_ARRAY_ELEMENTS_TEXT', 'JSON_ARRAY_ELEMENTS_TEXT'], false, (json) => (Array.isArray(json) ? json.map(asText) : [])),
  ...jsonSet(['JSONB_OBJECT_KEYS', 'JSON_OBJECT_KEYS'], false, (json) => entries(json).map(([key]) => key)),
  ...jsonSet(['JSONB_EACH', 'JSON_EACH'], false, (json) => entries(json).map(([key, value]) => new SqlRecord(['key', 'value'], [key, jsonbText(value)]) as unknown as SqlValue), { key: 'String', value: 'String' }),
  ...jsonSet(['JSONB_EACH_TEXT', 'JSON_EACH_TEXT'], false, (json) => entries(json).map(([key, value]) => new SqlRecord(['key', 'value'], [key, asText(value)]) as unknown as SqlValue), { key: 'String', value: 'String' }),
];

export const pgJsonbFunctions: ScalarFunction[] = [
  ...setFunctions,
  ...typeofFunctions, ...arrayLength, ...extractPath, ...extractPathText, ...buildObject, ...buildArray, ...toJson, ...stripNullsFunctions,
  containment('@>', false), containment('<@', true),
];

/** jsonb_agg(x): the values as a JSON array, NULLs kept as null. */
function jsonAgg(name: string, argIsJson = false): AggregateFunction {
  return {
    name,
    allowsStar: false,
    returnsJson: true,
    returnType: () => 'String',
    withJsonArg: (json) => jsonAgg(name, json),
    create() {
      const values: unknown[] = [];
      return {
        add: (value) => void values.push(toJsonValue(value, argIsJson)),
        result: () => (values.length === 0 ? null : jsonbText(values)),
      };
    },
  };
}

export const pgJsonbAggregates: AggregateFunction[] = [jsonAgg('JSONB_AGG'), jsonAgg('JSON_AGG')];
