// Columns of an in-memory table held as plain number arrays, beside its rows. A row is an array
// of boxed values somewhere on the heap, so a filter that reads one value of each of a million
// rows waits on memory for each; the same column as a Float64Array is read in one sweep. The
// engine uses these for a scan's filter and an ORDER BY … LIMIT key (operators/column-scan.ts,
// operators/column-top.ts) and still hands on the rows themselves. Built per column on first
// use and kept until the rows change.

import type { Row, SqlValue } from './table.js';

/** What the numbers of a vector stand for; every value of the column is of this kind or NULL. */
export type VectorKind = 'number' | 'boolean' | 'datetime';

export interface ColumnVector {
  /** Undefined when every value is NULL (then any constant may be compared with it). */
  kind: VectorKind | undefined;
  /** The values as numbers: booleans 0 / 1, datetimes their epoch milliseconds; NaN where NULL. */
  values: Float64Array;
  /** 1 where the value is NULL, else 0 (a NaN in `values` may be a real NaN). */
  nulls: Uint8Array;
}

/** One consistent view of a table for one query: its rows and their columns as vectors. */
export interface ColumnarRows {
  readonly rows: readonly Row[];
  /** The column at `index` (the table's column order) as a vector; undefined when its values are not all of one kind. */
  vector(index: number): ColumnVector | undefined;
  /** Told how many rows the engine read, and whether it stopped before the last (the table's own counters). */
  read?(count: number): void;
  closedEarly?(): void;
}

/** What a table offers for a plan it answers with its rows as they are (Table.columnar). */
export interface ColumnarSource {
  /**
   * The rows as they are now; called once per run of the query. `columns`: the ones the run
   * will ask vectors of, which the table may build in one pass over the rows.
   */
  open(columns?: readonly number[]): ColumnarRows;
}

/** The kind of a value a vector can hold, or undefined (text, numerics, intervals…). */
export function vectorKindOf(value: SqlValue): VectorKind | undefined {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'datetime';
  return undefined;
}

/** A value of a vector's kind as the number the vector holds for it. */
export function vectorNumber(value: number | boolean | Date): number {
  return typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : value.getTime();
}

/**
 * The vectors of one table, built per column on first use and dropped when the table is written
 * (the table calls clear()). Rows are never changed in place (a write replaces a row with a new
 * array), and the vectors stand beside a copy of the row array taken when they were first
 * built: a query reads that copy, so a write while it is paused does not tear it. As a guard
 * against a write that did not call clear(), the copy must still have the table's length and
 * first and last rows.
 */
export class ColumnVectors {
  private snapshot: Row[] | undefined;
  private vectors = new Map<number, ColumnVector | null>();

  /** Forgets every vector (the table was written). */
  clear(): void {
    this.snapshot = undefined;
    this.vectors = new Map();
  }

  /** The rows and their vectors; the `columns` not yet built are built now, in one pass over the rows. */
  current(rows: readonly Row[], columns: readonly number[] = []): ColumnarRows {
    if (!this.snapshot || !looksSame(this.snapshot, rows)) {
      this.snapshot = rows.slice();
      this.vectors = new Map();
    }
    const snapshot = this.snapshot;
    const vectors = this.vectors;
    const missing = [...new Set(columns)].filter((index) => !vectors.has(index));
    if (missing.length > 0) vectorizeColumns(snapshot, missing).forEach((vector, i) => vectors.set(missing[i]!, vector ?? null));
    return {
      rows: snapshot,
      vector(index) {
        let vector = vectors.get(index);
        if (vector === undefined) {
          vector = vectorizeColumns(snapshot, [index])[0] ?? null;
          vectors.set(index, vector);
        }
        return vector ?? undefined;
      },
    };
  }
}

function looksSame(a: readonly Row[], b: readonly Row[]): boolean {
  const last = a.length - 1;
  return a.length === b.length && (last < 0 || (a[0] === b[0] && a[last] === b[last]));
}

/**
 * The columns at `indexes` as vectors, in one pass over the rows; undefined for a column that
 * holds values of more than one kind, of a kind no vector holds, or a NaN.
 */
export function vectorizeColumns(rows: readonly Row[], indexes: readonly number[]): (ColumnVector | undefined)[] {
  const count = rows.length;
  const builds = indexes.map((index) => ({ index, kind: undefined as VectorKind | undefined, values: new Float64Array(count), nulls: new Uint8Array(count), failed: false }));
  for (let i = 0; i < count; i++) {
    const row = rows[i]!;
    for (let c = 0; c < builds.length; c++) {
      const build = builds[c]!;
      if (build.failed) continue;
      const value = row[build.index];
      if (value === null || value === undefined) {
        build.values[i] = NaN;
        build.nulls[i] = 1;
      } else if (value !== value) {
        // A NaN double equals NaN and sorts above every number (PostgreSQL's float8): the row tests know that, the kernels do not.
        build.failed = true;
      } else if (typeof value === 'number' && (build.kind === 'number' || build.kind === undefined)) {
        build.kind = 'number';
        build.values[i] = value;
      } else {
        const found = vectorKindOf(value);
        if (found === undefined || (build.kind !== undefined && found !== build.kind)) build.failed = true;
        else {
          build.kind = found;
          build.values[i] = vectorNumber(value as number | boolean | Date);
        }
      }
    }
  }
  return builds.map((build) => (build.failed ? undefined : { kind: build.kind, values: build.values, nulls: build.nulls }));
}
