// The local replica (CacheLocation): a store, the catalog that reads from it, and the backfill
// that fills it. The connection opens one; nothing else here is public.

import type { Catalog } from '../engine/table.js';
import { ConnectionError } from '../stripe/errors.js';
import { replicaCatalog, type ReplicaRouting } from './replica-catalog.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { ReplicaStore } from './store.js';
import { syncTables, type SyncOptions, type SyncReport } from './sync.js';

export { offlineStats, offlineTransport } from './offline-transport.js';
export type { SyncOptions, SyncProgress, SyncReport, TableSyncResult } from './sync.js';

export interface Replica {
  /** The connection's tables: each read from the replica or from Stripe (replica-catalog.ts). */
  readonly catalog: Catalog;
  readonly store: ReplicaStore;
  /** Reads the named tables (every listable table when none are named) from Stripe into the replica. */
  sync(tables: readonly string[] | undefined, options?: SyncOptions): Promise<SyncReport>;
  /**
   * Before a statement is planned: reads the replica's table states again (a PostgreSQL replica
   * keeps them in memory, since planning reads them synchronously, and another process may have
   * synced since; SQLite reads them from the file each time), then, with CacheTolerance, brings
   * the tables staler than it up to date from Stripe's events (those events cannot follow stay
   * stale, and are read live).
   */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenReplicaOptions extends ReplicaRouting {
  /** The connection's account (the AccountId of rows made from events). */
  accountId?: string;
}

/**
 * Opens the replica at `location` (an SQLite file, made if missing unless offline) in front of
 * the Stripe catalog `stripe`.
 */
export function openReplica(location: string, stripe: Catalog, options: OpenReplicaOptions = {}): Replica {
  // A location is repeated in messages and EXPLAIN: never one that looks like a key given in the wrong place.
  if (/(?:sk|rk|pk)_(?:test|live)_/.test(location)) throw new ConnectionError('CacheLocation looks like an API key (not repeated here); give the path of an SQLite file');
  const store: ReplicaStore = /^postgres(ql)?:/i.test(location) ? new PostgresStore(location) : openSqlite(location, options.offline === true);
  const catalog = replicaCatalog(stripe, store, options);
  const now = options.now ?? (() => new Date());
  const readStates = () => store.refresh().catch((error: unknown) => {
    throw new ConnectionError(`CacheLocation ${store.location}: ${(error as Error).message}`);
  });
  const sync = (tables: readonly string[] | undefined, syncOptions: SyncOptions = {}) =>
    syncTables(stripe, store, tables, {
      now,
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
      ...syncOptions,
    });
  // With a tolerance, tables staler than it are brought up to date from events before a
  // statement: one catch-up at a time, which statements arriving meanwhile share.
  let catchingUp: Promise<unknown> | undefined;
  const catchUp = () => {
    const tolerance = options.toleranceSeconds;
    if (options.offline || tolerance === undefined) return undefined;
    const stale = store.states()
      .filter((state) => state.syncedAt !== null && now().getTime() - state.syncedAt.getTime() > tolerance * 1000)
      .map((state) => state.table)
      .filter((name) => stripe.getTable(name) !== undefined);
    if (stale.length === 0) return undefined;
    catchingUp ??= sync(stale, { eventsOnly: true }).finally(() => (catchingUp = undefined));
    return catchingUp;
  };
  return {
    catalog,
    store,
    refresh: async () => {
      await readStates();
      await catchUp();
    },
    sync: async (tables, syncOptions = {}) => {
      await readStates();
      return sync(tables, syncOptions);
    },
    close: () => store.close(),
  };
}

function openSqlite(location: string, mustExist: boolean): SqliteStore {
  try {
    return new SqliteStore(location, { mustExist });
  } catch (error) {
    const reason = (error as { code?: string }).code === 'SQLITE_CANTOPEN' && mustExist
      ? 'there is no replica there (Offline=true opens an existing one: make it with stripe-sql sync --to PATH)'
      : (error as Error).message;
    throw new ConnectionError(`CacheLocation ${location}: ${reason}`);
  }
}
