// A catalog table's replica schema: every column (pseudo-columns too, so a row read back is the
// row that was read from Stripe), the key that names a row, and the cursor column.

import type { Table } from '../engine/table.js';
import type { ReplicaSchema } from './store.js';

/** The column Stripe lists are ordered and windowed by; its highest value is a table's cursor. */
const CURSOR_COLUMN = 'Created';

export function schemaFor(table: Table): ReplicaSchema {
  const columns = table.columns.map((c) => ({
    name: c.name, type: c.type, ...(c.json ? { json: true } : {}), ...(c.description ? { description: c.description } : {}),
  }));
  const byName = new Map(table.columns.map((c) => [c.name.toLowerCase(), c]));
  // The row identity without the account: one replica holds one account's objects. A name the
  // table has no column for (a singleton's default `Id`) names nothing.
  const primaryKey = (table.rowIdentity ?? [])
    .map((name) => byName.get(name.toLowerCase()))
    .filter((c) => c !== undefined && !c.pseudo)
    .map((c) => c!.name);
  const cursor = byName.get(CURSOR_COLUMN.toLowerCase());
  return {
    name: table.name,
    ...(described(table) ? { description: described(table) } : {}),
    columns,
    primaryKey,
    ...(cursor?.type === 'Datetime' ? { cursorColumn: cursor.name } : {}),
    // A Decimal column is tagged `exact` since the SQLite store keeps its text instead of a REAL:
    // a replica made before is re-created, and so re-read whole, on its next sync.
    fingerprint: [
      ...columns.map((c) => `${c.name}:${c.type}${c.type === 'Decimal' ? ':exact' : ''}${c.json ? ':json' : ''}`),
      `key:${primaryKey.join(',')}`,
    ].join(';'),
  };
}

/** A Stripe table's description (its definition's), when it has one. */
function described(table: Table): string | undefined {
  const description = (table as { def?: { description?: unknown } }).def?.description;
  return typeof description === 'string' && description !== '' ? description : undefined;
}
