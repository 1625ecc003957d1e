// npm run bench: how close stripe-sql comes to the fewest possible Stripe requests for a set of
// queries, and how fast a full scan of the demo data runs compared with fetching the same pages
// by hand (the baseline, measured in the same run against the same emulator), the wire
// server's overhead against the library (bench/pg-wire.ts), the sqllogictest figure, the SQL
// engine's speed against SQLite and PGlite (bench/engine.ts) and sliding window frames
// (bench/frames.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect } from '../src/index.js';
import { startEmulator, DEMO_API_KEY, type Emulator } from '../emulator/index.js';
import { printWireOverhead, wireOverhead } from './pg-wire.js';
import { call } from '../emulator/client.js';
import { bulkObjects, CREATED_DISTRIBUTIONS, type CreatedDistribution } from '../emulator/created-distribution.js';
import { replicaBench } from './replica.js';

interface Case {
  sql: string;
  /** The fewest requests that can answer the query exactly. */
  minimum: number;
}

const PAGE = 100;

async function main(): Promise<void> {
  // `npm run bench -- fan-out search`: only the sections named (all by default).
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const sections: [string, (emulator: Emulator) => Promise<void>][] = [
    ['requests', requestCounts], ['scan', scanSpeed], ['adaptive', adaptiveScan], ['fan-out', childFanOut],
    ['search', searchVsList], ['insert', insertUnderBudget],
  ];
  const emulator = await startEmulator({ seed: true });
  try {
    for (const [name, run] of sections) if (wanted(name)) await run(emulator);
  } finally {
    await emulator.close();
  }
  if (wanted('startup')) await startupTimes();
  if (wanted('replica')) await replicaBench();
  if (wanted('conformance')) conformance();
  if (wanted('wire')) printWireOverhead(await wireOverhead());
  if (wanted('engine')) engineSpeed();
  if (wanted('frames')) benchScript('bench/frames.ts');
}

/** Median of five: starting the seeded emulator (what `--demo` waits for) and building a connection's 119 tables. */
async function startupTimes(): Promise<void> {
  const median = async (run: () => unknown): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await run();
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[2]!;
  };
  const emulatorMs = await median(async () => (await startEmulator({ seed: true })).close());
  const catalogMs = await median(() => connect({ apiKey: DEMO_API_KEY, baseUrl: 'http://127.0.0.1:9' }).tables());
  console.log('Start-up (median of 5): seeded emulator %s ms; a connection and its table list %s ms\n', emulatorMs.toFixed(1), catalogMs.toFixed(1));
}

function casesFor(emulator: Emulator): Case[] {
  const sessions = emulator.objects('checkout.session');
  const [first, second, third] = sessions;
  const customer = String(first!.customer);
  const count = (predicate: (s: Record<string, unknown>) => boolean) => sessions.filter(predicate).length;
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
  const june = Date.UTC(2024, 5, 1) / 1000;
  const email = (first!.customer_details as { email: string }).email;
  return [
    { sql: `SELECT Id, Status FROM CheckoutSession WHERE Id = '${first!.id}'`, minimum: 1 },
    { sql: `SELECT Id FROM CheckoutSession WHERE Id IN ('${first!.id}', '${second!.id}', '${third!.id}')`, minimum: 3 },
    { sql: `SELECT Id FROM CheckoutSession WHERE Id = 'cs_missing'`, minimum: 1 },
    { sql: `SELECT Id, AmountTotal FROM CheckoutSession WHERE CustomerId = '${customer}'`, minimum: pages(count((s) => s.customer === customer)) },
    { sql: `SELECT Id FROM CheckoutSession WHERE CustomerDetailsEmail = '${email}'`, minimum: pages(count((s) => (s.customer_details as { email?: string } | null)?.email === email)) },
    { sql: `SELECT Id FROM CheckoutSession WHERE Status = 'open' LIMIT 5`, minimum: 1 },
    { sql: `SELECT Id FROM CheckoutSession ORDER BY Created DESC LIMIT 5`, minimum: 1 },
    { sql: `SELECT Id FROM CheckoutSession LIMIT 150`, minimum: 2 },
    { sql: `SELECT Id FROM CheckoutSession WHERE Status = 'open' AND Status = 'expired'`, minimum: 0 },
    { sql: `SELECT Id FROM CheckoutSession WHERE Created >= '2024-06-01'`, minimum: pages(count((s) => Number(s.created) >= june)) },
    { sql: `SELECT Id FROM CheckoutSession WHERE Status = 'complete' AND AmountTotal > 5000`, minimum: pages(count((s) => s.status === 'complete')) },
    { sql: `SELECT Id FROM CheckoutSession WHERE AmountTotal > 5000 LIMIT 5`, minimum: 1 },
    { sql: `SELECT COUNT(*) FROM CheckoutSession`, minimum: pages(sessions.length) },
    // A selective outer side: the lookup join fetches the sessions of one customer.
    { sql: `SELECT s.Id FROM Customers c JOIN CheckoutSession s ON s.CustomerId = c.Id WHERE c.Email = '${email}'`, minimum: 2 },
    // Both sides whole: the fewest requests read each table once and hash-join them.
    {
      sql: `SELECT c.Email, COUNT(*) FROM CheckoutSession s JOIN Customers c ON c.Id = s.CustomerId GROUP BY c.Email`,
      minimum: pages(sessions.length) + pages(emulator.objects('customer').length),
    },
  ];
}

async function requestCounts(emulator: Emulator): Promise<void> {
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000 });
  console.log('Requests made vs the minimum possible (demo data: %d checkout sessions)\n', emulator.objects('checkout.session').length);
  const rows: string[][] = [['requests', 'minimum', 'ratio', 'rows', 'query']];
  let made = 0;
  let minimum = 0;
  for (const c of casesFor(emulator)) {
    emulator.clearLog();
    const result = await db.query(c.sql);
    const requests = emulator.requestLog.length;
    made += requests;
    minimum += c.minimum;
    rows.push([String(requests), String(c.minimum), ratio(requests, c.minimum), String(result.rowCount), c.sql]);
  }
  rows.push([String(made), String(minimum), ratio(made, minimum), '', 'total']);
  printTable(rows);
  await db.close();
}

async function scanSpeed(emulator: Emulator): Promise<void> {
  const latencyMs = 20;
  emulator.setLatency(latencyMs);
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000 });
  const runs = 5;
  let sqlTime = Infinity;
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    rows = (await db.query('SELECT * FROM CheckoutSession')).rowCount;
    sqlTime = Math.min(sqlTime, performance.now() - start);
  }
  let rawTime = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fetchAllPagesByHand(emulator.url);
    rawTime = Math.min(rawTime, performance.now() - start);
  }
  await db.close();
  console.log(`\nFull scan of the demo data (${rows} rows, all 68 columns, ${latencyMs} ms latency per request, best of ${runs})`);
  printTable([
    ['', 'ms', 'rows/s'],
    ['SELECT * FROM CheckoutSession', sqlTime.toFixed(1), Math.round((rows / sqlTime) * 1000).toString()],
    ['baseline: the same pages with fetch', rawTime.toFixed(1), Math.round((rows / rawTime) * 1000).toString()],
    ['ratio (stripe-sql / baseline)', (sqlTime / rawTime).toFixed(2), ''],
  ]);
}

/**
 * The adaptive scan scheduler (src/stripe/partition.ts). A full read of 50,000 customers at
 * 150 ms per request under a 100 requests/s budget, against the same list read one page after
 * another (ORDER BY Created DESC must follow Stripe's cursor), and the same read with skewed,
 * bursty, gapped and one-second pile-up `created` distributions (emulator/created-distribution.ts),
 * each in its own connected account, at the default MaxConcurrency (which follows the budget:
 * rate × latency, a quarter more). The minimum is ⌈50,000 / 100⌉ requests. The budget's use
 * is shown for the whole read and from the first window on: the first five pages are read one
 * after another by design (a list that short gains nothing from windows).
 */
async function adaptiveScan(emulator: Emulator): Promise<void> {
  const count = 50_000;
  const latencyMs = 150;
  const budget = 100;
  const minimum = Math.ceil(count / PAGE);
  /** Pages read one after another before the windows (src/stripe/client.ts PARTITION). */
  const sequentialPages = 5;
  const counting = countingFetch();
  const read = async (distribution: CreatedDistribution, sql: string) => {
    const account = `acct_bench_${distribution}`;
    if (emulator.objects('customer', account).length === 0) {
      emulator.putObjects(bulkObjects(distribution, count, { idPrefix: 'cus_bench', object: 'customer', fields: (i) => ({ email: `bench${i}@example.com` }) }), account);
    }
    const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, accountId: account, maxRequestsPerSecond: budget, fetch: counting.fetch });
    emulator.clearLog();
    counting.reset();
    const start = performance.now();
    const { rows } = await db.query(sql);
    const end = performance.now();
    await db.close();
    // From the first window's request on: the part of the read the scheduler paces.
    const windowsMs = end - (counting.sent[sequentialPages] ?? end);
    const requests = emulator.requestLog.length;
    return { ms: end - start, requests, windowsMs, rows: rows.length === 1 ? Number(Object.values(rows[0]!)[0]) : rows.length, peak: counting.peak };
  };
  emulator.setLatency(latencyMs);
  const sequential = await read('uniform', 'SELECT Id FROM Customers ORDER BY Created DESC');
  const adaptive: ({ name: CreatedDistribution } & Awaited<ReturnType<typeof read>>)[] = [];
  for (const name of CREATED_DISTRIBUTIONS) adaptive.push({ name, ...(await read(name, 'SELECT COUNT(*) FROM Customers')) });
  emulator.setLatency(0);
  const uniform = adaptive.find((r) => r.name === 'uniform')!;
  console.log(`
Full read of ${count} customers, ${latencyMs} ms per request, budget ${budget} requests/s, MaxConcurrency default; minimum ${minimum} requests`);
  printTable([
    ['', 's', 'requests', 'requests / minimum', 'requests - 1.25 x minimum', 'budget busy: whole read; windows', 'peak in flight'],
    ["sequential (ORDER BY Created DESC, Stripe's order)", (sequential.ms / 1000).toFixed(1), String(sequential.requests), ratio(sequential.requests, minimum), '', busy(sequential.requests, sequential.ms), String(sequential.peak)],
    ...adaptive.map((r) => [
      `${r.name} created (adaptive windows, ${r.rows} rows)`,
      (r.ms / 1000).toFixed(1),
      String(r.requests),
      ratio(r.requests, minimum),
      (r.requests - 1.25 * minimum).toFixed(0),
      `${busy(r.requests, r.ms)}; ${busy(r.requests - sequentialPages, r.windowsMs)}`,
      String(r.peak),
    ]),
  ]);
  printTable([
    ['', 'value', 'target'],
    ['uniform: speed-up over sequential paging', `${(sequential.ms / uniform.ms).toFixed(1)}x`, '>= 10x'],
    ['uniform: requests / minimum', ratio(uniform.requests, minimum), '<= 1.25'],
    ...adaptive.filter((r) => r !== uniform).map((r) => [`${r.name}: requests - 1.25 x minimum`, (r.requests - 1.25 * minimum).toFixed(0), '<= 20']),
  ]);

  /** Share of the time the budget was spent: requests / (seconds × requests per second). */
  function busy(requests: number, ms: number): string {
    return `${Math.round(((requests / budget) * 100000) / ms)} %`;
  }
}

/**
 * 500 rows from a temporary table into Stripe under a 25 requests/s budget: wall time vs 500/25 s.
 * Each create takes 250 ms, about what Stripe takes, so one request at a time could not keep up
 * with the budget: the statement must keep several in flight.
 */
async function insertUnderBudget(emulator: Emulator): Promise<void> {
  const latencyMs = 250;
  const rows = 500;
  const budget = 25;
  const counting = countingFetch();
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: budget, fetch: counting.fetch });
  await db.execute('CREATE TABLE #new (Email VARCHAR, Name VARCHAR)');
  const values = Array.from({ length: rows }, (_, i) => `('bench-${i}@example.com', 'Bench ${i}')`).join(', ');
  await db.execute(`INSERT INTO #new (Email, Name) VALUES ${values}`);
  emulator.clearLog();
  emulator.setLatency(latencyMs);
  const start = performance.now();
  const { rowsAffected } = await db.execute('INSERT INTO Customers (Email, Name) SELECT Email, Name FROM #new');
  const seconds = (performance.now() - start) / 1000;
  emulator.setLatency(0);
  await db.close();
  const ideal = rows / budget;
  console.log(`\nINSERT INTO Customers … SELECT from a temporary table: ${rowsAffected} rows under a ${budget} requests/s budget, ${latencyMs} ms per create`);
  printTable([
    ['', 'value'],
    ['wall time (s)', seconds.toFixed(2)],
    [`ideal: ${rows} / ${budget} (s)`, ideal.toFixed(2)],
    ['ratio (wall / ideal)', (seconds / ideal).toFixed(2)],
    ['requests', String(emulator.requestLog.length)],
    ['peak requests in flight', String(counting.peak)],
  ]);
}

/**
 * A child table read across every parent: the line items of 1,000 checkout sessions at 150 ms
 * per request under a 100 requests/s budget, against the time that budget allows for the
 * requests made (the issue's mark: at most 1.3x), at the default MaxConcurrency (which follows
 * the budget) and at MaxConcurrency=10 (the fixed default it replaced: 10 in flight at 150 ms
 * are at most 67 requests/s), against one request after another.
 */
async function childFanOut(emulator: Emulator): Promise<void> {
  const sessions = 1000;
  const latencyMs = 150;
  const budget = 100;
  const account = 'acct_bench_line_items';
  await createSessions(emulator, account, sessions);
  emulator.setLatency(latencyMs);
  const timed = async (maxConcurrency?: number) => {
    const counting = countingFetch();
    const db = connect({
      apiKey: DEMO_API_KEY, baseUrl: emulator.url, accountId: account, maxRequestsPerSecond: budget, fetch: counting.fetch, ...(maxConcurrency ? { maxConcurrency } : {}),
    });
    emulator.clearLog();
    const start = performance.now();
    const { rows } = await db.query('SELECT COUNT(*) AS n FROM CheckoutSessionLineItems');
    const ms = performance.now() - start;
    await db.close();
    return { ms, rows: Number(rows[0]!.n), requests: emulator.requestLog.length, peak: counting.peak };
  };
  const fanOut = await timed();
  const fixed = await timed(10);
  emulator.setLatency(0);
  const allowedMs = (fanOut.requests / budget) * 1000;
  const serialMs = fanOut.requests * latencyMs;
  console.log(`
Line items of ${sessions} checkout sessions (${fanOut.rows} items, ${latencyMs} ms per request, budget ${budget} requests/s)`);
  printTable([
    ['', 's', 'requests', 'peak in flight', 'time / budget time', 'target'],
    ['time the budget allows (requests / budget)', (allowedMs / 1000).toFixed(1), '', '', '1.00', ''],
    ['one request after another (requests x latency)', (serialMs / 1000).toFixed(1), '', '1', (serialMs / allowedMs).toFixed(2), ''],
    ['fan-out, MaxConcurrency default (follows the budget)', (fanOut.ms / 1000).toFixed(1), String(fanOut.requests), String(fanOut.peak), (fanOut.ms / allowedMs).toFixed(2), '<= 1.3'],
    // 10 in flight at 150 ms is at most 67 requests/s: the cap, not the budget, bounds this one.
    ['fan-out, MaxConcurrency=10 (the old fixed default)', (fixed.ms / 1000).toFixed(1), String(fixed.requests), String(fixed.peak), (fixed.ms / allowedMs).toFixed(2), ''],
  ]);
}

/** `count` checkout sessions of one to three line items each in `account`, created through the API. */
async function createSessions(emulator: Emulator, account: string, count: number): Promise<void> {
  emulator.addAccount(account);
  const price = await call(emulator, 'POST', '/v1/prices', { account, body: 'currency=usd&unit_amount=1500&product_data[name]=Bench' });
  if (price.status !== 200) throw new Error(`bench price: ${JSON.stringify(price.json)}`);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const items = Array.from({ length: 1 + (i % 3) }, (_, k) => `line_items[${k}][price]=${price.json.id}&line_items[${k}][quantity]=${k + 1}`).join('&');
      const made = await call(emulator, 'POST', '/v1/checkout/sessions', { account, body: `mode=payment&success_url=https%3A%2F%2Fx.test%2F&${items}` });
      if (made.status !== 200) throw new Error(`bench session: ${JSON.stringify(made.json)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * The full sqllogictest sample (tools/slt.ts, in a child process so its engine runs alone):
 * the overall pass rate, the conformance figure that goes with the speed ones.
 */
/**
 * Search pushdown: conditions the list cannot filter, over 10,000 customers (every 80th at
 * acme.com, every 250th gold) at 100 ms per request under a 100 requests/s budget, read through
 * Stripe's search against the same query with UseSearch=never (a full list read, checked row by
 * row). The issue's mark: `Email LIKE` in at most 3 requests through search.
 */
async function searchVsList(emulator: Emulator): Promise<void> {
  const count = 10_000;
  const account = 'acct_bench_search';
  const now = Math.floor(Date.now() / 1000);
  emulator.putObjects(Array.from({ length: count }, (_, i) => ({
    id: `cus_srch${String(i).padStart(5, '0')}`, object: 'customer', created: now - i * 37, livemode: false,
    email: i % 80 === 0 ? `buyer${i}@acme.com` : `person${i}@example.com`, name: `Person ${i}`,
    metadata: i % 250 === 0 ? { tier: 'gold' } : {},
  })), account);
  const latencyMs = 100;
  emulator.setLatency(latencyMs);
  const emails = Array.from({ length: 25 }, (_, i) => `'person${i * 13 + 1}@example.com'`).join(', ');
  const queries = [
    "SELECT Id FROM Customers WHERE Email LIKE '%@acme.com'",
    "SELECT Id FROM Customers WHERE Metadata->>'tier' = 'gold'",
    `SELECT Id FROM Customers WHERE Email IN (${emails})`,
  ];
  const rows: string[][] = [['search requests', 'list requests', 'ratio', 'search ms', 'list ms', 'rows', 'query']];
  for (const sql of queries) {
    const measure = async (useSearch: 'auto' | 'never') => {
      const db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, accountId: account, maxRequestsPerSecond: 100, useSearch });
      emulator.clearLog();
      const start = performance.now();
      const { rowCount } = await db.query(sql);
      const ms = performance.now() - start;
      await db.close();
      return { ms, rows: rowCount, requests: emulator.requestLog.length };
    };
    const searched = await measure('auto');
    const listed = await measure('never');
    if (searched.rows !== listed.rows) throw new Error(`search and list disagree on ${sql}: ${searched.rows} vs ${listed.rows} rows`);
    rows.push([
      String(searched.requests), String(listed.requests), (searched.requests / listed.requests).toFixed(3),
      searched.ms.toFixed(0), listed.ms.toFixed(0), String(searched.rows), sql.length > 70 ? `${sql.slice(0, 67)}…` : sql,
    ]);
  }
  emulator.setLatency(0);
  console.log(`\nSearch pushdown vs a list read (${count} customers, ${latencyMs} ms per request, budget 100 requests/s)`);
  printTable(rows);
}

function conformance(): void {
  const { stdout, status } = spawnSync(process.execPath, ['--import', 'tsx', 'tools/slt.ts', '--show', '0'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const overall = stdout.split('\n').find((line) => line.startsWith('overall:'));
  console.log('\nConformance: the full sqllogictest sample (node --import tsx tools/slt.ts)');
  console.log(overall ?? `tools/slt.ts printed no overall line (exit status ${status})`);
}

/**
 * The SQL engine alone on 1,000,000 rows against SQLite and PGlite (bench/engine.ts, in a child
 * process so its heap holds only that data): the issue's four queries and the others, each
 * with its ratios, and the peak RSS.
 */
function engineSpeed(): void {
  console.log('\nEngine speed: 1,000,000 rows against SQLite and PGlite (node --import tsx bench/engine.ts)');
  benchScript('bench/engine.ts');
}

/** Runs a bench script in its own process (its memory apart from this one's). */
function benchScript(path: string): void {
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', path], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
  if (status !== 0) console.log(`${path} failed (exit status ${status})`);
}

/** What a hand-written script would do: page through the list with the same expand. */
async function fetchAllPagesByHand(baseUrl: string): Promise<number> {
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const query = `limit=100&expand[0]=data.line_items${after ? `&starting_after=${after}` : ''}`;
    const response = await fetch(`${baseUrl}/v1/checkout/sessions?${query}`, {
      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, 'Stripe-Version': '2024-04-10' },
    });
    const page = (await response.json()) as { data: { id: string }[]; has_more: boolean };
    count += page.data.length;
    if (!page.has_more) return count;
    after = page.data[page.data.length - 1]!.id;
  }
}

/** A fetch that notes when each request was sent and how many were in flight at most. */
function countingFetch() {
  let inFlight = 0;
  const counts = {
    peak: 0,
    sent: [] as number[],
    fetch: (async (...args) => {
      counts.sent.push(performance.now());
      counts.peak = Math.max(counts.peak, ++inFlight);
      try {
        return await fetch(...args);
      } finally {
        inFlight--;
      }
    }) as typeof fetch,
    reset() {
      counts.peak = 0;
      counts.sent = [];
    },
  };
  return counts;
}

function ratio(made: number, minimum: number): string {
  if (minimum === 0) return made === 0 ? '1.00' : '∞';
  return (made / minimum).toFixed(2);
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padStart(widths[i]!))).join('  '));
}

await main();
