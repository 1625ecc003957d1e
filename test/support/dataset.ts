// Generated tables for differential testing and benchmarks: one schema, rendered as engine
// Columns for a MemoryTable and as PostgreSQL DDL for the oracle, with rows drawn from a seeded
// PRNG. Values are chosen to exercise SQL's corners (NULLs, '', mixed case, zeros for division,
// LIKE metacharacters, ties for ORDER BY) while staying where both engines agree by design:
// ASCII text (PostgreSQL's C collation orders it as our UTF-16 comparison does), whole-second
// UTC timestamps, doubles with two decimals, integers small enough that no product overflows int4.

import type { Column, DataType, SqlValue } from '../../src/engine/table.js';
import { Prng } from './prng.js';

/** The generator's view of a type: what an expression of it may be combined with. */
export type ValueType = 'int' | 'double' | 'text' | 'bool' | 'ts';

export interface ColumnSpec {
  name: string;
  type: ValueType;
  /** Fraction of rows holding NULL. */
  nullRate: number;
  /** Draws one non-NULL value. */
  draw(rng: Prng): SqlValue;
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
}

export interface Dataset {
  table: TableSpec;
  rows: SqlValue[][];
}

export const ENGINE_TYPE: Record<ValueType, DataType> = {
  int: 'Integer',
  double: 'Double',
  text: 'String',
  bool: 'Boolean',
  ts: 'Datetime',
};

export const PG_TYPE: Record<ValueType, string> = {
  int: 'integer',
  double: 'double precision',
  text: 'text',
  bool: 'boolean',
  ts: 'timestamptz',
};

export const TEXT_POOL = [
  '', ' ', 'a', 'A', 'b', 'abc', 'Abc', 'ABC', 'aBc', 'abd', 'b_c', 'x%y', 'hello world', ' padded ',
  'trail  ', 'Zeta', 'zeta', 'mixed Case', '42', '-7.5', "o'brien", 'a.b.c', 'lll',
];

const BASE_TIME = Date.UTC(2023, 0, 1);
const TIME_SPAN_SECONDS = 3 * 365 * 24 * 3600;

function drawTimestamp(rng: Prng): Date {
  // A third at midnight or month ends so that day/month boundaries and ties occur.
  const r = rng.next();
  if (r < 0.15) return new Date(Date.UTC(2023 + rng.int(0, 2), rng.int(0, 11), rng.int(1, 28)));
  if (r < 0.3) return new Date(Date.UTC(2023 + rng.int(0, 2), rng.int(0, 11) + 1, 0, rng.int(0, 23), 59, 59));
  return new Date(BASE_TIME + rng.int(0, TIME_SPAN_SECONDS) * 1000);
}

/** The standard table: every type twice over, so expressions can combine columns of one type. */
export function standardTable(name = 't'): TableSpec {
  return {
    name,
    columns: [
      { name: 'i', type: 'int', nullRate: 0.15, draw: (rng) => rng.int(-20, 20) },
      { name: 'j', type: 'int', nullRate: 0.15, draw: (rng) => (rng.chance(0.2) ? 0 : rng.int(-100, 100)) },
      { name: 'd', type: 'double', nullRate: 0.15, draw: (rng) => rng.int(-10000, 10000) / 100 },
      { name: 'e', type: 'double', nullRate: 0.15, draw: (rng) => (rng.chance(0.15) ? 0 : rng.int(-500, 500) / 4) },
      { name: 's', type: 'text', nullRate: 0.15, draw: (rng) => rng.pick(TEXT_POOL) },
      { name: 'u', type: 'text', nullRate: 0.15, draw: (rng) => rng.pick(TEXT_POOL) },
      { name: 'b', type: 'bool', nullRate: 0.2, draw: (rng) => rng.chance(0.5) },
      { name: 'ts', type: 'ts', nullRate: 0.15, draw: drawTimestamp },
      { name: 'ts2', type: 'ts', nullRate: 0.15, draw: drawTimestamp },
    ],
  };
}

/**
 * The rows of a generated table, one at a time: a non-NULL integer key `id` (1…n) first, then
 * the spec's columns. The same seed yields the same rows, so a big table can be streamed into
 * one engine and generated again for the other without holding two copies.
 */
export function* generateRows(table: TableSpec, rowCount: number, seed: number): Generator<SqlValue[]> {
  const rng = new Prng(seed);
  for (let id = 1; id <= rowCount; id++) {
    yield [id, ...table.columns.map((c) => (rng.chance(c.nullRate) ? null : c.draw(rng)))];
  }
}

export function generateDataset(table: TableSpec, rowCount: number, seed: number): Dataset {
  return { table, rows: [...generateRows(table, rowCount, seed)] };
}

export function engineColumns(table: TableSpec): Column[] {
  return [{ name: 'id', type: 'Integer', key: true }, ...table.columns.map((c) => ({ name: c.name, type: ENGINE_TYPE[c.type] }))];
}

export function createTableSql(table: TableSpec): string {
  const columns = ['id integer PRIMARY KEY', ...table.columns.map((c) => `${c.name} ${PG_TYPE[c.type]}`)];
  return `CREATE TABLE ${table.name} (${columns.join(', ')})`;
}
