// What a progress display hears from a query: the requests the plan expects (only when it can
// know them before reading), and each request with the table whose scan sent it — checked
// against the emulator's own request log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();

async function heard(sql: string) {
  e2e.emulator.requestLog.length = 0;
  let expected: number | undefined | 'not called' = 'not called';
  const tables: (string | undefined)[] = [];
  await e2e.db.query(sql, undefined, {
    onPlanned: (plan) => (expected = plan.expectedRequests),
    onRequest: (table) => tables.push(table),
  });
  return { expected, tables, sent: e2e.emulator.requestLog.length };
}

test('reads by id: the plan knows the count, and each request is the scan of its table', async () => {
  const [a, b, c] = e2e.emulator.objects('customer').map((o) => String(o.id));
  const result = await heard(`SELECT Id FROM Customers WHERE Id IN ('${a}', '${b}', '${c}')`);
  assert.deepEqual(result, { expected: 3, tables: ['Customers', 'Customers', 'Customers'], sent: 3 });
});

test('a LIMIT the list honours: one page expected and sent', async () => {
  assert.deepEqual(await heard('SELECT Id FROM Charges LIMIT 5'), { expected: 1, tables: ['Charges'], sent: 1 });
});

test('a whole list: how many pages only reading tells, so no figure; every request still heard', async () => {
  const result = await heard('SELECT COUNT(*) FROM Customers');
  assert.equal(result.expected, undefined);
  assert.equal(result.tables.length, result.sent);
  assert.ok(result.sent >= 1 && result.tables.every((t) => t === 'Customers'));
});

test('a join: both tables named as they are read; a table with no figure leaves the whole unknown', async () => {
  const result = await heard('SELECT c.Id FROM Charges c JOIN Customers u ON u.Id = c.CustomerId LIMIT 3');
  assert.equal(result.expected, undefined);
  assert.equal(result.tables.length, result.sent);
  assert.deepEqual([...new Set(result.tables)].sort(), ['Charges', 'Customers']);
});

test('a statement that reads nothing remote expects 0 and hears nothing', async () => {
  assert.deepEqual(await heard('SELECT 1 AS one'), { expected: 0, tables: [], sent: 0 });
});
