// System tables and the connection properties that shape what a connection exposes.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError, SqlError } from '../src/index.js';
import { parseConnectionString } from '../src/connection-options.js';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();

beforeEach(() => e2e.emulator.clearLog());

test('sys_tablecolumns describes CheckoutSession column by column, without any request', async () => {
  const { rows } = await e2e.db.query(
    `SELECT ColumnName, DataTypeName, Ordinal, IsKey, IsReadOnly, IsHidden FROM sys_tablecolumns WHERE TableName = 'CheckoutSession' ORDER BY Ordinal`,
  );
  assert.equal(rows.length, 69);
  assert.deepEqual(rows[0], { ColumnName: 'Id', DataTypeName: 'String', Ordinal: 1, IsKey: true, IsReadOnly: true, IsHidden: false });
  assert.deepEqual(rows[17], { ColumnName: 'Created', DataTypeName: 'Datetime', Ordinal: 18, IsKey: false, IsReadOnly: true, IsHidden: false });
  assert.deepEqual(rows[67], { ColumnName: 'RedirectOnCompletion', DataTypeName: 'String', Ordinal: 68, IsKey: false, IsReadOnly: false, IsHidden: false });
  assert.deepEqual(rows[68], { ColumnName: 'AccountId', DataTypeName: 'String', Ordinal: 69, IsKey: false, IsReadOnly: false, IsHidden: true });
  assert.equal(e2e.emulator.requestLog.length, 0);
});

test('sys_tables lists the Stripe tables; the other system tables answer', async () => {
  const tables = await e2e.db.query(`SELECT TableName, TableType FROM sys_tables WHERE TableName = 'CheckoutSession'`);
  assert.deepEqual(tables.rows, [{ TableName: 'CheckoutSession', TableType: 'TABLE' }]);
  const { rows } = await e2e.db.query(`SELECT COUNT(*) AS n FROM sys_tables`);
  assert.equal(rows[0]!.n, e2e.db.tables().length);
  for (const name of ['sys_catalogs', 'sys_schemas', 'sys_views', 'sys_keycolumns', 'sys_primarykeys', 'sys_foreignkeys', 'sys_procedures', 'sys_procedureparameters', 'sys_sqlinfo', 'sys_identity']) {
    await e2e.db.query(`SELECT * FROM ${name}`);
  }
  const keys = await e2e.db.query(`SELECT ColumnName FROM sys_primarykeys WHERE TableName = 'CheckoutSession'`);
  assert.deepEqual(keys.rows, [{ ColumnName: 'Id' }]);
  assert.deepEqual((await e2e.db.query('SELECT CatalogName, SchemaName FROM SYS_SCHEMAS')).rows, [{ CatalogName: 'Stripe', SchemaName: 'Stripe' }]);
  assert.equal(e2e.emulator.requestLog.length, 0);
});

test('sys_identity reports what the last INSERT created', async () => {
  const db = e2e.connectWith({});
  assert.deepEqual((await db.query('SELECT Id FROM sys_identity')).rows, []);
  const { lastInsertId } = await db.execute(`INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency) VALUES ('setup', 'https://x.test', 'usd')`);
  const { rows } = await db.query('SELECT Id, Operation FROM sys_identity');
  assert.deepEqual(rows, [{ Id: lastInsertId, Operation: 'INSERT' }]);
  await db.close();
});

test('sys_tables says which verbs each table takes', async () => {
  const { rows } = await e2e.db.query(
    "SELECT TableName, IsUpdateable, IsInsertable, IsUpdatable, IsDeletable FROM sys_tables WHERE TableName IN ('Customers', 'Events', 'Refunds', 'Charges') ORDER BY TableName",
  );
  assert.deepEqual(rows.map((r) => [r.TableName, r.IsUpdateable, r.IsInsertable, r.IsUpdatable, r.IsDeletable]), [
    ['Charges', true, true, true, false],
    ['Customers', true, true, true, true],
    ['Events', false, false, false, false],
    ['Refunds', true, true, false, false],
  ]);
});

test('db.tables() and db.columns() give the same metadata to programs', () => {
  const checkout = e2e.db.tables().find((t) => t.name === 'CheckoutSession');
  assert.equal(checkout?.kind, 'TABLE');
  assert.equal(checkout?.insertable, true);
  assert.equal(checkout?.updatable, false, 'Stripe cannot update a checkout session');
  assert.equal(checkout?.deletable, false);
  const columns = e2e.db.columns('checkoutsession');
  assert.equal(columns?.length, 69);
  assert.equal(columns?.find((c) => c.name === 'AccountId')?.pseudo, true);
  assert.equal(e2e.db.columns('NoSuchTable'), undefined);
});

test('Tables=… hides the tables it does not name', async () => {
  const db = e2e.connectWith(parseConnectionString('Tables=[Customers], Charges'));
  assert.ok(!db.tables().some((t) => t.name === 'CheckoutSession'));
  await assert.rejects(db.query('SELECT Id FROM CheckoutSession'), (e: unknown) => e instanceof SqlError && /CheckoutSession/.test(e.message));
  const { rows } = await db.query(`SELECT COUNT(*) AS n FROM sys_tables WHERE TableName = 'CheckoutSession'`);
  assert.equal(rows[0]!.n, 0);
  await db.close();
  assert.equal(e2e.emulator.requestLog.length, 0);
});

test('Readonly=true reads as usual and refuses INSERT before sending anything', async () => {
  const db = e2e.connectWith(parseConnectionString('Readonly=true'));
  const before = e2e.emulator.objects('checkout.session').length;
  assert.equal((await db.query('SELECT Id FROM CheckoutSession LIMIT 1')).rowCount, 1);
  e2e.emulator.clearLog();
  await assert.rejects(
    db.execute(`INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency) VALUES ('setup', 'https://x.test', 'usd')`),
    (e: unknown) => e instanceof ConnectionError && /read-only \(Readonly=true\): INSERT on CheckoutSession/.test(e.message),
  );
  assert.equal(e2e.emulator.requestLog.length, 0);
  assert.equal(e2e.emulator.objects('checkout.session').length, before);
  await db.close();
});

test('connection-string values for Readonly and Tables are checked', () => {
  assert.deepEqual(parseConnectionString('Readonly=YES;Tables=a, [b] ,;Views=v'), { readonly: true, tables: ['a', 'b'], views: ['v'] });
  // The value is not repeated: a connection string may hold the key in the wrong place.
  assert.throws(() => parseConnectionString('Readonly=perhaps'), (e: unknown) => e instanceof Error && e.message === 'Readonly must be true or false');
});

test('sys_procedures and sys_procedureparameters list the generated stored procedures', async () => {
  const { rows } = await e2e.db.query(`SELECT ProcedureName FROM sys_procedures WHERE ProcedureName IN ('ExpireCheckoutSession', 'CancelSubscription', 'AttachPaymentMethodToCustomer') ORDER BY ProcedureName`);
  assert.deepEqual(rows.map((r) => r.ProcedureName), ['AttachPaymentMethodToCustomer', 'CancelSubscription', 'ExpireCheckoutSession']);
  const params = await e2e.db.query(`SELECT ColumnName, DataTypeName, IsRequired FROM sys_procedureparameters WHERE ProcedureName = 'ExpireCheckoutSession' ORDER BY Ordinal`);
  assert.deepEqual(params.rows[0], { ColumnName: 'CheckoutSessionId', DataTypeName: 'String', IsRequired: true });
  const count = await e2e.db.query('SELECT COUNT(*) AS n FROM sys_procedures');
  assert.ok(Number(count.rows[0]!.n) >= 80);
  assert.equal(e2e.emulator.requestLog.length, 0);
});

test('sys_foreignkeys follows expandable references to their tables', async () => {
  const { rows } = await e2e.db.query(
    `SELECT ColumnName, ReferencedTableName, ReferencedColumnName FROM sys_foreignkeys WHERE TableName = 'CheckoutSession' AND ColumnName = 'CustomerId'`,
  );
  assert.deepEqual(rows, [{ ColumnName: 'CustomerId', ReferencedTableName: 'Customers', ReferencedColumnName: 'Id' }]);
  // Every referenced table exists under that name.
  const targets = await e2e.db.query('SELECT DISTINCT ReferencedTableName AS t FROM sys_foreignkeys');
  const names = new Set(e2e.db.tables().map((t) => t.name));
  assert.ok(targets.rows.length > 20);
  for (const { t } of targets.rows) assert.ok(names.has(String(t)), String(t));
  const charge = await e2e.db.query(`SELECT ReferencedTableName FROM sys_keycolumns WHERE TableName = 'Charges' AND ColumnName = 'PaymentIntentId'`);
  assert.deepEqual(charge.rows, [{ ReferencedTableName: 'PaymentIntent' }]);
});
