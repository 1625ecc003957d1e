// Incremental sync: a table read whole once is kept up to date from Stripe's events. The events
// since the oldest cursor of the tables being synced are read once, newest first (one request
// per 100 events), and each object's newest event decides its row: a `*.deleted` event removes
// it, any other event's object is stored (fetched whole by id when the payload falls short,
// follow.ts). The newest event is the current state, so applying the same events again, after
// an interruption, changes nothing; each table's cursor moves only with its last page.

import type { ExecContext, Row, SqlValue, Table } from '../engine/table.js';
import type { StripeObject } from '../stripe/types.js';
import { removes, type Follower } from './follow.js';
import { schemaFor } from './schema.js';
import type { ReplicaStore, SyncState } from './store.js';
import { ROWS_PER_COMMIT, type SyncOptions, type TableSyncResult } from './sync.js';

/** Stripe keeps events this long: a cursor older than that cannot be caught up from events. */
export const EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** The newest event of one object. */
interface LatestEvent {
  type: string;
  created: Date;
  object: StripeObject;
}

/** What one read of the events gave. */
export interface EventLog {
  /** By object type, by object id: the object's newest event. */
  latest: Map<string, Map<string, LatestEvent>>;
  /** Every event read, as a row of the Events table, when a replica of Events itself is brought up to date (else empty). */
  rows: { created: Date; row: Row }[];
  /** The newest event's time; undefined when there was none. */
  newest: Date | undefined;
  /** Events read. */
  count: number;
  requests: number;
}

/**
 * Reads every event created at or after `since`, newest first, through the Events table's own
 * scan. Only each object's newest event is kept, and every event's row only when `keepRows`
 * (Events itself is being brought up to date).
 */
export async function readEvents(events: Table, since: Date, options: SyncOptions, keepRows = false): Promise<EventLog> {
  const columns = events.columns.map((c) => c.name);
  const at = (name: string) => columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
  const [type, created, data] = [at('Type'), at('Created'), at('DataObject')];
  // Newest first, as Stripe lists: one page after another, never the parallel windows (whose
  // probes would cost requests a short read does not need).
  const plan = events.plan({
    predicates: [{ id: 1, column: 'Created', op: '>=', value: since, text: `Created >= ${since.toISOString()}` }],
    columns,
    orderBy: [{ column: 'Created', direction: 'DESC' }],
  });
  const log: EventLog = { latest: new Map(), rows: [], newest: undefined, count: 0, requests: 0 };
  const ctx: ExecContext = {
    ...(options.signal ? { signal: options.signal } : {}),
    onRequest: () => {
      log.requests++;
      options.onRequest?.();
    },
  };
  for await (const row of events.scan(plan, ctx)) {
    log.count++;
    const when = row[created] as Date;
    if (keepRows) log.rows.push({ created: when, row });
    if (log.newest === undefined || when > log.newest) log.newest = when;
    const object = JSON.parse(String(row[data] ?? 'null')) as StripeObject | null;
    if (!object || typeof object.id !== 'string' || typeof object.object !== 'string') continue;
    let byId = log.latest.get(object.object);
    if (!byId) log.latest.set(object.object, (byId = new Map()));
    // Newest first: the first event of an object is its newest (ties in a second: Stripe lists the later one first).
    if (!byId.has(object.id)) byId.set(object.id, { type: String(row[type]), created: when, object });
  }
  return log;
}

/**
 * Applies the events of `log` newer than the table's cursor to its replica table, a page of
 * changes per transaction, the last with the new cursor.
 */
export async function applyEvents(
  table: Table, follower: Follower, log: EventLog, store: ReplicaStore, prior: SyncState, options: SyncOptions,
): Promise<TableSyncResult & { events: number; fetched: number }> {
  const now = options.now ?? (() => new Date());
  const started = Date.now();
  const schema = schemaFor(table);
  const since = prior.eventsCursor!;
  let requests = 0;
  let fetched = 0;
  const ctx: ExecContext = {
    ...(options.signal ? { signal: options.signal } : {}),
    onRequest: () => {
      requests++;
      options.onRequest?.();
    },
  };
  const keyOf = (id: string) => schema.primaryKey.map((name) => (name.toLowerCase() === 'id' ? id : null));
  let upsert: Row[] = [];
  let remove: SqlValue[][] = [];
  let state = prior;
  let events = 0;
  let stored = 0;
  let removed = 0;
  const commit = async (last: boolean) => {
    const applied = await store.apply({
      schema,
      upsert,
      remove,
      ...(last ? { recount: true } : {}),
      state: {
        ...state,
        updatedAt: now(),
        ...(last ? { syncedAt: now(), eventsCursor: log.newest && log.newest > since ? log.newest : since } : {}),
      },
    });
    state = applied.state;
    removed += applied.deleted;
    stored += upsert.length + remove.length;
    upsert = [];
    remove = [];
    options.onProgress?.({ table: schema.name, phase: 'rows', rows: stored, requests, elapsedMs: Date.now() - started, note: 'from events' });
  };
  const changed = async (change: () => Promise<void>) => {
    events++;
    await change();
    if (upsert.length + remove.length >= ROWS_PER_COMMIT) await commit(false);
  };

  if (follower.objectType === 'event') {
    for (const { created, row } of log.rows) if (created >= since) await changed(async () => void upsert.push(row));
  } else {
    for (const [id, event] of log.latest.get(follower.objectType) ?? []) {
      if (event.created < since) continue;
      await changed(async () => {
        if (removes(event.type)) {
          remove.push(keyOf(id));
          return;
        }
        const row = follower.rowOf(event.object);
        if (row) {
          upsert.push(row);
          return;
        }
        fetched++;
        const whole = await fetchWhole(table, id, ctx);
        // Gone since the event: as a deletion.
        if (whole) upsert.push(whole);
        else remove.push(keyOf(id));
      });
    }
  }
  options.signal?.throwIfAborted();
  await commit(true);
  options.onProgress?.({ table: schema.name, phase: 'done', rows: state.rowCount, requests, elapsedMs: Date.now() - started, note: 'from events' });
  return { table: schema.name, rows: state.rowCount, requests, removed, resumed: false, mode: 'events', events, fetched };
}

/** The object's row read by id (with every expanded list whole), as the table's full read makes it. */
async function fetchWhole(table: Table, id: string, ctx: ExecContext): Promise<Row | undefined> {
  const plan = table.plan({
    predicates: [{ id: 1, column: 'Id', op: '=', value: id, text: `Id = '${id}'` }],
    columns: table.columns.map((c) => c.name),
    orderBy: [],
  });
  for await (const row of table.scan(plan, ctx)) return row;
  return undefined;
}
