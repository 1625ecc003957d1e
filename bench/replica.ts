// The local replica, measured in one run against the emulator (node --import tsx bench/replica.ts
// [charges] [customers]): a GROUP BY over replica charges against the same query live, and a
// backfill's use of the request budget at Stripe-like latency. Prints ratios, not just times.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Connection } from '../src/index.js';
import { startEmulator, DEMO_API_KEY, type Emulator } from '../emulator/index.js';

const CHARGES = Number(process.argv[2] ?? 100_000);
const CUSTOMERS = Number(process.argv[3] ?? 50_000);
/** Stripe's answer time for a list page, about. */
const LATENCY_MS = 150;
/** A test key's default budget (MaxRequestsPerSecond). */
const TEST_KEY_BUDGET = 20;
const YEAR = 365 * 24 * 3600;
const START = Date.UTC(2024, 0, 1) / 1000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-bench-replica-'));
  try {
    await groupBy(dir);
    await backfill(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function groupBy(dir: string): Promise<void> {
  const emulator = await startEmulator({ seed: true });
  try {
    const template = emulator.objects('charge')[0]!;
    emulator.putObjects(Array.from({ length: CHARGES }, (_, i) => ({
      ...template,
      id: `ch_bench_${String(i).padStart(7, '0')}`,
      created: START + Math.floor((i * YEAR) / CHARGES),
      amount: 100 + ((i * 7919) % 100_000),
      status: i % 10 === 0 ? 'failed' : 'succeeded',
      refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/ch_bench_${i}/refunds` },
    })));
    const sql = 'SELECT Status, COUNT(*) AS n, SUM(Amount) AS total FROM Charges GROUP BY Status ORDER BY Status';
    const live = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000 });
    const path = join(dir, 'group-by.db');
    const cached = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000, cache: path });
    try {
      const liveMs = await best(live, sql, 1);
      const syncStart = performance.now();
      await cached.sync({ tables: ['Charges'] });
      const syncMs = performance.now() - syncStart;
      const replicaMs = await best(cached, sql, 5);
      const same = JSON.stringify((await live.query(sql)).rows) === JSON.stringify((await cached.query(sql)).rows);
      console.log(`GROUP BY over ${CHARGES} charges: live ${liveMs.toFixed(0)} ms, replica ${replicaMs.toFixed(1)} ms: ${(liveMs / replicaMs).toFixed(1)}x faster (results ${same ? 'equal' : 'DIFFER'}); the sync took ${(syncMs / 1000).toFixed(1)} s`);
    } finally {
      await live.close();
      await cached.close();
    }
  } finally {
    await emulator.close();
  }
}

async function backfill(dir: string): Promise<void> {
  const emulator: Emulator = await startEmulator({ seed: false, latencyMs: LATENCY_MS });
  try {
    emulator.putObjects(Array.from({ length: CUSTOMERS }, (_, i) => ({
      id: `cus_bench_${String(i).padStart(7, '0')}`,
      object: 'customer',
      created: START + Math.floor((i * YEAR) / CUSTOMERS),
      email: `bench${i}@example.com`,
      livemode: false,
      metadata: {},
    })));
    const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: TEST_KEY_BUDGET, cache: join(dir, 'backfill.db') });
    try {
      const start = performance.now();
      const report = await db.sync({ tables: ['Customers'] });
      const seconds = (performance.now() - start) / 1000;
      const requests = report.tables[0]!.requests;
      const used = requests / seconds / TEST_KEY_BUDGET;
      console.log(`backfill of ${report.tables[0]!.rows} customers at ${LATENCY_MS} ms: ${requests} requests in ${seconds.toFixed(1)} s, ${(requests / seconds).toFixed(1)}/s of a ${TEST_KEY_BUDGET}/s budget: ${(used * 100).toFixed(0)} % used`);
    } finally {
      await db.close();
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

await main();
