import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable } from '../src/engine/index.js';
import type { Column, SqlValue } from '../src/engine/table.js';
import { catalogOf, planQuery, query } from './engine-fixtures.js';

// Small non-negative integer keys take an array instead of a Map (GROUP BY, hash join build
// side); any other value must still find its own group or partner, and nothing else.

const columns: Column[] = [
  { name: 'K', type: 'Double' },
  { name: 'V', type: 'Integer' },
];

test('GROUP BY mixes array-indexed integer keys with the rest, in order of first appearance', async () => {
  const rows: SqlValue[][] = [[3, 1], [70000, 2], [-1, 3], [2.5, 4], [3, 5], [null, 6], [0, 7], [-0, 8], [65535, 9], [2.5, 10], [1e20, 11]];
  const t = new MemoryTable('T', columns, rows);
  assert.deepEqual(await query('SELECT K, SUM(V), COUNT(*) FROM T GROUP BY K', catalogOf(t)), [
    [3, 6, 2],
    [70000, 2, 1],
    [-1, 3, 1],
    [2.5, 14, 2],
    [null, 6, 1],
    [0, 15, 2],
    [65535, 9, 1],
    [1e20, 11, 1],
  ]);
});

test('MaxIntermediateRows counts array-indexed groups too', async () => {
  const t = new MemoryTable('T', columns, Array.from({ length: 50 }, (_, i): SqlValue[] => [i, i]));
  const run = async (cap: number): Promise<number> => {
    let count = 0;
    for await (const _ of planQuery('SELECT K, COUNT(*) FROM T GROUP BY K', catalogOf(t)).rows({ maxIntermediateRows: cap })) count++;
    return count;
  };
  assert.equal(await run(50), 50);
  await assert.rejects(run(49), /Aggregate would hold more than 49 rows/);
});

test('a hash join on small integer keys matches numbers only, fractions and duplicates included', async () => {
  const left = new MemoryTable('L', columns, [[1, 10], [2, 20], [2.5, 25], [3, 30], [null, 0], [99, 990]]);
  const right = new MemoryTable('R', [{ name: 'Id', type: 'Double' }, { name: 'W', type: 'Integer' }], [[1, 100], [2, 200], [2, 201], [2.5, 250], [4, 400]]);
  const rows = await query('SELECT L.K, L.V, R.W FROM L JOIN R ON L.K = R.Id ORDER BY L.K, R.W', catalogOf(left, right));
  assert.deepEqual(rows, [[1, 10, 100], [2, 20, 200], [2, 20, 201], [2.5, 25, 250]]);
  const intsOnly = new MemoryTable('R', [{ name: 'Id', type: 'Double' }, { name: 'W', type: 'Integer' }], [[1, 100], [2, 200], [4, 400]]);
  const full = await query('SELECT L.K, R.W FROM L FULL JOIN R ON L.K = R.Id ORDER BY L.K NULLS LAST, R.W', catalogOf(left, intsOnly));
  assert.deepEqual(full, [[1, 100], [2, 200], [2.5, null], [3, null], [99, null], [null, 400], [null, null]]);
});

test('joined rows carry the columns the query reads, whatever the join order', async () => {
  const wide: Column[] = [{ name: 'A', type: 'Integer' }, { name: 'B', type: 'String' }, { name: 'C', type: 'Integer' }];
  const x = new MemoryTable('X', wide, [[1, 'x1', 10], [2, 'x2', 20]]);
  const y = new MemoryTable('Y', wide, [[1, 'y1', 100], [2, 'y2', 200], [3, 'y3', 300]]);
  const z = new MemoryTable('Z', wide, [[10, 'z1', 1], [20, 'z2', 2]]);
  const sql = 'SELECT X.B, Z.B, Y.C FROM X, Y, Z WHERE X.A = Y.A AND X.C = Z.A AND Z.C = Y.A ORDER BY 1';
  assert.deepEqual(await query(sql, catalogOf(x, y, z)), [['x1', 'z1', 100], ['x2', 'z2', 200]]);
  assert.deepEqual(await query('SELECT * FROM X JOIN Z ON X.C = Z.A ORDER BY X.A', catalogOf(x, z)), [[1, 'x1', 10, 10, 'z1', 1], [2, 'x2', 20, 20, 'z2', 2]]);
});

test('ORDER BY … LIMIT over plain columns (keys compared before projecting) equals the full sort cut short', async () => {
  // Many ties, NULLs and more rows than one batch, so the cutoff moves while rows stream by.
  const rows = Array.from({ length: 5000 }, (_, i): SqlValue[] => [i % 13 === 0 ? null : (i * 7919) % 101, i]);
  const t = new MemoryTable('T', columns, rows);
  for (const order of ['K DESC NULLS LAST, V', 'K NULLS FIRST, V DESC', 'K DESC, V']) {
    const all = await query(`SELECT K, V FROM T ORDER BY ${order}`, catalogOf(t));
    for (const [limit, offset] of [[10, 0], [1, 0], [25, 40], [2000, 10]] as const) {
      const top = await query(`SELECT K, V FROM T ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, catalogOf(t));
      assert.deepEqual(top, all.slice(offset, offset + limit), `${order} LIMIT ${limit} OFFSET ${offset}`);
    }
  }
});
