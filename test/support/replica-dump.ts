// A replica file as comparable text: each table's rows (without the sync's bookkeeping column)
// in a fixed order, and each table's state without its times.
import Database from 'better-sqlite3';

export function dumpReplica(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'stripe_sync_state' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    const out: Record<string, string[]> = {};
    for (const name of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      out[name] = rows.map(({ _sync_run, ...row }) => JSON.stringify(row)).sort();
    }
    out['stripe_sync_state'] = (db.prepare('SELECT table_name, row_count, cursor, running, run_rows, synced_at IS NOT NULL AS synced FROM stripe_sync_state ORDER BY table_name').all() as object[]).map((r) => JSON.stringify(r));
    return out;
  } finally {
    db.close();
  }
}
