// `stripe-sql sync` and `--cache … --offline` as a user runs them: real processes. Each --demo
// process starts its own emulator with the same seeded data, so the live answer of one equals
// the data another synced.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, DEMO_API_KEY } from '../emulator/index.js';
import { parseSyncArgs, runSync } from '../src/cli/sync.js';
import { connect } from '../src/index.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-replica-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, STRIPE_API_KEY: '', STRIPE_BASE_URL: '' };
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('sync --demo --to PATH, then --cache PATH --offline answers as the live demo', async () => {
  const path = join(dir, 'stripe.db');
  const sync = await run(['sync', '--demo', '--to', path, '--tables', 'Customers,Charges,Mandates']);
  assert.equal(sync.code, 0, sync.stderr);
  assert.match(sync.stdout, /^Customers: \d+ rows \(\d+ requests?\)\nCharges: \d+ rows \(\d+ requests?\)\n2 tables synced to .*; 1 skipped/);
  // Not a terminal: no progress, only the note about the table Stripe cannot list.
  assert.equal(sync.stderr, "skipped Mandates: Mandates needs Id = … in WHERE (or IN (…)): Stripe has no list of them, only a read by id\n");

  for (const sql of ['SELECT * FROM Charges ORDER BY Id', "SELECT Id, Email FROM Customers WHERE Email LIKE '%a%' ORDER BY Created DESC, Id LIMIT 5"]) {
    const live = await run(['--demo', '--format', 'json', sql]);
    const offline = await run(['--cache', path, '--offline', '--format', 'json', sql]);
    assert.equal(offline.stderr, '');
    assert.equal(offline.code, 0);
    assert.ok(JSON.parse(live.stdout).length > 0);
    assert.equal(offline.stdout, live.stdout, sql);
  }

  const missing = await run(['--cache', path, '--offline', 'SELECT Id FROM Invoices']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Invoices is not in the replica/);
});

test('sync usage errors', async () => {
  const noTarget = await run(['sync', '--demo']);
  assert.equal(noTarget.code, 1);
  assert.match(noTarget.stderr, /sync needs --to PATH/);
  const offlineAlone = await run(['--offline', 'SELECT 1']);
  assert.equal(offlineAlone.code, 1);
  assert.match(offlineAlone.stderr, /--offline reads only the replica: give --cache PATH too/);
});

test('on a terminal, progress is one line redrawn per table: rows, requests, rate; cleared at the end', async () => {
  const emulator = await startEmulator({ seed: true });
  let out = '';
  let err = '';
  try {
    const code = await runSync({ to: join(dir, 'progress.db'), demo: true, tables: ['Customers', 'CheckoutSession'] }, {
      startDemo: async () => ({ url: emulator.url, apiKey: DEMO_API_KEY, close: async () => undefined }),
      out: (text) => (out += text),
      err: (text) => (err += text),
      progress: true,
      interrupted: new Promise(() => undefined),
    });
    assert.equal(code, 0);
  } finally {
    await emulator.close();
  }
  const draws = err.split('\r\x1b[K').filter((d) => d !== '');
  assert.match(draws[0]!, /^Customers: 0 rows, 0 requests$/);
  assert.ok(draws.some((d) => /^CheckoutSession: \d+ rows, \d+ requests(, \d+ rows\/s)?$/.test(d)), draws.join(' | '));
  assert.ok(draws.some((d) => d.startsWith(`CheckoutSession: ${emulator.objects('checkout.session').length} rows`)), draws.join(' | '));
  assert.ok(err.endsWith('\r\x1b[K'), 'the line is cleared before the summary');
  assert.match(out, /^Customers: \d+ rows \(1 request\)\nCheckoutSession: \d+ rows \(\d+ requests\)\n2 tables synced to /);
});

test('sync --watch: syncs again from events after each interval (an injected clock), and Ctrl-C stops it cleanly', async () => {
  const emulator = await startEmulator({ seed: true });
  const writer = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000 });
  let out = '';
  let err = '';
  let ctrlC!: () => void;
  const interrupted = new Promise<void>((resolve) => (ctrlC = resolve));
  const waits: number[] = [];
  const requestsByRound: string[][] = [];
  try {
    const args = parseSyncArgs(['--demo', '--to', join(dir, 'watch.db'), '--tables', 'Customers,Coupons', '--watch', '--interval', '45']);
    const code = await runSync(args, {
      startDemo: async () => ({ url: emulator.url, apiKey: DEMO_API_KEY, close: async () => undefined }),
      out: (text) => (out += text),
      err: (text) => (err += text),
      progress: false,
      interrupted,
      wait: async (ms, signal) => {
        waits.push(ms);
        requestsByRound.push(emulator.requestLog.map((r) => `${r.method} ${r.path}`));
        emulator.clearLog();
        if (waits.length === 1) {
          // Between the first and second round: one change in Stripe.
          await writer.execute(`UPDATE Customers SET Description = 'watched' WHERE Id = '${String(emulator.objects('customer')[0]!.id)}'`);
          emulator.clearLog();
          return;
        }
        // The second interval: Ctrl-C while waiting.
        ctrlC();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
    });
    assert.equal(code, 0);
  } finally {
    await writer.close();
    await emulator.close();
  }
  assert.deepEqual(waits, [45_000, 45_000]);
  assert.ok(requestsByRound[0]!.some((line) => line === 'GET /v1/customers'), 'the first round reads the tables whole');
  assert.deepEqual(requestsByRound[1]!.map((line) => line.replace(/cus_\w+/, 'cus_…')), ['GET /v1/events', 'GET /v1/customers/cus_…'], 'the second: the events, and the changed customer by id');
  assert.match(out, /watching: syncing again every 45 s until Ctrl-C\n/);
  assert.match(out, /\nCustomers: \d+ rows \(1 object changed by events, 1 read whole by id, 1 request\)\nevents since .*: \d+ events? read in 1 request\n$/);
  assert.doesNotMatch(out.split('watching:')[1]!, /Coupons/, 'later rounds list only the tables that changed');
  assert.equal(err, 'stopped watching: the replica is up to date as of the last sync\n');
});

test('sync --watch in a real process: SIGINT ends it with status 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'sync', '--demo', '--to', join(dir, 'watch-process.db'), '--tables', 'Coupons', '--watch', '--interval', '3600'], {
    env: { ...process.env, STRIPE_API_KEY: '', STRIPE_BASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('watching:')) resolve();
    });
    child.on('close', () => reject(new Error(`ended before watching: ${stdout}${stderr}`)));
  });
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', resolve);
    child.kill('SIGINT');
  });
  assert.equal(code, 0, stderr);
  assert.match(stderr, /stopped watching/);
});

test('sync --interval needs --watch, and a number', () => {
  assert.throws(() => parseSyncArgs(['--to', 'x.db', '--interval', '5']), /--interval .* give --watch too/);
  assert.throws(() => parseSyncArgs(['--to', 'x.db', '--watch', '--interval', 'soon']), /--interval must be a number/);
  assert.deepEqual(parseSyncArgs(['--to', 'x.db', '--watch']), { to: 'x.db', demo: false, watch: true, interval: 30 });
});
