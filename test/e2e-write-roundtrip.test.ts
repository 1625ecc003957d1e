// Generated round-trip over every writable table, through SQL against the emulator:
//   INSERT with the table's required create columns → SELECT it back by Id →
//   UPDATE a writable column → DELETE where allowed.
// One describe per table, generated from the catalog, so a new writable table is walked (or
// fails here) without touching this file. A table that cannot take part says why in
// KNOWN_UNCREATABLE (nothing here can create it) or KNOWN_BUGS (src/ or emulator/ is wrong, or
// Stripe has no endpoint for the step), and
// the test asserts that exact failure: no table is ever skipped silently.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tableDefs, type ColumnDef, type TableDef } from '../src/catalog/index.js';
import { writeRules } from '../src/catalog/write-rules.js';
import type { SqlValue } from '../src/engine/table.js';
import { useEmulator, requestLines } from './e2e-helpers.js';
import { requiredColumns } from './support/write-columns.js';

const e2e = useEmulator();

const creatable = tableDefs.filter((def) => def.paths.create && def.kind !== 'view');
const byName = new Map(tableDefs.map((def) => [def.name, def]));
const canUpdate = (def: TableDef): boolean => Boolean(def.paths.update && !writeRules[def.name]?.noUpdate);
const canDelete = (def: TableDef): boolean => Boolean(def.paths.delete && !writeRules[def.name]?.noDelete);

// ---------------------------------------------------------------------------------------------
// Tables outside the round trip (or a step of it), each with the error it fails with today.

type Step = 'insert' | 'select' | 'update' | 'delete' | 'deleted';

interface KnownFailure {
  reason: string;
  /** The message the failing statement (or the step's assertion) ends with today. */
  error: RegExp;
}

/** Nothing a SQL INSERT can send creates these against the emulator: only the INSERT is run, and it must fail so. */
const KNOWN_UNCREATABLE: Record<string, KnownFailure> = {
  Files: {
    reason: 'no column takes a value on create: Stripe uploads files as multipart/form-data to files.stripe.com, which a form-encoded INSERT cannot send',
    error: /Column Purpose is read-only and cannot be inserted/,
  },
};

/**
 * Steps a table cannot take: a bug in src/ or emulator/, or something Stripe itself does not
 * offer (UsageRecords cannot be read back). The step asserts
 * today's failure so this file stays green and the bug stays visible; when the bug is fixed
 * the step fails, and its entry should go. A failed INSERT ends the table's round trip.
 */
const KNOWN_BUGS: Record<string, KnownFailure & { step: Step }> = {
  UsageRecords: {
    step: 'select',
    reason: 'not a bug: Stripe has no endpoint that reads a usage record back (only per-item summaries), so the table refuses SELECT',
    error: /UsageRecords cannot be read: Stripe only creates them/,
  },
};

// ---------------------------------------------------------------------------------------------
// Values for the create columns: a generic guess from the column definition, and per-table
// overrides where the guess is refused (enums the catalog does not know, required nested
// parameters — insert.required only lists top-level ones —, JSON that has to mean something).

/** A price the reference page names; the emulator seeds it. */
const PRICE = 'price_1OPuMb2eZvKYlo2CVkxTmqYN';
const FIXED_TIME = new Date('2030-01-01T00:00:00.000Z');
/** Plain text columns most objects have: what an INSERT with nothing required and an UPDATE set. */
const PREFERRED = ['Description', 'Name', 'DisplayName', 'Nickname'];

/** The oldest object of a Stripe type: always the seed's, never one this file made or deleted. */
function seeded(type: string): string {
  const found = e2e.emulator.objects(type).at(-1);
  assert.ok(found, `the emulator seeds a ${type}`);
  return String(found.id);
}

function seededRecurringPrice(): string {
  const found = e2e.emulator.objects('price').filter((price) => price.type === 'recurring' && price.active === true).at(-1);
  assert.ok(found, 'the emulator seeds a recurring price');
  return String(found.id);
}

type Value = SqlValue | (() => SqlValue);

const OVERRIDES: Record<string, Record<string, Value>> = {
  // scope is required (scope[type], nested).
  AppsSecrets: { ScopeType: 'account' },
  // default_aggregation[formula] is required (nested).
  BillingMeters: { DefaultAggregationFormula: 'sum' },
  // business_profile and features are required objects, both flattened into columns.
  BillingPortalConfigurations: { BusinessProfileHeadline: 'Round trip', FeaturesInvoiceHistory: '{"enabled":true}' },
  // billing[address] is required (nested).
  Cardholders: { BillingAddress: '{"line1":"1 Main St","city":"San Francisco","state":"CA","postal_code":"94111","country":"US"}' },
  CheckoutSession: { Mode: 'payment', LineItemsAggregate: `[{"price":"${PRICE}","quantity":1}]` },
  ForwardingRequests: { PaymentMethod: () => seeded('payment_method'), Replacements: '["card_number"]' },
  PaymentLinks: { LineItemsAggregate: `[{"price":"${PRICE}","quantity":1}]` },
  // Stripe also wants the product and the amount of a per-unit plan.
  Plans: { Interval: 'month', Amount: 1500, ProductId: () => seeded('product') },
  // The emulator's hand-written prices want an amount (as Stripe does for per_unit prices).
  Prices: { UnitAmount: 1500 },
  // Coupon is a json column (the response embeds the coupon), so the id goes in as a JSON string.
  PromotionCodes: { Coupon: () => JSON.stringify(seeded('coupon')) },
  // A subscription item takes a recurring price (the documented one is one-time).
  Subscriptions: { ItemsAggregate: () => JSON.stringify([{ price: seededRecurringPrice() }]) },
  // A new item of a subscription names its recurring price too (Price is the embedded price: the id goes in as JSON).
  SubscriptionItems: { Price: () => JSON.stringify(seededRecurringPrice()) },
  // Stripe bills a customer: an invoice names one, an invoice item says how much.
  Invoices: { CustomerId: () => seeded('customer') },
  InvoiceItems: { Amount: 1500, Currency: 'usd' },
  // A direct charge is paid with something: Stripe's test token for a Visa card.
  Charges: { Source: 'tok_visa' },
  // A value of the shape its type takes.
  TaxIds: { Type: 'eu_vat', Value: 'DE123456789' },
  CustomerTaxIds: { Type: 'eu_vat', Value: 'DE123456789' },
  TaxRegistrations: { CountryOptions: '{"us":{"state":"CA","type":"state_sales_tax"}}' },
  // address is required (nested).
  TerminalLocations: { AddressLine1: '1 Main St', AddressCity: 'San Francisco', AddressState: 'CA', AddressPostalCode: '94111', AddressCountry: 'US' },
  TreasuryFinancialAccounts: { SupportedCurrencies: '["usd"]' },
  // The parent has no table (subscription items are listed per subscription).
  UsageRecords: { SubscriptionItemId: () => seeded('subscription_item') },
  WebhookEndpoints: { EnabledEvents: '["charge.succeeded"]' },
  // For the tables KNOWN_UNCREATABLE lists: the INSERT that comes closest to what Stripe takes.
  BankAccountTokens: { BankAccount: '{"country":"US","currency":"usd","account_number":"000123456789","routing_number":"110000000"}' },
  CardTokens: { Card: '{"number":"4242424242424242","exp_month":"12","exp_year":"2030","cvc":"123"}' },
  Files: { Purpose: 'dispute_evidence' },
};

function column(def: TableDef, name: string): ColumnDef {
  const found = def.columns.find((c) => c.name === name);
  assert.ok(found, `${def.name}.${name}`);
  return found;
}

/** The parent object a child row is created under: the first of the parent table's type. */
function parentId(def: TableDef): string {
  const table = def.parent?.table ? byName.get(def.parent.table) : undefined;
  assert.ok(table, `${def.name}: the parent needs an override`);
  return seeded(table.resource);
}

/** A value Stripe takes for the column, guessed from its definition alone. */
function guess(def: TableDef, c: ColumnDef): SqlValue {
  if (c.encoding === 'parent') return parentId(def);
  if (c.references) return seeded(byName.get(c.references)!.resource);
  const allowed = def.filters.find((f) => f.column === c.name)?.enum;
  if (allowed) return allowed[0]!;
  if (c.name === 'Currency') return 'usd';
  if (c.name === 'Country') return 'US';
  if (c.name.endsWith('Url')) return 'https://example.com/roundtrip';
  if (c.encoding === 'json') return c.jsonShape === 'array' ? '["roundtrip"]' : '{"roundtrip":"created"}';
  switch (c.type) {
    case 'Boolean': return true;
    case 'Integer': case 'Long': return 1500;
    case 'Decimal': case 'Double': return 7.25;
    case 'Datetime': return FIXED_TIME;
    default: return `rt_${def.name}_${c.name}`;
  }
}

/** Column → value of the INSERT: required columns and overrides; when that is nothing, Metadata or a name. */
function createValues(def: TableDef): Record<string, SqlValue> {
  const overrides = OVERRIDES[def.name] ?? {};
  const names = [...new Set([...requiredColumns(def), ...Object.keys(overrides)])];
  if (names.length === 0) {
    const optional = def.columns.find((c) => c.name === 'Metadata' && c.createParam) ?? def.columns.find((c) => PREFERRED.includes(c.name) && c.createParam);
    if (optional) names.push(optional.name);
  }
  const values: Record<string, SqlValue> = {};
  for (const name of names) {
    const given = overrides[name];
    values[name] = given === undefined ? guess(def, column(def, name)) : typeof given === 'function' ? given() : given;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// The SQL of each step.

interface Created {
  id: string;
  /** Columns the WHERE of later steps names: Id, the parent, required list filters. */
  where: Record<string, SqlValue>;
}

function insert(def: TableDef, values: Record<string, SqlValue>) {
  const names = Object.keys(values);
  return e2e.db.query(
    `INSERT INTO ${def.name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) RETURNING Id`,
    Object.values(values),
  );
}

/** Id, plus what the path or the list needs: the parent id, the list's required filters. */
function whereOf(def: TableDef, id: string, values: Record<string, SqlValue>): Record<string, SqlValue> {
  const where: Record<string, SqlValue> = { Id: id };
  for (const [name, value] of Object.entries(values)) {
    const needed = def.parent?.column === name || def.filters.some((f) => f.column === name && f.required);
    if (needed) where[name] = value;
  }
  return where;
}

function whereSql(created: Created): { sql: string; params: SqlValue[] } {
  const names = Object.keys(created.where);
  return { sql: names.map((n) => `${n} = ?`).join(' AND '), params: Object.values(created.where) };
}

/** `path` with `{id}` and `{parent}` filled in from the created row. */
function fill(def: TableDef, path: string, created: Created): string {
  const parent = def.parent ? created.where[def.parent.column] : undefined;
  return path.replace('{id}', created.id).replace('{parent}', String(parent));
}

function lastLine(): string {
  return requestLines(e2e.emulator.requestLog).at(-1) ?? '(no request)';
}

// ---------------------------------------------------------------------------------------------
// The UPDATE.

const UPDATED_TEXT = 'roundtrip-updated';
const UPDATED_TIME = new Date('2031-01-01T00:00:00.000Z');

interface UpdateTarget {
  column: ColumnDef;
  value: SqlValue;
  /** The form body Stripe must receive. */
  body: string;
  /** Whether the value read back is the one set. */
  reflects(read: unknown): boolean;
}

/**
 * What the UPDATE sets: a familiar plain String column, else the metadata, else any plain
 * String, Boolean or Datetime column the update takes (payment method domains only take
 * `enabled`, tax registrations only dates).
 */
function updateTarget(def: TableDef): UpdateTarget | undefined {
  const settable = def.columns.filter((c) => c.updateParam !== undefined && !c.key && c.encoding !== 'parent');
  const plainString = (c: ColumnDef) => c.encoding === 'scalar' && c.type === 'String' && !def.filters.some((f) => f.column === c.name && f.enum);
  const text = settable.find((c) => PREFERRED.includes(c.name) && plainString(c));
  const metadata = settable.find((c) => c.name === 'Metadata' && c.encoding === 'json');
  const chosen = text ?? metadata ?? settable.find(plainString) ?? settable.find((c) => c.type === 'Boolean' || c.type === 'Datetime');
  if (!chosen) return undefined;
  const param = chosen.updateParam!;
  if (chosen === metadata && !text) {
    return { column: chosen, value: '{"roundtrip":"updated"}', body: `${param}[roundtrip]=updated`, reflects: (read) => JSON.parse(String(read)).roundtrip === 'updated' };
  }
  if (chosen.type === 'Boolean') {
    return { column: chosen, value: false, body: `${param}=false`, reflects: (read) => read === false };
  }
  if (chosen.type === 'Datetime') {
    return {
      column: chosen,
      value: UPDATED_TIME,
      body: `${param}=${UPDATED_TIME.getTime() / 1000}`,
      reflects: (read) => read instanceof Date && read.getTime() === UPDATED_TIME.getTime(),
    };
  }
  return { column: chosen, value: UPDATED_TEXT, body: `${param}=${UPDATED_TEXT}`, reflects: (read) => read === UPDATED_TEXT };
}

/** Tables whose DELETE cancels rather than deletes in Stripe: the object stays, with this Status. */
const DELETE_CANCELS: Record<string, string> = { Subscriptions: 'canceled' };

// ---------------------------------------------------------------------------------------------
// The steps of one table's round trip, each registered as a test. A step listed in KNOWN_BUGS
// must fail with the known error instead; `covered` records which tables got through which step,
// and the last test checks the totals.

const covered: Record<Step | 'known', Set<string>> = {
  insert: new Set(), select: new Set(), update: new Set(), delete: new Set(), deleted: new Set(), known: new Set(),
};

function step(def: TableDef, name: Step, title: string, run: () => Promise<void>): void {
  const bug = KNOWN_BUGS[def.name];
  if (bug?.step === name) {
    test(`${title} — KNOWN BUG: ${bug.reason}`, async () => {
      await assert.rejects(run(), (error: unknown) => {
        assert.match(String((error as Error).message), bug.error);
        return true;
      });
      covered.known.add(def.name);
    });
    return;
  }
  test(title, async () => {
    await run();
    covered[name].add(def.name);
  });
}

function roundTrip(def: TableDef): void {
  let created: Created | undefined;
  const row = (): Created => {
    assert.ok(created, `${def.name}: the INSERT created no row`);
    return created;
  };

  step(def, 'insert', 'INSERT with the required columns … RETURNING Id', async () => {
    const values = createValues(def);
    e2e.emulator.clearLog();
    const result = await insert(def, values);
    assert.equal(result.rowsAffected, 1);
    const id = String(result.rows[0]?.Id);
    created = { id, where: whereOf(def, id, values) };
    assert.equal(lastLine(), `POST ${fill(def, def.paths.create!, created)}`);
    assert.match(id, /^[a-z]\w*_\w+$/);
    if (result.lastInsertId !== undefined && result.lastInsertId !== null) assert.equal(result.lastInsertId, id);
  });
  if (KNOWN_BUGS[def.name]?.step === 'insert') return;

  step(def, 'select', 'SELECT * … WHERE Id = the new id → that one row', async () => {
    const where = whereSql(row());
    e2e.emulator.clearLog();
    const { rows } = await e2e.db.query(`SELECT * FROM ${def.name} WHERE ${where.sql}`, where.params);
    assert.equal(rows.length, 1, `${def.name}: SELECT by Id found ${rows.length} rows`);
    assert.equal(rows[0]!.Id, row().id);
    // One GET by id when the table retrieves by Id; a child named in its path
    // (/v1/customers/{customer}/tax_ids/{id}) reads its parent's list instead.
    const retrieves = def.filters.some((f) => f.column === 'Id' && f.kind === 'retrieve');
    const read = `GET ${fill(def, retrieves ? def.paths.retrieve! : def.paths.list!, row())}`;
    const lines = requestLines(e2e.emulator.requestLog);
    if (retrieves) assert.deepEqual(lines.map((line) => line.split('?')[0]), [read]);
    else assert.ok(lines.some((line) => line === read || line.startsWith(`${read}?`)), `${read} in ${lines.join(', ')}`);
  });

  if (canUpdate(def)) {
    const target = updateTarget(def);
    step(def, 'update', `UPDATE … SET ${target?.column.name ?? '(nothing)'} → POST the update path, then read back`, async () => {
      assert.ok(target, `${def.name}: no column the update takes (updateTarget needs a new case)`);
      const where = whereSql(row());
      e2e.emulator.clearLog();
      const result = await e2e.db.query(`UPDATE ${def.name} SET ${target.column.name} = ? WHERE ${where.sql}`, [target.value, ...where.params]);
      assert.equal(result.rowsAffected, 1);
      const request = e2e.emulator.requestLog.at(-1)!;
      assert.equal(lastLine(), `POST ${fill(def, def.paths.update!, row())}`);
      assert.equal(request.body, target.body);
      assert.equal(request.status, 200);
      const { rows } = await e2e.db.query(`SELECT ${target.column.name} FROM ${def.name} WHERE ${where.sql}`, where.params);
      const read = rows[0]?.[target.column.name];
      assert.ok(target.reflects(read), `${def.name}.${target.column.name} read back as ${String(read)}`);
    });
  }

  if (canDelete(def)) {
    step(def, 'delete', 'DELETE … WHERE Id = the new id → DELETE the path', async () => {
      const where = whereSql(row());
      e2e.emulator.clearLog();
      const result = await e2e.db.query(`DELETE FROM ${def.name} WHERE ${where.sql}`, where.params);
      assert.equal(result.rowsAffected, 1);
      assert.equal(lastLine(), `DELETE ${fill(def, def.paths.delete!, row())}`);
      assert.equal(e2e.emulator.requestLog.at(-1)!.status, 200);
    });
    const cancels = DELETE_CANCELS[def.name];
    const after = cancels ? `the SELECT by Id finds it ${cancels}` : 'the SELECT by Id finds nothing';
    step(def, 'deleted', `after the DELETE, ${after}`, async () => {
      const where = whereSql(row());
      const { rows } = await e2e.db.query(`SELECT * FROM ${def.name} WHERE ${where.sql}`, where.params);
      assert.equal(rows.length, cancels ? 1 : 0, `${def.name}: SELECT after DELETE found ${rows.length} rows`);
      if (cancels) assert.equal(rows[0]!.Status, cancels);
    });
  }
}

/** A table no INSERT can create here: the INSERT fails with the known error. */
function uncreatable(def: TableDef, known: KnownFailure): void {
  test(`INSERT fails as known — UNCREATABLE: ${known.reason}`, async () => {
    await assert.rejects(insert(def, createValues(def)), (error: unknown) => {
      assert.match(String((error as Error).message), known.error);
      return true;
    });
    covered.known.add(def.name);
  });
}

for (const def of creatable) {
  describe(def.name, () => {
    const known = KNOWN_UNCREATABLE[def.name];
    if (known) uncreatable(def, known);
    else roundTrip(def);
  });
}

// ---------------------------------------------------------------------------------------------

test('every writable table was walked: the totals per step', () => {
  const names = creatable.map((def) => def.name);
  const knownNames = [...Object.keys(KNOWN_UNCREATABLE), ...Object.keys(KNOWN_BUGS)];
  for (const name of knownNames) assert.ok(names.includes(name), `${name} is not a creatable table`);
  assert.deepEqual([...covered.known].sort(), [...new Set(knownNames)].sort());

  // Each step covers every table it applies to, but for the known failures of that step.
  const failing = (s: Step) => (def: TableDef) => KNOWN_BUGS[def.name]?.step !== s;
  const inserted = creatable.filter((def) => !KNOWN_UNCREATABLE[def.name] && failing('insert')(def));
  const expected: Record<Step, TableDef[]> = {
    insert: inserted,
    select: inserted.filter(failing('select')),
    update: inserted.filter(canUpdate).filter(failing('update')),
    delete: inserted.filter(canDelete).filter(failing('delete')),
    deleted: inserted.filter(canDelete).filter(failing('deleted')),
  };
  for (const s of Object.keys(expected) as Step[]) {
    assert.deepEqual([...covered[s]].sort(), expected[s].map((def) => def.name).sort(), `step ${s}`);
  }
  // Literal totals: a table added to or dropped from the catalog, or a new known failure, is noticed here.
  const totals = Object.fromEntries(Object.entries(covered).map(([s, set]) => [s, set.size]));
  assert.deepEqual({ creatable: names.length, ...totals }, { creatable: 70, insert: 69, select: 68, update: 48, delete: 23, deleted: 23, known: 2 });
});
