// A write is checked whole while it is planned: a value of the wrong type, a value the column
// cannot take (bad JSON, a fraction for a whole number), a type no row could convert or a text
// expression into a number column (as PostgreSQL refuses it) is refused before any request —
// not even the read that selects the rows of its WHERE is sent.

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { SqlError } from '../src/index.js';
import { requestLines, useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
beforeEach(() => e2e.emulator.clearLog());

/** Asserts that `sql` is a SqlError matching `reason` at `column` and that nothing was sent. */
async function refusedBeforeAnyRequest(sql: string, reason: RegExp, column: number): Promise<void> {
  await assert.rejects(e2e.db.execute(sql), (error: unknown) => {
    assert.ok(error instanceof SqlError, String(error));
    assert.match(error.reason, reason);
    assert.equal(error.column, column, error.message);
    return true;
  }, sql);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [], sql);
}

test('a constant of the wrong type is refused before the WHERE is read', async () => {
  await refusedBeforeAnyRequest(`UPDATE Customers SET Balance = 'x' WHERE Email = 'a@b.c'`, /^'x' is not a valid Integer \(column Balance\)$/, 32);
  await refusedBeforeAnyRequest(`UPDATE Customers SET Description = 'ok', Balance = 1.5 WHERE Email = 'a@b.c'`, /^1\.5 is not a valid Integer \(column Balance\)$/, 52);
  await refusedBeforeAnyRequest(`UPDATE Customers SET Balance = 'x' WHERE Id = 'cus_1'`, /^'x' is not a valid Integer \(column Balance\)$/, 32);
});

test('a constant the table cannot take is refused before the WHERE is read', async () => {
  await refusedBeforeAnyRequest(`UPDATE Customers SET Metadata = '{oops' WHERE Email = 'a@b.c'`, /Metadata must be a JSON object/, 22);
  await refusedBeforeAnyRequest(`UPDATE Customers SET PreferredLocales = '[not json' WHERE Email LIKE 'a%'`, /PreferredLocales is not valid JSON/, 22);
  await refusedBeforeAnyRequest(`UPDATE Customers SET Balance = 1 + 0.5 WHERE Email = 'a@b.c'`, /is not a valid Integer \(column Balance\)/, 32);
});

test('an expression no row could store in the column is refused before the WHERE is read', async () => {
  await refusedBeforeAnyRequest(`UPDATE Customers SET Balance = Created WHERE Email = 'a@b.c'`, /^A Datetime value cannot be stored in Balance \(Integer\)$/, 32);
  await refusedBeforeAnyRequest(`UPDATE Customers SET Livemode = Created WHERE Email = 'a@b.c'`, /Livemode/, 22);
});

test('a text expression into a number column is refused before any request, as PostgreSQL refuses it (42804)', async () => {
  const textInto = /^column "Balance" is of type integer but expression is of type text$/;
  const at = (sql: string, text: string): [string, RegExp, number] => [sql, textInto, sql.indexOf(text) + 1];
  for (const [sql, reason, column] of [
    at(`UPDATE Customers SET Balance = Description WHERE Email = 'a@b.c'`, 'Description'),
    at(`UPDATE Customers SET Balance = '7' || '' WHERE Id = 'cus_1'`, "'7' ||"),
    at(`INSERT INTO Customers (Email, Balance) VALUES ('a@b.c', UPPER('7'))`, 'UPPER'),
    at(`INSERT INTO Customers (Email, Balance) SELECT 'copy@x.test', Description FROM Customers`, 'Description'),
  ]) {
    await refusedBeforeAnyRequest(sql, reason, column);
  }
});

test('a text expression into a boolean column is refused before any request too (42804), where the SELECT was read first', async () => {
  const sql = 'INSERT INTO Products (Name, Active) SELECT Name, Description FROM Products';
  await refusedBeforeAnyRequest(sql, /^column "Active" is of type boolean but expression is of type text$/, sql.indexOf('Description') + 1);
  const update = `UPDATE Products SET Active = Description WHERE Name = 'x'`;
  await refusedBeforeAnyRequest(update, /^column "Active" is of type boolean but expression is of type text$/, update.indexOf('Description') + 1);
});

test('text cast to the column type converts row by row: read, then written', async () => {
  const { lastInsertId } = await e2e.db.execute(`INSERT INTO Customers (Email, Description) VALUES ('preflight@x.test', '7')`);
  e2e.emulator.clearLog();
  const result = await e2e.db.execute(`UPDATE Customers SET Balance = CAST(Description AS INTEGER) WHERE Email = 'preflight@x.test'`);
  assert.equal(result.rowsAffected, 1);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), ['GET /v1/customers?email=preflight%40x.test&limit=100', `POST /v1/customers/${lastInsertId}`]);
  assert.equal(e2e.emulator.requestLog[1]!.body, 'balance=7');
});

test('INSERT … SELECT is checked whole before the query reads anything', async () => {
  await refusedBeforeAnyRequest(`INSERT INTO Customers (Email, Balance) SELECT Email, 'x' FROM Customers LIMIT 2`, /^'x' is not a valid Integer \(column Balance\)$/, 54);
  await refusedBeforeAnyRequest(`INSERT INTO Customers (Email, Balance) SELECT Email, Created FROM Customers`, /^A Datetime value cannot be stored in Balance \(Integer\)$/, 54);
  await refusedBeforeAnyRequest(`INSERT INTO Customers (Id, Email) SELECT Id, Email FROM Customers`, /^Column Id is read-only and cannot be inserted$/, 24);
  await refusedBeforeAnyRequest(`INSERT INTO Charges (Amount) SELECT Balance FROM Customers`, /^Currency is required to create a Charges$/, 13);
  await refusedBeforeAnyRequest(`INSERT INTO Charges (Amount, Currency) SELECT Balance, 'usd' FROM Customers`, /one of CustomerId or Source is required to create a Charges$/, 13);
  await refusedBeforeAnyRequest(`INSERT INTO Events (Type) SELECT Email FROM Customers`, /^Events does not support INSERT/, 13);
  await refusedBeforeAnyRequest(`INSERT INTO Customers (Email) SELECT Email, Name FROM Customers`, /^The query returns 2 columns but 1 is listed$/, 31);
});

test('INSERT … SELECT of text cast to the column type reads, then writes each row', async () => {
  const { lastInsertId } = await e2e.db.execute(`INSERT INTO Customers (Email, Description) VALUES ('preflight-select@x.test', '5')`);
  e2e.emulator.clearLog();
  const result = await e2e.db.execute(`INSERT INTO Customers (Email, Balance) SELECT 'copy@x.test', Description::int FROM Customers WHERE Id = '${lastInsertId}'`);
  assert.equal(result.rowsAffected, 1);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET /v1/customers/${lastInsertId}`, 'POST /v1/customers']);
  assert.equal(e2e.emulator.requestLog[1]!.body, 'email=copy%40x.test&balance=5');
  // Text that does not spell a number fails its row before anything is written.
  e2e.emulator.clearLog();
  await assert.rejects(e2e.db.execute(`INSERT INTO Customers (Email, Balance) SELECT 'copy@x.test', Email::int FROM Customers WHERE Id = '${lastInsertId}'`), /Invalid input syntax for type INT/);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET /v1/customers/${lastInsertId}`]);
});

test('UPDATE and DELETE the table refuses send nothing, not even the read of their WHERE', async () => {
  await refusedBeforeAnyRequest(`DELETE FROM Charges WHERE Email = 'a@b.c'`, /^Charges does not support DELETE/, 13);
  await refusedBeforeAnyRequest(`UPDATE Customers SET Created = Created WHERE Email = 'a@b.c'`, /Created is read-only/, 22);
  await refusedBeforeAnyRequest(`UPDATE Customers SET Nope = 1 WHERE Email = 'a@b.c'`, /^Unknown column Nope in Customers/, 22);
});
