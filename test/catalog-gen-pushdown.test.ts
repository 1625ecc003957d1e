// For every generated table and every filter it claims: the pushed predicate reaches the request
// as the right parameter with the right encoding, and the rows that come back are mapped.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StripeTable, tableDefs } from '../src/catalog/index.js';
import type { ColumnDef, FilterCapability, TableDef } from '../src/catalog/types.js';
import type { Predicate, Row, SqlValue } from '../src/engine/table.js';
import type { StripeObject } from '../src/stripe/types.js';
import { FakeTransport, pred, scanRequest, type RecordedCall } from './catalog-fake-transport.js';
import { Numeric } from '../src/engine/numeric.js';

const PARENT_ID = 'par_1';
const SECONDS = 1_700_000_000;
const AT = new Date(SECONDS * 1000);

/** A value a filter's column can be compared with, and the query-string pairs it must become. */
function probe(def: TableDef, filter: FilterCapability): { predicate: Predicate; pairs: string[] }[] {
  const column = def.columns.find((c) => c.name === filter.column)!;
  switch (filter.kind) {
    case 'equals': {
      const [value, text] = equalsValue(column, filter);
      return [{ predicate: pred(column.name, '=', value), pairs: [`${filter.param}=${text}`] }];
    }
    case 'range':
      return column.type === 'Datetime'
        ? [{ predicate: pred(column.name, '>', AT), pairs: [`${filter.param}[gt]=${SECONDS}`] },
          { predicate: pred(column.name, '<=', AT), pairs: [`${filter.param}[lte]=${SECONDS}`] }]
        : [{ predicate: pred(column.name, '>=', 100), pairs: [`${filter.param}[gte]=100`] }];
    case 'boolean':
      return [{ predicate: pred(column.name, '=', true), pairs: [`${filter.param}=true`] },
        { predicate: pred(column.name, '<>', true), pairs: [`${filter.param}=false`] }];
    case 'parent':
      return [{ predicate: pred(column.name, '=', PARENT_ID), pairs: def.parent!.in === 'query' ? [`${filter.param}=${PARENT_ID}`] : [] }];
    default:
      throw new Error(`no probe for ${filter.kind}`);
  }
}

function equalsValue(column: ColumnDef, filter: FilterCapability): [SqlValue, string] {
  if (column.type === 'Datetime') return [AT, String(SECONDS)];
  if (column.type === 'Integer') return [7, '7'];
  const value = filter.enum?.[0] ?? 'val_1';
  return [value, value];
}

/** What every list request of the table needs whatever is tested: required values and a parent. */
function basePredicates(def: TableDef, tested: FilterCapability): { predicates: Predicate[]; pairs: string[] } {
  const predicates: Predicate[] = [];
  const pairs: string[] = [];
  for (const filter of def.filters) {
    if (filter === tested || filter.column === tested.column) continue;
    if (filter.kind === 'parent' || filter.required) {
      const [first] = probe(def, filter);
      predicates.push(first!.predicate);
      pairs.push(...first!.pairs);
    }
  }
  return { predicates, pairs };
}

/** A synthetic object with a value for every field the table maps, and the row it must become. */
function synthesize(def: TableDef): { object: StripeObject; expected: Map<string, SqlValue> } {
  const object: StripeObject = {};
  const expected = new Map<string, SqlValue>();
  for (const column of def.columns) {
    if (column.field === undefined) continue;
    const [raw, mapped] = sample(column);
    setPath(object, column.field, raw);
    expected.set(column.name, mapped);
  }
  return { object, expected };
}

function sample(column: ColumnDef): [unknown, SqlValue] {
  if (column.encoding === 'json') return [{ k: column.name }, JSON.stringify({ k: column.name })];
  if (column.encoding === 'time') return [SECONDS, AT];
  // Stripe's decimal strings keep every digit (a double would stop at about 16).
  if (column.encoding === 'decimal') return ['1234.567890123456789', Numeric.parse('1234.567890123456789')];
  if (column.encoding === 'id' || column.encoding === 'parent') return [{ id: `id_${column.name}`, object: 'x' }, `id_${column.name}`];
  switch (column.type) {
    case 'Integer': return [42, 42];
    case 'Double': return [1.5, 1.5];
    case 'Boolean': return [true, true];
    default: return [`s_${column.name}`, `s_${column.name}`];
  }
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = object;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  target[keys[keys.length - 1]!] = value;
}

function queryPairs(call: RecordedCall): { head: string; pairs: string[] } {
  const [head, query = ''] = call.line.split('?');
  return { head: head!, pairs: query === '' ? [] : query.split('&').sort() };
}

/** Every column but those Stripe sends only when expanded (they add `expand[]`, tested elsewhere). */
function plainColumns(table: StripeTable): string[] {
  return table.columns.filter((c) => !(c as ColumnDef).expand).map((c) => c.name);
}

async function collect(table: StripeTable, predicates: Predicate[]): Promise<Row[]> {
  const rows: Row[] = [];
  const columns = plainColumns(table);
  for await (const row of table.scan(table.plan(scanRequest(predicates, { columns })), {})) rows.push(row);
  return rows;
}

function assertMapped(def: TableDef, row: Row, expected: Map<string, SqlValue>): void {
  def.columns.forEach((column, i) => {
    if (expected.has(column.name)) assert.deepEqual(row[i], expected.get(column.name), `${def.name}.${column.name}`);
  });
}

const listTables = tableDefs.filter((def) => def.paths.list && !def.singleton);

describe('every list filter of every generated table reaches the request', () => {
  for (const def of listTables) {
    for (const filter of def.filters.filter((f) => f.kind !== 'retrieve' && f.kind !== 'account')) {
      for (const { predicate, pairs } of probe(def, filter)) {
        test(`${def.name}: ${predicate.text}`, async () => {
          const transport = new FakeTransport();
          const table = new StripeTable(def, transport);
          const base = basePredicates(def, filter);
          const path = def.paths.list!.replace('{parent}', PARENT_ID);
          const { object, expected } = synthesize(def);
          transport.addList(path, [[object]]);

          const plan = table.plan(scanRequest([...base.predicates, predicate], { columns: plainColumns(table) }));
          assert.ok(plan.pushed.includes(predicate), `${predicate.text} is not pushed`);
          const rows = await collect(table, [...base.predicates, predicate]);

          assert.equal(transport.calls.length, 1);
          const sent = queryPairs(transport.calls[0]!);
          assert.equal(sent.head, `LIST ${path}`);
          const defaults = (def.defaultParams ?? []).filter((d) => ![...pairs, ...base.pairs].some((p) => p.startsWith(`${d.param}=`)));
          const pageSize = def.paging?.limit === false ? [] : ['limit=100'];
          const wanted = [...pairs, ...base.pairs, ...defaults.map((d) => `${d.param}=${d.value}`), ...pageSize].sort();
          assert.deepEqual(sent.pairs, wanted);
          assert.equal(rows.length, 1);
          assertMapped(def, rows[0]!, expected);
        });
      }
    }
  }
});

describe('Id = is a retrieve on every table that has one', () => {
  for (const def of tableDefs.filter((d) => d.filters.some((f) => f.kind === 'retrieve'))) {
    test(def.name, async () => {
      const transport = new FakeTransport();
      const table = new StripeTable(def, transport);
      // A child retrieved under its parent's path needs the parent's id as well.
      const underParent = def.filters.some((f) => f.kind === 'retrieve' && f.needsParent);
      const path = def.paths.retrieve!.replace('{id}', 'obj_1').replace('{parent}', PARENT_ID);
      const { object, expected } = synthesize(def);
      transport.addObject(path, object);
      const parent = underParent ? [pred(def.parent!.column, '=', PARENT_ID)] : [];
      const rows = await collect(table, [pred('Id', '=', 'obj_1'), ...parent]);
      assert.deepEqual(transport.calls, [{ line: `GET ${path}` }]);
      assert.equal(rows.length, 1);
      assertMapped(def, rows[0]!, expected);
    });
  }
});

describe('Id = on a child retrieved under its parent\'s path, without the parent, lists and checks the Id', () => {
  for (const def of tableDefs.filter((d) => d.filters.some((f) => f.kind === 'retrieve' && f.needsParent))) {
    test(def.name, () => {
      const table = new StripeTable(def, new FakeTransport());
      const idPredicate = pred('Id', '=', 'obj_1');
      let plan;
      try {
        plan = table.plan({ predicates: [idPredicate], columns: ['Id'], orderBy: [] });
      } catch (error) {
        // No parent to list through: the table asks for it.
        assert.match(String(error), new RegExp(`${def.parent!.column}`));
        return;
      }
      assert.deepEqual(plan.residual, [idPredicate]);
      assert.ok(!plan.describe().some((line) => line.includes('/obj_1')), plan.describe().join('\n'));
    });
  }
});

describe('AccountId = sends Stripe-Account on every table', () => {
  for (const def of tableDefs.filter((d) => d.paths.list || d.singleton)) {
    test(def.name, async () => {
      const transport = new FakeTransport();
      const table = new StripeTable(def, transport);
      const accountFilter = def.filters.find((f) => f.kind === 'account')!;
      const base = basePredicates(def, accountFilter);
      const parentPath = (p: string) => p.replace('{parent}', PARENT_ID);
      if (def.singleton) transport.addObject(parentPath(def.singleton.path), {});
      await collect(table, [...base.predicates, pred('AccountId', '=', 'acct_T')]);
      assert.equal(transport.calls.length, 1);
      assert.equal(transport.calls[0]!.accountId, 'acct_T');
      const expectedHead = def.singleton ? `GET ${parentPath(def.singleton.path)}` : `LIST ${parentPath(def.paths.list!)}`;
      assert.equal(transport.calls[0]!.line.split('?')[0], expectedHead);
    });
  }
});
