// db.explain(sql, { format: 'json' }): the plan tree as data, for tools; no request is made.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonPlanNode } from '../src/index.js';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();

function scans(node: JsonPlanNode): JsonPlanNode[] {
  return [...(node.node === 'Scan' ? [node] : []), ...(node.inputs ?? []).flatMap(scans)];
}

test('explain as JSON shows what each Stripe table was offered and took, and sends nothing', () => {
  const before = e2e.emulator.requestLog.length;
  const plan = e2e.db.explain("SELECT Id, AmountTotal FROM CheckoutSession WHERE CustomerId = 'cus_1' AND AmountTotal > 5000 ORDER BY Created DESC", { format: 'json' });
  assert.equal(e2e.emulator.requestLog.length, before);
  const [scan] = scans(plan);
  assert.equal(scan!.table, 'CheckoutSession');
  assert.deepEqual(scan!.pushed, ["CustomerId = 'cus_1'"]);
  assert.deepEqual(scan!.residual, ['AmountTotal > 5000']);
  assert.equal(scan!.orderSatisfied, true);
  // The text form is the same plan printed.
  const text = e2e.db.explain("SELECT Id, AmountTotal FROM CheckoutSession WHERE CustomerId = 'cus_1' AND AmountTotal > 5000 ORDER BY Created DESC");
  assert.ok(text.includes('Filter AmountTotal > 5000'), text.join('\n'));
  assert.ok(!text.some((l) => l.startsWith('Sort')), text.join('\n'));
});

test('explain with parameters and a JSON format: both arguments', () => {
  const plan = e2e.db.explain('SELECT Id FROM Customers WHERE Email = ?', ['a@example.com'], { format: 'json' });
  assert.deepEqual(scans(plan)[0]!.pushed, ["Email = 'a@example.com'"]);
  const lines = e2e.db.explain('SELECT Id FROM Customers WHERE Email = ?', ['a@example.com']);
  assert.ok(Array.isArray(lines) && lines[0] === 'Scan Customers', String(lines));
});
