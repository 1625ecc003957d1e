// The client-server replica: a PostgreSQL database (node-postgres; the only file importing it),
// for accounts one machine cannot hold and for teams whose BI tools read the replica directly.
// Plain PostgreSQL SQL only (INSERT … ON CONFLICT, jsonb, no extensions), so PostgreSQL-compatible
// distributed databases serve as well.
//
// Types: bigint for Integer and Long, numeric for Decimal, double precision, boolean,
// timestamptz, jsonb for JSON columns (read back as compact JSON text: jsonb keeps its own key
// order), text COLLATE "C" for the rest (so ORDER BY sorts as the engine does, byte by byte).
// Tables and columns carry the catalog's descriptions as comments.
//
// Planning reads states synchronously: they are kept in a snapshot, loaded when the store opens
// (`ready`), reloaded by refresh() and updated by this store's own writes.

import pg from 'pg';
import type { SqlValue } from '../engine/table.js';
import { Numeric } from '../engine/numeric.js';
import { parseInteger } from '../engine/values.js';
import {
  quoteName, STATE_TABLE, type AppliedChange, type ReplicaColumn, type ReplicaSchema, type ReplicaStore, type SelectQuery, type SqlDialect, type StoreChange,
  type StoredValue, type SyncState,
} from './store.js';
import {
  ADDED_STATE_COLUMNS, freshState, createStateTableSql, createTableSql, deleteAllSql, deleteByKeySql, deleteStateSql, deleteUnseenSql, dropTableSql, recountSql,
  selectStatesSql, stateFromRow, stateParams, upsertParams, upsertSql, upsertStateSql,
} from './upsert-sql.js';

/** Rows fetched from a cursor at a time. */
const SCAN_BATCH = 1024;
/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMS = 60_000;

export const postgresDialect: SqlDialect = {
  placeholder: (n) => `$${n}`,
  columnType(column: ReplicaColumn): string {
    if (column.json) return 'jsonb';
    switch (column.type) {
      case 'Boolean':
        return 'boolean';
      case 'Integer':
      case 'Long':
        return 'bigint';
      case 'Decimal':
        return 'numeric';
      case 'Double':
        return 'double precision';
      case 'Datetime':
        return 'timestamptz';
      default:
        return 'text COLLATE "C"';
    }
  },
  toStored(value: SqlValue): StoredValue {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (value instanceof Date) return value.toISOString();
    return String(value);
  },
  fromStored(value: unknown, column: ReplicaColumn): SqlValue {
    if (value === null || value === undefined) return null;
    if (column.json) return typeof value === 'string' ? value : JSON.stringify(value);
    switch (column.type) {
      case 'Integer':
      case 'Double':
        return typeof value === 'number' ? value : Number(value);
      case 'Long':
        // bigint arrives as text: exact, a bigint past 2^53.
        return typeof value === 'number' ? value : (parseInteger(String(value)) ?? Number(value));
      case 'Decimal':
        // numeric arrives as text: every digit, as the engine's Numeric.
        return Numeric.parse(String(value)) ?? Number(value);
      case 'Datetime':
        return value instanceof Date ? value : new Date(String(value));
      default:
        return value as SqlValue;
    }
  },
  // LIKE is case-sensitive in PostgreSQL; its default escape character is not the engine's.
  like: (column, pattern, bind) => `${column} LIKE ${bind(pattern)} ESCAPE ''`,
  orderKey: (column, direction, nulls) => `${column} ${direction} NULLS ${nulls}`,
  jsonCompares: false,
  decimalsCompare: true,
};

/** The URL as it may be shown: without its password. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return parsed.toString();
    parsed.password = 'PASSWORD';
    return parsed.toString().replace(':PASSWORD@', ':…@');
  } catch {
    return 'postgres://(an unreadable URL)';
  }
}

export class PostgresStore implements ReplicaStore {
  readonly kind = 'postgres';
  readonly dialect = postgresDialect;
  readonly location: string;
  /** Resolves once the state table exists and its rows are loaded. */
  readonly ready: Promise<void>;
  readonly #pool: pg.Pool;
  #states = new Map<string, SyncState>();

  constructor(url: string) {
    this.location = shownUrl(url);
    this.#pool = new pg.Pool({ connectionString: url, max: 4 });
    // An idle client that loses its server is dropped; the next statement gets a new one.
    this.#pool.on('error', () => undefined);
    this.ready = this.#open();
    this.ready.catch(() => undefined);
  }

  async #open(): Promise<void> {
    await this.#pool.query(createStateTableSql(postgresDialect));
    for (const name of ADDED_STATE_COLUMNS) {
      await this.#pool.query(`ALTER TABLE ${quoteName(STATE_TABLE)} ADD COLUMN IF NOT EXISTS ${quoteName(name)} timestamptz`);
    }
    await this.#load();
  }

  async #load(): Promise<void> {
    const result = await this.#pool.query({ text: selectStatesSql(), rowMode: 'array' });
    this.#states = new Map((result.rows as unknown[][]).map((row) => stateFromRow(row, postgresDialect)).map((s) => [s.table, s]));
  }

  states(): readonly SyncState[] {
    return [...this.#states.values()];
  }

  state(table: string): SyncState | undefined {
    return this.#states.get(table);
  }

  async refresh(): Promise<void> {
    await this.ready;
    await this.#load();
  }

  async prepareTable(schema: ReplicaSchema): Promise<void> {
    await this.ready;
    const exists = (await this.#pool.query('SELECT to_regclass($1) IS NOT NULL AS exists', [quoteName(schema.name)])).rows[0].exists as boolean;
    await this.#load();
    const state = this.state(schema.name);
    if (exists && state?.fingerprint === schema.fingerprint) return;
    const fresh = freshState(schema, exists, state, this.location);
    await this.#transaction(async (client) => {
      await client.query(dropTableSql(schema.name));
      await client.query(createTableSql(schema, postgresDialect));
      if (schema.description) await client.query(`COMMENT ON TABLE ${quoteName(schema.name)} IS ${literal(schema.description)}`);
      for (const column of schema.columns) {
        if (column.description) await client.query(`COMMENT ON COLUMN ${quoteName(schema.name)}.${quoteName(column.name)} IS ${literal(column.description)}`);
      }
      await client.query(upsertStateSql(postgresDialect), stateParams(fresh, postgresDialect));
    });
    this.#states.set(schema.name, fresh);
  }

  async apply(change: StoreChange): Promise<AppliedChange> {
    await this.ready;
    const { schema } = change;
    const applied = await this.#transaction(async (client): Promise<AppliedChange> => {
      let deleted = 0;
      if (change.replaceAll) deleted += (await client.query(deleteAllSql(schema))).rowCount ?? 0;
      let inserted = 0;
      const rows = change.upsert && change.upsert.length > 0 ? uniqueByKey(schema, change.upsert) : [];
      const perStatement = Math.max(1, Math.floor(MAX_PARAMS / (schema.columns.length + 1)));
      for (let at = 0; at < rows.length; at += perStatement) {
        const chunk = rows.slice(at, at + perStatement);
        if (schema.primaryKey.length > 0) inserted += chunk.length - (await countStored(client, schema, chunk));
        else inserted += chunk.length;
        await client.query(upsertSql(schema, postgresDialect, chunk.length), chunk.flatMap((row) => upsertParams(schema, postgresDialect, row, change.state.run)));
      }
      if (change.remove && change.remove.length > 0) {
        const keys = schema.primaryKey.map((name) => schema.columns.find((c) => c.name === name)!);
        const sql = deleteByKeySql(schema, postgresDialect);
        for (const key of change.remove) deleted += (await client.query(sql, key.map((v, i) => postgresDialect.toStored(v, keys[i]!)))).rowCount ?? 0;
      }
      if (change.deleteUnseen) deleted += (await client.query(deleteUnseenSql(schema, postgresDialect), [change.state.run])).rowCount ?? 0;
      let next = { ...change.state, rowCount: change.state.rowCount + inserted - deleted };
      if (change.recount) {
        const [count, cursor] = (await client.query({ text: recountSql(schema), rowMode: 'array' })).rows[0] as [string, Date | null];
        next = { ...next, rowCount: Number(count), cursor };
      }
      await client.query(upsertStateSql(postgresDialect), stateParams(next, postgresDialect));
      return { state: next, deleted };
    });
    this.#states.set(schema.name, applied.state);
    return applied;
  }

  async *select(query: SelectQuery, signal?: AbortSignal): AsyncIterable<unknown[][]> {
    await this.ready;
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE stripe_sql_scan NO SCROLL CURSOR FOR ${query.sql}`, query.params);
      for (;;) {
        signal?.throwIfAborted();
        const batch = await client.query({ text: `FETCH ${SCAN_BATCH} FROM stripe_sql_scan`, rowMode: 'array' });
        if (batch.rows.length > 0) yield batch.rows as unknown[][];
        if (batch.rows.length < SCAN_BATCH) break;
      }
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      client.release(broken);
    }
  }

  /** Removes a table and its state. */
  async dropTable(name: string): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query(dropTableSql(name));
      await client.query(deleteStateSql(postgresDialect), [name]);
    });
    this.#states.delete(name);
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.#pool.end();
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** A SQL string literal (comments take no parameters). */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** One row per key, the last given winning (one INSERT … ON CONFLICT cannot touch a row twice). */
function uniqueByKey(schema: ReplicaSchema, rows: readonly (readonly SqlValue[])[]): (readonly SqlValue[])[] {
  if (schema.primaryKey.length === 0) return [...rows];
  const keys = schema.primaryKey.map((name) => schema.columns.findIndex((c) => c.name === name));
  const byKey = new Map<string, readonly SqlValue[]>();
  for (const row of rows) byKey.set(JSON.stringify(keys.map((k) => row[k] ?? null)), row);
  return [...byKey.values()];
}

/** How many of the rows' keys are stored already (so the row count stays exact without counting the table). */
async function countStored(client: pg.PoolClient, schema: ReplicaSchema, rows: readonly (readonly SqlValue[])[]): Promise<number> {
  const keys = schema.primaryKey.map((name) => schema.columns.findIndex((c) => c.name === name));
  const params: StoredValue[] = [];
  const tuples = rows.map((row) => `(${keys.map((k) => {
    params.push(postgresDialect.toStored(row[k] ?? null, schema.columns[k]!));
    return `$${params.length}`;
  }).join(', ')})`);
  const names = schema.primaryKey.map(quoteName).join(', ');
  const result = await client.query({ text: `SELECT COUNT(*) FROM ${quoteName(schema.name)} WHERE (${names}) IN (${tuples.join(', ')})`, values: params, rowMode: 'array' });
  return Number((result.rows[0] as [string])[0]);
}
