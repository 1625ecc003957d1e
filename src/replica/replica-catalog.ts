// The catalog a connection with a replica (CacheLocation) plans against: each Stripe table is
// read from the replica or from Stripe, by one rule.
//
// - Offline: only the replica. A table it holds is read from it, whatever its age; any other
//   Stripe table is an error naming the table, and nothing is ever sent.
// - Otherwise: a table the replica holds whole (a sync or CACHE table completed) is read from
//   it; with CacheTolerance, only while it was brought up to date at most that many seconds ago
//   (before each statement, index.ts catches stale tables up from events; those events cannot
//   follow stay stale), and from Stripe after. A table never read whole is read from Stripe.
// Writes always go to Stripe (refused offline). sys_cache lists the replica's tables.

import type { CacheTarget, Catalog, ExecContext, Row, Table } from '../engine/table.js';
import { procedureMembers } from '../engine/catalog-wrap.js';
import { ReplicaTable } from './replica-table.js';
import { schemaFor } from './schema.js';
import type { ReplicaSchema, ReplicaStore, SyncState } from './store.js';
import { mergeRows, syncTable } from './sync.js';
import { SYS_CACHE, sysCacheTable } from './sys-cache.js';

export interface ReplicaRouting {
  /** Read only the replica; never send a request. */
  offline?: boolean;
  /** Seconds a complete read stays fresh enough to answer queries (online only); none: forever. */
  toleranceSeconds?: number;
  /** The clock the tolerance and sys_cache's ages are measured with. */
  now?: () => Date;
}

/** A table Offline=true cannot read: it has the table's columns, so only its plan (the read) refuses. */
class NotInReplica implements Table {
  readonly name: string;
  readonly columns: Table['columns'];

  constructor(table: Table, private readonly reason: string) {
    this.name = table.name;
    this.columns = table.columns;
  }

  plan(): never {
    throw new Error(this.reason);
  }

  // eslint-disable-next-line require-yield
  async *scan(): AsyncIterable<Row> {
    throw new Error(this.reason);
  }

  checkWrite(): void {
    throw new Error(this.reason);
  }
}

export function replicaCatalog(stripe: Catalog, store: ReplicaStore, routing: ReplicaRouting = {}): Catalog {
  const now = routing.now ?? (() => new Date());
  const offline = routing.offline === true;
  const schemas = new WeakMap<Table, ReplicaSchema>();
  const schemaOf = (table: Table): ReplicaSchema => {
    let schema = schemas.get(table);
    if (!schema) schemas.set(table, (schema = schemaFor(table)));
    return schema;
  };
  /** The table's state when the replica holds it in the catalog's current shape. */
  const stored = (table: Table): SyncState | undefined => {
    const state = store.state(table.name);
    return state && state.fingerprint === schemaOf(table).fingerprint ? state : undefined;
  };
  const fresh = (state: SyncState): boolean => {
    if (state.syncedAt === null) return false;
    if (routing.toleranceSeconds === undefined) return true;
    return now().getTime() - state.syncedAt.getTime() <= routing.toleranceSeconds * 1000;
  };
  const readFrom = (state: SyncState): 'replica' | 'Stripe' => (offline || fresh(state) ? 'replica' : 'Stripe');

  const getTable = (name: string): Table | undefined => {
    if (name.toLowerCase() === SYS_CACHE) return sysCacheTable(store, now(), readFrom);
    const table = stripe.getTable(name);
    if (!table) return undefined;
    const state = stored(table);
    if (offline) {
      if (!state) {
        return new NotInReplica(table, `${table.name} is not in the replica ${store.location}, and Offline=true reads nothing else: ` +
          `copy it first (stripe-sql sync --to ${store.location} --tables ${table.name}, or CACHE ${table.name} on a connection that is not offline)`);
      }
      return new ReplicaTable(table, schemaOf(table), store, {
        writer: table,
        refusal: `Offline=true: ${table.name} is read from the replica ${store.location}, and nothing is sent to Stripe, so writes are refused`,
      });
    }
    return state && fresh(state) ? new ReplicaTable(table, schemaOf(table), store, { writer: table }) : table;
  };

  const cache: CacheTarget = {
    source: stripe,
    location: store.location,
    refresh: async (table: Table, ctx: ExecContext) =>
      (await syncTable(table, store, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
        now,
      })).rows,
    merge: (table: Table, rows: AsyncIterable<Row>, ctx: ExecContext) => mergeRows(table, rows, store, { ...(ctx.signal ? { signal: ctx.signal } : {}), now }),
  };

  return {
    ...procedureMembers(stripe),
    ...(offline ? {} : { cache }),
    getTable,
    // Offline, the connection has the replica's tables and nothing else.
    tableNames: () => (offline ? stripe.tableNames().filter((name) => stored(stripe.getTable(name)!) !== undefined) : stripe.tableNames()),
  };
}
