// Writes through every writable table: INSERT builds the create request from the required
// columns, UPDATE the update request, DELETE where Stripe allows it; and nothing is sent when a
// table has no endpoint for the verb.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StripeTable, tableDefs, type ColumnDef, type TableDef } from '../src/catalog/index.js';
import { writeRules } from '../src/catalog/write-rules.js';
import type { SqlValue } from '../src/engine/table.js';
import { FakeTransport } from './catalog-fake-transport.js';
import { requiredColumns } from './support/write-columns.js';

const SAMPLE_TIME = new Date('2024-01-01T00:00:00.000Z');

function column(def: TableDef, name: string): ColumnDef {
  const found = def.columns.find((c) => c.name === name);
  assert.ok(found, `${def.name}.${name}`);
  return found;
}

/** A value of the column's type, and the form pairs Stripe should receive for it (written out by hand, not via the encoder). */
function sample(c: ColumnDef, param: string): { value: SqlValue; pairs: string[] } {
  if (c.encoding === 'json') {
    return c.jsonShape === 'array'
      ? { value: '[{"alpha":"one"}]', pairs: [`${param}[0][alpha]=one`] }
      : { value: '{"alpha":"one"}', pairs: [`${param}[alpha]=one`] };
  }
  switch (c.type) {
    case 'Boolean': return { value: true, pairs: [`${param}=true`] };
    case 'Integer': case 'Long': return { value: 7, pairs: [`${param}=7`] };
    case 'Decimal': case 'Double': return { value: 1.5, pairs: [`${param}=1.5`] };
    case 'Datetime': return { value: SAMPLE_TIME, pairs: [`${param}=1704067200`] };
    default: return { value: `v_${c.name}`, pairs: [`${param}=v_${c.name}`] };
  }
}

const creatable = tableDefs.filter((def) => def.paths.create && def.kind !== 'view');
const updatable = tableDefs.filter((def) => def.paths.update && !writeRules[def.name]?.noUpdate);
const deletable = tableDefs.filter((def) => def.paths.delete && !writeRules[def.name]?.noDelete);

test('the loops below cover the reference read-write tables', () => {
  for (const name of ['Customers', 'Charges', 'PaymentIntent', 'Subscriptions', 'Prices', 'Refunds', 'Cards', 'Coupons', 'Products']) {
    assert.ok(creatable.some((d) => d.name === name), name);
  }
  assert.ok(updatable.length >= 30, `only ${updatable.length} updatable tables`);
  assert.ok(deletable.some((d) => d.name === 'Customers') && deletable.some((d) => d.name === 'Cards'));
});

describe('INSERT with the required columns builds the create request', () => {
  for (const def of creatable) {
    test(def.name, async () => {
      const transport = new FakeTransport();
      const table = new StripeTable(def, transport);
      const names = requiredColumns(def);
      const values: SqlValue[] = [];
      const pairs: string[] = [];
      let path = def.paths.create!;
      for (const name of names) {
        const c = column(def, name);
        if (c.encoding === 'parent' && c.createParam === undefined) {
          values.push('par_1');
          path = path.replace('{parent}', 'par_1');
          continue;
        }
        const s = sample(c, c.createParam!);
        values.push(s.value);
        pairs.push(...s.pairs);
      }
      const outcome = await table.insertRows({ columns: names, rows: [values] }, {});
      assert.equal(outcome.rowsAffected, 1);
      assert.equal(transport.calls.length, 1);
      assert.equal(transport.calls[0]!.line, `POST ${path}`);
      assert.deepEqual(transport.calls[0]!.body === '' ? [] : transport.calls[0]!.body!.split('&'), pairs);
    });
  }
});

/** A String column an UPDATE can set with a scalar, if the table has one. */
function updatableScalar(def: TableDef): ColumnDef | undefined {
  return def.columns.find((c) => c.updateParam !== undefined && c.encoding === 'scalar' && c.type === 'String' && !c.key)
    ?? def.columns.find((c) => c.updateParam !== undefined && c.encoding !== 'parent' && !c.key);
}

function keyFor(def: TableDef, path: string): { key: Record<string, SqlValue>; path: string } {
  const key: Record<string, SqlValue> = { Id: 'obj 1' };
  let filled = path.replace('{id}', 'obj%201');
  if (path.includes('{parent}')) {
    key[def.parent!.column] = 'par_1';
    filled = filled.replace('{parent}', 'par_1');
  }
  return { key, path: filled };
}

describe('UPDATE of a writable column builds the update request', () => {
  for (const def of updatable) {
    const target = updatableScalar(def);
    if (!target) continue;
    test(def.name, async () => {
      const transport = new FakeTransport();
      const table = new StripeTable(def, transport);
      const { key, path } = keyFor(def, def.paths.update!);
      const s = sample(target, target.updateParam!);
      const outcome = await table.update({ rows: [{ key, set: { [target.name]: s.value } }] }, {});
      assert.equal(outcome.rowsAffected, 1);
      assert.deepEqual(transport.calls.map((c) => [c.line, c.body]), [[`POST ${path}`, s.pairs.join('&')]]);
    });
  }
});

describe('DELETE where Stripe allows it', () => {
  for (const def of deletable) {
    test(def.name, async () => {
      const transport = new FakeTransport();
      const table = new StripeTable(def, transport);
      const { key, path } = keyFor(def, def.paths.delete!);
      const outcome = await table.delete({ keys: [key] }, {});
      assert.deepEqual(outcome, { rowsAffected: 1, rows: [{ index: 0, ok: true, id: 'obj 1' }] });
      assert.deepEqual(transport.calls.map((c) => c.line), [`DELETE ${path}`]);
      assert.equal(transport.calls[0]!.idempotencyKey, undefined);
    });
  }
});

describe('a verb the table has no endpoint for is refused before any request', () => {
  const table = (name: string) => {
    const def = tableDefs.find((d) => d.name === name)!;
    const transport = new FakeTransport();
    return { transport, table: new StripeTable(def, transport) };
  };

  for (const name of ['Charges', 'Prices', 'Refunds']) {
    test(`no DELETE on ${name}`, async () => {
      const { transport, table: t } = table(name);
      await assert.rejects(t.delete({ keys: [{ Id: 'x_1' }] }, {}), { message: `${name} does not support DELETE: Stripe has no delete endpoint for ${tableDefs.find((d) => d.name === name)!.resource}` });
      assert.deepEqual(transport.calls, []);
    });
  }

  test('no UPDATE on Refunds', async () => {
    const { transport, table: t } = table('Refunds');
    await assert.rejects(t.update({ rows: [{ key: { Id: 're_1' }, set: { Metadata: '{"a":"b"}' } }] }, {}), /Refunds cannot be updated/);
    assert.deepEqual(transport.calls, []);
  });

  test('no UPDATE on a table without an update endpoint (Events)', async () => {
    const { transport, table: t } = table('Events');
    await assert.rejects(t.update({ rows: [{ key: { Id: 'evt_1' }, set: { Type: 'x' } }] }, {}), { message: 'Events does not support UPDATE: Stripe has no update endpoint for event' });
    assert.deepEqual(transport.calls, []);
  });

  test('no INSERT on a table without a create endpoint (Events)', async () => {
    const { transport, table: t } = table('Events');
    await assert.rejects(t.insertRows({ columns: ['Type'], rows: [['x']] }, {}), /Events does not support INSERT/);
    assert.deepEqual(transport.calls, []);
  });

  test('every table without a delete path refuses DELETE with no request', async () => {
    for (const def of tableDefs.filter((d) => !d.paths.delete)) {
      const transport = new FakeTransport();
      await assert.rejects(new StripeTable(def, transport).delete({ keys: [{ Id: 'x' }] }, {}), new RegExp(`^TableRefusal: ${def.name} does not support DELETE`));
      assert.deepEqual(transport.calls, [], def.name);
    }
  });
});
