// Debian's psql against `stripe-sql serve`: -c with one and several statements, \dt, \d, \d+,
// \df, \l, \copy (SELECT …) TO a CSV file (COPY … TO STDOUT underneath), errors with LINE and
// caret, Ctrl-C cancelling a slow scan, and SCRAM passwords. psql must be installed (CI does
// it with apt-get); a machine without it fails here rather than skipping.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextRequest, psql, run, usePgServer } from './pg-helpers.js';

const fx = usePgServer();

beforeEach(() => {
  fx.emulator.setLatency(0);
  fx.emulator.clearLog();
});

type Customer = { id: string; email: string; balance: number };
const customers = () => fx.emulator.objects('customer') as unknown as Customer[];

/** psql -A -t -c …: unaligned rows, no headers or footers. */
async function rows(sql: string): Promise<string[]> {
  const result = await psql(fx, ['-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line !== '');
}

test('psql -c runs a query; names match case-insensitively, unquoted or quoted', async () => {
  const target = customers()[0]!;
  assert.deepEqual(await rows(`SELECT id, email FROM customers WHERE email = '${target.email}'`), [`${target.id}|${target.email}`]);
  assert.deepEqual(await rows(`SELECT "ID", "Email" FROM "Customers" WHERE "Email" = '${target.email}'`), [`${target.id}|${target.email}`]);
  assert.deepEqual(await rows(`SELECT public.customers.id FROM public.customers WHERE id = '${target.id}'`), [target.id]);
});

test('psql -h -p -c: date_trunc(\'month\', created)::date with sum(amount), grouped and ordered by position', async () => {
  const bin = '/usr/bin/psql';
  const result = await run(bin, ['-h', '127.0.0.1', '-p', String(fx.port), '-U', 'analyst', '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', "SELECT date_trunc('month', created)::date AS m, sum(amount) FROM charges GROUP BY 1 ORDER BY 1"], {
    env: { PGCONNECT_TIMEOUT: '10', PGSSLMODE: 'prefer' },
  });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n').filter(Boolean);
  assert.ok(lines.length > 0);
  const byMonth = new Map<string, number>();
  for (const c of fx.emulator.objects('charge') as unknown as { created: number; amount: number }[]) {
    const d = new Date(c.created * 1000);
    const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
    byMonth.set(month, (byMonth.get(month) ?? 0) + c.amount);
  }
  const expected = [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b));
  // A date prints as PostgreSQL prints one: the day alone, no time or zone.
  assert.deepEqual(lines.map((l) => [l.split('|')[0]!, Number(l.split('|')[1])]), expected);
});

test('several statements in one -c: each result in turn, transaction commands with their tags', async () => {
  const result = await psql(fx, ['-v', 'ON_ERROR_STOP=1', '-c', 'BEGIN; SELECT 1 AS a; SELECT 2 AS b; COMMIT']);
  assert.equal(result.code, 0, result.stderr);
  // psql prints the last result of a multi-statement -c.
  assert.match(result.stdout, /COMMIT/);
  const each = await psql(fx, ['-v', 'ON_ERROR_STOP=1', '-A', '-t'], { input: 'SELECT 1 AS a; SELECT 2 AS b;\nSHOW TimeZone;\nSELECT version();\n' });
  assert.equal(each.code, 0, each.stderr);
  const lines = each.stdout.split('\n').filter(Boolean);
  assert.deepEqual(lines.slice(0, 3), ['1', '2', 'UTC']);
  assert.match(lines[3]!, /^PostgreSQL 16\.0 \(stripe-sql test\)/);
});

test('timestamps print as PostgreSQL prints timestamptz, in the session time zone; booleans t/f', async () => {
  const [first] = await rows("SELECT CAST('2024-01-18 02:16:47' AS Datetime), true, false");
  assert.equal(first, '2024-01-18 02:16:47+00|t|f');
  const zoned = await psql(fx, ['-A', '-t', '-v', 'ON_ERROR_STOP=1'], { input: "SET TimeZone = 'America/New_York';\nSELECT CAST('2024-01-18 02:16:47.25' AS Datetime);\n" });
  assert.equal(zoned.stdout.split('\n').filter(Boolean).pop(), '2024-01-17 21:16:47.25-05');
});

test('\\dt lists every table; \\dv the views', async () => {
  const tables = await rows('\\dt');
  assert.ok(tables.includes('public|Customers|table|analyst'), tables.slice(0, 5).join('\n'));
  assert.ok(tables.includes('public|CheckoutSession|table|analyst'));
  const views = await rows('\\dv');
  assert.ok(views.includes('public|Balance|view|analyst'));
  assert.ok(tables.length > 50 && views.length > 10);
  assert.equal((await rows('\\dt charge*')).join('\n'), 'public|Charges|table|analyst');
});

test('\\d customers describes the columns with PostgreSQL types and the key', async () => {
  const result = await psql(fx, ['-v', 'ON_ERROR_STOP=1', '-c', '\\d customers']);
  assert.equal(result.code, 0, result.stderr);
  const out = result.stdout;
  assert.match(out, /Table "public\.Customers"/);
  assert.match(out, /^ Id +\| text +\| +\| not null \|/m);
  assert.match(out, /^ Balance +\| integer +\|/m);
  assert.match(out, /^ Created +\| timestamp with time zone +\|/m);
  assert.match(out, /^ Delinquent +\| boolean +\|/m);
  assert.match(out, /^ Metadata +\| json +\|/m);
  assert.match(out, /Indexes:\n +"customers_pkey" PRIMARY KEY, stripe \("Id"\)/);
});

test('\\d+ customers adds each column\'s description', async () => {
  const result = await psql(fx, ['-v', 'ON_ERROR_STOP=1', '-c', '\\d+ customers']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ Email +\| text +\|.*\| The customer's email address\.$/m);
  assert.match(result.stdout, /Description/);
});

test('\\df lists the stored procedures with their parameters; \\l the database', async () => {
  const procs = await rows('\\df expirecheckout*');
  assert.deepEqual(procs, ['public|ExpireCheckoutSession|record|CheckoutSessionId text, AccountId text DEFAULT NULL|proc']);
  const databases = await rows('\\l');
  assert.equal(databases.length, 1);
  assert.match(databases[0]!, /^stripe\|analyst\|UTF8\|/);
});

test('\\copy (SELECT …) TO a CSV file with a header: COPY … TO STDOUT underneath', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stripe-sql-psql-'));
  try {
    const file = join(dir, 'customers.csv');
    const result = await psql(fx, ['-v', 'ON_ERROR_STOP=1', '-c', `\\copy (SELECT Id, Email, Balance, Description FROM Customers ORDER BY Id LIMIT 5) TO '${file}' CSV HEADER`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^COPY 5$/m);
    const expected = customers()
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, 5)
      .map((c) => `${c.id},${c.email},${c.balance},${(c as { description?: string | null }).description ?? ''}`);
    assert.deepEqual((await readFile(file, 'utf8')).split('\n').filter(Boolean), ['Id,Email,Balance,Description', ...expected]);
    // The text format: tabs, \N for NULL.
    const text = await psql(fx, ['-v', 'ON_ERROR_STOP=1', '-c', "COPY (SELECT 'a\tb' AS x, NULL AS y) TO STDOUT"]);
    assert.equal(text.stdout, 'a\\tb\t\\N\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an error shows PostgreSQL\'s LINE and caret, and psql exits 1', async () => {
  const result = await psql(fx, ['-v', 'ON_ERROR_STOP=1', '-c', 'SELECT Id,\n  Nope FROM Customers']);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, 'ERROR:  Unknown column Nope in Customers\nLINE 2:   Nope FROM Customers\n          ^\n');
  const unknown = await psql(fx, ['-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', '-c', 'SELECT * FROM Nowhere']);
  assert.match(unknown.stderr, /^ERROR:  42P01: Unknown table Nowhere/);
});

test('Ctrl-C in psql cancels a scan waiting on Stripe, and its requests', async () => {
  // Each answer waits 2 s on the emulator's clock, which this test never moves: only the
  // cancel can end the statement.
  fx.emulator.setLatency(2_000);
  const started = once(fx.server, 'statement');
  const firstPage = nextRequest(fx.emulator);
  const result = await psql(fx, ['-c', 'SELECT COUNT(*) FROM Charges'], {
    onSpawn: (child) => {
      void Promise.all([started, firstPage]).then(() => {
        child.kill('SIGINT'); // psql sends a CancelRequest
      });
    },
  });
  assert.match(result.stderr, /canceling statement due to user request/);
  assert.equal(result.code, 1);
  assert.deepEqual(fx.emulator.requestLog.map((r) => [r.path, r.status]), [['/v1/charges', 0]], 'one page asked for, never answered');
  assert.equal(fx.clock.now(), 0);
});
