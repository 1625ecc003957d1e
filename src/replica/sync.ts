// Backfill: a Stripe table read whole through its own scan (the parallel created windows and
// the parent fan-out apply, as for SELECT *) and stored page by page. Each page goes into the
// store in one transaction together with the progress that records it, so a sync stopped at
// any point leaves every stored row whole and counted, and the next sync of the table picks up
// from there: it reads the table again (each row upserted by its key: nothing twice) and, once
// at the end, removes the rows this read did not see — the objects Stripe no longer has.

import type { Catalog, ExecContext, Row, Table } from '../engine/table.js';
import { schemaFor } from './schema.js';
import type { ReplicaStore, SyncState } from './store.js';

/** Rows stored per transaction: Stripe's page. */
export const ROWS_PER_COMMIT = 100;

export interface SyncProgress {
  table: string;
  /** start: about to read; rows: a page stored; done: the table is complete; skipped: not read (see note). */
  phase: 'start' | 'rows' | 'done' | 'skipped';
  /** Rows stored by this read so far (done: rows the table now holds). */
  rows: number;
  /** Requests made for this table so far. */
  requests: number;
  elapsedMs: number;
  /** Why a table was skipped, or that an interrupted read is being taken up again. */
  note?: string;
  /** The rows the table held after its last complete read: what this read will likely find (for an ETA). */
  expectedRows?: number;
}

export interface TableSyncResult {
  table: string;
  /** Rows the replica table holds after the read. */
  rows: number;
  requests: number;
  /** Rows removed because Stripe no longer has them. */
  removed: number;
  /** The previous read was interrupted; its rows were kept and this read completed it. */
  resumed: boolean;
}

export interface SyncOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** Called once per request made (EXPLAIN ANALYZE's counter, for CACHE). */
  onRequest?: () => void;
  now?: () => Date;
}

export interface SyncReport {
  tables: TableSyncResult[];
  skipped: { table: string; reason: string }[];
}

/** Every column, pseudo-columns too: the replica row is the row the scan gives. */
function fullRead(table: Table) {
  return { predicates: [], columns: table.columns.map((c) => c.name), orderBy: [] };
}

/**
 * Why the table cannot be read whole (Stripe needs a filter, or has no list of it), or
 * undefined when it can. No I/O: the table's plan says so.
 */
export function unreadableReason(table: Table): string | undefined {
  try {
    table.plan(fullRead(table));
    return undefined;
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}

/** Reads `table` whole and stores it; see the file comment for what an interruption leaves. */
export async function syncTable(table: Table, store: ReplicaStore, options: SyncOptions = {}): Promise<TableSyncResult> {
  const now = options.now ?? (() => new Date());
  const started = Date.now();
  const schema = schemaFor(table);
  const plan = table.plan(fullRead(table));
  await store.prepareTable(schema);
  const prior = store.state(schema.name)!;
  let requests = 0;
  let stored = 0;
  const expected = prior.syncedAt !== null ? { expectedRows: prior.rowCount } : {};
  const progress = (phase: SyncProgress['phase'], rows: number, note?: string) =>
    options.onProgress?.({ table: schema.name, phase, rows, requests, elapsedMs: Date.now() - started, ...expected, ...(note ? { note } : {}) });
  // A new run each time, also after an interruption: the rows the interrupted run stored stay
  // until this run ends, and then only those it saw again remain.
  const startedAt = now();
  let state: SyncState = { ...prior, run: prior.run + 1, running: true, runRows: 0, updatedAt: startedAt };
  state = (await store.apply({ schema, state })).state;
  progress('start', 0, prior.running ? `taking up an interrupted read (${prior.rowCount} rows kept meanwhile)` : undefined);

  const ctx: ExecContext = {
    ...(options.signal ? { signal: options.signal } : {}),
    onRequest: () => {
      requests++;
      options.onRequest?.();
    },
  };
  const keyed = schema.primaryKey.length > 0;
  let page: Row[] = [];
  const commit = async () => {
    stored += page.length;
    state = (await store.apply({ schema, upsert: page, state: { ...state, runRows: stored, updatedAt: now() } })).state;
    page = [];
    progress('rows', stored);
  };
  // Rows without identity cannot be matched to what is stored: kept apart, stored in one go.
  const unkeyed: Row[] = [];
  for await (const row of table.scan(plan, ctx)) {
    if (!keyed) {
      unkeyed.push(row);
      continue;
    }
    page.push(row);
    if (page.length >= ROWS_PER_COMMIT) await commit();
  }
  options.signal?.throwIfAborted();
  if (page.length > 0) await commit();
  const done: SyncState = { ...state, running: false, runRows: keyed ? stored : unkeyed.length, syncedAt: now(), syncStartedAt: startedAt, updatedAt: now() };
  const final = keyed
    ? await store.apply({ schema, deleteUnseen: true, recount: true, state: done })
    : await store.apply({ schema, replaceAll: true, upsert: unkeyed, recount: true, state: done });
  progress('done', final.state.rowCount);
  return {
    table: schema.name,
    rows: final.state.rowCount,
    requests,
    // A table without identity is replaced whole: nothing is "removed" in the sense of gone from Stripe.
    removed: keyed ? final.deleted : 0,
    resumed: prior.running,
  };
}

/**
 * Stores rows a query selected (CACHE SELECT), each aligned with the table's columns: added, or
 * updated by key; nothing removed. They count as seen by the table's current run.
 */
export async function mergeRows(table: Table, rows: AsyncIterable<Row>, store: ReplicaStore, options: { signal?: AbortSignal; now?: () => Date } = {}): Promise<number> {
  const now = options.now ?? (() => new Date());
  const schema = schemaFor(table);
  await store.prepareTable(schema);
  let state = store.state(schema.name)!;
  let count = 0;
  let page: Row[] = [];
  const all: Row[] = [];
  const keyed = schema.primaryKey.length > 0;
  for await (const row of rows) {
    count++;
    if (!keyed) {
      all.push(row);
      continue;
    }
    page.push(row);
    if (page.length >= ROWS_PER_COMMIT) {
      state = (await store.apply({ schema, upsert: page, state: { ...state, updatedAt: now() } })).state;
      page = [];
    }
  }
  options.signal?.throwIfAborted();
  await store.apply({
    schema,
    upsert: keyed ? page : all,
    ...(keyed ? {} : { replaceAll: true }),
    recount: true,
    state: { ...state, updatedAt: now() },
  });
  return count;
}

/**
 * Syncs the named tables (all the catalog's tables when none are named) one after another.
 * A table Stripe cannot list without a filter is skipped, with the reason.
 */
export async function syncTables(catalog: Catalog, store: ReplicaStore, names: readonly string[] | undefined, options: SyncOptions = {}): Promise<SyncReport> {
  const tables = (names ?? catalog.tableNames()).map((name) => {
    const table = catalog.getTable(name);
    if (!table) throw new Error(`Unknown table ${name}`);
    return table;
  });
  const report: SyncReport = { tables: [], skipped: [] };
  for (const table of tables) {
    const reason = unreadableReason(table);
    if (reason !== undefined) {
      report.skipped.push({ table: table.name, reason });
      options.onProgress?.({ table: table.name, phase: 'skipped', rows: 0, requests: 0, elapsedMs: 0, note: reason });
      continue;
    }
    report.tables.push(await syncTable(table, store, options));
  }
  return report;
}

