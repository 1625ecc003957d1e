// JSON_EXTRACT(json, path): the value at a JSONPath-style path in JSON text — Stripe's arrays,
// maps and deep objects arrive as JSON text columns. A string, number or boolean comes back as
// that SQL value; an object or array as its JSON text; a missing member, a JSON null, text that
// is not JSON, or a path we cannot read gives NULL (never an error, so one odd row cannot abort
// a scan). Paths: `$`, then any of `.name`, `."quoted name"`, `['name']`, `["name"]`, `[0]`.

import type { ScalarFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { valueToText } from '../values.js';

type PathStep = string | number;

const PATH_STEP = /^(?:\.([A-Za-z_$][\w$]*)|\."((?:[^"\\]|\\.)*)"|\[\s*(\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\])/;

/** The steps of a path, or null when the path is malformed. */
export function parseJsonPath(path: string): PathStep[] | null {
  let rest = path.trim();
  if (!rest.startsWith('$')) return null;
  rest = rest.slice(1);
  const steps: PathStep[] = [];
  while (rest.length > 0) {
    const m = PATH_STEP.exec(rest);
    if (!m) return null;
    if (m[3] !== undefined) steps.push(Number(m[3]));
    else steps.push((m[1] ?? m[2] ?? m[4] ?? m[5]!).replace(/\\(.)/g, '$1'));
    rest = rest.slice(m[0].length);
  }
  return steps;
}

// Paths are almost always literals: parse each distinct one once.
const pathCache = new Map<string, PathStep[] | null>();
const PATH_CACHE_LIMIT = 256;

function cachedPath(path: string): PathStep[] | null {
  let steps = pathCache.get(path);
  if (steps === undefined) {
    steps = parseJsonPath(path);
    if (pathCache.size >= PATH_CACHE_LIMIT) pathCache.clear();
    pathCache.set(path, steps);
  }
  return steps;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function jsonExtract(json: string, path: string): SqlValue {
  const steps = cachedPath(path);
  if (steps === null) return null;
  const parsed = parseJson(json);
  if (!parsed.ok) return null;
  let current: unknown = parsed.value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return null;
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return null;
      current = current[step];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, step)) return null;
      current = (current as Record<string, unknown>)[step];
    }
  }
  if (current === undefined || current === null) return null;
  if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') return current;
  return JSON.stringify(current);
}

export const jsonFunctions: ScalarFunction[] = [
  {
    name: 'JSON_EXTRACT',
    minArgs: 2,
    maxArgs: 2,
    // The kind of value depends on the document, so it is known only per row.
    returnType: () => null,
    call: ([json, path]) => {
      const [j, p] = [valueToText(json ?? null), valueToText(path ?? null)];
      return j === null || p === null ? null : jsonExtract(j, p);
    },
  },
];
