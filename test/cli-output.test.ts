// The command's output as programs read it: streamed row by row, one document per statement,
// to a file, into a pipe that closes early.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { CLI_MAIN, cliEnv, exited, firstLines, runCli, spawnCli } from './support/cli-process.js';

const KEY = 'sk_test_cli_output_0123456789';
let emulator: Emulator;
let dir: string;

before(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), 'stripe-sql-cli-'));
});
after(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const onEmulator = (...args: string[]) => ['--api-key', KEY, '--base-url', emulator.url, ...args];

/**
 * A proxy in front of the emulator that holds back every list page after the first (a request
 * with `starting_after`) until released: while it holds them, the last page cannot have been read.
 */
async function startGate(target: string): Promise<{ url: string; holding: Promise<void>; release(): void; close(): Promise<void> }> {
  const waiting: (() => void)[] = [];
  let open = false;
  let nowHolding!: () => void;
  const holding = new Promise<void>((resolve) => (nowHolding = resolve));
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const go = () => forward(req, res, Buffer.concat(chunks));
      if (open || !(req.url ?? '').includes('starting_after=')) go();
      else {
        waiting.push(go);
        nowHolding();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holding,
    release: () => {
      open = true;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

for (const format of ['ndjson', 'csv'] as const) {
  test(`--format ${format} prints the first row before the last page of a scan is read`, async () => {
    const total = emulator.objects('charge').length;
    assert.ok(total > 100, 'the scan needs a second page');
    const gate = await startGate(emulator.url);
    try {
      const child = spawnCli(['--api-key', KEY, '--base-url', gate.url, '--format', format, 'SELECT Id, Amount FROM Charges']);
      child.stdin.end();
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const lines = await firstLines(child.stdout, format === 'csv' ? 2 : 1);
      const firstRow = lines.at(-1)!;
      assert.match(firstRow, format === 'csv' ? /^ch_\w+,\d+$/ : /^\{"Id":"ch_\w+","Amount":\d+\}$/);
      // The row is out while the next page is held back: nothing waited for the end of the scan.
      assert.equal(child.exitCode, null);
      await gate.holding;
      gate.release();
      assert.deepEqual(await exited(child), { code: 0, signal: null });
      const rows = stdout.trimEnd().split(/\r?\n/).length - (format === 'csv' ? 1 : 0);
      assert.equal(rows, total);
    } finally {
      await gate.close();
    }
  });
}

test('a closed pipe ends quietly with status 0: --format ndjson … | head -1 prints one line', async () => {
  const script = `"$NODE" --import tsx "$MAIN" --demo --format ndjson "SELECT * FROM Charges" | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
  const child = spawn('bash', ['-c', script], { env: cliEnv({ NODE: process.execPath, MAIN: CLI_MAIN }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const { code } = await new Promise<{ code: number | null }>((resolve) => child.on('close', (c) => resolve({ code: c })));
  assert.equal(code, 0);
  assert.equal(stderr, 'status=0\n');
  const lines = stdout.split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^\{"Id":"ch_/);
});

test('a script prints one JSON document per statement, one per line; JSON columns are nested', async () => {
  const customer = emulator.objects('customer')[0]!;
  const { code, stdout, stderr } = await runCli(
    onEmulator(
      '--format', 'json',
      '-c', `SELECT Id, Metadata FROM Customers WHERE Id = '${customer.id}'; SELECT Id FROM Customers WHERE Id = 'cus_none'`,
      '-c', `UPDATE Customers SET Metadata = '{"tier":"gold"}' WHERE Id = '${customer.id}'`,
      '-c', `SELECT Metadata FROM Customers WHERE Id = '${customer.id}'`,
    ),
  );
  assert.equal(stderr, '');
  assert.equal(code, 0);
  const documents = stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(documents, [
    [{ Id: customer.id, Metadata: customer.metadata }],
    [],
    { rowsAffected: 1 },
    [{ Metadata: { ...(customer.metadata as object), tier: 'gold' } }],
  ]);
});

test('-f files and -c run in the order given; errors point into the file; -o writes the results to a file', async () => {
  const script = join(dir, 'script.sql');
  await writeFile(script, "-- two statements\nSELECT 1 AS a;\n\nSELECT 2 AS b;\n");
  const out = join(dir, 'out.csv');
  const ok = await runCli(onEmulator('--format', 'csv', '-o', out, '-c', 'SELECT 0 AS z', '-f', script));
  assert.equal(ok.stderr, '');
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, '');
  assert.equal(await readFile(out, 'utf8'), 'z\r\n0\r\n\r\na\r\n1\r\n\r\nb\r\n2\r\n');

  const broken = join(dir, 'broken.sql');
  await writeFile(broken, 'SELECT 1 AS a;\n\nSELECT Nope\n  FROM Customers;\nSELECT 3;\n');
  const failed = await runCli(onEmulator('--format', 'ndjson', '-f', broken));
  assert.equal(failed.code, 1);
  assert.equal(failed.stdout, '{"a":1}\n', 'the statement before the error ran; the one after did not');
  assert.match(failed.stderr, /^stripe-sql: SqlError: Unknown column .*Nope.* \(line 3, column 8\)\nSELECT Nope\n {7}\^\n$/);

  const missing = await runCli(onEmulator('-f', join(dir, 'absent.sql')));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read .*absent\.sql: ENOENT/);
});

test('-f - reads standard input; tsv and markdown', async () => {
  const tsv = await runCli(onEmulator('--format', 'tsv', '-f', '-'), { stdin: "SELECT 'a\tb' AS x, NULL AS y" });
  assert.equal(tsv.stdout, 'x\ty\na\\tb\t\n');
  const markdown = await runCli(onEmulator('--format', 'markdown', 'SELECT 1 AS n'));
  assert.equal(markdown.stdout, '|   n |\n|----:|\n|   1 |\n');
});
