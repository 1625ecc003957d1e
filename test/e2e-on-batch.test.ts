// query(…, { onBatch }): the rows a batch at a time, as the engine makes them (a temporary
// table's chunks; a Stripe list's rows as they are read), with the same rows and the same
// requests as a plain query; MaxRows still caps them; an awaited callback holds the reading
// back. The wire server reads results this way.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { connect, type SqlValue } from '../src/index.js';
import { DEMO_API_KEY } from '../emulator/index.js';
import { requestLines, useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
beforeEach(() => e2e.emulator.clearLog());

test('a list read: the same rows and requests as a plain query', async () => {
  const plain = await e2e.db.query('SELECT Id, AmountTotal FROM CheckoutSession', undefined, { rowMode: 'array' });
  const plainRequests = requestLines(e2e.emulator.requestLog);
  assert.ok(plain.rowCount > 200, 'the seed has more than two pages of checkout sessions');
  e2e.emulator.clearLog();
  const batches: SqlValue[][][] = [];
  const result = await e2e.db.query('SELECT Id, AmountTotal FROM CheckoutSession', undefined, { rowMode: 'array', onBatch: (rows) => void batches.push(rows) });
  assert.deepEqual(batches.flat(), plain.rows);
  assert.deepEqual(result.rows, []);
  assert.equal(result.rowCount, plain.rowCount);
  assert.ok(batches.every((b) => b.length > 0));
  assert.deepEqual(requestLines(e2e.emulator.requestLog), plainRequests);
});

test('a temporary table arrives in the engine\'s chunks, not a call per row', async () => {
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: e2e.emulator.url });
  try {
    await db.execute('CREATE TEMP TABLE numbers (n INT)');
    await db.execute(`INSERT INTO numbers (n) VALUES ${Array.from({ length: 5000 }, (_, i) => `(${i})`).join(', ')}`);
    const batches: SqlValue[][][] = [];
    const result = await db.query('SELECT n FROM numbers', undefined, { rowMode: 'array', onBatch: (rows) => void batches.push(rows) });
    assert.equal(result.rowCount, 5000);
    assert.deepEqual(batches.flat().map((r) => r[0]), Array.from({ length: 5000 }, (_, i) => i));
    assert.ok(batches.length < 50, `${batches.length} batches`);
    assert.deepEqual(e2e.emulator.requestLog, []);
  } finally {
    await db.close();
  }
});

test('MaxRows caps the rows handed over in batches, and reading stops there', async () => {
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: e2e.emulator.url, maxRequestsPerSecond: 1000, maxRows: 3 });
  try {
    const batches: unknown[][] = [];
    const result = await db.query('SELECT Id FROM CheckoutSession', undefined, { onBatch: (rows) => void batches.push(rows) });
    assert.equal(result.rowCount, 3);
    assert.equal(batches.flat().length, 3);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), ['GET /v1/checkout/sessions?limit=100']);
  } finally {
    await db.close();
  }
});

test("an awaited batch callback holds the read back: the next page is asked for only after it returns", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let firstBatch!: () => void;
  const gotFirst = new Promise<void>((resolve) => (firstBatch = resolve));
  let calls = 0;
  const done = e2e.db.query('SELECT Id FROM CheckoutSession', undefined, {
    onBatch: async () => {
      calls++;
      if (calls === 1) {
        firstBatch();
        await held;
      }
    },
  });
  await gotFirst;
  assert.deepEqual(requestLines(e2e.emulator.requestLog), ['GET /v1/checkout/sessions?limit=100']);
  release();
  await done;
  assert.ok(e2e.emulator.requestLog.length > 1);
});
