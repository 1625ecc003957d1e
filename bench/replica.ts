// The local replica, measured in one run against the emulator (part of npm run bench; alone:
// node --import tsx bench/replica.ts [charges] [customers]): a backfill's use of the request
// budget at Stripe-like latency, and a GROUP BY over replica charges against the same query live.
// Ratios measured in the same run, with the targets beside them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Connection } from '../src/index.js';
import { startEmulator, DEMO_API_KEY } from '../emulator/index.js';
import { bulkObjects } from '../emulator/created-distribution.js';

/** Stripe's answer time for a list page, about. */
const LATENCY_MS = 150;
/** Stripe's live-mode budget, about (MaxRequestsPerSecond). */
const BUDGET = 100;
/** So that the budget, not the cap on requests in flight, bounds the read (as the scan bench). */
const MAX_CONCURRENCY = 64;
const YEAR = 365 * 24 * 3600;
const START = Date.UTC(2024, 0, 1) / 1000;

export async function replicaBench(charges = 100_000, customers = 50_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-bench-replica-'));
  try {
    const fill = await backfill(dir, customers);
    const query = await groupBy(dir, charges);
    console.log(`\nThe local replica (stripe-sql sync, SQLite)`);
    const rows = [
      ['', 'value', 'target'],
      [`backfill of ${fill.rows} customers at ${LATENCY_MS} ms: ${fill.requests} requests in ${fill.seconds.toFixed(1)} s; budget ${BUDGET}/s used`, `${Math.round(fill.used * 100)} %`, '>= 80 %'],
      [`GROUP BY over ${charges} charges: live ${query.liveMs.toFixed(0)} ms, replica ${query.replicaMs.toFixed(1)} ms (results ${query.same ? 'equal' : 'DIFFER'}); faster`, `${(query.liveMs / query.replicaMs).toFixed(0)}x`, '>= 50x'],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows) console.log(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padStart(widths[i]!))).join('  '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A sync of `count` customers into an empty replica: requests / (seconds × budget). */
async function backfill(dir: string, count: number) {
  const emulator = await startEmulator({ seed: false });
  try {
    emulator.putObjects(bulkObjects('uniform', count, { idPrefix: 'cus_bench', object: 'customer', fields: (i) => ({ email: `bench${i}@example.com` }) }));
    emulator.setLatency(LATENCY_MS);
    const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: BUDGET, maxConcurrency: MAX_CONCURRENCY, cache: join(dir, 'backfill.db') });
    try {
      const start = performance.now();
      const report = await db.sync({ tables: ['Customers'] });
      const seconds = (performance.now() - start) / 1000;
      const requests = emulator.requestLog.length;
      return { rows: report.tables[0]!.rows, requests, seconds, used: requests / seconds / BUDGET };
    } finally {
      await db.close();
    }
  } finally {
    await emulator.close();
  }
}

/** The same GROUP BY live (every page read) and over the synced replica: the fastest of a few runs each. */
async function groupBy(dir: string, count: number) {
  const emulator = await startEmulator({ seed: true });
  try {
    const template = emulator.objects('charge')[0]!;
    emulator.putObjects(Array.from({ length: count }, (_, i) => ({
      ...template,
      id: `ch_bench_${String(i).padStart(7, '0')}`,
      created: START + Math.floor((i * YEAR) / count),
      amount: 100 + ((i * 7919) % 100_000),
      status: i % 10 === 0 ? 'failed' : 'succeeded',
      refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/ch_bench_${i}/refunds` },
    })));
    const sql = 'SELECT Status, COUNT(*) AS n, SUM(Amount) AS total FROM Charges GROUP BY Status ORDER BY Status';
    const live = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000 });
    const cached = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000, cache: join(dir, 'group-by.db') });
    try {
      const liveMs = await best(live, sql, 2);
      await cached.sync({ tables: ['Charges'] });
      const replicaMs = await best(cached, sql, 5);
      const same = JSON.stringify((await live.query(sql)).rows) === JSON.stringify((await cached.query(sql)).rows);
      return { liveMs, replicaMs, same };
    } finally {
      await live.close();
      await cached.close();
    }
  } finally {
    await emulator.close();
  }
}

/** The fastest of `runs` runs of the query, ms. */
async function best(db: Connection, sql: string, runs: number): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await db.query(sql);
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await replicaBench(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 50_000));
}
