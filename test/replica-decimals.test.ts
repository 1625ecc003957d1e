// Decimal columns in the replica keep every digit: SQLite stores the numeric's text (a REAL
// would round 98765432109876.543210987654 to 98765432109876.55), PostgreSQL its numeric. Read
// back offline, equality, ORDER BY and SUM answer as live, with no request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Numeric, type Connection } from '../src/index.js';
import { useEmulator } from './e2e-helpers.js';
import { startPostgres, type PostgresCluster } from './support/postgres-cluster.js';

const e2e = useEmulator();
const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-replica-decimals-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Decimals a double cannot hold: each needs more than 17 significant digits. */
const DECIMALS = ['98765432109876.543210987654', '98765432109876.543210987653', '0.000000000001', '1234567890123.456789012345'];

const priceIds: string[] = [];
let inserting: Promise<void> | undefined;

/** The prices with those decimals, created live once (each suite syncs them into its store). */
function insertPrices(): Promise<void> {
  inserting ??= (async () => {
    const product = String((e2e.emulator.objects('product')[0] as { id: string }).id);
    for (const decimal of DECIMALS) {
      const inserted = await e2e.db.execute(`INSERT INTO Prices (Currency, ProductId, UnitAmountDecimal) VALUES ('usd', '${product}', ${decimal})`);
      priceIds.push(String(inserted.lastInsertId));
    }
    assert.notEqual(String(Number(DECIMALS[0])), DECIMALS[0], 'a double rounds the first decimal');
  })();
  return inserting;
}

const QUERIES = [
  `SELECT Id, UnitAmountDecimal FROM Prices WHERE UnitAmountDecimal IS NOT NULL ORDER BY UnitAmountDecimal DESC, Id`,
  `SELECT Id FROM Prices WHERE UnitAmountDecimal = ${DECIMALS[0]}`,
  `SELECT Id FROM Prices WHERE UnitAmountDecimal > 98765432109876.543210987653`,
  `SELECT SUM(UnitAmountDecimal) AS total, MAX(UnitAmountDecimal) AS most FROM Prices`,
];

async function answersAsLive(offline: Connection): Promise<void> {
  const exact = await offline.query(`SELECT UnitAmountDecimal FROM Prices WHERE Id IN (${priceIds.map((id) => `'${id}'`).join(', ')}) ORDER BY Id`);
  const expected = priceIds.map((id, i) => [id, DECIMALS[i]!]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)).map(([, d]) => d);
  assert.deepEqual(exact.rows.map((r) => String(r.UnitAmountDecimal)), expected);
  assert.ok(exact.rows.every((r) => r.UnitAmountDecimal instanceof Numeric));
  for (const sql of QUERIES) {
    const live = await e2e.db.query(sql, [], { rowMode: 'array' });
    e2e.emulator.clearLog();
    const copy = await offline.query(sql, [], { rowMode: 'array' });
    assert.equal(e2e.emulator.requestLog.length, 0, sql);
    assert.ok(live.rowCount > 0, sql);
    assert.deepEqual(copy.rows.map((r) => r.map(String)), live.rows.map((r) => r.map(String)), sql);
  }
  const one = await offline.query(QUERIES[1]!);
  assert.deepEqual(one.rows.map((r) => r.Id), [priceIds[0]]);
}

describe('decimals in a SQLite replica', () => {
  const path = join(dir, 'decimals.db');
  let offline: Connection;

  before(async () => {
    await insertPrices();
    const db = e2e.connectWith({ cache: path });
    await db.sync({ tables: ['Prices'] });
    await db.close();
    offline = e2e.connectWith({ cache: path, offline: true, apiKey: undefined });
  });
  after(() => offline?.close());

  test('are stored as their exact text, not a REAL', () => {
    const file = new Database(path, { readonly: true });
    try {
      const type = (file.prepare(`SELECT type FROM pragma_table_info('Prices') WHERE name = 'UnitAmountDecimal'`).get() as { type: string }).type;
      assert.equal(type, 'TEXT');
      const stored = file.prepare(`SELECT UnitAmountDecimal FROM Prices WHERE Id = ?`).pluck().get(priceIds[0]);
      assert.equal(stored, DECIMALS[0]);
    } finally {
      file.close();
    }
  });

  test('read back with every digit; equality, order and SUM as live; the order and comparisons stay with the engine', async () => {
    await answersAsLive(offline);
    const plan = offline.explain(QUERIES[0]!).join('\n');
    assert.match(plan, /ReplicaScan Prices/);
    assert.doesNotMatch(plan, /ORDER BY "UnitAmountDecimal"/, 'text does not sort as numbers: the engine sorts');
    assert.doesNotMatch(offline.explain(QUERIES[2]!).join('\n'), /WHERE "UnitAmountDecimal" >/, 'nor compare as them');
  });
});

describe('decimals in a PostgreSQL replica', () => {
  let cluster: PostgresCluster;
  let offline: Connection;

  before(async () => {
    await insertPrices();
    cluster = await startPostgres();
    const url = await cluster.createDatabase('decimals');
    const db = e2e.connectWith({ cache: url });
    await db.sync({ tables: ['Prices'] });
    await db.close();
    offline = e2e.connectWith({ cache: url, offline: true, apiKey: undefined });
  });
  after(async () => {
    await offline?.close();
    cluster?.stop();
  });

  test('read back from numeric with every digit; equality, order and SUM as live', async () => {
    await answersAsLive(offline);
    assert.match(offline.explain(QUERIES[0]!).join('\n'), /ORDER BY "UnitAmountDecimal" DESC/, 'numeric sorts by value in PostgreSQL');
  });
});
