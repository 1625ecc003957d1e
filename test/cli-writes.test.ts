// Safe writes from the command line: Ctrl-C or a refusal part way through a multi-row write
// reports every row (Ids written, failures, rows not sent), and running the same statement
// again with the same --idempotency-key finishes the job without creating anything twice.
// The emulator runs in this process and the command talks to it over --base-url, so both runs
// see the same Stripe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator, type LoggedRequest } from '../emulator/index.js';
import { exited, runCli, spawnCli } from './support/cli-process.js';
import { fakeClock } from './support/fake-clock.js';

const KEY = 'sk_test_cli_writes_0123456789';
let emulator: Emulator;
/** The emulator's: with a latency set, its answers wait until the test moves this on. */
const clock = fakeClock();

before(async () => {
  emulator = await startEmulator({ clock });
});
after(() => emulator.close());

/** Calls `listener` for each request as it reaches the emulator (before it is answered). */
function onRequest(listener: (entry: LoggedRequest) => void): () => void {
  const log = emulator.requestLog;
  const push = log.push;
  log.push = (...entries: LoggedRequest[]) => {
    const length = push.apply(log, entries);
    for (const entry of entries) listener(entry);
    return length;
  };
  return () => {
    log.push = push;
  };
}

const insert40 = (tag: string) =>
  `INSERT INTO Customers (Email, Description) VALUES ${Array.from({ length: 40 }, (_, i) => `('${tag}-${i + 1}@example.com', '${tag}')`).join(', ')}`;

const customersTagged = (tag: string) => emulator.objects('customer').filter((c) => c.description === tag);

interface Report {
  written: Map<number, string>;
  /** Rows (1-based) reported cancelled in flight or not sent. */
  unsent: number[];
  text: string;
}

/** Reads the report: `row N: cus_…` lines under "written", and `rows a–b, c` lists. */
function parseReport(stderr: string): Report {
  const written = new Map<number, string>();
  for (const [, row, id] of stderr.matchAll(/^ {4}row (\d+): (cus_\w+)$/gm)) written.set(Number(row), id!);
  const unsent: number[] = [];
  for (const [, list] of stderr.matchAll(/^ {2}(?:cancelled in flight[^:]*|not sent \(\d+\)): rows? (.*)$/gm)) {
    for (const part of list!.split(', ')) {
      const [from, to = from] = part.split('–').map(Number);
      for (let n = from!; n <= to!; n++) unsent.push(n);
    }
  }
  return { written, unsent, text: stderr };
}

test('Ctrl-C during a 40-row INSERT prints the Ids created and the rows not sent; the same --idempotency-key then creates nothing twice', async () => {
  const tag = 'sigint-import';
  // Answers are held 40 ms on the emulator's clock; each POST that arrives moves it on 40 ms,
  // answering every one before it. The command writes 8 rows at a time, so the 12th POST comes
  // after at least 4 answers, and it and any later stay unanswered, in flight at Ctrl-C.
  emulator.setLatency(40);
  const args = ['--api-key', KEY, '--base-url', emulator.url, '--idempotency-key', 'import-7', '--format', 'ndjson'];
  const child = spawnCli([...args, insert40(tag)]);
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // Interrupt once 12 rows have reached Stripe: some are answered, some still in flight.
  const stopListening = onRequest((entry) => {
    if (entry.method !== 'POST' || entry.path !== '/v1/customers') return;
    if (++posts < 12) clock.advance(40);
    else if (posts === 12) child.kill('SIGINT');
  });
  let posts = 0;
  const first = await exited(child);
  stopListening();
  emulator.setLatency(0);

  assert.deepEqual(first, { code: 130, signal: null }, stderr);
  assert.equal(stdout, '', 'no result: the statement did not finish');
  const report = parseReport(stderr);
  assert.match(stderr, /^stripe-sql: INSERT Customers stopped by Ctrl-C: \d+ of 40 rows written, .*not sent/);
  assert.match(stderr, /run the statements again with --idempotency-key import-7/);
  // Every row is accounted for, once.
  assert.equal(report.written.size + report.unsent.length, 40, stderr);
  assert.deepEqual(
    [...report.written.keys(), ...report.unsent].sort((a, b) => a - b),
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  assert.ok(report.written.size >= 4 && report.written.size < 12, stderr);
  // The Ids printed are customers Stripe has, with the email of their row.
  const created = customersTagged(tag);
  for (const [row, id] of report.written) {
    assert.equal(created.find((c) => c.id === id)?.email, `${tag}-${row}@example.com`, `row ${row}`);
  }
  // Rows cancelled in flight may have been created; rows never sent were not.
  assert.ok(created.length >= report.written.size && created.length < 40);
  assert.ok(posts < 40, 'the rest were never sent');

  // The same statement, the same prefix: the rows already created are replayed, the rest created.
  const again = await runCli([...args, `${insert40(tag)} RETURNING Id, Email`]);
  assert.equal(again.stderr, '');
  assert.equal(again.code, 0);
  const returned = again.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { Id: string; Email: string });
  assert.equal(returned.length, 40);
  const after = customersTagged(tag);
  assert.equal(after.length, 40, 'nothing was created twice');
  assert.deepEqual(new Set(returned.map((r) => r.Id)), new Set(after.map((c) => c.id)));
  for (const [row, id] of report.written) assert.equal(returned[row - 1]!.Id, id, `row ${row} replayed, not created again`);
});

test('a row Stripe refuses stops the write: the report names it with its error, lists the Ids written and the rows not sent; exit 1', async () => {
  const tag = 'refused-import';
  const rows = Array.from({ length: 20 }, (_, i) => `('${tag}-${i + 1}@example.com', '${tag}', '${i === 2 ? 'bogus' : 'none'}')`);
  const { code, stdout, stderr } = await runCli([
    '--api-key', KEY, '--base-url', emulator.url,
    `INSERT INTO Customers (Email, Description, TaxExempt) VALUES ${rows.join(', ')}`,
  ]);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /^stripe-sql: INSERT Customers stopped: \d+ of 20 rows written, 1 failed, \d+ not sent\n/);
  assert.match(stderr, /^ {2}failed \(1\):\n {4}row 3: StripeWriteError: TaxExempt: Invalid tax_exempt/m);
  assert.match(stderr, /correct the failed rows and run the statements again with --idempotency-key stripe-sql-[\w-]+: what was written is not written twice/);
  const report = parseReport(stderr);
  const created = customersTagged(tag);
  assert.deepEqual(new Set(report.written.values()), new Set(created.map((c) => c.id)), 'the Ids printed are exactly those created');
  assert.equal(report.written.size + report.unsent.length + 1, 20);
});
