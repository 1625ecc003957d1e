// Every error a library caller gets is one of the exported classes, and one that comes from the
// statement carries its position: refusals a table makes (a filter Stripe needs, an argument a
// procedure cannot take) become SqlErrors where the statement names the table or argument, and
// are raised before any request.

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { BatchError, ConnectionError, PartialWriteError, SqlError, StripeApiError } from '../src/index.js';
import { asStatementError } from '../src/engine/index.js';
import { ColumnValueError, TableRefusal } from '../src/engine/table.js';
import { requestLines, useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
beforeEach(() => e2e.emulator.clearLog());

const EXPORTED = [SqlError, StripeApiError, ConnectionError, PartialWriteError, BatchError];

/** The error `run` rejects with, checked to be exported (and positioned inside `sql` when a SqlError). */
async function publicError(sql: string, run: () => Promise<unknown>): Promise<Error> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof Error, `${sql}: expected an error`);
  assert.ok(EXPORTED.some((cls) => caught instanceof cls), `${sql}: ${caught.name} is not an exported error class: ${caught.message}`);
  if (caught instanceof SqlError) {
    assert.ok(caught.line >= 1 && caught.column >= 1 && caught.offset < sql.length, `${sql}: ${caught.message}`);
    assert.match(caught.excerpt, /\^$/);
  }
  return caught;
}

test('a procedure argument refused before sending is a SqlError at that argument, and nothing is sent', async () => {
  const sql = "EXEC RefundCharge @ChargeId = ''";
  const error = await publicError(sql, () => e2e.db.execute(sql));
  assert.ok(error instanceof SqlError);
  assert.match(error.reason, /RefundCharge needs ChargeId/);
  assert.equal(error.column, sql.indexOf("''") + 1);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
});

test('a read Stripe cannot make without a filter is a SqlError at the table, wherever the table is named', async () => {
  const cases: [string, string][] = [
    ['SELECT * FROM Mandates', 'Mandates'],
    ["SELECT * FROM Customers c JOIN Mandates m ON m.Id = c.Id WHERE c.Email = 'x'", 'Mandates'],
    ['SELECT * FROM Customers c WHERE EXISTS (SELECT 1 FROM UsageRecordSummaries u WHERE u.SubscriptionItemId = c.Id)', 'UsageRecordSummaries'],
    ['SELECT COUNT(*) FROM (SELECT * FROM BillingMeterEventSummaries) s', 'BillingMeterEventSummaries'],
    ['WITH s AS (SELECT * FROM AppsSecrets) SELECT * FROM s', 'AppsSecrets'],
    ["SELECT * FROM UsageRecords WHERE SubscriptionItemId = 'si_1'", 'UsageRecords'],
  ];
  for (const [sql, table] of cases) {
    for (const run of [() => e2e.db.query(sql), () => e2e.db.execute(sql), async () => { for await (const _ of e2e.db.stream(sql)); }, () => e2e.db.prepare(sql).query()]) {
      const error = await publicError(sql, run);
      assert.ok(error instanceof SqlError, sql);
      assert.match(error.reason, new RegExp(`^${table} (needs|cannot be read)`), sql);
      assert.equal(error.column, sql.indexOf(` ${table}`) + 2, sql);
    }
    assert.throws(() => e2e.db.explain(sql), (error: unknown) => error instanceof SqlError && error.column === sql.indexOf(` ${table}`) + 2, sql);
  }
  assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
});

test('writes a table has no endpoint for, and bad values, are SqlErrors before any request', async () => {
  for (const sql of [
    "DELETE FROM Charges WHERE Created > '2024-01-01'",
    "UPDATE Refunds SET Metadata = '{}' WHERE Amount > 1",
    "INSERT INTO Events (Type) VALUES ('x')",
    "UPDATE Customers SET Balance = CAST('x' AS INTEGER) WHERE Email = 'a@b.c'",
    "EXEC ExpireCheckoutSession @CheckoutSessionId = ''",
    "EXEC NoSuchProcedure @X = 1",
  ]) {
    const error = await publicError(sql, () => e2e.db.execute(sql));
    assert.ok(error instanceof SqlError, `${sql}: ${error.message}`);
  }
  const batch = await publicError('batch', () => e2e.db.executeBatch("EXEC RefundCharge @ChargeId = ?", [[''], ['']]));
  assert.ok(batch instanceof BatchError);
  for (const result of batch.results) assert.ok(!result.ok && result.error instanceof SqlError, String(!result.ok && result.error));
  assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
});

test('a refusal that reaches the statement edge unplaced becomes a SqlError at the statement start', () => {
  const sql = '  SELECT * FROM t';
  const refusal = asStatementError(new TableRefusal('t cannot be read'), sql);
  assert.ok(refusal instanceof SqlError);
  assert.deepEqual([refusal.reason, refusal.line, refusal.column], ['t cannot be read', 1, 3]);
  const value = asStatementError(new ColumnValueError('Email', 'must contain @'), sql);
  assert.ok(value instanceof SqlError);
  assert.equal(value.reason, 'Column Email: must contain @');
  const other = new StripeApiError({ message: 'no', status: 400, type: 'invalid_request_error' });
  assert.equal(asStatementError(other, sql), other);
});
