// Filters and ORDER BY … LIMIT on a memory table's column vectors (column-vectors.ts,
// operators/column-scan.ts, operators/column-top.ts): the same rows as PostgreSQL (PGlite) over
// the same data, the same answers as the row path for the values PostgreSQL has no spelling for
// (NaN, infinities, -0, mixed kinds), and vectors that follow the table's writes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ColumnVectors } from '../src/engine/column-vectors.js';
import { newInstrument } from '../src/engine/instrument.js';
import { MemoryTable } from '../src/engine/memory-table.js';
import { openColumnScan, type ColumnScan } from '../src/engine/operators/column-scan.js';
import { compileScanPredicate } from '../src/engine/predicates.js';
import { Session } from '../src/engine/session.js';
import { planStatement } from '../src/engine/index.js';
import type { Catalog, Predicate, PredicateOp, Row, SqlValue, Table } from '../src/engine/table.js';
import { parse } from '../src/sql/parser.js';
import { engineColumns, generateDataset, standardTable, type Dataset } from './support/dataset.js';
import { catalogOf, planQuery, runQuery } from './support/engine-runner.js';
import { collect } from './engine-fixtures.js';
import { PgOracle } from './support/pg-oracle.js';
import { compareResults } from './support/result-compare.js';

/** The table without column vectors: the engine's row path over the same rows. */
function rowPath(table: MemoryTable): Table {
  return {
    name: table.name,
    columns: table.columns,
    plan: (request) => table.plan(request),
    scan: (plan, ctx) => table.scan(plan, ctx),
    scanBatches: (plan, ctx) => table.scanBatches(plan, ctx),
  };
}

/** Counts the runs that read the table's vectors. */
function countOpens(table: MemoryTable): { opens: number } {
  const counter = { opens: 0 };
  const columnar = table.columnar.bind(table);
  table.columnar = (plan) => {
    const source = columnar(plan);
    return source && { open: (columns) => (counter.opens++, source.open(columns)) };
  };
  return counter;
}

// ---------------------------------------------------------------------------------------------
// Against PostgreSQL. 5,000 rows: several batches of positions, and far more rows than any
// LIMIT, so a top-N has a cutoff for most of the scan. Small domains give ties and NULLs.

let oracle: PgOracle;
let dataset: Dataset;

before(async () => {
  dataset = generateDataset(standardTable('t'), 5000, 20_261_205);
  oracle = await PgOracle.start();
  await oracle.load(dataset);
});

after(async () => {
  await oracle.close();
});

interface Case {
  sql: string;
  /** Output columns holding the ORDER BY keys. */
  keys?: number[];
  /** Whether LIMIT cuts a tie group (then the rows kept from it may differ). */
  cut?: boolean;
}

const topCases: Case[] = [
  { sql: 'SELECT id, i FROM t ORDER BY i, id LIMIT 10', keys: [1, 0] },
  { sql: 'SELECT id, i FROM t ORDER BY i DESC, id LIMIT 10', keys: [1, 0] },
  { sql: 'SELECT id, i FROM t ORDER BY i NULLS FIRST, id LIMIT 7 OFFSET 5', keys: [1, 0] },
  { sql: 'SELECT id, i FROM t ORDER BY i DESC NULLS LAST, id DESC LIMIT 25 OFFSET 1000', keys: [1, 0] },
  { sql: 'SELECT id, i FROM t ORDER BY i DESC NULLS LAST, id LIMIT 900 OFFSET 4000', keys: [1, 0] },
  { sql: 'SELECT id, d FROM t ORDER BY d DESC NULLS LAST, id LIMIT 10', keys: [1, 0] },
  { sql: 'SELECT d, id FROM t ORDER BY 1, 2 DESC LIMIT 10 OFFSET 3', keys: [0, 1] },
  { sql: 'SELECT id, b, ts FROM t ORDER BY b, ts DESC, id LIMIT 15', keys: [1, 2, 0] },
  { sql: 'SELECT id, b FROM t ORDER BY b DESC NULLS FIRST, id LIMIT 1500', keys: [1, 0] },
  { sql: 'SELECT id, ts FROM t ORDER BY ts, id LIMIT 12', keys: [1, 0] },
  { sql: 'SELECT id, ts FROM t ORDER BY ts DESC, id LIMIT 12', keys: [1, 0] },
  { sql: 'SELECT id, s FROM t ORDER BY s, id LIMIT 10', keys: [1, 0] },
  { sql: 'SELECT id, i, j FROM t ORDER BY i, j LIMIT 30', keys: [1, 2], cut: true },
  { sql: 'SELECT id, d FROM t WHERE i > 0 AND d < 50 ORDER BY d, id LIMIT 10', keys: [1, 0] },
  { sql: "SELECT id, j FROM t WHERE s LIKE '%b%' ORDER BY j DESC, id LIMIT 10", keys: [1, 0] },
  { sql: 'SELECT id, d FROM t WHERE j IS NULL ORDER BY d NULLS FIRST, id LIMIT 10', keys: [1, 0] },
  { sql: 'SELECT id, e FROM t WHERE i IN (1, 2, 3) AND e <> 0 ORDER BY e, id LIMIT 10', keys: [1, 0] },
  { sql: 'SELECT id, 7, i FROM t ORDER BY i, id LIMIT 5', keys: [2, 0] },
  { sql: 'SELECT id, i FROM t ORDER BY i, id LIMIT 10000 OFFSET 4990', keys: [1, 0] },
  { sql: 'SELECT id, i FROM t WHERE d > 1000 ORDER BY i, id LIMIT 10', keys: [1, 0] },
];

const sortCases: Case[] = [
  { sql: 'SELECT id, d FROM t WHERE i > 10 ORDER BY d NULLS LAST, id', keys: [1, 0] },
  { sql: 'SELECT id, i FROM t ORDER BY i, id', keys: [1, 0] },
  { sql: 'SELECT id, i FROM t ORDER BY i DESC, id DESC', keys: [1, 0] },
  { sql: 'SELECT id, i, j FROM t ORDER BY i NULLS FIRST, j DESC NULLS LAST, id', keys: [1, 2, 0] },
  { sql: 'SELECT id, b, d FROM t WHERE d < 0 ORDER BY b DESC, d, id', keys: [1, 2, 0] },
  { sql: 'SELECT ts, id FROM t WHERE ts IS NOT NULL ORDER BY 1 DESC, 2', keys: [0, 1] },
  { sql: "SELECT id, e FROM t WHERE s LIKE 'a%' ORDER BY e, id", keys: [1, 0] },
  { sql: 'SELECT DISTINCT i FROM t WHERE i < 0 ORDER BY i', keys: [0] },
  { sql: 'SELECT i, 1 FROM t WHERE i > 15 ORDER BY i', keys: [0] },
];

const filterCases: Case[] = [
  { sql: 'SELECT COUNT(*) FROM t WHERE i > 0 AND d < 50' },
  { sql: 'SELECT id FROM t WHERE i = 3' },
  { sql: 'SELECT id FROM t WHERE i <> 3' },
  { sql: 'SELECT id FROM t WHERE i <= -5 AND j >= 90' },
  { sql: 'SELECT id, d FROM t WHERE d > 99.5' },
  { sql: 'SELECT id FROM t WHERE j = 2.5' },
  { sql: 'SELECT COUNT(*) FROM t WHERE b = TRUE' },
  { sql: 'SELECT COUNT(*) FROM t WHERE b <> FALSE AND i < 0' },
  { sql: "SELECT id FROM t WHERE ts >= '2025-06-01' AND ts < '2025-06-10'" },
  { sql: "SELECT COUNT(*) FROM t WHERE ts2 <= '2023-03-01'" },
  { sql: 'SELECT COUNT(*) FROM t WHERE i IS NULL' },
  { sql: 'SELECT id FROM t WHERE d IS NOT NULL AND b IS NULL AND e > 100' },
  { sql: "SELECT id, s FROM t WHERE i BETWEEN -5 AND 5 AND s = 'abc'" },
  { sql: 'SELECT id FROM t WHERE i > 0 AND j / i > 12' },
  { sql: 'SELECT id FROM t WHERE d < 0 AND (i > 18 OR j < -95)' },
  { sql: 'SELECT COUNT(*), SUM(j) FROM t WHERE e >= 0 AND e <= 10 AND ts IS NOT NULL' },
];

for (const c of [...topCases, ...sortCases, ...filterCases]) {
  test(`on the vectors, as PostgreSQL: ${c.sql}`, async () => {
    const table = new MemoryTable('t', engineColumns(dataset.table), dataset.rows);
    const counter = countOpens(table);
    const ours = await runQuery(c.sql, catalogOf(table));
    const theirs = await oracle.query(c.sql);
    assert.equal(compareResults(ours, theirs, { keys: c.keys ?? [], cut: c.cut ?? false }), null);
    assert.equal(counter.opens, 1, 'the query read the vectors');
    assert.equal(table.rowsPulled, 5000, 'every row was read once');
  });
}

test('a filter on a string alone and a plain read leave the vectors alone', async () => {
  const table = new MemoryTable('t', engineColumns(dataset.table), dataset.rows);
  const counter = countOpens(table);
  await runQuery("SELECT COUNT(*) FROM t WHERE s = 'abc'", catalogOf(table));
  await runQuery('SELECT COUNT(*), SUM(i) FROM t', catalogOf(table));
  await runQuery('SELECT id FROM t WHERE i > 3 LIMIT 5', catalogOf(table));
  assert.equal(counter.opens, 0);
});

// ---------------------------------------------------------------------------------------------
// Against the row path, value by value: every kind a vector holds, with the values PostgreSQL
// cannot hold (NaN is a number there, but -0, undefined and mixed kinds are ours).

const numbers: (SqlValue | undefined)[] = [null, undefined, 0, -0, 1, -1, 2.5, -7.25, 1e300, Infinity, -Infinity, NaN, 42];
const booleans: (SqlValue | undefined)[] = [true, false, null, undefined, true];
const dates: (SqlValue | undefined)[] = [new Date(Date.UTC(2024, 5, 1)), new Date(Date.UTC(2023, 0, 1, 12, 30)), new Date(Number.NaN), null, undefined];
const constants: SqlValue[] = [
  0, -0, 1, -1, 2.5, 1e300, Infinity, -Infinity, NaN, 42, '', 'a', '42', ' 42 ', '2.5', 'true', '2024-06-01', true, false,
  new Date(Date.UTC(2024, 5, 1)), new Date(Number.NaN),
];
const ops: PredicateOp[] = ['=', '<>', '<', '<=', '>', '>=', 'IS NULL', 'IS NOT NULL'];
const show = (v: SqlValue | undefined): string => (v instanceof Date ? `Date(${v.getTime()})` : typeof v === 'string' ? `'${v}'` : String(v));

function scanOf(rows: Row[], predicate: Predicate): ColumnScan {
  const vectors = new ColumnVectors();
  return {
    source: { open: (columns) => vectors.current(rows, columns) },
    residual: [{ predicate, index: 1 }],
    engineTest: undefined,
    filtersOnVectors: true,
    instrument: newInstrument('Scan'),
  };
}

test('a vector test keeps exactly the rows the row test keeps, for every kind, constant and operator', () => {
  let onVectors = 0;
  // A column holding a NaN is tested on the rows (NaN sorts above every number there); without one, on the vectors.
  const finiteOrInfinite = numbers.filter((n) => !Number.isNaN(n));
  for (const column of [numbers, finiteOrInfinite, booleans, dates, [null, undefined]]) {
    const rows: Row[] = column.map((value, i) => [i, value as SqlValue]);
    for (const op of ops) {
      for (const value of op.startsWith('IS') ? [undefined] : constants) {
        const predicate: Predicate = { id: 1, column: 'c', op, ...(value === undefined ? {} : { value }), text: 'c' };
        const expected = rows.filter(compileScanPredicate(predicate, 1)).map((row) => row[0]);
        const opened = openColumnScan(scanOf(rows, predicate));
        const count = opened.select(0, rows.length);
        const kept = [...opened.selected.subarray(0, count)].map((p) => rows[p]!).filter((row) => !opened.rowTest || opened.rowTest(row));
        assert.deepEqual(
          kept.map((row) => row[0]),
          expected,
          `${column.map(show).join(', ')}: c ${op} ${show(value)}`,
        );
        if (!opened.rowTest) onVectors++;
      }
    }
  }
  // The kinds that match were tested on the vectors, not handed back to the row test.
  assert.ok(onVectors > 100, `${onVectors} cases on the vectors`);
});

test('a column of mixed kinds, or of a kind no vector holds, is tested on the row', () => {
  const predicate: Predicate = { id: 1, column: 'c', op: '>', value: 1, text: 'c > 1' };
  for (const column of [[1, 'x', 3], [1, true], [new Date(0), 5], ['a', 'b'], [1n, 2n]] as SqlValue[][]) {
    const rows: Row[] = column.map((value, i) => [i, value]);
    const opened = openColumnScan(scanOf(rows, predicate));
    assert.equal(opened.data.vector(1), undefined);
    assert.ok(opened.rowTest);
  }
});

function oddTable(name: string): MemoryTable {
  // 3,000 rows: every odd number many times over, with ids to break ties, and a mixed column.
  const odd = [NaN, Infinity, -Infinity, -0, 0, null, 1.5, -1.5, 1e300];
  const rows: Row[] = Array.from({ length: 3000 }, (_, i) => [i, odd[(i * 7) % odd.length]!, i % 5 === 0 ? 'x' : i % 13, i % 3 === 0]);
  return new MemoryTable(name, [
    { name: 'id', type: 'Integer' },
    { name: 'x', type: 'Double' },
    { name: 'm', type: 'Integer' },
    { name: 'f', type: 'Boolean' },
  ], rows);
}

const oddQueries = [
  'SELECT id, x FROM t ORDER BY x, id LIMIT 20',
  'SELECT id, x FROM t ORDER BY x DESC, id LIMIT 20 OFFSET 700',
  'SELECT id, x FROM t ORDER BY x NULLS FIRST, id DESC LIMIT 1200',
  'SELECT id, x FROM t ORDER BY x DESC NULLS LAST, id LIMIT 10 OFFSET 2990',
  'SELECT x, id FROM t ORDER BY x LIMIT 50',
  'SELECT id, m FROM t ORDER BY m, id LIMIT 20',
  'SELECT id, m FROM t ORDER BY m DESC, id LIMIT 20',
  'SELECT id FROM t WHERE x > 0',
  'SELECT id FROM t WHERE x <> 0 AND f = TRUE',
  'SELECT id FROM t WHERE x <= -1.5',
  'SELECT COUNT(*) FROM t WHERE x = 0',
  'SELECT id, x FROM t WHERE m > 3 ORDER BY x DESC, id LIMIT 15',
  'SELECT id, x FROM t WHERE f = FALSE AND x IS NOT NULL ORDER BY x, id LIMIT 15',
  'SELECT id, x FROM t ORDER BY x',
  'SELECT id, x FROM t ORDER BY x DESC',
  'SELECT x, id FROM t ORDER BY x NULLS FIRST, id DESC',
  'SELECT id, x FROM t WHERE m > 3 ORDER BY x DESC NULLS LAST',
  'SELECT id, m FROM t ORDER BY m',
  'SELECT id, f, x FROM t ORDER BY f, x DESC',
  'SELECT id, x, f FROM t ORDER BY x, f DESC, id',
];

for (const sql of oddQueries) {
  test(`NaN, infinities, -0 and a mixed column: the same rows, in the same order, as the row path: ${sql}`, async () => {
    const table = oddTable('t');
    const counter = countOpens(table);
    const ours = await runQuery(sql, catalogOf(table));
    const rows = await runQuery(sql, catalogOf(rowPath(oddTable('t'))));
    assert.deepEqual(ours, rows);
    assert.equal(counter.opens, 1);
  });
}

test('a sort on the vectors holds no more rows than MaxIntermediateRows allows', async () => {
  const table = new MemoryTable('t', engineColumns(dataset.table), dataset.rows);
  const counter = countOpens(table);
  const rows = planQuery('SELECT id, d FROM t WHERE i > 0 ORDER BY d, id', catalogOf(table)).rows({ maxIntermediateRows: 1000 });
  await assert.rejects(async () => {
    for await (const row of rows) assert.ok(row);
  }, /Sort would hold more than 1000 rows/);
  assert.equal(counter.opens, 1);
  const few = await collect(planQuery('SELECT id, d FROM t WHERE i = 20 ORDER BY d, id', catalogOf(table)).rows({ maxIntermediateRows: 1000 }));
  assert.ok(few.length > 0 && few.length < 1000);
});

// ---------------------------------------------------------------------------------------------
// Writes.

function session(): { run(sql: string): Promise<Row[] | number>; catalog: Catalog; session: Session } {
  const s = new Session();
  const catalog = catalogOf();
  return {
    session: s,
    catalog,
    async run(sql) {
      const plan = planStatement(parse(sql), sql, catalog, undefined, s);
      if (plan.kind === 'write') return (await plan.execute({})).rowsAffected;
      const rows: Row[] = [];
      for await (const row of plan.rows({})) rows.push(row);
      return rows;
    },
  };
}

test('the vectors follow INSERT, UPDATE and DELETE on a temporary table', async () => {
  const { run } = session();
  await run('CREATE TEMP TABLE n (id INTEGER, v DOUBLE PRECISION)');
  await run('INSERT INTO n SELECT g, g / 10.0 FROM generate_series(1, 3000) AS g');
  const count = async (): Promise<SqlValue> => ((await run('SELECT COUNT(*) FROM n WHERE v > 100')) as Row[])[0]![0]!;
  const top = async (): Promise<Row[]> => (await run('SELECT id, v FROM n ORDER BY v DESC NULLS LAST, id LIMIT 2')) as Row[];
  assert.equal(await count(), 2000);
  assert.deepEqual(await top(), [[3000, 300], [2999, 299.9]]);
  await run('UPDATE n SET v = 0 WHERE id = 3000');
  assert.equal(await count(), 1999);
  assert.deepEqual(await top(), [[2999, 299.9], [2998, 299.8]]);
  await run('DELETE FROM n WHERE id > 2500');
  assert.equal(await count(), 1500);
  assert.deepEqual(await top(), [[2500, 250], [2499, 249.9]]);
  await run('INSERT INTO n VALUES (9001, 1000), (9002, NULL)');
  assert.equal(await count(), 1501);
  assert.deepEqual(await top(), [[9001, 1000], [2500, 250]]);
  await run('UPDATE n SET v = NULL WHERE id = 9001');
  assert.deepEqual(await top(), [[2500, 250], [2499, 249.9]]);
  assert.deepEqual(await run('SELECT id, v FROM n ORDER BY v DESC, id LIMIT 2'), [[9001, null], [9002, null]]);
});

test('rows changed behind the table are seen once the changer says so, and an open run keeps its own', async () => {
  const table = new MemoryTable('t', [{ name: 'id', type: 'Integer' }, { name: 'v', type: 'Integer' }], [[1, 10], [2, 20], [3, 30]]);
  const catalog = catalogOf(table);
  assert.deepEqual(await runQuery('SELECT id FROM t WHERE v > 15', catalog), [[2], [3]]);
  const open = table.columnar(table.plan({ predicates: [], columns: [], orderBy: [] }))!.open();
  table.rows[1] = [2, 5];
  table.rowsChanged();
  assert.deepEqual(await runQuery('SELECT id FROM t WHERE v > 15', catalog), [[3]]);
  // A changed first or last row is noticed even unannounced.
  table.rows[2] = [3, 0];
  assert.deepEqual(await runQuery('SELECT id FROM t WHERE v > 15', catalog), []);
  assert.deepEqual(open.rows, [[1, 10], [2, 20], [3, 30]]);
  assert.deepEqual([...open.vector(1)!.values], [10, 20, 30]);
});

test('a consumer that stops early closes the scan, and EXPLAIN ANALYZE counts the rows read', async () => {
  const table = new MemoryTable('t', engineColumns(dataset.table), dataset.rows);
  const sql = 'SELECT id FROM t WHERE i > 0';
  const plan = planStatement(parse(sql), sql, catalogOf(table));
  assert.equal(plan.kind, 'query');
  for await (const row of (plan as Extract<typeof plan, { kind: 'query' }>).rows({})) {
    assert.ok(row);
    break;
  }
  assert.equal(table.scansClosedEarly, 1);
  assert.ok(table.rowsPulled < 5000);
  const explain = (await runQuery(`EXPLAIN ANALYZE ${sql}`, catalogOf(table))).map((row) => String(row[0]));
  const expected = dataset.rows.filter((row) => typeof row[1] === 'number' && row[1] > 0).length;
  assert.ok(explain.some((line) => /^Filter .*actual: \d+ rows/.test(line) && line.includes(`actual: ${expected} rows`)), explain.join('\n'));
  assert.ok(explain.some((line) => line.includes('actual: 5000 rows')), explain.join('\n'));
});
