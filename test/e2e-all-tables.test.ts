// Done means #1 of "All of Stripe as tables": every table answers `SELECT * FROM t LIMIT 5`
// against the emulator. Generated from the catalog: one test per table definition, so a new
// table is walked without touching this file.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { tableDefs, type TableDef } from '../src/catalog/index.js';
import { SqlError } from '../src/sql/errors.js';
import { useEmulator, requestLines, type E2E } from './e2e-helpers.js';

const e2e = useEmulator();

type Where = (e2e: E2E) => Promise<string>;

const quote = (value: unknown): string => `'${String(value).replace(/'/g, "''")}'`;

/** The id of the newest seeded object of a type: for what no table lists. */
const newestId = (e2e: E2E, type: string, matches: (o: Record<string, unknown>) => boolean = () => true): string => {
  const found = e2e.emulator.objects(type).find(matches);
  assert.ok(found, `the emulator seeds a ${type}`);
  return String(found.id);
};

const firstValue = async (e2e: E2E, sql: string): Promise<unknown> => {
  const result = await e2e.db.query(sql);
  assert.equal(result.rowCount, 1, sql);
  return Object.values(result.rows[0] as Record<string, unknown>)[0];
};

/**
 * What a table needs in WHERE before Stripe will answer: the id of a read-only-by-id object,
 * or the list's required parameters. Taken through SQL where a table lists them.
 */
const REQUIRED_WHERE: Record<string, Where> = {
  AppsSecrets: async () => `ScopeType = 'account'`,
  BankAccountTokens: async (e) => `Id = ${quote(newestId(e, 'token', (o) => o.type === 'bank_account'))}`,
  CardTokens: async (e) => `Id = ${quote(newestId(e, 'token', (o) => o.type === 'card'))}`,
  ConfirmationTokens: async (e) => `Id = ${quote(newestId(e, 'confirmation_token'))}`,
  IssuingSettlements: async (e) => `Id = ${quote(newestId(e, 'issuing.settlement'))}`,
  Mandates: async (e) => `Id = ${quote(newestId(e, 'mandate'))}`,
  Sources: async (e) => `Id = ${quote(newestId(e, 'source'))}`,
  TaxTransactions: async (e) => `Id = ${quote(newestId(e, 'tax.transaction'))}`,
  // Summaries are per day from 2024-03-01 (seed-walkable.ts); the window covers March.
  BillingMeterEventSummaries: async (e) =>
    `CustomerId = ${quote(await firstValue(e, 'SELECT Id FROM Customers LIMIT 1'))} AND StartTime = '2024-03-01' AND EndTime = '2024-04-01'`,
  FinancialConnectionsAccountOwners: async (e) =>
    `Ownership = ${quote(await firstValue(e, 'SELECT OwnershipId FROM FinancialConnectionsAccounts WHERE OwnershipId IS NOT NULL LIMIT 1'))}`,
  SourceTransactions: async (e) => `SourceId = ${quote(newestId(e, 'source'))}`,
  // Tax calculations are only created in Stripe: no table lists them.
  TaxCalculationLineItems: async (e) => `TaxCalculationId = ${quote(newestId(e, 'tax.calculation'))}`,
  TaxTransactionLineItems: async (e) => `TaxTransactionId = ${quote(newestId(e, 'tax.transaction'))}`,
  // The seed puts summaries under the newest subscription item.
  UsageRecordSummaries: async (e) =>
    `SubscriptionItemId = ${quote(await firstValue(e, 'SELECT Id FROM SubscriptionItems ORDER BY Created DESC, Id DESC LIMIT 1'))}`,
};

/** Tables Stripe cannot read at all: the query must fail before any request. */
const UNREADABLE: Record<string, { where: Where; error: RegExp }> = {
  // Stripe only creates usage records; their totals are UsageRecordSummaries.
  UsageRecords: {
    where: async (e) => `SubscriptionItemId = ${quote(newestId(e, 'subscription_item'))}`,
    error: /^UsageRecords cannot be read: Stripe only creates them/,
  },
};

/** Every path the table documents for reading, as a pattern over the logged request path. */
function documentedPaths(def: TableDef): RegExp[] {
  const templates = [def.paths.list, def.paths.retrieve, def.singleton?.path, def.parent?.listPath];
  for (const column of def.columns) if (column.expand?.morePath) templates.push(column.expand.morePath.split('?')[0]);
  return templates
    .filter((template): template is string => template !== undefined)
    .map((template) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`));
}

test('the walk covers the whole catalog, and every exception names a real table', () => {
  assert.ok(tableDefs.length >= 119, `${tableDefs.length} tables`);
  const names = new Set(tableDefs.map((def) => def.name));
  for (const name of [...Object.keys(REQUIRED_WHERE), ...Object.keys(UNREADABLE)]) assert.ok(names.has(name), name);
});

describe('SELECT * FROM <table> LIMIT 5 against the emulator', () => {
  before(() => assert.ok(e2e.emulator, 'emulator started'));

  for (const def of tableDefs) {
    const unreadable = UNREADABLE[def.name];
    if (unreadable) {
      test(`${def.name}: refused with a clear error, no request sent`, async () => {
        for (const where of ['', ` WHERE ${await unreadable.where(e2e)}`]) {
          e2e.emulator.clearLog();
          await assert.rejects(e2e.db.query(`SELECT * FROM [${def.name}]${where} LIMIT 5`), (error: unknown) => {
            assert.ok(error instanceof SqlError, String(error));
            assert.match(error.message, where ? unreadable.error : new RegExp(`^${def.name} needs SubscriptionItemId = `));
            return true;
          });
          assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
        }
      });
      continue;
    }

    test(`${def.name}: answers with rows, its columns, from its documented paths`, async () => {
      const required = REQUIRED_WHERE[def.name];
      const where = required ? ` WHERE ${await required(e2e)}` : '';
      e2e.emulator.clearLog();
      const result = await e2e.db.query(`SELECT * FROM [${def.name}]${where} LIMIT 5`);

      assert.ok(result.rowCount >= 1 && result.rowCount <= 5, `${def.name}: ${result.rowCount} rows`);
      assert.equal(result.rows.length, result.rowCount);
      const expected = def.columns.filter((column) => !column.pseudo).map((column) => column.name);
      assert.deepEqual(result.columns.map((column) => column.name), expected);
      for (const row of result.rows) assert.deepEqual(Object.keys(row as object), expected);

      const log = e2e.emulator.requestLog;
      assert.ok(log.length >= 1, 'at least one request');
      const paths = documentedPaths(def);
      for (const request of log) {
        assert.equal(request.method, 'GET', requestLines([request])[0]);
        assert.equal(request.status, 200, requestLines([request])[0]);
        assert.ok(paths.some((path) => path.test(request.path)), `${requestLines([request])[0]} is not one of ${def.name}'s paths`);
      }
    });
  }
});
