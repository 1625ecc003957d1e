// PostgreSQL's JSON operators over JSON text columns (Metadata, LineItemsAggregate, …):
// `j -> 'key'` and `j -> 0` give the member as JSON text, `j ->> 'key'` as plain text (a string
// without its quotes), `j #> '{a,b}'` and `j #>> '{a,b}'` follow a path. A missing member, a
// JSON null or text that is not JSON gives NULL, never an error (one odd row cannot stop a scan).

import type { ScalarFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { valueToText } from '../values.js';
import { Numeric } from '../numeric.js';

type Step = string | number;

function parse(text: SqlValue): unknown {
  if (text === null) return undefined;
  return typeof text === 'string' ? parseJsonText(text) : text;
}

/** JSON text parsed; undefined for NULL or text that is not JSON. */
export function parseJsonText(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An object's keys in jsonb's own order: shorter first, then by bytes. */
export function jsonbKeys(object: object): string[] {
  return Object.keys(object).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

function member(container: unknown, step: Step): unknown {
  if (container === null || typeof container !== 'object') return undefined;
  if (Array.isArray(container)) {
    const index = typeof step === 'number' ? step : /^-?\d+$/.test(step) ? Number(step) : NaN;
    if (!Number.isInteger(index)) return undefined;
    return container[index < 0 ? container.length + index : index];
  }
  return typeof step === 'string' || typeof step === 'number' ? (container as Record<string, unknown>)[String(step)] : undefined;
}

/** `'{a,b,0}'`: PostgreSQL's text-array path. */
function pathSteps(path: SqlValue): Step[] | undefined {
  const text = valueToText(path);
  if (text === null) return undefined;
  const inner = text.trim().replace(/^\{/, '').replace(/\}$/, '');
  if (inner === '') return [];
  return inner.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * JSON text as PostgreSQL's jsonb prints it: `{"a": 1, "b": [1, 2]}`, keys shorter-first then
 * in byte order (jsonb's own order), so results read and compare as they do in PostgreSQL.
 */
export function jsonbText(value: unknown): string {
  if (typeof value === 'bigint' || value instanceof Numeric) return value.toString();
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${jsonbKeys(value).map((k) => `${JSON.stringify(k)}: ${jsonbText((value as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

function asJson(value: unknown): SqlValue {
  return value === undefined ? null : jsonbText(value);
}

function asText(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : jsonbText(value);
}

function stepOf(key: SqlValue): Step | undefined {
  if (key === null) return undefined;
  return typeof key === 'number' ? key : valueToText(key) ?? undefined;
}

function operator(name: string, follow: (json: unknown, key: SqlValue) => unknown, result: (value: unknown) => SqlValue): ScalarFunction {
  return {
    name,
    infix: name,
    returnsJson: result === asJson,
    minArgs: 2,
    maxArgs: 2,
    returnType: () => 'String',
    call: ([json, key]) => {
      const parsed = parse(json ?? null);
      return parsed === undefined ? null : result(follow(parsed, key ?? null));
    },
  };
}

const byKey = (json: unknown, key: SqlValue): unknown => {
  const step = stepOf(key);
  return step === undefined ? undefined : member(json, step);
};

const byPath = (json: unknown, path: SqlValue): unknown => {
  const steps = pathSteps(path);
  if (!steps) return undefined;
  let current = json;
  for (const step of steps) current = member(current, step);
  return current;
};

export const pgJsonFunctions: ScalarFunction[] = [
  operator('->', byKey, asJson),
  operator('->>', byKey, asText),
  operator('#>', byPath, asJson),
  operator('#>>', byPath, asText),
];
