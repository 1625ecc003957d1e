// Compares our rows with the oracle's. Values are normalised (Dates by instant, numbers with a
// relative tolerance for doubles). Two numerics (exact decimals) must print the same, every
// digit and the scale; a numeric against a double compares as numbers. Without ORDER BY rows are
// compared as multisets. With ORDER BY the sequence of sort keys must match exactly, and rows
// that tie on the keys are compared as a multiset per tie group — except a group that LIMIT or
// OFFSET may have cut, where either engine may legitimately have kept different rows.

import type { SqlValue } from '../../src/engine/table.js';
import { Numeric } from '../../src/engine/numeric.js';

const RELATIVE_TOLERANCE = 1e-9;

export function valuesEqual(a: SqlValue, b: SqlValue): boolean {
  if (a === null || b === null) return a === b;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof Numeric && b instanceof Numeric) return a.toString() === b.toString();
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) === String(b);
  if (a instanceof Numeric || b instanceof Numeric) {
    // One side exact, the other a double: equal within the tolerance (ours is a double where PostgreSQL's is numeric, or back).
    if (typeof a === 'object' && !(a instanceof Numeric)) return false;
    if (typeof b === 'object' && !(b instanceof Numeric)) return false;
    return valuesEqual(Number(a), Number(b));
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
    return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
  }
  // An interval (ours) against PostgreSQL's text for it: compared as PostgreSQL prints it.
  if (typeof a === 'object' || typeof b === 'object') return String(a) === String(b);
  return a === b;
}

function rowsEqual(a: readonly SqlValue[], b: readonly SqlValue[]): boolean {
  return a.length === b.length && a.every((value, i) => valuesEqual(value, b[i]!));
}

/** A sortable text for a value; numbers are rounded so that values within tolerance sort together. */
function sortText(value: SqlValue): string {
  if (value === null) return 'N';
  if (value instanceof Date) return `T${value.toISOString()}`;
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Numeric) return `D${Number(Number(value).toPrecision(9))}`;
  if (typeof value === 'boolean') return `B${value}`;
  return `S${String(value)}`;
}

export function formatValue(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint' || (typeof value === 'number' && !Number.isFinite(value))) return String(value);
  return JSON.stringify(value);
}

export function formatRow(row: readonly SqlValue[]): string {
  return `(${row.map(formatValue).join(', ')})`;
}

/** The first difference between two multisets of rows, or null when they hold the same rows. */
function multisetDifference(ours: readonly SqlValue[][], theirs: readonly SqlValue[][]): string | null {
  const key = (row: readonly SqlValue[]): string => row.map(sortText).join('\u0001');
  const sort = (rows: readonly SqlValue[][]): SqlValue[][] => [...rows].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const [a, b] = [sort(ours), sort(theirs)];
  if (a.length !== b.length) return `row counts differ: ours ${a.length}, PostgreSQL ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (!rowsEqual(a[i]!, b[i]!)) return `rows differ (in sorted order, #${i}): ours ${formatRow(a[i]!)}, PostgreSQL ${formatRow(b[i]!)}`;
  }
  return null;
}

export interface Ordering {
  /** Output column indexes of the ORDER BY keys; empty when row order is undefined. */
  keys: readonly number[];
  /** LIMIT/OFFSET applied, so the first and last tie groups may hold different rows. */
  cut: boolean;
}

/** Null when the results agree; otherwise a description of the first difference. */
export function compareResults(ours: readonly SqlValue[][], theirs: readonly SqlValue[][], ordering: Ordering): string | null {
  if (ours.length !== theirs.length) {
    return `row counts differ: ours ${ours.length}, PostgreSQL ${theirs.length}${sampleRows(ours, theirs)}`;
  }
  if (ordering.keys.length === 0) return multisetDifference(ours, theirs);
  const keyOf = (row: readonly SqlValue[]): SqlValue[] => ordering.keys.map((k) => row[k] ?? null);
  for (let i = 0; i < ours.length; i++) {
    if (!rowsEqual(keyOf(ours[i]!), keyOf(theirs[i]!))) {
      return `order differs at row #${i}: ours ${formatRow(ours[i]!)}, PostgreSQL ${formatRow(theirs[i]!)}`;
    }
  }
  let start = 0;
  while (start < ours.length) {
    let end = start + 1;
    while (end < ours.length && rowsEqual(keyOf(ours[end]!), keyOf(ours[start]!))) end++;
    const edgeGroup = start === 0 || end === ours.length;
    if (!(ordering.cut && edgeGroup)) {
      const difference = multisetDifference(ours.slice(start, end), theirs.slice(start, end));
      if (difference) return `in the tie group at rows #${start}–#${end - 1}: ${difference}`;
    }
    start = end;
  }
  return null;
}

function sampleRows(ours: readonly SqlValue[][], theirs: readonly SqlValue[][]): string {
  const show = (rows: readonly SqlValue[][]): string => rows.slice(0, 3).map(formatRow).join(' ') + (rows.length > 3 ? ' …' : '');
  return `\n    ours: ${show(ours)}\n    PostgreSQL: ${show(theirs)}`;
}
