// node --import tsx bench/engine.ts — the engine alone on a 1,000,000-row in-memory table:
// filters, expressions, aggregates, sorts, DISTINCT (and GROUP BY / joins once the engine has
// them: a query it rejects is reported and skipped), each timed against PostgreSQL (PGlite, in
// this process, on the same rows) in the same run. Prints rows/s for both, the ratio, and the
// process's peak memory. Options: --rows N (default 1000000), --runs N (best of N, default 2).

import { performance } from 'node:perf_hooks';
import { MemoryTable } from '../src/engine/index.js';
import type { SqlValue } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { engineColumns, generateDataset, generateRows, standardTable, type Dataset, type TableSpec } from '../test/support/dataset.js';
import { catalogOf, planQuery } from '../test/support/engine-runner.js';
import { PgOracle } from '../test/support/pg-oracle.js';
import { compareResults } from '../test/support/result-compare.js';

const DATA_SEED = 42;

interface BenchQuery {
  name: string;
  sql: string;
  /** PostgreSQL's spelling, when it differs (functions; NULL order, which ours puts below every value). */
  pg?: string;
}

const QUERIES: BenchQuery[] = [
  { name: 'filter, selective', sql: 'SELECT id, d FROM t WHERE j = 7' },
  { name: 'filter + expressions', sql: "SELECT id, UPPER(s), d * 2 FROM t WHERE d > 50 AND s LIKE '%b%'" },
  { name: 'filter, 3 predicates', sql: "SELECT id FROM t WHERE i BETWEEN -5 AND 5 AND b = TRUE AND ts >= '2024-06-01'" },
  { name: 'function in WHERE', sql: "SELECT COUNT(*) FROM t WHERE DATEPART('month', ts) = 3", pg: 'SELECT COUNT(*) FROM t WHERE EXTRACT(MONTH FROM ts) = 3' },
  { name: 'aggregates, full scan', sql: 'SELECT COUNT(*), SUM(i), AVG(d), MIN(ts), MAX(s) FROM t' },
  { name: 'aggregates + filter', sql: "SELECT COUNT(*), SUM(j), MAX(d) FROM t WHERE s IN ('a', 'abc', 'Zeta') OR e < -100" },
  { name: 'COUNT(DISTINCT)', sql: 'SELECT COUNT(DISTINCT j), COUNT(DISTINCT s) FROM t' },
  { name: 'ORDER BY … LIMIT 10', sql: 'SELECT id, d FROM t ORDER BY d DESC, id LIMIT 10', pg: 'SELECT id, d FROM t ORDER BY d DESC NULLS LAST, id LIMIT 10' },
  { name: 'ORDER BY, 25% of rows', sql: 'SELECT id, d FROM t WHERE i > 10 ORDER BY d, id', pg: 'SELECT id, d FROM t WHERE i > 10 ORDER BY d NULLS FIRST, id' },
  { name: 'DISTINCT', sql: 'SELECT DISTINCT s, b FROM t' },
  { name: 'GROUP BY', sql: 'SELECT s, COUNT(*), AVG(d) FROM t GROUP BY s' },
  { name: 'GROUP BY + HAVING + ORDER BY', sql: 'SELECT j, SUM(i) FROM t GROUP BY j HAVING COUNT(*) > 4000 ORDER BY 2 DESC', pg: 'SELECT j, SUM(i) FROM t GROUP BY j HAVING COUNT(*) > 4000 ORDER BY 2 DESC NULLS LAST' },
  { name: 'join on key, 100k-row side', sql: 'SELECT COUNT(*), SUM(c.w) FROM t JOIN c ON t.id = c.id' },
];

interface Measurement {
  seconds: number;
  rows: SqlValue[][];
}

// ---------------------------------------------------------------------------------------------
// Memory: RSS sampled between (and, where the event loop breathes, during) queries; the OS's
// own peak (maxRSS) catches what sampling misses. PGlite runs in this process, so both engines count.

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

async function timePg(sql: string, oracle: PgOracle): Promise<Measurement> {
  const start = performance.now();
  const rows = await oracle.query(sql);
  sampleRss();
  return { seconds: (performance.now() - start) / 1000, rows };
}

async function best(runs: number, measure: () => Promise<Measurement>): Promise<Measurement> {
  let result: Measurement | undefined;
  for (let i = 0; i < runs; i++) {
    const m = await measure();
    if (!result || m.seconds < result.seconds) result = m;
  }
  return result!;
}

/** The join's other side: ids 1…n (so every one matches a row of t) and a weight. */
function joinDataset(rowCount: number): Dataset {
  const table: TableSpec = { name: 'c', columns: [{ name: 'w', type: 'int', nullRate: 0, draw: (rng) => rng.int(0, 999) }] };
  return generateDataset(table, rowCount, 7);
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function rate(rowsScanned: number, seconds: number): string {
  const perSecond = rowsScanned / seconds;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(0)} k/s`;
}

async function main(): Promise<void> {
  const rowCount = option('rows', 1_000_000);
  const runs = option('runs', 2);
  const started = performance.now();
  const phase = (label: string): void => {
    console.log(`  ${pad(label, 44)} ${pad(`${((performance.now() - started) / 1000).toFixed(1)} s`, 8, true)}   rss ${mb(sampleRss())}`);
  };

  console.log(`Engine benchmark: ${rowCount.toLocaleString('en-US')} rows, best of ${runs} run(s) per query`);
  const table = standardTable('t');
  const joined = joinDataset(Math.min(100_000, rowCount));
  const oracle = await PgOracle.start();
  phase('started PGlite');
  // Streamed from the seed rather than from an array: with the table also on the JS heap,
  // garbage collection makes COPY several times slower.
  await oracle.loadRows(table, generateRows(table, rowCount, DATA_SEED));
  await oracle.load(joined);
  phase('loaded PGlite (COPY)');

  const catalog = catalogOf(
    new MemoryTable('t', engineColumns(table), generateDataset(table, rowCount, DATA_SEED).rows, { readOnly: true }),
    new MemoryTable('c', engineColumns(joined.table), joined.rows, { readOnly: true }),
  );
  phase('generated the same rows into a MemoryTable');

  const header = `${pad('query', 30)} ${pad('rows out', 9, true)} ${pad('ours', 9, true)} ${pad('PGlite', 9, true)} ${pad('ours rows/s', 12, true)} ${pad('PG rows/s', 12, true)} ${pad('ours/PG', 8, true)}`;
  console.log(`\n${header}\n${'-'.repeat(header.length)}`);
  const skipped: string[] = [];
  const ratios: number[] = [];
  for (const query of QUERIES) {
    let ours: Measurement;
    try {
      ours = await best(runs, () => timeOurs(query.sql, catalog));
    } catch (error) {
      if (!(error instanceof SqlError)) throw error;
      skipped.push(`${query.name}: the engine rejects it (${error.reason})`);
      continue;
    }
    const pg = await best(runs, () => timePg(query.pg ?? query.sql, oracle));
    const scanned = query.name.startsWith('join') ? rowCount + joined.rows.length : rowCount;
    const ratio = ours.seconds / pg.seconds;
    ratios.push(ratio);
    // Every query's result is fully determined (ties broken), so the rows must match as a multiset.
    const difference = compareResults(ours.rows, pg.rows, { keys: [], cut: false });
    const mismatch = difference === null ? '' : `  RESULTS DIFFER: ${difference.split('\n')[0]}`;
    console.log(
      `${pad(query.name, 30)} ${pad(String(ours.rows.length), 9, true)} ${pad(`${(ours.seconds * 1000).toFixed(0)} ms`, 9, true)} ${pad(`${(pg.seconds * 1000).toFixed(0)} ms`, 9, true)} ${pad(rate(scanned, ours.seconds), 12, true)} ${pad(rate(scanned, pg.seconds), 12, true)} ${pad(`${ratio.toFixed(2)}x`, 8, true)}${mismatch}`,
    );
  }
  if (ratios.length > 0) {
    const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
    console.log(`\nours/PG is time taken relative to PGlite (below 1 = faster); geometric mean ${geomean.toFixed(2)}x over ${ratios.length} queries.`);
  }
  console.log('rows/s counts rows scanned (the table, plus the join side), not rows returned.');
  for (const note of skipped) console.log(`skipped — ${note}`);

  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`\npeak RSS: ${mb(Math.max(maxRss, sampledPeakRss))} (OS maxRSS ${mb(maxRss)}, sampled ${mb(sampledPeakRss)}); both engines share this process.`);
  console.log(`total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await oracle.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
