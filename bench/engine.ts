// node --import tsx bench/engine.ts — the engine alone on a 1,000,000-row in-memory table,
// each query timed in the same run against SQLite (better-sqlite3, an in-memory database in
// this process, a prepared statement read with .raw().all()) and PostgreSQL (PGlite, in this
// process), all three on the same rows. The four queries the engine issue asks for come first
// (filter + count, GROUP BY with 1,000 keys, top-10, a 1M × 100k hash join), then filters,
// expressions, aggregates, sorts and DISTINCT. Every result is compared across the three
// engines, so a fast wrong answer is reported. Prints times, our rows/s, the ratios and the
// process's peak memory. Options: --rows N (default 1000000), --runs N (best of N, default 3: on a
// shared machine one run in two can meet a collection or another process).

import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { MemoryTable } from '../src/engine/index.js';
import type { DataType, SqlValue } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { engineColumns, generateDataset, generateRows, standardTable, type Dataset, type TableSpec, type ValueType } from '../test/support/dataset.js';
import { catalogOf, planQuery } from '../test/support/engine-runner.js';
import { PgOracle } from '../test/support/pg-oracle.js';
import { compareResults, type Ordering } from '../test/support/result-compare.js';

const DATA_SEED = 42;
const JOIN_ROWS = 100_000;

interface BenchQuery {
  name: string;
  sql: string;
  /** PostgreSQL's spelling, when it differs (functions; NULL order, which ours puts below every value). */
  pg?: string;
  /** SQLite's spelling, when it differs (datetimes are ISO-8601 text there, LIKE ignores case). */
  sqlite?: string;
  /** Output columns holding the ORDER BY keys: the order is compared too, not only the multiset. */
  orderKeys?: number[];
  /** One of the four the engine issue asks for. */
  required?: boolean;
}

const QUERIES: BenchQuery[] = [
  { name: 'filter + count', required: true, sql: 'SELECT COUNT(*) FROM t WHERE i > 0 AND d < 50' },
  { name: 'GROUP BY, 1,000 keys', required: true, sql: 'SELECT g, COUNT(*), SUM(j), AVG(d) FROM t GROUP BY g' },
  {
    name: 'top-10 (ORDER BY … LIMIT 10)',
    required: true,
    // NULLS LAST: the ten largest values, not the first ten NULLs (all three engines spell it so).
    sql: 'SELECT id, d FROM t ORDER BY d DESC NULLS LAST, id LIMIT 10',
    orderKeys: [1, 0],
  },
  { name: 'hash join 1M × 100k', required: true, sql: 'SELECT COUNT(*), SUM(c.w), MAX(t.d) FROM t JOIN c ON t.k = c.id' },
  { name: 'filter, selective', sql: 'SELECT id, d FROM t WHERE j = 7' },
  { name: 'filter + expressions', sql: "SELECT id, UPPER(s), d * 2 FROM t WHERE d > 50 AND s LIKE '%b%'", sqlite: "SELECT id, UPPER(s), d * 2 FROM t WHERE d > 50 AND s GLOB '*b*'" },
  { name: 'filter, 3 predicates', sql: "SELECT id FROM t WHERE i BETWEEN -5 AND 5 AND b = TRUE AND ts >= '2024-06-01'" },
  {
    name: 'function in WHERE',
    sql: "SELECT COUNT(*) FROM t WHERE DATEPART('month', ts) = 3",
    pg: 'SELECT COUNT(*) FROM t WHERE EXTRACT(MONTH FROM ts) = 3',
    sqlite: "SELECT COUNT(*) FROM t WHERE CAST(strftime('%m', ts) AS INTEGER) = 3",
  },
  { name: 'aggregates, full scan', sql: 'SELECT COUNT(*), SUM(i), AVG(d), MIN(ts), MAX(s) FROM t' },
  { name: 'aggregates + filter', sql: "SELECT COUNT(*), SUM(j), MAX(d) FROM t WHERE s IN ('a', 'abc', 'Zeta') OR e < -100" },
  { name: 'COUNT(DISTINCT)', sql: 'SELECT COUNT(DISTINCT j), COUNT(DISTINCT s) FROM t' },
  { name: 'ORDER BY, 25% of rows', sql: 'SELECT id, d FROM t WHERE i > 10 ORDER BY d NULLS LAST, id', orderKeys: [1, 0] },
  { name: 'DISTINCT', sql: 'SELECT DISTINCT s, b FROM t' },
  { name: 'GROUP BY', sql: 'SELECT s, COUNT(*), AVG(d) FROM t GROUP BY s' },
  {
    name: 'GROUP BY + HAVING + ORDER BY',
    sql: 'SELECT j, SUM(i) FROM t GROUP BY j HAVING COUNT(*) > 4000 ORDER BY 2 DESC NULLS LAST',
    orderKeys: [1],
  },
  { name: 'join on key, 100k-row side', sql: 'SELECT COUNT(*), SUM(c.w) FROM t JOIN c ON t.id = c.id' },
];

interface Measurement {
  seconds: number;
  rows: SqlValue[][];
}

// ---------------------------------------------------------------------------------------------
// Memory: RSS sampled between (and, where the event loop breathes, during) queries; the OS's
// own peak (maxRSS) catches what sampling misses. SQLite and PGlite run in this process, so all
// three engines count.

let sampledPeakRss = 0;
function sampleRss(): number {
  const rss = process.memoryUsage().rss;
  if (rss > sampledPeakRss) sampledPeakRss = rss;
  return rss;
}
const sampler = setInterval(sampleRss, 25);
sampler.unref();

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

// ---------------------------------------------------------------------------------------------
// The data: the differential tests' standard table plus two keys for the issue's queries —
// g, 1,000 groups, and k, a reference to one of the 100,000 rows of c (never NULL, so the
// join probes every row of t).

function benchTable(joinRows: number): TableSpec {
  const standard = standardTable('t');
  return {
    name: 't',
    columns: [
      ...standard.columns,
      { name: 'g', type: 'int', nullRate: 0, draw: (rng) => rng.int(0, 999) },
      { name: 'k', type: 'int', nullRate: 0, draw: (rng) => rng.int(1, joinRows) },
    ],
  };
}

/** The join's other side: ids 1…n (so every t.k, and every t.id up to n, matches a row) and a weight. */
function joinDataset(rowCount: number): Dataset {
  const table: TableSpec = { name: 'c', columns: [{ name: 'w', type: 'int', nullRate: 0, draw: (rng) => rng.int(0, 999) }] };
  return generateDataset(table, rowCount, 7);
}

// ---------------------------------------------------------------------------------------------
// SQLite: booleans are 0/1 and datetimes ISO-8601 text (the forms SQLite's own functions take);
// results are read back by the type our plan gives each output column.

const SQLITE_TYPE: Record<ValueType, string> = { int: 'INTEGER', double: 'REAL', text: 'TEXT', bool: 'INTEGER', ts: 'TEXT' };

function toSqlite(value: SqlValue): number | string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' || typeof value === 'bigint') return value.toString();
  return value;
}

function fromSqlite(value: unknown, type: DataType): SqlValue {
  if (value === null || value === undefined) return null;
  if (type === 'Boolean') return value !== 0;
  if (type === 'Datetime') return new Date(value as string | number);
  if (typeof value === 'bigint') return Number(value);
  return value as SqlValue;
}

function loadSqlite(db: Database.Database, table: TableSpec, rows: Iterable<readonly SqlValue[]>): void {
  const columns = ['id INTEGER PRIMARY KEY', ...table.columns.map((c) => `${c.name} ${SQLITE_TYPE[c.type]}`)];
  db.exec(`CREATE TABLE ${table.name} (${columns.join(', ')})`);
  const insert = db.prepare(`INSERT INTO ${table.name} VALUES (${columns.map(() => '?').join(', ')})`);
  db.exec('BEGIN');
  for (const row of rows) insert.run(row.map(toSqlite));
  db.exec('COMMIT');
  db.exec(`ANALYZE ${table.name}`);
}

// ---------------------------------------------------------------------------------------------

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`);
  return value;
}

async function timeOurs(sql: string, catalog: ReturnType<typeof catalogOf>): Promise<Measurement> {
  const start = performance.now();
  const plan = planQuery(sql, catalog);
  const rows: SqlValue[][] = [];
  for await (const row of plan.rows({})) {
    if ((rows.push(row) & 0xffff) === 0) sampleRss();
  }
  sampleRss();
  return { seconds: (performance.now() - start) / 1000, rows };
}

/** The statement is prepared once, outside the timing; each run is one .raw().all(). */
function timeSqlite(statement: Database.Statement, types: readonly DataType[]): Measurement {
  const start = performance.now();
  const raw = statement.raw(true).all() as unknown[][];
  const seconds = (performance.now() - start) / 1000;
  sampleRss();
  return { seconds, rows: raw.map((row) => row.map((value, i) => fromSqlite(value, types[i]!))) };
}

async function timePg(sql: string, oracle: PgOracle): Promise<Measurement> {
  const start = performance.now();
  const rows = await oracle.query(sql);
  sampleRss();
  return { seconds: (performance.now() - start) / 1000, rows };
}

async function best(runs: number, measure: () => Measurement | Promise<Measurement>): Promise<Measurement> {
  let result: Measurement | undefined;
  for (let i = 0; i < runs; i++) {
    const m = await measure();
    if (!result || m.seconds < result.seconds) result = m;
  }
  return result!;
}

/** compareResults against another engine, its messages naming that engine. */
function difference(ours: Measurement, theirs: Measurement, ordering: Ordering, engine: string): string | null {
  const found = compareResults(ours.rows, theirs.rows, ordering);
  return found === null ? null : `${engine}: ${found.split('\n')[0]!.replace(/PostgreSQL/g, engine)}`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function rate(rowsScanned: number, seconds: number): string {
  const perSecond = rowsScanned / seconds;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(0)} k/s`;
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(seconds < 0.1 ? 1 : 0)} ms`;

function geomean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, r) => sum + Math.log(r), 0) / values.length);
}

async function main(): Promise<void> {
  const rowCount = option('rows', 1_000_000);
  const runs = option('runs', 3);
  const started = performance.now();
  const phase = (label: string): void => {
    console.log(`  ${pad(label, 44)} ${pad(`${((performance.now() - started) / 1000).toFixed(1)} s`, 8, true)}   rss ${mb(sampleRss())}`);
  };

  const joinRows = Math.min(JOIN_ROWS, rowCount);
  console.log(`Engine benchmark: ${rowCount.toLocaleString('en-US')} rows (join side ${joinRows.toLocaleString('en-US')}), best of ${runs} run(s) per query`);
  const table = benchTable(joinRows);
  const joined = joinDataset(joinRows);
  const oracle = await PgOracle.start();
  phase('started PGlite');
  // Streamed from the seed rather than from an array: with the table also on the JS heap,
  // garbage collection makes COPY several times slower.
  await oracle.loadRows(table, generateRows(table, rowCount, DATA_SEED));
  await oracle.load(joined);
  phase('loaded PGlite (COPY)');

  const sqlite = new Database(':memory:');
  loadSqlite(sqlite, table, generateRows(table, rowCount, DATA_SEED));
  loadSqlite(sqlite, joined.table, joined.rows);
  phase(`loaded SQLite ${sqlite.prepare('SELECT sqlite_version()').pluck().get() as string} (in memory)`);

  const catalog = catalogOf(
    new MemoryTable('t', engineColumns(table), generateDataset(table, rowCount, DATA_SEED).rows, { readOnly: true }),
    new MemoryTable('c', engineColumns(joined.table), joined.rows, { readOnly: true }),
  );
  phase('generated the same rows into a MemoryTable');

  const header = [
    pad('query', 30),
    pad('rows out', 9, true),
    pad('ours', 8, true),
    pad('SQLite', 8, true),
    pad('PGlite', 8, true),
    pad('ours rows/s', 12, true),
    pad('vs SQLite', 10, true),
    pad('vs PGlite', 10, true),
  ].join(' ');
  console.log(`\n${header}\n${'-'.repeat(header.length)}`);
  const skipped: string[] = [];
  const mismatches: string[] = [];
  const ratios = { sqlite: [] as number[], pg: [] as number[], requiredSqlite: [] as number[], requiredPg: [] as number[] };
  for (const query of QUERIES) {
    let ours: Measurement;
    let types: DataType[];
    try {
      types = planQuery(query.sql, catalog).columns.map((c) => c.type);
      ours = await best(runs, () => timeOurs(query.sql, catalog));
    } catch (error) {
      if (!(error instanceof SqlError)) throw error;
      skipped.push(`${query.name}: the engine rejects it (${error.reason})`);
      continue;
    }
    const statement = sqlite.prepare(query.sqlite ?? query.sql);
    const lite = await best(runs, () => timeSqlite(statement, types));
    const pg = await best(runs, () => timePg(query.pg ?? query.sql, oracle));
    const scanned = query.name.includes('join') ? rowCount + joined.rows.length : rowCount;
    // > 1: we are faster (their time over ours).
    const vsSqlite = lite.seconds / ours.seconds;
    const vsPg = pg.seconds / ours.seconds;
    ratios.sqlite.push(vsSqlite);
    ratios.pg.push(vsPg);
    if (query.required) {
      ratios.requiredSqlite.push(vsSqlite);
      ratios.requiredPg.push(vsPg);
    }
    // Every query's result is fully determined (ties broken), so the rows must match: as a
    // multiset, and in order where the query has ORDER BY.
    const ordering: Ordering = { keys: query.orderKeys ?? [], cut: false };
    const differences = [difference(ours, lite, ordering, 'SQLite'), difference(ours, pg, ordering, 'PostgreSQL')].filter((d) => d !== null);
    for (const d of differences) mismatches.push(`${query.name}: ${d}`);
    console.log(
      [
        pad(`${query.required ? '* ' : '  '}${query.name}`, 30),
        pad(String(ours.rows.length), 9, true),
        pad(ms(ours.seconds), 8, true),
        pad(ms(lite.seconds), 8, true),
        pad(ms(pg.seconds), 8, true),
        pad(rate(scanned, ours.seconds), 12, true),
        pad(`${vsSqlite.toFixed(2)}x`, 10, true),
        pad(`${vsPg.toFixed(2)}x`, 10, true),
      ].join(' ') + (differences.length > 0 ? '  RESULTS DIFFER' : ''),
    );
  }
  console.log('\n* = asked for by the engine issue. rows/s counts rows scanned (the table, plus the join side), not rows returned.');
  console.log('vs SQLite / vs PGlite = their time / our time: above 1 we are faster, below 1 slower.');
  if (ratios.sqlite.length > 0) {
    console.log(
      `geometric mean: vs SQLite ${geomean(ratios.sqlite).toFixed(2)}x, vs PGlite ${geomean(ratios.pg).toFixed(2)}x over ${ratios.sqlite.length} queries` +
        (ratios.requiredSqlite.length > 0
          ? `; the ${ratios.requiredSqlite.length} issue queries: vs SQLite ${geomean(ratios.requiredSqlite).toFixed(2)}x, vs PGlite ${geomean(ratios.requiredPg).toFixed(2)}x`
          : ''),
    );
  }
  if (mismatches.length === 0) console.log(`results: all ${ratios.sqlite.length} queries agree across the three engines.`);
  else {
    console.log(`results: ${mismatches.length} DIFFERENCE(S):`);
    for (const m of mismatches) console.log(`  ${m}`);
    process.exitCode = 1;
  }
  for (const note of skipped) console.log(`skipped — ${note}`);

  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`\npeak RSS: ${mb(Math.max(maxRss, sampledPeakRss))} (OS maxRSS ${mb(maxRss)}, sampled ${mb(sampledPeakRss)}); all three engines share this process.`);
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  sqlite.close();
  await oracle.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
