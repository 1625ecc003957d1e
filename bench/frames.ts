// node --import tsx bench/frames.ts — window aggregates over sliding frames (a 30-day RANGE, 30
// ROWS, 3 GROUPS) on N and 2N rows, timed against PostgreSQL (PGlite, in this process) on the
// same rows. A frame that slides one step per row costs time linear in the rows: twice the rows,
// about twice the time (folded afresh per row it was about four times, and a 30-day RANGE over
// 20,000 rows took 1.6 s). Every result is compared with PostgreSQL's. Options: --rows N
// (default 20000).

import { performance } from 'node:perf_hooks';
import { engineColumns, generateDataset, standardTable } from '../test/support/dataset.js';
import { catalogOf, memoryTable, runQuery } from '../test/support/engine-runner.js';
import { PgOracle } from '../test/support/pg-oracle.js';
import { compareResults } from '../test/support/result-compare.js';

const FRAMES = [
  { name: "30-day RANGE: sum, count, avg", sql: "SELECT id, sum(i) OVER w, count(*) OVER w, avg(d) OVER w FROM t WINDOW w" , over: "ORDER BY ts RANGE BETWEEN INTERVAL '30 days' PRECEDING AND CURRENT ROW" },
  { name: '30-day RANGE: min, max', sql: 'SELECT id, min(i) OVER w, max(d) OVER w FROM t WINDOW w', over: "ORDER BY ts RANGE BETWEEN INTERVAL '30 days' PRECEDING AND CURRENT ROW" },
  { name: '30 ROWS each side, EXCLUDE CURRENT ROW: sum', sql: 'SELECT id, sum(j) OVER w FROM t WINDOW w', over: 'ORDER BY id ROWS BETWEEN 30 PRECEDING AND 30 FOLLOWING EXCLUDE CURRENT ROW' },
  { name: '3 GROUPS: avg of integers (numeric)', sql: 'SELECT id, avg(i) OVER w FROM t WINDOW w', over: 'ORDER BY j GROUPS BETWEEN 3 PRECEDING AND CURRENT ROW' },
];

async function main(): Promise<void> {
  const rowsArg = process.argv.indexOf('--rows');
  const n = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 20_000;
  const table = standardTable('t');
  const lines: string[][] = [['frame', `${n} rows`, `${2 * n} rows`, 'time ×', `PGlite, ${2 * n} rows`]];
  const sizes = await Promise.all([n, 2 * n].map(async (rows) => {
    const dataset = generateDataset(table, rows, 7);
    const oracle = await PgOracle.start();
    await oracle.load(dataset);
    return { catalog: catalogOf(memoryTable('t', engineColumns(table), dataset.rows)), oracle };
  }));
  try {
    for (const frame of FRAMES) {
      const sql = frame.sql.replaceAll('OVER w', `OVER (${frame.over})`).replace(/ WINDOW w$/, '');
      const times: number[] = [];
      let pgMs = 0;
      for (const { catalog, oracle } of sizes) {
        const started = performance.now();
        const ours = await runQuery(sql, catalog);
        times.push(performance.now() - started);
        const pgStarted = performance.now();
        const theirs = await oracle.query(sql);
        pgMs = performance.now() - pgStarted;
        const problem = compareResults(ours, theirs, { keys: [], cut: false });
        if (problem) throw new Error(`${frame.name}: ${problem}`);
      }
      lines.push([frame.name, `${times[0]!.toFixed(0)} ms`, `${times[1]!.toFixed(0)} ms`, (times[1]! / times[0]!).toFixed(1), `${pgMs.toFixed(0)} ms`]);
    }
  } finally {
    for (const { oracle } of sizes) await oracle.close();
  }
  console.log('\nSliding window frames: our engine on N and 2N rows (linear: about 2x), PostgreSQL (PGlite) beside it; results compared\n');
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  for (const line of lines) console.log(line.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}

await main();
