// An aggregate over a join reads each match through one reused row instead of a joined row per
// match (hashJoinInto, aggregateFold). Checked against PostgreSQL (PGlite) on keys with NULLs and
// duplicates on both sides, every join type, residual conditions, WHERE and HAVING, DISTINCT
// aggregates, exact numerics, empty sides, nested loops and joins of joins; and a cancel stops it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Numeric } from '../src/engine/numeric.js';
import type { Catalog, Column, ExecContext, Row, ScanPlan, ScanRequest, SqlValue, Table } from '../src/engine/table.js';
import { catalogOf, memoryTable, planQuery, runQuery } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';
import { agreeWithPostgres } from './support/pg-agree.js';
import { compareResults } from './support/result-compare.js';

const leftColumns: Column[] = [
  { name: 'id', type: 'Integer' },
  { name: 'k', type: 'Integer' },
  { name: 'k2', type: 'String' },
  { name: 'x', type: 'Integer' },
  { name: 'n', type: 'Decimal' },
  { name: 's', type: 'String' },
];
const rightColumns: Column[] = [
  { name: 'id', type: 'Integer' },
  { name: 'k', type: 'Integer' },
  { name: 'k2', type: 'String' },
  { name: 'w', type: 'Integer' },
  { name: 'f', type: 'Double' },
];

const texts = ['a', 'b', 'c', null];
const decimals = ['0.10', '2.25', '-1.05', '100.00', null, '7.77'];

/** Keys 0…9 on the left and 3…14 on the right, some NULL, most repeated on both sides. */
const leftRows: SqlValue[][] = Array.from({ length: 60 }, (_, i) => [
  i + 1,
  i % 13 === 5 ? null : (i * 7) % 10,
  texts[i % 4]!,
  i % 9 === 2 ? null : (i * 31) % 17 - 5,
  decimals[i % 6] === null ? null : Numeric.parse(decimals[i % 6]!),
  i % 5 === 0 ? null : `s${i % 3}`,
]);
const rightRows: SqlValue[][] = Array.from({ length: 40 }, (_, i) => [
  i + 1,
  i % 11 === 4 ? null : 3 + ((i * 5) % 12),
  texts[(i + 1) % 4]!,
  i % 7 === 3 ? null : (i * 13) % 23,
  i % 6 === 1 ? null : (i - 20) / 4,
]);

const sqlLiteral = (v: SqlValue): string => (v === null ? 'NULL' : typeof v === 'string' ? `'${v}'` : String(v));
const insert = (table: string, rows: SqlValue[][]): string => `INSERT INTO ${table} VALUES ${rows.map((r) => `(${r.map(sqlLiteral).join(', ')})`).join(', ')}`;

describe('aggregates over joins, against PostgreSQL', () => {
  let oracle: PgOracle;
  const catalog: Catalog = catalogOf(memoryTable('l', leftColumns, leftRows), memoryTable('r', rightColumns, rightRows), memoryTable('e', rightColumns, []));

  before(async () => {
    oracle = await PgOracle.start();
    await oracle.exec('CREATE TABLE l (id integer, k integer, k2 text, x integer, n numeric(10,2), s text)');
    await oracle.exec('CREATE TABLE r (id integer, k integer, k2 text, w integer, f double precision)');
    await oracle.exec('CREATE TABLE e (id integer, k integer, k2 text, w integer, f double precision)');
    await oracle.exec(insert('l', leftRows));
    await oracle.exec(insert('r', rightRows));
  });

  after(async () => {
    await oracle?.close();
  });

  const agree = (sql: string, keys?: number[]): Promise<void> => agreeWithPostgres(sql, catalog, oracle, keys ? { keys } : {});

  test('the data has NULL and repeated keys on both sides, and keys only one side has', async () => {
    const [counts] = await oracle.query(
      'SELECT (SELECT count(*) FROM l WHERE k IS NULL), (SELECT count(*) FROM r WHERE k IS NULL), ' +
        '(SELECT count(*) FROM (SELECT k FROM l GROUP BY k HAVING count(*) > 1) d), (SELECT count(*) FROM (SELECT k FROM r GROUP BY k HAVING count(*) > 1) d), ' +
        '(SELECT count(*) FROM l WHERE k NOT IN (SELECT k FROM r WHERE k IS NOT NULL)), (SELECT count(*) FROM r WHERE k NOT IN (SELECT k FROM l WHERE k IS NOT NULL))',
    );
    for (const [i, c] of counts!.entries()) assert.ok(Number(c) > 0, `count ${i} of ${counts!.join(', ')}`);
  });

  test('every join type, NULL keys never matching, duplicates multiplying', async () => {
    for (const type of ['JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN']) {
      await agree(`SELECT COUNT(*), COUNT(l.id), COUNT(r.id), SUM(r.w), MAX(l.x), MIN(r.f), AVG(l.n), SUM(l.n), MAX(l.s), MIN(r.k2) FROM l ${type} r ON l.k = r.k`);
      await agree(`SELECT l.k, COUNT(*), COUNT(r.id), SUM(r.w), AVG(r.f), MAX(l.n) FROM l ${type} r ON l.k = r.k GROUP BY l.k`);
      await agree(`SELECT r.k, l.s, COUNT(*), SUM(l.x), MIN(l.n) FROM l ${type} r ON l.k = r.k GROUP BY r.k, l.s`);
    }
  });

  test('two-key joins, residual conditions, WHERE and HAVING', async () => {
    for (const type of ['JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN']) {
      await agree(`SELECT l.k2, COUNT(*), SUM(r.w), MAX(r.f) FROM l ${type} r ON l.k = r.k AND l.k2 = r.k2 GROUP BY l.k2`);
      await agree(`SELECT COUNT(*), COUNT(r.w), SUM(l.x * r.w), MAX(l.x - r.w) FROM l ${type} r ON l.k = r.k AND l.x < r.w`);
    }
    await agree('SELECT l.k, COUNT(*), SUM(r.w) FROM l JOIN r ON l.k = r.k WHERE r.f > 0 OR l.s IS NULL GROUP BY l.k');
    await agree('SELECT r.k2, COUNT(*) FROM l LEFT JOIN r ON l.k = r.k WHERE r.id IS NULL GROUP BY r.k2');
    // Filters on one side, pushed below the join (into its scan or its build side).
    await agree('SELECT l.k, COUNT(*), SUM(r.w) FROM l JOIN r ON l.k = r.k WHERE l.x * 2 > 3 AND r.w + 0 < 15 GROUP BY l.k');
    await agree("SELECT l.k, COUNT(*), COUNT(r.id), SUM(r.w) FROM l LEFT JOIN r ON l.k = r.k AND r.w > 5 WHERE l.s LIKE 's1%' GROUP BY l.k");
    await agree('SELECT l.k, COUNT(*), SUM(r.w) FROM l JOIN r ON l.k = r.k GROUP BY l.k HAVING COUNT(*) > 6 ORDER BY l.k', [0]);
  });

  test('DISTINCT aggregates, exact numerics and a numeric key meeting an integer key', async () => {
    await agree('SELECT l.k, COUNT(DISTINCT r.w), SUM(DISTINCT l.x), COUNT(DISTINCT l.n) FROM l JOIN r ON l.k = r.k GROUP BY l.k');
    await agree('SELECT SUM(l.n * r.w), AVG(l.n * r.w), SUM(l.n + r.f) FROM l FULL JOIN r ON l.k = r.k');
    await agree('SELECT COUNT(*), SUM(r.w), MAX(l.n) FROM l JOIN r ON l.n * 4 = r.k');
    await agree('SELECT r.k, COUNT(*) FROM r JOIN l ON r.k = ROUND(l.n) + 3 GROUP BY r.k');
  });

  test('an empty side: one row of COUNT 0 and NULLs, or the other side padded', async () => {
    await agree('SELECT COUNT(*), SUM(e.w), MAX(l.x) FROM l JOIN e ON l.k = e.k');
    await agree('SELECT COUNT(*), SUM(e.w), MAX(l.x) FROM e JOIN l ON l.k = e.k');
    await agree('SELECT COUNT(*), COUNT(e.id), SUM(l.x) FROM l LEFT JOIN e ON l.k = e.k');
    await agree('SELECT COUNT(*), COUNT(l.id), SUM(e.w) FROM l RIGHT JOIN e ON l.k = e.k');
    await agree('SELECT COUNT(*), COUNT(e.id), SUM(l.x) FROM e FULL JOIN l ON l.k = e.k');
    await agree('SELECT l.k, COUNT(e.id), COUNT(*) FROM l LEFT JOIN e ON l.k = e.k GROUP BY l.k');
    await agree('SELECT COUNT(*) FROM l CROSS JOIN e');
  });

  test('nested loops (no equality) and a join of a join', async () => {
    await agree('SELECT COUNT(*), SUM(l.x * r.w), MAX(r.f) FROM l CROSS JOIN r');
    await agree('SELECT l.s, COUNT(*), SUM(r.w) FROM l, r WHERE l.x > r.w GROUP BY l.s');
    await agree('SELECT COUNT(*), COUNT(r.id), SUM(r.w) FROM l LEFT JOIN r ON l.x > r.w + 10');
    await agree('SELECT l.k, COUNT(*), SUM(r2.w), MAX(r.f) FROM l JOIN r ON l.k = r.k JOIN r AS r2 ON r2.id = l.id GROUP BY l.k');
    await agree('SELECT COUNT(*), SUM(r2.w), COUNT(r.id) FROM l LEFT JOIN r ON l.k = r.k FULL JOIN r AS r2 ON r2.k = l.x');
    await agree('SELECT d.k, COUNT(*), SUM(d.w) FROM (SELECT l.k, r.w FROM l JOIN r ON l.k = r.k) d GROUP BY d.k');
    // Joined in another order than written (l, r2, r), each row put back in the written layout.
    const reordered = 'SELECT l.s, COUNT(*), SUM(r.w), MAX(r2.f), MIN(l.x) FROM l, r, r AS r2 WHERE l.k = r2.k AND r2.id = r.id GROUP BY l.s';
    assert.match(planQuery(reordered, catalog).explain().join('\n'), /Join order l, r2, r \(reordered/);
    await agree(reordered);
  });

  test('the same rows as the joined rows aggregated one by one', async () => {
    // A projection over the join (no aggregate) still builds each row; grouping those rows by
    // hand must give what the aggregate over the join gives.
    const joined = await runQuery('SELECT l.k, r.w FROM l FULL JOIN r ON l.k = r.k AND l.k2 = r.k2', catalog);
    const byKey = new Map<SqlValue, [number, number]>();
    for (const [k, w] of joined) {
      const entry = byKey.get(k!) ?? [0, 0];
      entry[0]++;
      if (w !== null) entry[1] += w as number;
      byKey.set(k!, entry);
    }
    const grouped = await runQuery('SELECT l.k, COUNT(*), SUM(r.w) FROM l FULL JOIN r ON l.k = r.k AND l.k2 = r.k2 GROUP BY l.k', catalog);
    const expected = [...byKey].map(([k, [count, sum]]) => [k, count, sum]);
    const sumsOf = (rows: Row[]): Row[] => rows.map(([k, count, sum]) => [k, count, sum === null ? 0 : Number(sum)]);
    assert.equal(compareResults(sumsOf(grouped), expected, { keys: [], cut: false }), null);
  });
});

test('a cancel stops an aggregate over a join between left batches', async () => {
  const rows = Array.from({ length: 500 }, (_, i) => [i, i % 10]);
  const columns: Column[] = [{ name: 'n', type: 'Integer' }, { name: 'g', type: 'Integer' }];
  const controller = new AbortController();
  let pulled = 0;
  const rowTable: Table = {
    name: 'slow',
    columns,
    plan: (request: ScanRequest): ScanPlan => ({ pushed: [], residual: request.predicates, orderSatisfied: false, limitApplied: false, describe: () => ['RowTable'] }),
    async *scan(): AsyncIterable<Row> {
      for (const row of rows) {
        if (pulled === 10) controller.abort(new Error('cancelled'));
        pulled++;
        yield row;
      }
    },
  };
  const catalog = catalogOf(rowTable, memoryTable('m', columns, rows));
  const ctx: ExecContext = { signal: controller.signal };
  const run = async (): Promise<void> => {
    for await (const _row of planQuery('SELECT slow.g, COUNT(*), SUM(m.n) FROM slow JOIN m ON slow.g = m.g GROUP BY slow.g', catalog).rows(ctx)) assert.fail('no row expected');
  };
  await assert.rejects(run(), /cancelled/);
  assert.ok(pulled <= 12, `read ${pulled} rows after the cancel`);
});
