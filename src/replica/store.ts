// What a replica store is to the rest of stripe-sql: tables shaped like the catalog's, a
// stripe_sync_state row per table, writes applied as one transaction each, and reads by plain
// SQL. One adapter per target (sqlite.ts, postgres.ts) implements it; they are the only files
// that import a database driver. Everything here is plain SQL both PostgreSQL and SQLite speak.

import type { DataType, SqlValue } from '../engine/table.js';

/** A column of a replica table: the catalog's name and type. */
export interface ReplicaColumn {
  name: string;
  type: DataType;
  /** JSON text (Metadata, arrays, deep objects): jsonb in PostgreSQL, text in SQLite. */
  json?: boolean;
  /** The catalog's description (a column comment in PostgreSQL). */
  description?: string;
}

/** A Stripe table as the replica stores it. */
export interface ReplicaSchema {
  /** The catalog's table name, which is also the replica table's name. */
  name: string;
  /** The catalog's description (a table comment in PostgreSQL). */
  description?: string;
  /** Every column of the catalog table, pseudo-columns included, in the catalog's order. */
  columns: readonly ReplicaColumn[];
  /**
   * What names one row: the Id, with the parent's id for child rows. Empty for a table of
   * rows without identity (Balance): such a table is replaced whole by each sync.
   */
  primaryKey: readonly string[];
  /** The Datetime column whose highest value is the table's cursor (Created); undefined if none. */
  cursorColumn?: string;
  /** Names and types, joined: a stored table made from another fingerprint is made again. */
  fingerprint: string;
}

/** One row of stripe_sync_state. */
export interface SyncState {
  table: string;
  /** The highest `Created` stored: where an incremental sync from events will start. */
  cursor: Date | null;
  /**
   * When the table was last brought up to date: a complete read finished, or the events since
   * the previous one applied. Null: never read whole.
   */
  syncedAt: Date | null;
  /** When that complete read started (events after this are what it may have missed). */
  syncStartedAt: Date | null;
  /** Rows in the replica table. */
  rowCount: number;
  /**
   * The read that last wrote the table's rows. Every stored row carries the run that last saw
   * it, so the end of a complete read removes the rows it did not see: Stripe no longer has them.
   */
  run: number;
  /** A read started and not finished (interrupted): its rows are stored, its deletions not done. */
  running: boolean;
  /** Rows stored so far by the running read. */
  runRows: number;
  /** The last write of any kind (a sync's page, a CACHE SELECT). */
  updatedAt: Date;
  /** The schema fingerprint the table was made with. */
  fingerprint: string;
  /**
   * Where the next incremental sync reads Stripe's events from (`created[gte]`): the newest
   * event applied, or a little before the last complete read began. Null: never read whole.
   */
  eventsCursor: Date | null;
}

/**
 * One transaction's worth of changes to one table and its state: applied all or nothing, so a
 * page of rows is never stored without the progress that records it, nor the other way round.
 */
export interface StoreChange {
  schema: ReplicaSchema;
  /** Rows (aligned with schema.columns) to insert or, by primary key, update; marked with `run`. */
  upsert?: readonly (readonly SqlValue[])[];
  /** Primary-key values (in schema.primaryKey's order) of rows to delete: objects Stripe deleted. */
  remove?: readonly (readonly SqlValue[])[];
  /** Delete every row first (a table without a primary key is replaced whole). */
  replaceAll?: boolean;
  /** Delete the rows last seen by a run other than `state.run` (the end of a complete read). */
  deleteUnseen?: boolean;
  /** Count the rows and take the cursor again, after the other changes. */
  recount?: boolean;
  /**
   * The table's state before the change, with the fields the change sets: the store adds the
   * rows it inserts to rowCount and takes away those it deletes (recount: counts them, and
   * takes the cursor, afresh).
   */
  state: SyncState;
}

export interface AppliedChange {
  /** The state as stored. */
  state: SyncState;
  /** Rows deleted by remove, deleteUnseen or replaceAll. */
  deleted: number;
}

export interface ReplicaStore {
  /** 'sqlite' or 'postgres'; for messages. */
  readonly kind: string;
  /** Where the replica lives, as it may be shown (never a password). */
  readonly location: string;
  readonly dialect: SqlDialect;
  /**
   * Makes the table if it is missing. A stored table made from another schema (an older catalog)
   * is dropped and made again, its state with it: the next sync reads it whole.
   */
  prepareTable(schema: ReplicaSchema): Promise<void>;
  /**
   * The state of every table the replica holds. Read synchronously, since planning does no
   * network I/O: SQLite reads the file each time (so syncs by other processes show at once); a
   * client-server store answers from a snapshot that refresh() and its own writes keep.
   */
  states(): readonly SyncState[];
  state(table: string): SyncState | undefined;
  /** Reads the states again (another process may have synced since). */
  refresh(): Promise<void>;
  apply(change: StoreChange): Promise<AppliedChange>;
  /** Runs a SELECT; raw values (as the store keeps them) in batches, in the column order selected. */
  select(query: SelectQuery, signal?: AbortSignal): AsyncIterable<unknown[][]>;
  close(): Promise<void>;
}

/** A SELECT built by select-sql.ts: its text, its parameter values, what EXPLAIN shows. */
export interface SelectQuery {
  sql: string;
  params: StoredValue[];
}

/** A value as bound to a store's statement. */
export type StoredValue = string | number | boolean | null;

/**
 * What differs between the SQL of two stores. Everything else (the SELECT, the upsert, the
 * state table) is written once, in select-sql.ts and upsert-sql.ts.
 */
export interface SqlDialect {
  /** `?` (SQLite) or `$n` (PostgreSQL), for the n-th parameter (1-based). */
  placeholder(n: number): string;
  /** The column type for a catalog type. */
  columnType(column: ReplicaColumn): string;
  /** A value for a column, as bound to a statement. */
  toStored(value: SqlValue, column: ReplicaColumn): StoredValue;
  /** A value read from the store, as the engine holds it. */
  fromStored(value: unknown, column: ReplicaColumn): SqlValue;
  /**
   * `column LIKE pattern` as the engine means it: case-sensitive, `%` any run, `_` one
   * character, no escape character. `bind` takes a value and gives its placeholder.
   */
  like(column: string, pattern: string, bind: (value: StoredValue) => string): string;
  /** An ORDER BY key with its NULLs first or last. */
  orderKey(column: string, direction: 'ASC' | 'DESC', nulls: 'FIRST' | 'LAST'): string;
  /**
   * Whether a JSON column compares as the engine compares its text (SQLite keeps the text;
   * PostgreSQL's jsonb compares values): if not, conditions on JSON columns stay with the engine.
   */
  jsonCompares: boolean;
  /**
   * Whether a Decimal column compares and sorts by value in the store (PostgreSQL's numeric
   * does; SQLite keeps a decimal's text): if not, conditions and ORDER BY on one stay with the engine.
   */
  decimalsCompare: boolean;
}

/** `"Name"`: a quoted identifier, as both stores spell it. */
export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The replica's own bookkeeping column: the run that last saw the row (see SyncState.run). */
export const RUN_COLUMN = '_sync_run';

/** The table of each replica table's cursor and freshness. */
export const STATE_TABLE = 'stripe_sync_state';
