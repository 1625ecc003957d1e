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
import { runSync } from '../src/cli/sync.js';

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
