// The prompt as a person meets it: the real command in a pseudo-terminal (util-linux `script`,
// in Debian's essential bsdutils), driven key by key. Multi-line input, Up recalling the whole
// statement, Tab completion, \d+ with descriptions, \x and \timing, the status line of a scan
// waiting on Stripe and Ctrl-C cancelling it, after which the prompt goes on; Ctrl-D leaves
// with status 0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { CLI_MAIN, cliEnv } from './support/cli-process.js';

let emulator: Emulator;
/** In front of the emulator: requests for charges are held, never answered (a scan stuck on Stripe). */
let proxy: Server;
let proxyUrl: string;
let chargesRequested!: () => void;
const chargesRequest = new Promise<void>((resolve) => (chargesRequested = resolve));
const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-pty-'));

before(async () => {
  emulator = await startEmulator();
  proxy = createServer((req, res) => {
    if (req.url?.startsWith('/v1/charges')) {
      chargesRequested();
      return;
    }
    req.pipe(httpRequest(`${emulator.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    }));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
after(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A screen that never shows what is awaited ends the prompt after this long, failing the test instead of hanging the run. */
const PROMPT_DEADLINE_MS = 60_000;

test('the prompt in a terminal: multi-line input, Up, Tab, \\d+, \\x, \\timing, Ctrl-C cancels a scan, Ctrl-D leaves', async () => {
  const historyFile = join(dir, 'history');
  const command = `"${process.execPath}" --import tsx "${CLI_MAIN}" --api-key sk_test_pty_0123456789 --base-url ${proxyUrl}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: cliEnv({ STRIPE_SQL_HISTORY: historyFile, TERM: 'xterm', STRIPE_SQL_PAGER: '' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  const waiters: { pattern: RegExp; from: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    // What the person sees, without cursor moves and colours.
    screen += chunk.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    for (const w of [...waiters]) {
      const global = new RegExp(w.pattern.source, `${w.pattern.flags}g`);
      if ([...screen.matchAll(global)].some((m) => m.index! + m[0].length > w.from)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = setTimeout(() => child.kill(), PROMPT_DEADLINE_MS);
  child.on('exit', () => {
    for (const w of waiters.splice(0)) w.reject(new Error(`the prompt ended while the screen lacked ${w.pattern}; it showed:\n${screen.slice(-1500)}`));
  });
  /** Waits until the screen shows `pattern` in what it printed after `from`. */
  const shows = (pattern: RegExp, from = screen.length) => new Promise<void>((resolve, reject) => waiters.push({ pattern, from, resolve, reject }));
  /** Types keys, then waits until the screen shows `then` in what it printed since. */
  const type = (keys: string, then: RegExp) => {
    const shown = shows(then);
    child.stdin.write(keys);
    return shown;
  };

  try {
    await shows(/stripe-sql> $/, 0);
    // A statement over two lines runs at its ';'.
    await type('SELECT COUNT(*) AS n\r', /-> $/);
    await type("FROM CheckoutSession WHERE Status = 'open';\r", / n\n--\n50\n\(1 row\)\nstripe-sql> $/);
    // Up recalls it whole, on one line; Enter runs it again.
    await type('\x1b[A', /stripe-sql> SELECT COUNT\(\*\) AS n FROM CheckoutSession WHERE Status = 'open';$/);
    await type('\r', /50\n\(1 row\)\nstripe-sql> $/);
    // Tab completes what is unambiguous and lists the rest.
    await type('SELECT Id FROM Custo', /Custo$/);
    await type('\t', /FROM Customer$/);
    await type('\t', /CustomerBalanceTransactions\s+CustomerTaxIds\s+Customers\s+stripe-sql> SELECT Id FROM Customer$/);
    await type('s LIMIT 1;\r', /\(1 row\)\nstripe-sql> $/);
    // \d+ describes a table's columns, with their descriptions.
    await type('\\d+ Customers\r', /^Email +\| String +\| +\| = IN; search: = IN LIKE +\| The customer's email address\./m);
    // \x and \timing toggle.
    await type('\\x\r', /Expanded display is on\.\nstripe-sql> $/);
    await type('SELECT Id, Email FROM Customers LIMIT 1;\r', /-\[ RECORD 1 \]-*\+-+\nId +\| cus_\w+\nEmail +\| \S+@example\.com\n\(1 row\)\nstripe-sql> $/);
    await type('\\x\r', /Expanded display is off\.\nstripe-sql> $/);
    await type('\\timing\r', /Timing is on\.\nstripe-sql> $/);
    await type('SELECT 1 AS one;\r', /one\n---\n  1\n\(1 row\)\nTime: \d+\.\d{3} ms\nstripe-sql> $/);
    // Ctrl-C while Stripe has not answered: the scan stops, the prompt goes on.
    await type('SELECT Id FROM Charges;\r', /SELECT Id FROM Charges;\n$/);
    await chargesRequest;
    // Past a second, a status line on standard error says where the statement stands.
    await shows(/0 rows · [1-9]\d* requests? · [\d.]+\/s · [\d.]+ s \(Ctrl-C stops\)/);
    await type('\x03', /Cancelled: the statement was stopped \(Ctrl-C\)\nstripe-sql> $/);
    await type('SELECT 2 AS two;\r', /two\n---\n  2\n\(1 row\)\nTime: [\d.]+ ms\nstripe-sql> $/);
    // Ctrl-C at the prompt drops what is typed.
    await type('SELECT Id\r', /-> $/);
    await type('\x03', /\^C\nstripe-sql> $/);
    child.stdin.write('\x04');
    assert.equal(await exited, 0);
  } finally {
    clearTimeout(deadline);
    child.kill();
  }
  // The history file holds whole statements.
  const entries = readFileSync(historyFile, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as string);
  assert.ok(entries.includes("SELECT COUNT(*) AS n FROM CheckoutSession WHERE Status = 'open';"), entries.join('\n'));
});

/** Runs the command in a pseudo-terminal of the given size, standard input closed; resolves with the screen. */
function inTerminal(args: string[], size: { rows: number; columns: number }, env: Record<string, string>): Promise<{ code: number | null; screen: string }> {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const command = `stty rows ${size.rows} cols ${size.columns}; "${process.execPath}" --import tsx "${CLI_MAIN}" ${quoted}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: cliEnv({ TERM: 'xterm', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen })));
}

test('on a terminal, a result taller than it goes through the pager; one that fits does not', async () => {
  const pager = { STRIPE_SQL_PAGER: "sed 's/^/PAGED: /'" };
  const tall = await inTerminal(['--base-url', emulator.url, '--api-key', 'sk_test_pty_0123456789', 'SELECT Id FROM Customers LIMIT 10'], { rows: 8, columns: 80 }, pager);
  assert.equal(tall.code, 0);
  const lines = tall.screen.trimEnd().split('\n');
  assert.equal(lines.length, 2 + 10 + 1);
  assert.ok(lines.every((line) => line.startsWith('PAGED: ')), tall.screen);
  const short = await inTerminal(['--base-url', emulator.url, '--api-key', 'sk_test_pty_0123456789', 'SELECT 1 AS one'], { rows: 8, columns: 80 }, pager);
  assert.equal(short.screen, 'one\n---\n  1\n(1 row)\n');
});

test('on a terminal without a pager, a table wider than it is cut to fit; a pipe gets it whole', async () => {
  const wide = "SELECT Id, Email, Name, Description, Metadata, Created FROM Customers LIMIT 3";
  const cut = await inTerminal(['--base-url', emulator.url, '--api-key', 'sk_test_pty_0123456789', wide], { rows: 50, columns: 70 }, { STRIPE_SQL_PAGER: '' });
  assert.equal(cut.code, 0);
  const lines = cut.screen.trimEnd().split('\n');
  assert.ok(lines.every((line) => line.length <= 70), cut.screen);
  assert.match(cut.screen, /^cus_\w+… +\| \S+… +\|/m, 'the widest cells are cut');
  assert.match(lines[0]!, /^Id +\| Email +\| Name +\| /);
  const piped = await runCliWhole(['--base-url', emulator.url, '--api-key', 'sk_test_pty_0123456789', wide]);
  assert.ok(!piped.includes('…'), 'nothing cut in a pipe');
});

async function runCliWhole(args: string[]): Promise<string> {
  const { runCli } = await import('./support/cli-process.js');
  return (await runCli(args)).stdout;
}

test('at the prompt, a tall result goes through the pager and the prompt takes the keyboard back', async () => {
  const command = `stty rows 8 cols 80; "${process.execPath}" --import tsx "${CLI_MAIN}" --api-key sk_test_pty_0123456789 --base-url ${emulator.url}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: cliEnv({ STRIPE_SQL_HISTORY: join(dir, 'pager-history'), TERM: 'xterm', STRIPE_SQL_PAGER: "sed 's/^/PAGED: /'" }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let waiting: { pattern: RegExp; resolve: () => void; reject: (e: Error) => void } | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    if (waiting?.pattern.test(screen)) waiting.resolve();
  });
  const until = (pattern: RegExp) => new Promise<void>((resolve, reject) => (waiting = { pattern, resolve, reject }));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = setTimeout(() => child.kill(), PROMPT_DEADLINE_MS);
  child.on('exit', () => waiting?.reject(new Error(`the prompt ended while the screen lacked ${waiting.pattern}; it showed:\n${screen.slice(-1500)}`)));
  try {
    await until(/stripe-sql> $/);
    let shown = until(/PAGED: \(10 rows\)\nstripe-sql> $/);
    child.stdin.write('SELECT Id FROM Customers LIMIT 10;\r');
    await shown;
    assert.match(screen, /PAGED: Id\nPAGED: -+\n(PAGED: cus_\w+\n){10}PAGED: \(10 rows\)\n/);
    shown = until(/one\n---\n  1\n\(1 row\)\nstripe-sql> $/);
    child.stdin.write('SELECT 1 AS one;\r');
    await shown;
    child.stdin.write('\x04');
    assert.equal(await exited, 0);
  } finally {
    clearTimeout(deadline);
    child.kill();
  }
});
