// The embedded replica: one SQLite file (better-sqlite3; the only file importing it). Writes go
// through one handle, each StoreChange in one transaction; scans read through a second,
// read-only handle, so a scan still open never blocks a write (WAL: readers see the last
// commit, writers do not wait for them).
//
// Types: text, integers, reals as SQLite keeps them; Boolean as 0/1; Datetime as ISO-8601 UTC
// text (`2024-01-18T02:16:47.000Z`: fixed width, so it sorts as time does and SQLite's date
// functions read it); JSON columns as their text. Decimal is the TEXT of the exact numeric (a
// REAL would keep about 15 digits), read back as a Numeric: text compares and sorts as text, so
// a condition or ORDER BY on a Decimal column stays with the engine (decimalsCompare).

import Database from 'better-sqlite3';
import type { SqlValue } from '../engine/table.js';
import { Numeric } from '../engine/numeric.js';
import {
  quoteName, STATE_TABLE, type AppliedChange, type ReplicaColumn, type ReplicaSchema, type ReplicaStore, type SelectQuery, type SqlDialect, type StoreChange,
  type StoredValue, type SyncState,
} from './store.js';
import {
  ADDED_STATE_COLUMNS, freshState, addStateColumnSql, createStateTableSql, createTableSql, deleteAllSql, deleteByKeySql, existsSql, deleteStateSql, deleteUnseenSql, dropTableSql, recountSql, selectStatesSql, stateFromRow,
  stateParams, upsertParams, upsertSql, upsertStateSql,
} from './upsert-sql.js';

/** Rows handed to the engine at a time. */
const SCAN_BATCH = 1024;
/** How long a write waits for another process's transaction on the same file. */
const BUSY_TIMEOUT_MS = 10_000;

export const sqliteDialect: SqlDialect = {
  placeholder: () => '?',
  columnType(column: ReplicaColumn): string {
    switch (column.type) {
      case 'Boolean':
      case 'Integer':
      case 'Long':
        return 'INTEGER';
      case 'Double':
        return 'REAL';
      default:
        return 'TEXT';
    }
  },
  toStored(value: SqlValue): StoredValue {
    if (value === null || typeof value === 'string' || typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    // A kind no table column holds (no column is an Interval): its text.
    return String(value);
  },
  fromStored(value: unknown, column: ReplicaColumn): SqlValue {
    if (value === null || value === undefined) return null;
    if (column.type === 'Boolean') return value !== 0;
    if (column.type === 'Datetime') return new Date(value as string);
    // A Decimal is a Numeric in the engine, kept as its text (a REAL, in a replica made before, reads the same way).
    if (column.type === 'Decimal') return Numeric.parse(String(value)) ?? (value as SqlValue);
    return value as SqlValue;
  },
  like(column, pattern, bind) {
    // GLOB is LIKE with case kept, once its wildcards are spelled as GLOB's and its own
    // special characters made literal.
    return `${column} GLOB ${bind(likeToGlob(pattern))}`;
  },
  // SQLite 3.30 and later, as PostgreSQL.
  orderKey: (column, direction, nulls) => `${column} ${direction} NULLS ${nulls}`,
  jsonCompares: true,
  decimalsCompare: false,
};

/** LIKE's `%` and `_` as GLOB's `*` and `?`; GLOB's `*`, `?` and `[` as one-character classes. */
export function likeToGlob(pattern: string): string {
  let glob = '';
  for (const ch of pattern) {
    if (ch === '%') glob += '*';
    else if (ch === '_') glob += '?';
    else if (ch === '*' || ch === '?' || ch === '[') glob += `[${ch}]`;
    else glob += ch;
  }
  return glob;
}

interface TableStatements {
  fingerprint: string;
  upsert: Database.Statement;
  /** Whether a key is stored (tables with a primary key). */
  exists?: Database.Statement;
  /** Deletes the row with a key (tables with a primary key). */
  removeByKey?: Database.Statement;
}

export class SqliteStore implements ReplicaStore {
  readonly kind = 'sqlite';
  readonly dialect = sqliteDialect;
  readonly #db: Database.Database;
  readonly #reader: Database.Database;
  /** Prepared statements by table name (remade when the schema's fingerprint changes). */
  readonly #prepared = new Map<string, TableStatements>();

  /** Opens the replica file at `location`, creating it unless `mustExist`. */
  constructor(readonly location: string, options: { mustExist?: boolean } = {}) {
    this.#db = new Database(location, { timeout: BUSY_TIMEOUT_MS, fileMustExist: options.mustExist === true });
    this.#db.pragma('journal_mode = WAL');
    // In WAL mode a commit is safe against a killed process without a sync per transaction.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(createStateTableSql(sqliteDialect));
    this.#addMissingStateColumns();
    this.#reader = location === ':memory:' ? this.#db : new Database(location, { readonly: true, timeout: BUSY_TIMEOUT_MS });
  }

  /** A replica made by an earlier version: its state table gains the columns added since. */
  #addMissingStateColumns(): void {
    const have = new Set((this.#db.prepare(`PRAGMA table_info(${quoteName(STATE_TABLE)})`).all() as { name: string }[]).map((c) => c.name));
    for (const name of ADDED_STATE_COLUMNS) if (!have.has(name)) this.#db.exec(addStateColumnSql(name, sqliteDialect));
  }

  async prepareTable(schema: ReplicaSchema): Promise<void> {
    const exists = this.#db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(schema.name) !== undefined;
    const state = this.state(schema.name);
    if (exists && state?.fingerprint === schema.fingerprint) return;
    const fresh = freshState(schema, exists, state, this.location);
    this.#db.transaction(() => {
      this.#db.exec(dropTableSql(schema.name));
      this.#db.exec(createTableSql(schema, sqliteDialect));
      this.#db.prepare(upsertStateSql(sqliteDialect)).run(stateParams(fresh, sqliteDialect));
    })();
    this.#prepared.delete(schema.name);
  }

  states(): readonly SyncState[] {
    return (this.#db.prepare(selectStatesSql()).raw(true).all() as unknown[][]).map((row) => stateFromRow(row, sqliteDialect));
  }

  state(table: string): SyncState | undefined {
    const row = this.#db.prepare(`${selectStatesSql()} WHERE ${quoteName('table_name')} = ?`).raw(true).get(table) as unknown[] | undefined;
    return row && stateFromRow(row, sqliteDialect);
  }

  async refresh(): Promise<void> {
    // Nothing to keep current: every state is read from the file when asked for.
  }

  async apply(change: StoreChange): Promise<AppliedChange> {
    const { schema } = change;
    const applied = this.#db.transaction((): AppliedChange => {
      let deleted = 0;
      if (change.replaceAll) deleted += this.#db.prepare(deleteAllSql(schema)).run().changes;
      let inserted = 0;
      if (change.upsert && change.upsert.length > 0) {
        const { upsert, exists } = this.#statements(schema);
        const keys = schema.primaryKey.map((name) => schema.columns.findIndex((c) => c.name === name));
        for (const row of change.upsert) {
          const params = upsertParams(schema, sqliteDialect, row, change.state.run);
          // A key lookup before each upsert keeps the row count exact without counting the table.
          if (!exists || exists.get(keys.map((k) => params[k])) === undefined) inserted++;
          upsert.run(params);
        }
      }
      if (change.remove && change.remove.length > 0) {
        const { removeByKey } = this.#statements(schema);
        const keys = schema.primaryKey.map((name) => schema.columns.find((c) => c.name === name)!);
        for (const key of change.remove) deleted += removeByKey!.run(key.map((v, i) => sqliteDialect.toStored(v, keys[i]!))).changes;
      }
      if (change.deleteUnseen) deleted += this.#db.prepare(deleteUnseenSql(schema, sqliteDialect)).run(change.state.run).changes;
      let next = { ...change.state, rowCount: change.state.rowCount + inserted - deleted };
      if (change.recount) {
        const [count, cursor] = this.#db.prepare(recountSql(schema)).raw(true).get() as [number, string | null];
        next = { ...next, rowCount: count, cursor: cursor === null ? null : new Date(cursor) };
      }
      this.#db.prepare(upsertStateSql(sqliteDialect)).run(stateParams(next, sqliteDialect));
      return { state: next, deleted };
    })();
    return applied;
  }

  async *select(query: SelectQuery, signal?: AbortSignal): AsyncIterable<unknown[][]> {
    const rows = this.#reader.prepare(query.sql).raw(true).iterate(...query.params) as IterableIterator<unknown[]>;
    try {
      let batch: unknown[][] = [];
      for (const row of rows) {
        batch.push(row);
        if (batch.length === SCAN_BATCH) {
          signal?.throwIfAborted();
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      rows.return?.();
    }
  }

  /** Removes a table and its state (for tests and a future `sync --drop`). */
  async dropTable(name: string): Promise<void> {
    this.#db.transaction(() => {
      this.#db.exec(dropTableSql(name));
      this.#db.prepare(deleteStateSql(sqliteDialect)).run(name);
    })();
    this.#prepared.delete(name);
  }

  async close(): Promise<void> {
    if (this.#reader !== this.#db) this.#reader.close();
    this.#db.close();
  }

  #statements(schema: ReplicaSchema): TableStatements {
    const cached = this.#prepared.get(schema.name);
    if (cached?.fingerprint === schema.fingerprint) return cached;
    const statements: TableStatements = {
      fingerprint: schema.fingerprint,
      upsert: this.#db.prepare(upsertSql(schema, sqliteDialect)),
      ...(schema.primaryKey.length > 0
        ? { exists: this.#db.prepare(existsSql(schema, sqliteDialect)), removeByKey: this.#db.prepare(deleteByKeySql(schema, sqliteDialect)) }
        : {}),
    };
    this.#prepared.set(schema.name, statements);
    return statements;
  }
}

