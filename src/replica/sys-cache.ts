// sys_cache: one row per replica table — how many rows, its cursors, when it was last brought up to date,
// how old that is, and whether queries read it from the replica now or from Stripe.

import { MemoryTable } from '../engine/index.js';
import type { Column, DataType, SqlValue, Table } from '../engine/table.js';
import type { ReplicaStore, SyncState } from './store.js';

export const SYS_CACHE = 'sys_cache';

const col = (name: string, type: DataType, description: string): Column => ({ name, type, readOnly: true, description });

const COLUMNS: Column[] = [
  col('TableName', 'String', 'The Stripe table the replica table copies'),
  col('RowCount', 'Long', 'Rows the replica holds'),
  col('Cursor', 'Datetime', 'The highest Created stored'),
  col('EventsCursor', 'Datetime', "Where the next sync reads Stripe's events from; NULL until the table is read whole"),
  col('SyncedAt', 'Datetime', 'When the table was last brought up to date (read whole, or its events applied); NULL if never'),
  col('AgeSeconds', 'Long', 'Seconds since SyncedAt (since the last write when never read whole)'),
  col('State', 'String', "'synced', 'partial' (only rows CACHE SELECT stored) or 'interrupted' (a sync stopped; the next one completes it)"),
  col('ReadFrom', 'String', "Where queries read the table now: 'replica' or 'Stripe' (CacheTolerance exceeded, or not read whole)"),
  col('Location', 'String', 'The replica (a file path)'),
];

export function sysCacheTable(store: ReplicaStore, now: Date, readFrom: (state: SyncState) => 'replica' | 'Stripe'): Table {
  const rows: SqlValue[][] = [...store.states()]
    .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0))
    .map((state) => [
      state.table,
      state.rowCount,
      state.cursor,
      state.eventsCursor,
      state.syncedAt,
      Math.max(0, Math.floor((now.getTime() - (state.syncedAt ?? state.updatedAt).getTime()) / 1000)),
      state.running ? 'interrupted' : state.syncedAt ? 'synced' : 'partial',
      readFrom(state),
      store.location,
    ]);
  return new MemoryTable(SYS_CACHE, COLUMNS, rows, { readOnly: true });
}
