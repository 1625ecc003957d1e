// Writes against the local Stripe emulator through the real StripeClient: a lost response is
// retried under the same Idempotency-Key and creates one object; re-running a statement with the
// same prefix creates nothing new; Metadata updates merge; DELETE removes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { StripeTable, tableDefs } from '../src/catalog/index.js';
import { StripeClient } from '../src/stripe/index.js';
import { DEMO_API_KEY, startEmulator, type Emulator } from '../emulator/index.js';

let emulator: Emulator;
let customers: StripeTable;

before(async () => {
  emulator = await startEmulator();
  const client = new StripeClient({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRetries: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 5 });
  customers = new StripeTable(tableDefs.find((d) => d.name === 'Customers')!, client);
});

after(async () => {
  await emulator.close();
});

const withEmail = (email: string) => emulator.objects('customer').filter((c) => c.email === email);

test('a response lost after the create is retried with the same key: one customer, not two', async () => {
  emulator.injectFaults({ count: 1, reset: true, afterCommit: true, method: 'POST', pathPrefix: '/v1/customers' });
  const outcome = await customers.insertRows({ columns: ['Email'], rows: [['lost@x.test']] }, { idempotencyKey: 'stmt-lost' });
  assert.equal(outcome.rowsAffected, 1);
  assert.equal(withEmail('lost@x.test').length, 1);
  assert.equal(withEmail('lost@x.test')[0]!.id, outcome.lastInsertId);
});

test('re-running a statement with the same prefix replays instead of creating again', async () => {
  const statement = { columns: ['Email', 'Name'], rows: [['again1@x.test', 'A'], ['again2@x.test', 'B']] };
  const first = await customers.insertRows(statement, { idempotencyKey: 'stmt-again' });
  const second = await customers.insertRows(statement, { idempotencyKey: 'stmt-again' });
  assert.deepEqual(second.rows.map((r) => r.id), first.rows.map((r) => r.id));
  assert.equal(withEmail('again1@x.test').length, 1);
  assert.equal(withEmail('again2@x.test').length, 1);
});

test('Metadata update merges: a NULL key is removed, others kept; DELETE removes the customer', async () => {
  const created = await customers.insertRows({ columns: ['Email', 'Metadata'], rows: [['meta@x.test', '{"a":"1","b":"2"}']] }, {});
  const id = created.lastInsertId!;
  const updated = await customers.update({ rows: [{ key: { Id: id }, set: { Metadata: '{"b":null,"c":"3"}', Name: 'Meta' } }] }, {});
  assert.equal(updated.rowsAffected, 1);
  const [object] = withEmail('meta@x.test');
  assert.deepEqual(object!.metadata, { a: '1', c: '3' });
  assert.equal(object!.name, 'Meta');
  const row = updated.rows[0]!;
  assert.ok(row.ok && row.row);
  assert.equal(row.row[customers.columns.findIndex((c) => c.name === 'Metadata')], '{"a":"1","c":"3"}');

  const deleted = await customers.delete({ keys: [{ Id: id }] }, {});
  assert.equal(deleted.rowsAffected, 1);
  assert.equal(withEmail('meta@x.test').length, 0);
});
