import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable } from '../src/engine/index.js';
import type { Column, SqlValue, Table } from '../src/engine/table.js';
import { catalogOf, query } from './engine-fixtures.js';

// Tables may deliver rows in batches (Table.scanBatches); the engine then fuses WHERE into
// aggregation, projection and hash joins. The results must equal the row-at-a-time path.

const columns: Column[] = [
  { name: 'Id', type: 'Integer' },
  { name: 'G', type: 'Integer' },
  { name: 'S', type: 'String' },
  { name: 'V', type: 'Double' },
];
const rows: SqlValue[][] = Array.from({ length: 5000 }, (_, i) => [i, i % 7, i % 3 === 0 ? null : `s${i % 5}`, i % 11 === 0 ? null : i * 0.5]);
const groupRows: SqlValue[][] = Array.from({ length: 7 }, (_, i) => [i, `g${i}`]);

/** The same table without scanBatches: forces the row path. */
function rowOnly(table: MemoryTable): Table {
  return { name: table.name, columns: table.columns, plan: (r) => table.plan(r), scan: (p, c) => table.scan(p, c) };
}

const queries = [
  'SELECT COUNT(*), COUNT(S), SUM(V), AVG(V), MIN(S), MAX(V) FROM T WHERE V > 100',
  'SELECT G, COUNT(*), SUM(V) FROM T WHERE S IS NOT NULL GROUP BY G HAVING COUNT(*) > 10 ORDER BY G',
  'SELECT S, COUNT(DISTINCT G) FROM T GROUP BY S ORDER BY S',
  "SELECT Id, V * 2 FROM T WHERE S = 's1' AND V < 50 ORDER BY Id DESC",
  'SELECT COUNT(*), SUM(T.V) FROM T JOIN U ON U.G = T.G WHERE U.Name <> \'g3\'',
  'SELECT U.Name, COUNT(*) FROM T LEFT JOIN U ON U.G = T.G + 3 GROUP BY U.Name ORDER BY 1',
  'SELECT COUNT(*) FROM T RIGHT JOIN U ON U.G = T.G AND T.Id < 3',
];

for (const sql of queries) {
  test(`batches and rows agree: ${sql}`, async () => {
    const t = new MemoryTable('T', columns, rows);
    const u = new MemoryTable('U', [{ name: 'G', type: 'Integer' }, { name: 'Name', type: 'String' }], groupRows);
    const batched = await query(sql, catalogOf(t, u));
    const single = await query(sql, catalogOf(rowOnly(new MemoryTable('T', columns, rows)), rowOnly(new MemoryTable('U', u.columns, groupRows))));
    assert.deepEqual(batched, single);
    assert.ok(batched.length > 0);
    assert.equal(t.rowsPulled, 5000, 'the batched table was read whole once');
  });
}

test('the batch path is used for a lone table read whole, and not under LIMIT', async () => {
  const t = new MemoryTable('T', columns, rows);
  let batchesAsked = 0;
  const scanBatches = t.scanBatches.bind(t);
  t.scanBatches = (p, c) => {
    batchesAsked++;
    return scanBatches(p, c);
  };
  await query('SELECT SUM(V) FROM T', catalogOf(t));
  assert.equal(batchesAsked, 1);
  await query('SELECT Id FROM T LIMIT 3', catalogOf(t));
  assert.equal(batchesAsked, 1);
  assert.equal(t.rowsPulled, 5003);
});
