// The stripe-sql command as a user runs it: a real process, stdout, stderr and exit code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../emulator/index.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, STRIPE_API_KEY: '', STRIPE_BASE_URL: '', ...options.env };
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(() => emulator.close());

test('--demo runs the README query against the built-in emulator', async () => {
  const { code, stdout, stderr } = await run([
    '--demo',
    "SELECT Id, Status, AmountTotal FROM CheckoutSession WHERE Status = 'complete' ORDER BY AmountTotal DESC NULLS LAST LIMIT 5",
  ]);
  assert.equal(stderr, '');
  assert.equal(code, 0);
  const lines = stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^Id\s+\| Status\s+\| AmountTotal$/);
  assert.equal(lines.length, 2 + 5 + 1);
  assert.equal(lines.at(-1), '(5 rows)');
  const amounts = lines.slice(2, 7).map((l) => Number(l.split('|')[2]));
  // NULLS LAST: real amounts, largest first (PostgreSQL puts NULLs first in DESC otherwise).
  assert.ok(amounts.every((a) => Number.isInteger(a) && a > 0), lines.join('\n'));
  assert.deepEqual(amounts, [...amounts].sort((a, b) => b - a));
  assert.ok(lines.slice(2, 7).every((l) => l.includes('| complete')));
});

test('--format json prints row objects with ISO datetimes; --base-url and STRIPE_API_KEY reach the emulator', async () => {
  const session = emulator.objects('checkout.session')[0]!;
  emulator.clearLog();
  const { code, stdout } = await run(
    ['--base-url', emulator.url, '--format', 'json', `SELECT Id, Created FROM CheckoutSession WHERE Id = '${session.id}'`],
    { env: { STRIPE_API_KEY: 'sk_test_cli_key_123456' } },
  );
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), [{ Id: session.id, Created: new Date(Number(session.created) * 1000).toISOString() }]);
  assert.equal(emulator.requestLog.length, 1);
  assert.equal(emulator.requestLog[0]!.path, `/v1/checkout/sessions/${session.id}`);
});

test('INSERT in json format prints rowsAffected and lastInsertId', async () => {
  const { code, stdout } = await run([
    '--api-key', 'sk_test_cli_key_123456', '--base-url', emulator.url, '--format', 'json',
    "INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency, CustomerId) VALUES ('setup', 'https://example.com/success', 'usd', 'cus_N8rO0qc7j1SJJ9')",
  ]);
  assert.equal(code, 0);
  const result = JSON.parse(stdout);
  assert.equal(result.rowsAffected, 1);
  assert.match(result.lastInsertId, /^cs_test_/);
  assert.ok(emulator.objects('checkout.session').some((s) => s.id === result.lastInsertId));
});

test('SQL from standard input, CSV out', async () => {
  const { code, stdout } = await run(['--demo', '--format', 'csv'], { stdin: 'SELECT Id, Mode FROM CheckoutSession LIMIT 2\n' });
  assert.equal(code, 0);
  const lines = stdout.split('\r\n');
  assert.equal(lines[0], 'Id,Mode');
  assert.equal(lines.length, 4);
  assert.match(lines[1]!, /^cs_test_\w+,(payment|setup|subscription)$/);
});

test('bad SQL: exit 1, the problem, where, and the line with a caret; no request', async () => {
  emulator.clearLog();
  const { code, stdout, stderr } = await run(
    ['--api-key', 'sk_test_cli_key_123456', '--base-url', emulator.url, 'SELECT Id FORM CheckoutSession'],
  );
  assert.equal(code, 1);
  assert.equal(stdout, '');
  const [message, excerpt, caret, ...rest] = stderr.split('\n');
  // Whether FORM is read as an alias of Id or flagged as a misspelt FROM, the line says where.
  assert.match(message!, /^stripe-sql: SqlError: Expected .*FROM or end of statement but found '(FORM|CheckoutSession)'.* \(line 1, column (11|16)\)$/);
  assert.equal(excerpt, 'SELECT Id FORM CheckoutSession');
  assert.match(caret!, /^ {10}\^$|^ {15}\^$/);
  assert.deepEqual(rest, ['']);
  assert.equal(emulator.requestLog.length, 0);
});

test('a rejected key: exit 1, and the key is never printed', async () => {
  const key = 'sk_test_invalid_but_secret_value_9876';
  const { code, stderr } = await run(['--api-key', key, '--base-url', emulator.url, 'SELECT Id FROM CheckoutSession LIMIT 1']);
  assert.equal(code, 1);
  assert.match(stderr, /^stripe-sql: StripeApiError: /);
  assert.ok(!stderr.includes('invalid_but_secret'), stderr);
  assert.match(stderr, /9876/);
});

test('no key and no --demo: a clear one-line error', async () => {
  const { code, stderr } = await run(['SELECT 1']);
  assert.equal(code, 1);
  assert.match(stderr, /No Stripe API key/);
});

test('--explain shows the pushed request without making it', async () => {
  emulator.clearLog();
  const { code, stdout } = await run([
    '--api-key', 'sk_test_cli_key_123456', '--base-url', emulator.url, '--explain',
    "SELECT Id FROM CheckoutSession WHERE CustomerId = 'cus_1' AND AmountTotal > 100",
  ]);
  assert.equal(code, 0);
  assert.match(stdout, /customer=cus_1/);
  assert.match(stdout, /AmountTotal > 100/);
  assert.equal(emulator.requestLog.length, 0);
});

test('usage errors say what was wrong', async () => {
  const { code, stderr } = await run(['--format', 'xml', '--demo', 'SELECT 1']);
  assert.equal(code, 1);
  assert.equal(stderr, "stripe-sql: --format must be one of table, csv, tsv, json, ndjson, markdown, got 'xml' (see --help)\n");
});

test('stripe-sql emulator serves the demo data on the port it prints, until stopped', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (d) => {
        text += d;
        if (text.includes('\n')) resolve(text.split('\n')[0]!);
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(firstLine)?.[1];
    assert.ok(url, firstLine);
    const response = await fetch(`${url}/v1/checkout/sessions?limit=2`, { headers: { Authorization: 'Bearer sk_test_local_key_1234' } });
    const page = (await response.json()) as { data: unknown[]; has_more: boolean };
    assert.equal(page.data.length, 2);
    assert.equal(page.has_more, true);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});
