// PostgreSQL's composite values: arrays (`ARRAY[1, 2]`, a column holding a list) and records (a
// row value, what `_pg_expandarray` gives: `(x, n)`). Each prints as PostgreSQL's text form
// (`{1,2}`, `(1,1)`), which is also what crosses the wire and what compares them as keys.

import type { SqlValue } from './table.js';

/**
 * A one-dimensional array; subscripts start at `lower` (1 unless the array says otherwise). A
 * vector (the catalogs' int2vector and oidvector) starts at 0 and prints as `1 2`.
 */
export class SqlArray {
  constructor(
    readonly items: readonly SqlValue[],
    readonly lower = 1,
    readonly vector = false,
  ) {}

  static vector(items: readonly SqlValue[]): SqlArray {
    return new SqlArray(items, 0, true);
  }

  /** The element at subscript `i`; NULL outside the bounds, as PostgreSQL gives. */
  at(i: number): SqlValue {
    return this.items[i - this.lower] ?? null;
  }

  get upper(): number {
    return this.lower + this.items.length - 1;
  }

  toString(): string {
    if (this.vector) return this.items.join(' ');
    return `{${this.items.map((v) => (v === null ? 'NULL' : quoteElement(String(v), /[{},"\\\s]|^$|^null$/i))).join(',')}}`;
  }
}

/** A row value with named fields. */
export class SqlRecord {
  constructor(
    readonly names: readonly string[],
    readonly values: readonly SqlValue[],
  ) {}

  /** The value of a field (names match case-insensitively, as unquoted names do); undefined if it has none. */
  field(name: string): SqlValue | undefined {
    const i = this.names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
    return i < 0 ? undefined : (this.values[i] ?? null);
  }

  toString(): string {
    return `(${this.values.map((v) => (v === null ? '' : quoteElement(String(v), /[(),"\\\s]|^$/))).join(',')})`;
  }
}

export type Composite = SqlArray | SqlRecord;

export function isComposite(value: unknown): value is Composite {
  return value instanceof SqlArray || value instanceof SqlRecord;
}

function quoteElement(text: string, needsQuotes: RegExp): string {
  return needsQuotes.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : text;
}

/** Arrays compare element by element, a shorter prefix first; records field by field. */
export function compareComposites(a: Composite, b: Composite, compare: (x: SqlValue, y: SqlValue) => number | null): number | null {
  const [xs, ys] = [a instanceof SqlArray ? a.items : a.values, b instanceof SqlArray ? b.items : b.values];
  if (a.constructor !== b.constructor) return null;
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const c = compare(xs[i]!, ys[i]!);
    if (c !== 0) return c;
  }
  return xs.length - ys.length;
}
