// A stored procedure against the local Stripe emulator, through the catalog and the real
// StripeClient: the request is one Stripe accepts and the result row is the changed object.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createStripeCatalog, StripeWriteError } from '../src/catalog/index.js';
import type { Catalog } from '../src/engine/table.js';
import { StripeClient } from '../src/stripe/index.js';
import { DEMO_API_KEY, startEmulator, type Emulator } from '../emulator/index.js';

let emulator: Emulator;
let catalog: Catalog;

before(async () => {
  emulator = await startEmulator();
  catalog = createStripeCatalog(new StripeClient({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRetries: 0 }));
});

after(async () => {
  await emulator.close();
});

test('EXEC ExpireCheckoutSession expires the session and returns it as a row', async () => {
  const created = await catalog.getTable('CheckoutSession')!.insert!({
    columns: ['Mode', 'SuccessUrl', 'LineItemsAggregate'],
    rows: [['payment', 'https://x.test/ok', '[{"price_data":{"currency":"usd","unit_amount":100,"product_data":{"name":"T"}},"quantity":1}]']],
  }, {});
  const result = await catalog.callProcedure!('ExpireCheckoutSession', { CheckoutSessionId: created.lastInsertId! }, { idempotencyKey: 'exec-expire' });
  const column = (name: string) => result.columns.findIndex((c) => c.name === name);
  assert.equal(result.rows.length, 1);
  assert.equal(result.rows[0]![column('Success')], true);
  assert.equal(result.rows[0]![column('Id')], created.lastInsertId);
  assert.equal(result.rows[0]![column('Status')], 'expired');
});

test('an unknown id comes back as Stripe\'s error, named by the procedure', async () => {
  await assert.rejects(catalog.callProcedure!('ExpireCheckoutSession', { CheckoutSessionId: 'cs_nope' }, {}),
    (e: unknown) => e instanceof StripeWriteError && e.status === 404 && e.message === "ExpireCheckoutSession: No such checkout.session: 'cs_nope'");
});
