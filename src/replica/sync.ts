// Backfill: a Stripe table read whole through its own scan (the parallel created windows and
// the parent fan-out apply, as for SELECT *) and stored page by page. Each page goes into the
// store in one transaction together with the progress that records it, so a sync stopped at
// any point leaves every stored row whole and counted, and the next sync of the table picks up
// from there: it reads the table again (each row upserted by its key: nothing twice) and, once
// at the end, removes the rows this read did not see — the objects Stripe no longer has.

import type { Catalog, ExecContext, Row, Table } from '../engine/table.js';
import { followerOf, type Follower } from './follow.js';
import { applyEvents, EVENT_RETENTION_MS, readEvents } from './incremental.js';
import { schemaFor } from './schema.js';
import type { ReplicaStore, SyncState } from './store.js';

/** Rows stored per transaction: Stripe's page. */
export const ROWS_PER_COMMIT = 100;

/**
 * How long before a complete read began its events are read again by the next incremental
 * sync: a change Stripe stamped a little earlier than this machine's clock says (clock skew,
 * a request in flight) is not missed. Applying an event twice changes nothing.
 */
export const EVENTS_SLACK_MS = 60_000;

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
  /** 'full': the table was read whole; 'events': brought up to date from Stripe's events. */
  mode: 'full' | 'events';
  /** Objects changed by events (mode 'events'). */
  events?: number;
  /** Of those, objects whose event payload fell short and were read whole by id. */
  fetched?: number;
  /** Why a table synced before was read whole again (its events are gone, or it has none to follow). */
  note?: string;
}

export interface SyncOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** Called once per request made (EXPLAIN ANALYZE's counter, for CACHE). */
  onRequest?: ExecContext['onRequest'];
  now?: () => Date;
  /** The connection's account: the AccountId of rows made from events. */
  accountId?: string;
  /** Read every table whole, even those events could bring up to date. */
  full?: boolean;
  /** Only bring tables up to date from events; leave those that would need a full read as they are. */
  eventsOnly?: boolean;
}

export interface SyncReport {
  tables: TableSyncResult[];
  skipped: { table: string; reason: string }[];
  /** The one read of Stripe's events the tables brought up to date from events shared. */
  events?: { since: Date; read: number; requests: number };
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
    onRequest: (cost) => {
      requests++;
      options.onRequest?.(cost);
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
  const done: SyncState = {
    ...state, running: false, runRows: keyed ? stored : unkeyed.length, syncedAt: now(), syncStartedAt: startedAt, updatedAt: now(),
    eventsCursor: new Date(startedAt.getTime() - EVENTS_SLACK_MS),
  };
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
    mode: 'full',
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
 * Syncs the named tables (all the catalog's tables when none are named). A table read whole
 * before is brought up to date from Stripe's events when it can be (incremental.ts), with one
 * read of the events for all of them; the others are read whole, one after another. A table
 * Stripe cannot list without a filter is skipped, with the reason.
 */
export async function syncTables(catalog: Catalog, store: ReplicaStore, names: readonly string[] | undefined, options: SyncOptions = {}): Promise<SyncReport> {
  const now = options.now ?? (() => new Date());
  const tables = (names ?? catalog.tableNames()).map((name) => {
    const table = catalog.getTable(name);
    if (!table) throw new Error(`Unknown table ${name}`);
    return table;
  });
  const report: SyncReport = { tables: [], skipped: [] };
  const results = new Map<Table, TableSyncResult>();
  const incremental: { table: Table; follower: Follower; state: SyncState }[] = [];
  const whole: { table: Table; note?: string }[] = [];
  for (const table of tables) {
    const reason = unreadableReason(table);
    if (reason !== undefined) {
      report.skipped.push({ table: table.name, reason });
      options.onProgress?.({ table: table.name, phase: 'skipped', rows: 0, requests: 0, elapsedMs: 0, note: reason });
      continue;
    }
    // A table not yet in the replica, or made from another schema, is read whole (and made then).
    const state = store.state(table.name);
    const follower = followerOf(table, options.accountId);
    const cursor = state?.eventsCursor ?? null;
    if (options.full || !state || state.fingerprint !== schemaFor(table).fingerprint || state.syncedAt === null || state.running || cursor === null) {
      whole.push({ table });
    }
    else if ('reason' in follower) whole.push({ table, note: `read whole: events do not follow it (${follower.reason})` });
    else if (now().getTime() - cursor.getTime() > EVENT_RETENTION_MS) {
      whole.push({ table, note: `read whole: its last sync (${cursor.toISOString()}) is older than the 30 days of events Stripe keeps` });
    } else incremental.push({ table, follower, state });
  }
  const eventsTable = catalog.getTable('Events');
  if (incremental.length > 0 && eventsTable) {
    const since = new Date(Math.min(...incremental.map((t) => t.state.eventsCursor!.getTime())));
    const log = await readEvents(eventsTable, since, options, incremental.some((t) => t.follower.objectType === 'event'));
    report.events = { since, read: log.count, requests: log.requests };
    for (const { table, follower, state } of incremental) results.set(table, await applyEvents(table, follower, log, store, state, options));
  }
  for (const { table, note } of options.eventsOnly ? [] : whole) {
    if (note) options.onProgress?.({ table: table.name, phase: 'start', rows: 0, requests: 0, elapsedMs: 0, note });
    const result = await syncTable(table, store, options);
    results.set(table, note ? { ...result, note } : result);
  }
  report.tables = tables.filter((t) => results.has(t)).map((t) => results.get(t)!);
  return report;
}
