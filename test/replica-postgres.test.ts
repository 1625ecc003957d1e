// Issue 12, the PostgreSQL replica: a sync into a throwaway cluster, then the same queries
// offline from it as live — filters, order and limit pushed into PostgreSQL's SQL (EXPLAIN shows
// it, with $n parameters), jsonb columns equal as JSON, text ordered byte by byte.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type Connection } from '../src/index.js';
import { useEmulator } from './e2e-helpers.js';
import { startPostgres, type PostgresCluster } from './support/postgres-cluster.js';

const e2e = useEmulator();
const TABLES = ['Customers', 'Charges', 'Products', 'Balance'];

describe('a PostgreSQL replica', () => {
  let cluster: PostgresCluster;
  let url: string;
  let offline: Connection;

  before(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase('replica');
    const db = e2e.connectWith({ cache: url });
    const report = await db.sync({ tables: TABLES });
    await db.close();
    assert.deepEqual(report.tables.map((t) => t.table), TABLES);
    offline = e2e.connectWith({ cache: url, offline: true, apiKey: undefined });
  });
  after(async () => {
    await offline?.close();
    cluster?.stop();
  });

  test('every synced table answers the same rows as live, JSON columns equal as JSON; no request offline', async () => {
    for (const table of TABLES) {
      const sql = `SELECT * FROM ${table}`;
      const live = await e2e.db.query(sql, [], { rowMode: 'array' });
      e2e.emulator.clearLog();
      const copy = await offline.query(sql, [], { rowMode: 'array' });
      assert.equal(e2e.emulator.requestLog.length, 0);
      assert.deepEqual(copy.columns, live.columns);
      const json = new Set(offline.columns(table)!.flatMap((c, i) => (c.json ? [i] : [])));
      const comparable = (rows: unknown[][]) =>
        rows.map((row) => JSON.stringify(row.map((v, i) => (json.has(i) && typeof v === 'string' ? JSON.parse(v) : v)), sortedKeys)).sort();
      assert.ok(live.rowCount > 0);
      assert.deepEqual(comparable(copy.rows), comparable(live.rows), table);
    }
  });

  test('filters, ORDER BY and LIMIT go into PostgreSQL, with $n parameters; text sorts as live', async () => {
    const sql = "SELECT Id, Email, Created FROM Customers WHERE Email LIKE '%a%' AND Created > '2020-01-01' ORDER BY Email DESC, Id LIMIT 7";
    const plan = offline.explain(sql).join('\n');
    assert.match(plan, /ReplicaScan Customers \(postgres postgres:\/\/postgres@127\.0\.0\.1:\d+\/replica\): SELECT "Id", "Created", "Email" FROM "Customers" WHERE "Email" LIKE \$1 ESCAPE '' AND "Created" > \$2 ORDER BY "Email" DESC NULLS FIRST, "Id" ASC NULLS LAST LIMIT \$3/);
    assert.deepEqual((await offline.query(sql)).rows, (await e2e.db.query(sql)).rows);
    const byId = 'SELECT Id FROM Charges ORDER BY Id';
    assert.deepEqual((await offline.query(byId)).rows, (await e2e.db.query(byId)).rows);
    const grouped = 'SELECT Status, COUNT(*) AS n, SUM(Amount) AS total FROM Charges GROUP BY Status ORDER BY Status';
    assert.deepEqual((await offline.query(grouped)).rows, (await e2e.db.query(grouped)).rows);
  });

  test('typed columns with the catalog\'s comments, and sys_cache', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const types = (await client.query(`SELECT column_name, data_type, col_description('"Charges"'::regclass, ordinal_position) AS comment
        FROM information_schema.columns WHERE table_name = 'Charges' AND column_name IN ('Id', 'Amount', 'Created', 'Paid', 'Metadata') ORDER BY column_name`)).rows;
      assert.deepEqual(types.map((r) => [r.column_name, r.data_type]), [
        ['Amount', 'bigint'], ['Created', 'timestamp with time zone'], ['Id', 'text'], ['Metadata', 'jsonb'], ['Paid', 'boolean'],
      ]);
      assert.ok(types.every((r) => typeof r.comment === 'string' && r.comment.length > 0), JSON.stringify(types));
      const table = (await client.query(`SELECT obj_description('"Charges"'::regclass) AS comment`)).rows[0].comment;
      assert.ok(typeof table === 'string' && table.length > 0);
    } finally {
      await client.end();
    }
    const cache = await offline.query('SELECT TableName, RowCount, State, Location FROM sys_cache ORDER BY TableName');
    assert.deepEqual(cache.rows.map((r) => r.TableName), [...TABLES].sort());
    assert.ok(cache.rows.every((r) => r.State === 'synced' && String(r.Location).startsWith('postgres://')));
    assert.equal(cache.rows.find((r) => r.TableName === 'Charges')!.RowCount, e2e.emulator.objects('charge').length);
  });
});

/** JSON.stringify replacer: objects with their keys sorted (jsonb keeps its own key order). */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
