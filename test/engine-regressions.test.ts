// The engine issue's reports, each reproduced as a user hit it: they must keep passing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planStatement, Session } from '../src/engine/index.js';
import type { Catalog, SqlValue } from '../src/engine/table.js';
import { parse } from '../src/sql/parser.js';
import { hashJoinBatches, OUTPUT_BATCH_ROWS } from '../src/engine/operators/join.js';

const noTables: Catalog = { getTable: () => undefined, tableNames: () => [] };

async function run(session: Session, sql: string): Promise<SqlValue[][]> {
  const plan = planStatement(parse(sql), sql, noTables, undefined, session);
  if (plan.kind === 'write') return (await plan.execute({})).rows ?? [];
  const rows: SqlValue[][] = [];
  for await (const row of plan.rows({})) rows.push(row);
  return rows;
}

function explain(session: Session, sql: string): string[] {
  return planStatement(parse(sql), sql, noTables, undefined, session).explain();
}

test('inside a subquery, an aliased table hides its name: t1.b reaches the outer row', async () => {
  const session = new Session();
  await run(session, 'CREATE TEMP TABLE t1 (a INTEGER, b INTEGER)');
  await run(session, 'INSERT INTO t1 VALUES (1, 10), (2, 20), (3, 30)');
  const rows = await run(session, 'SELECT a, (SELECT count(*) FROM t1 AS x WHERE x.b < t1.b) FROM t1 ORDER BY a');
  assert.deepEqual(rows, [
    [1, 0],
    [2, 1],
    [3, 2],
  ]);
});

test('a 5-way comma join of 10-row tables through its WHERE joins connected tables, never a cross product', async () => {
  const session = new Session();
  for (const t of [1, 2, 3, 4, 5]) {
    await run(session, `CREATE TEMP TABLE t${t} (a${t} INTEGER, b${t} INTEGER)`);
    const values = Array.from({ length: 10 }, (_, i) => `(${i + 1}, ${((i * 3) % 10) + 1})`).join(', ');
    await run(session, `INSERT INTO t${t} VALUES ${values}`);
  }
  // Written so that t1 and t2 share no condition: in written order they would cross.
  const sql = 'SELECT a1, a2, a3, a4, a5 FROM t1, t2, t3, t4, t5 WHERE a1 = b5 AND a2 = a5 AND a3 = b2 AND a4 = a3 AND b1 = 4';
  const rows = await run(session, sql);
  // b = (3(a-1) mod 10) + 1: b1 = 4 at a1 = 2; b5 = 2 at a5 = 8, so a2 = 8, whose b2 = 2 = a3 = a4.
  assert.deepEqual(rows, [[2, 8, 2, 2, 8]]);
  const plan = explain(session, sql);
  assert.equal(plan.find((l) => l.trim().startsWith('Join order')), 'Join order t1, t5, t2, t3, t4 (reordered: each table joins one it has a condition with)');
  assert.ok(!plan.some((l) => l.includes('Nested Loop')), plan.join('\n'));
});

test('SELECT * over a reordered join keeps the written column order', async () => {
  const session = new Session();
  await run(session, 'CREATE TEMP TABLE p (x INTEGER)');
  await run(session, 'CREATE TEMP TABLE q (y INTEGER)');
  await run(session, 'CREATE TEMP TABLE r (z INTEGER)');
  await run(session, 'INSERT INTO p VALUES (1), (2)');
  await run(session, 'INSERT INTO q VALUES (2), (3)');
  await run(session, 'INSERT INTO r VALUES (2), (1)');
  assert.deepEqual(await run(session, 'SELECT * FROM p, q, r WHERE x = z AND y = z + 1 ORDER BY x'), [
    [1, 2, 1],
    [2, 3, 2],
  ]);
});

test('a cross join hands on its first rows before building the product of a whole left batch', async () => {
  const left = [Array.from({ length: 1024 }, (_, i): SqlValue[] => [i])];
  const right = Array.from({ length: 1000 }, (_, i): SqlValue[] => [i]);
  async function* batches(): AsyncGenerator<SqlValue[][]> {
    yield* left;
  }
  const spec = { type: 'CROSS' as const, leftWidth: 1, rightWidth: 1, leftKeys: [], rightKeys: [], condition: undefined };
  const joined = hashJoinBatches(batches(), undefined, () => Promise.resolve(right), spec);
  const first = await joined.next();
  assert.equal(first.done, false);
  // 1,024 left rows × 1,000 right rows would be 1,024,000 rows in one batch; one batch's worth
  // plus the matches of the left row that filled it is the most it may hold.
  assert.ok(first.value!.length < OUTPUT_BATCH_ROWS + right.length, `first batch has ${first.value!.length} rows`);
  let total = first.value!.length;
  for await (const batch of joined) total += batch.length;
  assert.equal(total, 1024 * 1000);
});

test('stream() over a 10k × 100k cross join yields its first row without reading the product', async () => {
  const session = new Session();
  await run(session, 'CREATE TEMP TABLE small (a INTEGER)');
  await run(session, 'CREATE TEMP TABLE big (b INTEGER)');
  await run(session, `INSERT INTO small VALUES ${Array.from({ length: 10_000 }, (_, i) => `(${i})`).join(', ')}`);
  await run(session, `INSERT INTO big VALUES ${Array.from({ length: 100_000 }, (_, i) => `(${i})`).join(', ')}`);
  const sql = 'SELECT a, b FROM small CROSS JOIN big';
  const plan = planStatement(parse(sql), sql, noTables, undefined, session);
  assert.equal(plan.kind, 'query');
  if (plan.kind !== 'query') return;
  for await (const row of plan.rows({})) {
    assert.deepEqual(row, [0, 0]);
    break;
  }
});

test('MaxIntermediateRows stops a join whose build side would hold more rows than allowed', async () => {
  const session = new Session();
  await run(session, 'CREATE TEMP TABLE l (a INTEGER)');
  await run(session, 'CREATE TEMP TABLE r (b INTEGER)');
  await run(session, `INSERT INTO l VALUES ${Array.from({ length: 50 }, (_, i) => `(${i})`).join(', ')}`);
  await run(session, `INSERT INTO r VALUES ${Array.from({ length: 50 }, (_, i) => `(${i})`).join(', ')}`);
  const sql = 'SELECT count(*) FROM l JOIN r ON l.a = r.b';
  const plan = planStatement(parse(sql), sql, noTables, undefined, session);
  if (plan.kind !== 'query') throw new Error('expected a query');
  const rows: SqlValue[][] = [];
  for await (const row of plan.rows({ maxIntermediateRows: 100 })) rows.push(row);
  assert.deepEqual(rows, [[50]]);
  await assert.rejects(
    async () => {
      for await (const _ of plan.rows({ maxIntermediateRows: 20 })) {
        // drain
      }
    },
    (error: Error) => error.name === 'IntermediateRowsExceeded' && /Hash Join would hold more than 20 rows \(MaxIntermediateRows = 20\)/.test(error.message),
  );
});
