// JSON text given to a json column on INSERT.

/**
 * Parses `text`; if it is not valid JSON as it stands but is once `\"` becomes `"`, uses that:
 * the reference product's documented INSERT writes `'[{\"price\":…}]'` inside a SQL string,
 * where the backslashes are not escapes, and users copy it.
 */
export function parseJsonInput(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    if (text.includes('\\"')) {
      try {
        return { ok: true, value: JSON.parse(text.replaceAll('\\"', '"')) };
      } catch {
        // fall through to report the original problem
      }
    }
    return { ok: false, error: (error as Error).message };
  }
}

export function jsonShapeOf(value: unknown): 'array' | 'object' | 'scalar' {
  if (Array.isArray(value)) return 'array';
  return value !== null && typeof value === 'object' ? 'object' : 'scalar';
}
