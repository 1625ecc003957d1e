// The statements that write a replica, written once for every store: the table and state DDL,
// the upsert (INSERT … ON CONFLICT … DO UPDATE, which SQLite and PostgreSQL both speak), the
// deletion of rows a complete read did not see, and the stripe_sync_state row.

import type { SqlValue } from '../engine/table.js';
import { quoteName, RUN_COLUMN, STATE_TABLE, type ReplicaColumn, type ReplicaSchema, type SqlDialect, type StoredValue, type SyncState } from './store.js';

const RUN: ReplicaColumn = { name: RUN_COLUMN, type: 'Long' };

export function createTableSql(schema: ReplicaSchema, dialect: SqlDialect): string {
  const keys = new Set(schema.primaryKey);
  const columns = [...schema.columns, RUN].map((c) => {
    const notNull = keys.has(c.name) || c === RUN ? ' NOT NULL' : '';
    return `${quoteName(c.name)} ${dialect.columnType(c)}${notNull}`;
  });
  if (schema.primaryKey.length > 0) columns.push(`PRIMARY KEY (${schema.primaryKey.map(quoteName).join(', ')})`);
  return `CREATE TABLE ${quoteName(schema.name)} (${columns.join(', ')})`;
}

/** INSERT of `rows` rows; with a primary key, a row already stored under its key is updated instead. */
export function upsertSql(schema: ReplicaSchema, dialect: SqlDialect, rows = 1): string {
  const names = [...schema.columns, RUN].map((c) => quoteName(c.name));
  let n = 0;
  const tuples = Array.from({ length: rows }, () => `(${names.map(() => dialect.placeholder(++n)).join(', ')})`);
  let sql = `INSERT INTO ${quoteName(schema.name)} (${names.join(', ')}) VALUES ${tuples.join(', ')}`;
  if (schema.primaryKey.length > 0) {
    const keys = new Set(schema.primaryKey.map(quoteName));
    const updates = names.filter((name) => !keys.has(name)).map((name) => `${name} = excluded.${name}`);
    sql += ` ON CONFLICT (${[...keys].join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
  }
  return sql;
}

/** One row's values for upsertSql, in its column order. */
export function upsertParams(schema: ReplicaSchema, dialect: SqlDialect, row: readonly SqlValue[], run: number): StoredValue[] {
  const values = schema.columns.map((c, i) => dialect.toStored(row[i] ?? null, c));
  values.push(run);
  return values;
}

/** Whether a row with this key is stored: one parameter per primary key column. */
export function existsSql(schema: ReplicaSchema, dialect: SqlDialect): string {
  const keys = schema.primaryKey.map((name, i) => `${quoteName(name)} = ${dialect.placeholder(i + 1)}`);
  return `SELECT 1 FROM ${quoteName(schema.name)} WHERE ${keys.join(' AND ')}`;
}

export function deleteUnseenSql(schema: ReplicaSchema, dialect: SqlDialect): string {
  return `DELETE FROM ${quoteName(schema.name)} WHERE ${quoteName(RUN_COLUMN)} <> ${dialect.placeholder(1)}`;
}

/** Deletes the row with one key: one parameter per primary key column. */
export function deleteByKeySql(schema: ReplicaSchema, dialect: SqlDialect): string {
  const keys = schema.primaryKey.map((name, i) => `${quoteName(name)} = ${dialect.placeholder(i + 1)}`);
  return `DELETE FROM ${quoteName(schema.name)} WHERE ${keys.join(' AND ')}`;
}

export function deleteAllSql(schema: ReplicaSchema): string {
  return `DELETE FROM ${quoteName(schema.name)}`;
}

/** The row count and the cursor (NULL without a cursor column). */
export function recountSql(schema: ReplicaSchema): string {
  const cursor = schema.cursorColumn ? `MAX(${quoteName(schema.cursorColumn)})` : 'NULL';
  return `SELECT COUNT(*), ${cursor} FROM ${quoteName(schema.name)}`;
}

export function dropTableSql(name: string): string {
  return `DROP TABLE IF EXISTS ${quoteName(name)}`;
}

// ---- stripe_sync_state ----

/** The state table's columns, in the order of SyncState's fields as stored. */
const STATE_COLUMNS: readonly (ReplicaColumn & { field: keyof SyncState; notNull?: boolean })[] = [
  { name: 'table_name', field: 'table', type: 'String', notNull: true },
  { name: 'cursor', field: 'cursor', type: 'Datetime' },
  { name: 'synced_at', field: 'syncedAt', type: 'Datetime' },
  { name: 'sync_started_at', field: 'syncStartedAt', type: 'Datetime' },
  { name: 'row_count', field: 'rowCount', type: 'Long', notNull: true },
  { name: 'run', field: 'run', type: 'Long', notNull: true },
  { name: 'running', field: 'running', type: 'Boolean', notNull: true },
  { name: 'run_rows', field: 'runRows', type: 'Long', notNull: true },
  { name: 'updated_at', field: 'updatedAt', type: 'Datetime', notNull: true },
  { name: 'fingerprint', field: 'fingerprint', type: 'String', notNull: true },
  { name: 'events_cursor', field: 'eventsCursor', type: 'Datetime' },
];

/** State columns a replica made by an earlier version lacks, added when it is opened (nullable all). */
export const ADDED_STATE_COLUMNS: readonly string[] = ['events_cursor'];

export function addStateColumnSql(name: string, dialect: SqlDialect): string {
  const column = STATE_COLUMNS.find((c) => c.name === name)!;
  return `ALTER TABLE ${quoteName(STATE_TABLE)} ADD COLUMN ${quoteName(name)} ${dialect.columnType(column)}`;
}

export function createStateTableSql(dialect: SqlDialect): string {
  const columns = STATE_COLUMNS.map((c) => `${quoteName(c.name)} ${dialect.columnType(c)}${c.notNull ? ' NOT NULL' : ''}`);
  return `CREATE TABLE IF NOT EXISTS ${quoteName(STATE_TABLE)} (${columns.join(', ')}, PRIMARY KEY (${quoteName('table_name')}))`;
}

export function selectStatesSql(): string {
  return `SELECT ${STATE_COLUMNS.map((c) => quoteName(c.name)).join(', ')} FROM ${quoteName(STATE_TABLE)}`;
}

export function upsertStateSql(dialect: SqlDialect): string {
  const names = STATE_COLUMNS.map((c) => quoteName(c.name));
  const updates = names.slice(1).map((name) => `${name} = excluded.${name}`);
  return `INSERT INTO ${quoteName(STATE_TABLE)} (${names.join(', ')}) VALUES (${names.map((_, i) => dialect.placeholder(i + 1)).join(', ')}) ` +
    `ON CONFLICT (${names[0]}) DO UPDATE SET ${updates.join(', ')}`;
}

export function deleteStateSql(dialect: SqlDialect): string {
  return `DELETE FROM ${quoteName(STATE_TABLE)} WHERE ${quoteName('table_name')} = ${dialect.placeholder(1)}`;
}

export function stateParams(state: SyncState, dialect: SqlDialect): StoredValue[] {
  return STATE_COLUMNS.map((c) => dialect.toStored(state[c.field] as SqlValue, c));
}

/** A state row as selectStatesSql reads it. */
export function stateFromRow(row: readonly unknown[], dialect: SqlDialect): SyncState {
  const value = (i: number) => dialect.fromStored(row[i], STATE_COLUMNS[i]!);
  return {
    table: value(0) as string,
    cursor: value(1) as Date | null,
    syncedAt: value(2) as Date | null,
    syncStartedAt: value(3) as Date | null,
    rowCount: Number(value(4)),
    run: Number(value(5)),
    running: value(6) as boolean,
    runRows: Number(value(7)),
    updatedAt: value(8) as Date,
    fingerprint: value(9) as string,
    eventsCursor: value(10) as Date | null,
  };
}

/**
 * The state of a table about to be made (again): never read. A table of that name stripe-sql did
 * not make (no state row) is refused rather than dropped.
 */
export function freshState(schema: ReplicaSchema, exists: boolean, stored: SyncState | undefined, location: string): SyncState {
  if (exists && !stored) {
    throw new Error(`${location} has a table ${schema.name} that stripe-sql did not make (no row in ${STATE_TABLE}); it is left as it is`);
  }
  return {
    table: schema.name, cursor: null, syncedAt: null, syncStartedAt: null, rowCount: 0, run: 0, running: false, runRows: 0,
    updatedAt: new Date(), fingerprint: schema.fingerprint, eventsCursor: null,
  };
}
