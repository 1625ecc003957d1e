// Deep and long input never overflows the stack: long left-deep chains that generated SQL
// writes (`a + b + … `, `x AND y AND …`, `SELECT … UNION SELECT … UNION …`) work however long,
// and true nesting (parentheses, subqueries, `IS NULL IS NULL …`) beyond the parser's limit is
// a SqlError at a position, never a RangeError. Set operation runs, planned as one n-ary
// operation, agree with PostgreSQL on random mixes of operators.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, memoryTable, runQuery, planQuery } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';
import type { SqlValue } from '../src/engine/table.js';

const TERMS = 10_000;

// g picks a group of rows; v repeats within and across groups, so DISTINCT, INTERSECT and EXCEPT all matter.
const rows: SqlValue[][] = [];
for (let g = 0; g < 5; g++) for (let i = 0; i < 8; i++) rows.push([g, (g * 3 + i * 5) % 11, i % 3 === 0 ? null : i * 0.5]);
const catalog = catalogOf(
  memoryTable('t', [{ name: 'g', type: 'Integer' }, { name: 'v', type: 'Integer' }, { name: 'd', type: 'Double' }], rows),
);
const run = (sql: string): Promise<SqlValue[][]> => runQuery(sql, catalog);

let oracle: PgOracle;
before(async () => {
  oracle = await PgOracle.start();
  await oracle.exec(`CREATE TABLE t (g integer, v integer, d double precision); INSERT INTO t VALUES ${rows.map((r) => `(${r.map((v) => v ?? 'NULL').join(', ')})`).join(', ')}`);
});
after(async () => oracle.close());

/** Runs `sql`, expecting either rows or a SqlError that points into the statement. */
async function rowsOrPositionedError(sql: string): Promise<SqlValue[][] | SqlError> {
  try {
    return await run(sql);
  } catch (error) {
    assert.ok(error instanceof SqlError, `expected a SqlError, got ${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`);
    assert.ok(error.offset >= 0 && error.offset <= sql.length && error.line === 1 && error.column >= 1);
    return error;
  }
}

test('long left-deep operator chains work: + - * / || and comparisons, constant or over columns', async () => {
  assert.deepEqual(await run(`SELECT ${Array(TERMS).fill('1').join(' + ')}`), [[TERMS]]);
  assert.deepEqual(await run(`SELECT ${Array(TERMS).fill("'a'").join(' || ')}`), [['a'.repeat(TERMS)]]);
  const sum = await run(`SELECT ${Array(TERMS).fill('v').join(' + ')} - ${Array(TERMS).fill('1').join(' - ')} FROM t WHERE g = 0 ORDER BY 1`);
  assert.deepEqual(sum.map((r) => r[0]), rows.filter((r) => r[0] === 0).map((r) => (r[1] as number) * TERMS - 1 - (TERMS - 1)).sort((a, b) => a - b));
  assert.deepEqual(await run(`SELECT ${Array(TERMS).fill('v').join(' * ')} FROM t WHERE v = 1`), [[1], [1], [1]]);
  assert.deepEqual(await run(`SELECT COUNT(*) FROM t WHERE ${Array(TERMS).fill('v >= 0').join(' AND ')}`), [[rows.length]]);
  assert.deepEqual(await run(`SELECT COUNT(*) FROM t WHERE ${Array(TERMS).fill('v = 99').join(' OR ')} OR g = 1`), [[8]]);
  // A comparison chain compares a boolean with a number: NULL, as for two terms.
  assert.deepEqual(await run(`SELECT ${Array(TERMS).fill('1').join(' = ')}`), [[null]]);
  const explained = planQuery(`SELECT v FROM t WHERE ${Array(4).fill('v').join(' + ')} * 2 > g`, catalog).explain().join('\n');
  assert.match(explained, /Filter \(v \+ v \+ v \+ \(v \* 2\)\) > g/);
});

test('chains keep the binary operators\' meaning: left to right, integer division per step, NULLs', async () => {
  const expressions = [
    'v - g - 1 - v', '100 / (v + 1) / 2 / (g + 1)', 'v * 2 / 3 * 3', 'v + d + 1 + g', 'd * 2 - v / 2 + g % 3',
    '1 + 2 + v - 3', 'v % 4 % 3 + 1', "v || 'x' || g", 'v + g * 2 + d / 4 - 1',
  ];
  for (const expression of expressions) {
    const sql = `SELECT g, v, ${expression} FROM t ORDER BY g, v, d`;
    assert.deepEqual(await run(sql), await oracle.query(sql.replace("|| 'x' ||", "::text || 'x' ||")), expression);
  }
});

test('set operation runs of any mix agree with PostgreSQL', async () => {
  // Deterministic pseudo-random runs: a linear congruential generator, seeded.
  let seed = 99;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const ops = ['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT'];
  for (let i = 0; i < 150; i++) {
    let sql = `SELECT v FROM t WHERE g = ${next(5)}`;
    const arms = 2 + next(6);
    for (let a = 1; a < arms; a++) {
      const arm = next(4) === 0 ? `(SELECT v FROM t WHERE g = ${next(5)} ${ops[next(4)]} SELECT v FROM t WHERE g = ${next(5)})` : `SELECT v FROM t WHERE g = ${next(5)}`;
      sql += ` ${ops[next(4)]} ${arm}`;
    }
    const sorted = (r: SqlValue[][]): SqlValue[][] => r.map((x) => [x[0] ?? null]).sort((x, y) => Number(x[0]) - Number(y[0]));
    assert.deepEqual(sorted(await run(sql)), sorted(await oracle.query(sql)), sql);
  }
});

test('a run of 10,000 set operations works, and EXPLAIN lists its inputs flat', async () => {
  const selects = Array.from({ length: TERMS }, (_, i) => `SELECT ${i % 7}`);
  assert.deepEqual((await run(selects.join(' UNION '))).map((r) => r[0]), [0, 1, 2, 3, 4, 5, 6]);
  assert.equal((await run(selects.join(' UNION ALL '))).length, TERMS);
  assert.deepEqual(await run(selects.join(' INTERSECT ')), []);
  assert.deepEqual(await run(`SELECT 9 UNION ${selects.slice(1).join(' EXCEPT ')}`), [[9]]);
  const mixed = selects.map((s, i) => (i === 0 ? s : `${['UNION ALL', 'UNION', 'EXCEPT'][i % 3]} ${s}`)).join(' ');
  assert.ok((await run(mixed)).length > 0);
  const scan = ['Scan t', '  MemoryTable t'];
  const explained = planQuery('SELECT v FROM t UNION ALL SELECT v FROM t UNION ALL SELECT v FROM t', catalog).explain();
  assert.deepEqual(explained, ['UNION ALL', ...[...scan, ...scan, ...scan].map((line) => `  ${line}`)]);
  assert.deepEqual(planQuery('SELECT v FROM t UNION SELECT v FROM t EXCEPT SELECT v FROM t', catalog).explain(), [
    'Set operations, left to right', '  Scan t', '    MemoryTable t', '  UNION: Scan t', '    MemoryTable t', '  EXCEPT: Scan t', '    MemoryTable t',
  ]);
});

test('true nesting past the limit is a positioned SqlError, never a RangeError', async () => {
  const deep = [
    `SELECT ${'('.repeat(TERMS)}1${')'.repeat(TERMS)}`,
    `SELECT ${'(SELECT '.repeat(2000)}1${')'.repeat(2000)}`,
    `SELECT * FROM ${'(SELECT * FROM '.repeat(2000)}t${') x'.repeat(2000)}`,
    `${'WITH a AS ('.repeat(2000)}SELECT 1${') SELECT * FROM a'.repeat(2000)}`,
    `${'('.repeat(TERMS)}SELECT 1${')'.repeat(TERMS)}`,
    `SELECT ${'NOT '.repeat(TERMS)}TRUE`,
    `SELECT ${'- '.repeat(TERMS)}1`,
    `SELECT ${'ABS('.repeat(TERMS)}1${')'.repeat(TERMS)}`,
    `SELECT ${'CASE WHEN TRUE THEN '.repeat(TERMS)}1${' END'.repeat(TERMS)}`,
    `SELECT 1 ${'IS NULL '.repeat(TERMS)}`,
    `SELECT 1 ${'BETWEEN 0 AND 2 '.repeat(TERMS)}`,
    `SELECT 1 ${"LIKE '1' ".repeat(TERMS)}`,
    `SELECT 1 ${'IN (1) '.repeat(TERMS)}`,
    `SELECT 1 ${'= 1 IS NULL '.repeat(TERMS)}`,
    `SELECT v FROM t WHERE v IN ${'(SELECT v FROM t WHERE v IN '.repeat(2000)}(1)${')'.repeat(2000)}`,
    `SELECT 1 WHERE ${'EXISTS (SELECT 1 WHERE '.repeat(2000)}TRUE${')'.repeat(2000)}`,
  ];
  for (const sql of deep) {
    const outcome = await rowsOrPositionedError(sql);
    if (outcome instanceof SqlError) assert.match(outcome.reason, /nested more than \d+ levels/, sql.slice(0, 60));
  }
});

test('nesting up to the limit still works', async () => {
  const depth = 150;
  assert.deepEqual(await run(`SELECT ${'(SELECT '.repeat(depth)}1${')'.repeat(depth)}`), [[1]]);
  assert.deepEqual(await run(`SELECT COUNT(*) FROM ${'(SELECT * FROM '.repeat(depth)}t${') x'.repeat(depth)}`), [[rows.length]]);
  assert.deepEqual(await run(`SELECT ${'ABS('.repeat(depth)}-1${')'.repeat(depth)}`), [[1]]);
  assert.deepEqual(await run(`SELECT COUNT(*) FROM t WHERE ${'('.repeat(depth)}v = 1${' OR v = 2)'.repeat(depth)}`), [[6]]);
});

test('joins of up to 1,000 tables plan in linear time and run; 2,000 are a positioned SqlError, never a RangeError', async () => {
  const one = catalogOf(memoryTable('one', [{ name: 'k', type: 'Integer' }, { name: 'x', type: 'Integer' }], [[1, 2]]));
  const count = async (sql: string): Promise<SqlValue> => (await runQuery(sql, one))[0]![0]!;
  const chain = (n: number, join: string, on: (i: number) => string): string =>
    `SELECT COUNT(*) FROM one t0 ${Array.from({ length: n - 1 }, (_, i) => `${join} one t${i + 1}${on(i + 1)}`).join(' ')}`;
  const n = 1000;
  assert.equal(await count(chain(n, 'JOIN', (i) => ` ON t${i}.k = t${i - 1}.k`)), 1);
  assert.equal(await count(chain(n, 'LEFT JOIN', (i) => ` ON t${i}.k = t${i - 1}.x`)), 1);
  assert.equal(await count(chain(n, 'CROSS JOIN', () => '')), 1);
  // Even tables first, then odd ones: each written neighbour is unconnected, so the join order
  // rule lays all 1,000 out again.
  const order = [...Array.from({ length: n / 2 }, (_, i) => 2 * i), ...Array.from({ length: n / 2 }, (_, i) => 2 * i + 1)];
  const scrambled = `SELECT COUNT(*) FROM ${order.map((i) => `one t${i}`).join(', ')} WHERE ${Array.from({ length: n - 1 }, (_, i) => `t${i + 1}.k = t${i}.k`).join(' AND ')}`;
  assert.match(planQuery(scrambled, one).explain().find((l) => l.includes('Join order'))!, /Join order t0, t1, t2, t3, /);
  assert.equal(await count(scrambled), 1);
  const explained = planQuery(`EXPLAIN ANALYZE ${chain(n, 'JOIN', (i) => ` ON t${i}.k = t${i - 1}.k`)}`, one);
  assert.ok((await collect(explained)).length > n);

  for (const sql of [
    chain(2000, 'JOIN', (i) => ` ON t${i}.k = t${i - 1}.k`),
    chain(2000, 'LEFT JOIN', (i) => ` ON t${i}.k = t${i - 1}.k`),
    `SELECT COUNT(*) FROM ${Array.from({ length: 2000 }, (_, i) => `one t${i}`).join(', ')}`,
  ]) {
    await assert.rejects(runQuery(sql, one), (error: unknown) => {
      assert.ok(error instanceof SqlError, String(error));
      assert.match(error.reason, /^FROM joins more than 1000 tables/);
      // At the 1,001st table (or the JOIN that brings it).
      assert.ok(/^(JOIN|LEFT|one) /.test(sql.slice(error.offset)) && sql.slice(0, error.offset).split(' one ').length - 1 === 1000, sql.slice(error.offset, error.offset + 20));
      return true;
    });
  }
});

async function collect(plan: ReturnType<typeof planQuery>): Promise<SqlValue[][]> {
  const rows: SqlValue[][] = [];
  for await (const row of plan.rows({})) rows.push(row);
  return rows;
}

test('WITH queries naming one another 2,000 deep are a positioned SqlError; 150 deep work', async () => {
  const chain = (n: number): string =>
    `WITH ${Array.from({ length: n }, (_, i) => `c${i} AS (SELECT ${i === 0 ? 'v FROM t WHERE g = 1' : `v + 1 AS v FROM c${i - 1}`})`).join(', ')} SELECT MAX(v) FROM c${n - 1}`;
  assert.deepEqual(await run(chain(150)), [[Math.max(...rows.filter((r) => r[0] === 1).map((r) => r[1] as number)) + 149]]);
  const sql = chain(2000);
  const outcome = await rowsOrPositionedError(sql);
  assert.ok(outcome instanceof SqlError);
  assert.match(outcome.reason, /^Views and WITH queries name one another more than 200 levels deep$/);
  assert.equal(sql.slice(outcome.offset), 'c1999', 'where the statement names the outermost');
});
