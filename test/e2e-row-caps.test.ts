// MaxRows caps what a query returns (reading stops there: the request log shows it) but never a
// write; MaxIntermediateRows stops a query whose sort or grouping would hold more rows, with a
// SqlError naming the operator and the cap. Both come from the connection string or options.

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { connect, ConnectionError, SqlError } from '../src/index.js';
import { parseConnectionString } from '../src/connection-options.js';
import { DEMO_API_KEY } from '../emulator/index.js';
import { requestLines, useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
beforeEach(() => e2e.emulator.clearLog());

test('MaxRows caps a query\'s rows, through query, stream and execute, and reading stops there', async () => {
  const db = connect(`AuthScheme=APIKey;APIKey=${DEMO_API_KEY};BaseUrl=${e2e.emulator.url};MaxRequestsPerSecond=1000;MaxRows=3`);
  try {
    const all = await e2e.db.query('SELECT Id FROM CheckoutSession');
    assert.ok(all.rowCount > 100, 'the seed has more than a page of checkout sessions');
    e2e.emulator.clearLog();
    const capped = await db.query('SELECT Id FROM CheckoutSession');
    assert.deepEqual(capped.rows, all.rows.slice(0, 3));
    // One page read, not the three a full read takes.
    assert.deepEqual(requestLines(e2e.emulator.requestLog), ['GET /v1/checkout/sessions?limit=100']);
    const streamed: unknown[] = [];
    for await (const row of db.stream('SELECT Id FROM CheckoutSession')) streamed.push(row);
    assert.equal(streamed.length, 3);
    assert.equal((await db.execute('SELECT Id FROM CheckoutSession')).rowsAffected, 3);
    assert.equal((await db.prepare('SELECT Id FROM CheckoutSession WHERE Id <> $1').query(['x'])).rowCount, 3);
    // A LIMIT under the cap is the query's own.
    assert.equal((await db.query('SELECT Id FROM CheckoutSession LIMIT 2')).rowCount, 2);
  } finally {
    await db.close();
  }
});

test('MaxRows does not cap a write', async () => {
  for (let i = 0; i < 3; i++) await e2e.db.execute(`INSERT INTO Customers (Email) VALUES ('rowcap@x.test')`);
  const db = e2e.connectWith({ maxRows: 1 });
  try {
    e2e.emulator.clearLog();
    const result = await db.execute(`UPDATE Customers SET Description = 'capped?' WHERE Email = 'rowcap@x.test'`);
    assert.equal(result.rowsAffected, 3);
    assert.equal(requestLines(e2e.emulator.requestLog).filter((line) => line.startsWith('POST')).length, 3);
  } finally {
    await db.close();
  }
});

test('MaxIntermediateRows stops a sort or a grouping that would hold more rows, naming it', async () => {
  const db = e2e.connectWith({ maxIntermediateRows: 50 });
  try {
    for (const [sql, operator] of [
      ['SELECT Id FROM CheckoutSession ORDER BY AmountTotal', 'Sort'],
      ['SELECT Id, COUNT(*) FROM CheckoutSession GROUP BY Id', 'Aggregate'],
      ['SELECT DISTINCT Id FROM CheckoutSession', 'Distinct'],
    ] as const) {
      await assert.rejects(db.query(sql), (error: unknown) => {
        assert.ok(error instanceof SqlError, String(error));
        assert.equal(error.reason, `${operator} would hold more than 50 rows (MaxIntermediateRows = 50): narrow the query with WHERE or LIMIT, or raise MaxIntermediateRows`);
        assert.equal(error.column, 1);
        return true;
      }, sql);
    }
    assert.equal((await db.query('SELECT Id FROM CheckoutSession ORDER BY AmountTotal LIMIT 5')).rowCount, 5);
    assert.equal((await db.query('SELECT Status, COUNT(*) FROM CheckoutSession GROUP BY Status')).rowCount, 3);
  } finally {
    await db.close();
  }
});

test('the caps are whole numbers ≥ 1; MaxRows=-1 is no cap', () => {
  assert.deepEqual(parseConnectionString('MaxRows=10;MaxIntermediateRows=1000000'), { maxRows: 10, maxIntermediateRows: 1_000_000 });
  assert.equal(parseConnectionString('MaxRows=-1').maxRows, undefined);
  for (const text of ['MaxRows=0', 'MaxRows=2.5', 'MaxIntermediateRows=-1', 'MaxIntermediateRows=lots']) {
    assert.throws(() => parseConnectionString(text), ConnectionError, text);
  }
  for (const options of [{ maxRows: 0 }, { maxIntermediateRows: 1.5 }]) {
    assert.throws(() => connect({ apiKey: DEMO_API_KEY, ...options }), (error: unknown) => error instanceof ConnectionError, JSON.stringify(options));
  }
});
