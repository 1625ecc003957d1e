// Generated tables behind the real parser and engine, against the fake transport.

import assert from 'node:assert/strict';
import { SqlError } from '../src/sql/errors.js';
import { test } from 'node:test';
import { createStripeCatalog } from '../src/catalog/index.js';
import { planStatement } from '../src/engine/index.js';
import { parse } from '../src/sql/parser.js';
import { FakeTransport } from './catalog-fake-transport.js';

function setup() {
  const transport = new FakeTransport();
  const catalog = createStripeCatalog(transport);
  const run = async (sql: string) => {
    const plan = planStatement(parse(sql), sql, catalog);
    if (plan.kind === 'write') throw new Error('expected a query');
    const rows: unknown[][] = [];
    for await (const row of plan.rows({})) rows.push(row);
    return rows;
  };
  return { transport, run };
}

test('SELECT from Subscriptions includes canceled ones (status=all)', async () => {
  const { transport, run } = setup();
  transport.addList('/v1/subscriptions', [[{ id: 'sub_1', status: 'canceled' }]]);
  assert.deepEqual(await run('SELECT Id, Status FROM Subscriptions'), [['sub_1', 'canceled']]);
  assert.deepEqual(transport.calls.map((c) => c.line), ['LIST /v1/subscriptions?status=all&limit=100']);
});

test('a child table with its parent ids in WHERE reads only those parents\' lists', async () => {
  const { transport, run } = setup();
  transport.addList('/v1/invoices/in_1/lines', [[{ id: 'il_1', amount: 5 }]]);
  transport.addList('/v1/invoices/in_2/lines', [[{ id: 'il_2', amount: 7 }]]);
  const rows = await run("SELECT InvoiceId, Id, Amount FROM InvoiceLineItems WHERE InvoiceId IN ('in_1', 'in_2')");
  assert.deepEqual(rows, [['in_1', 'il_1', 5], ['in_2', 'il_2', 7]]);
  assert.deepEqual(transport.calls.map((c) => c.line), ['LIST /v1/invoices/in_1/lines?limit=100', 'LIST /v1/invoices/in_2/lines?limit=100']);
});

test('Active <> true is pushed as active=false', async () => {
  const { transport, run } = setup();
  await run('SELECT Id FROM Prices WHERE Active <> true');
  assert.deepEqual(transport.calls.map((c) => c.line), ['LIST /v1/prices?active=false&limit=100']);
});

test('a missing required list parameter fails the statement before any request', async () => {
  const { transport, run } = setup();
  await assert.rejects(run("SELECT * FROM BillingMeterEventSummaries WHERE BillingMeterId = 'mtr_1'"), (error: unknown) => {
    // The table refuses the request; the engine reports it as a SqlError where the table is named.
    assert.ok(error instanceof SqlError);
    assert.match(error.message, /^BillingMeterEventSummaries needs CustomerId = … and EndTime = … and StartTime = …/);
    assert.equal(error.column, 15);
    return true;
  });
  assert.equal(transport.calls.length, 0);
});

test('AvailableBalance: one row per currency of the balance', async () => {
  const { transport, run } = setup();
  transport.addObject('/v1/balance', { object: 'balance', available: [{ amount: 10, currency: 'usd' }, { amount: 3, currency: 'eur' }], pending: [] });
  assert.deepEqual(await run('SELECT Currency, Amount FROM AvailableBalance ORDER BY Currency'), [['eur', 3], ['usd', 10]]);
  assert.deepEqual(await run('SELECT COUNT(*) FROM PendingBalance'), [[0]]);
});
