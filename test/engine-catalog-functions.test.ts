// A catalog's own functions (Catalog.function): called by name after the engine's, by a
// schema-qualified name, and by a cast to a type the engine does not know. `pg_catalog.f(…)`
// is the engine's f, as PostgreSQL's built-ins live in pg_catalog.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../src/engine/table.js';
import type { ScalarFunction } from '../src/engine/functions.js';
import { memoryTable, runQuery } from './support/engine-runner.js';

const items = memoryTable('items', [{ name: 'code', type: 'String' }, { name: 'n', type: 'Integer' }], [['a', 1], ['b', 2]]);
const functions = new Map<string, ScalarFunction>([
  // text in gives a number, a number in gives text, as PostgreSQL's regclass does.
  ['CODE', { name: 'CODE', minArgs: 1, maxArgs: 1, returnType: ([t]) => (t === 'String' ? 'Integer' : 'String'), call: ([v]) => (typeof v === 'string' ? v.charCodeAt(0) : String.fromCharCode(Number(v))) }],
  ['EXT.TWICE', { name: 'EXT.TWICE', minArgs: 1, maxArgs: 1, returnType: () => 'Integer', call: ([v]) => Number(v) * 2 }],
]);
const catalog: Catalog = {
  getTable: (name) => (name.toLowerCase() === 'items' ? items : undefined),
  tableNames: () => ['items'],
  function: (name) => functions.get(name),
};

test('a cast to a type the engine does not know calls the catalog function of that name', async () => {
  assert.deepEqual(await runQuery("SELECT code::code, n + 96 FROM items WHERE 'b'::code = n + 96 ORDER BY n", catalog), [[98, 98]]);
  assert.deepEqual(await runQuery('SELECT (n + 96)::code FROM items ORDER BY n', catalog), [['a'], ['b']]);
  await assert.rejects(runQuery("SELECT 'a'::nosuchtype FROM items", catalog), /Unknown type NOSUCHTYPE/);
});

test("the text of a catalog type's value is its name, as 'pg_class'::regclass::text is pg_class: the function given its number back", async () => {
  assert.deepEqual(await runQuery("SELECT 'b'::code::text, code::code::varchar, 'b'::code FROM items ORDER BY n", catalog), [['b', 'a', 98], ['b', 'b', 98]]);
});

test('schema-qualified calls: the catalog function of the qualified name; pg_catalog.f is the engine f', async () => {
  assert.deepEqual(await runQuery('SELECT ext.twice(n), code(code) FROM items ORDER BY n', catalog), [[2, 97], [4, 98]]);
  assert.deepEqual(await runQuery("SELECT pg_catalog.upper(code), pg_catalog.length('abc') FROM items ORDER BY n", catalog), [['A', 3], ['B', 3]]);
  await assert.rejects(runQuery('SELECT other.twice(n) FROM items', catalog), /Unknown function OTHER\.TWICE/);
});

test('without catalog functions a cast to an unknown type is refused as before', async () => {
  const plain: Catalog = { getTable: catalog.getTable, tableNames: catalog.tableNames };
  await assert.rejects(runQuery("SELECT 'a'::code FROM items", plain), /Unknown type CODE/);
});

test('oid is a number type: ::oid casts as bigint does', async () => {
  assert.deepEqual(await runQuery("SELECT '42'::oid + 1, n::oid FROM items ORDER BY n", catalog), [[43, 1], [43, 2]]);
});
