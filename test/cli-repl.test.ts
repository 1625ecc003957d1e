// The interactive prompt, driven through streams as a terminal drives it: lines, and in terminal
// mode the keys themselves (Tab, Up, Ctrl-C). test/cli-pty.test.ts drives the real command in a
// pseudo-terminal.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Connection } from '../src/index.js';
import { runRepl, type ReplOptions } from '../src/cli/repl.js';
import { complete } from '../src/cli/completion.js';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();
const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-repl-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const describeError = (e: unknown) => `error: ${(e as Error).message}`;

/** A prompt on streams; lines are fed as they come, output is watched as it grows. */
function startSession(options: { terminal?: boolean; db?: Connection } & ReplOptions = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  const waiters: { pattern: RegExp; from: number; resolve: (m: RegExpMatchArray) => void }[] = [];
  /** A match that ends in output written after `from` (it may begin earlier: echoes arrive a few characters at a time). */
  const newMatch = (pattern: RegExp, from: number) => {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const m of text.matchAll(global)) if (m.index! + m[0].length > from) return m;
    return undefined;
  };
  output.on('data', (chunk) => {
    // What a reader sees: without the cursor moves of a terminal, line ends as \n.
    text += String(chunk).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
    for (const w of [...waiters]) {
      const m = newMatch(w.pattern, w.from);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const { terminal = false, db = e2e.db, ...replOptions } = options;
  const done = runRepl(db, 'table', { input, output, terminal }, describeError, replOptions);
  return {
    done,
    get text() {
      return text;
    },
    /** Resolves when the output matches in text written from now on. */
    waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
      const from = text.length;
      return new Promise((resolve) => waiters.push({ pattern, from, resolve }));
    },
    send: (keys: string) => input.write(keys),
    end: () => input.end(),
  };
}

async function session(lines: string[], options: ReplOptions = {}): Promise<string> {
  const s = startSession(options);
  s.send(lines.join('\n') + '\n');
  s.end();
  await s.done;
  return s.text;
}

test('statements may span lines and run at the ;', async () => {
  const text = await session(["SELECT COUNT(*) AS n", "FROM CheckoutSession WHERE Status = 'open';"]);
  assert.match(text, / n\n--\n50\n\(1 row\)/);
});

test('a failing statement prints its error with the caret, and the session goes on', async () => {
  const text = await session(['SELECT Nope', '  FROM CheckoutSession;', '.format json', "SELECT Id FROM CheckoutSession WHERE Id = 'cs_x';"]);
  assert.match(text, /error: Unknown column '?Nope'?.*\(line 1, column 8\)\nSELECT Nope\n {7}\^\n/);
  assert.match(text, /Output format is json\.\n.*\[\]\n/s);
});

test('a comment after the ; ends the statement: the prompt is not left waiting', async () => {
  const text = await session(['SELECT 1 AS one; -- a note', 'SELECT 2 AS two;']);
  assert.match(text, /one\n---\n  1\n\(1 row\)\nstripe-sql> two\n/);
  assert.ok(!text.includes('->'), 'no continuation prompt');
});

test('\\dt, \\d, \\d+, \\df and their dot forms describe the tables and procedures', async () => {
  const text = await session(['\\dt Checkout*', '\\d customers', '\\d+ Customers', '\\df Expire*', '.tables Customers', '.columns Nothing', '\\bogus']);
  assert.match(text, /^CheckoutSession +\| table \| /m);
  assert.match(text, /^CheckoutSessionLineItems +\| view +\| /m);
  assert.match(text, /^\(2 rows\)$/m);
  assert.match(text, /Table Customers: Customers of the business[^\n]*\nWrites: INSERT, UPDATE, DELETE\nFilters on other columns are evaluated here, after the rows are read\.\n/);
  assert.match(text, /^Id +\| String +\| key, read-only +\| = IN · read by id$/m);
  assert.match(text, /^TestClockId +\| String +\| → TestClocks +\| = IN$/m);
  assert.match(text, /^AccountId +\| String +\| pseudo +\| = IN · Stripe-Account header$/m);
  assert.match(text, /^Created +\| Datetime +\| [^|]*\| = < <= > >=; search: = <> < <= > >= IN$/m, 'a range goes to the list, and search takes more');
  assert.match(text, /^Name +\| String +\| +\| search: = IN LIKE$/m, 'a column only search narrows');
  assert.match(text, /^Delinquent +\| Boolean +\| [^|]*\|$/m, 'a column Stripe cannot filter: nothing');
  assert.match(text, /^Email +\| String +\| +\| = IN; search: = IN LIKE +\| The customer's email address\./m, '\\d+ adds descriptions');
  assert.match(text, /^ExpireCheckoutSession +\| @CheckoutSessionId String, \[@AccountId String\] +\| /m);
  assert.match(text, /Did not find any table named "Nothing"/);
  assert.match(text, /Unknown command \\bogus; \\\? lists them/);
});

test('\\q, exit and quit leave; nothing after them runs; help lists the commands', async () => {
  for (const quit of ['\\q', 'exit', 'quit', '.quit']) {
    const text = await session(['help', quit, 'SELECT 1;']);
    assert.match(text, /\\dt \[PATTERN\] +list tables/);
    assert.ok(!text.includes('(1 row)'), `${quit}: nothing runs after it`);
  }
});

test('\\x toggles expanded display, \\timing prints how long each statement took, \\pset null', async () => {
  const text = await session(['\\x', "SELECT 'cus_1' AS \"Id\", NULL AS \"Email\";", '\\x', '\\timing', '\\pset null (null)', 'SELECT NULL AS n;', '\\timing off']);
  assert.match(text, /Expanded display is on\.\n.*-\[ RECORD 1 \]\+-{6}\nId    \| cus_1\nEmail \| NULL\n\(1 row\)\n/s);
  assert.match(text, /Expanded display is off\./);
  assert.match(text, /Null display is "\(null\)"\.\n.*n\n-+\n\(null\)\n\(1 row\)\nTime: \d+\.\d{3} ms\n/s);
  assert.match(text, /Timing is off\./);
});

test('\\o sends results to a file and back; \\i runs a file', async () => {
  const out = join(dir, 'out.txt');
  const script = join(dir, 'script.sql');
  writeFileSync(script, 'SELECT 7 AS seven;\nSELECT 8 AS eight;\n');
  const text = await session([`\\o ${out}`, 'SELECT 1 AS in_file;', '\\o', 'SELECT 2 AS on_screen;', `\\i ${script}`]);
  assert.equal(readFileSync(out, 'utf8'), 'in_file\n-------\n      1\n(1 row)\n');
  assert.match(text, /on_screen/);
  assert.ok(!text.includes('in_file'));
  assert.match(text, /seven\n-----\n    7\n\(1 row\)\neight/);
});

test('\\e edits the statement in $EDITOR and runs it', async () => {
  const editor = `printf 'SELECT 42 AS answer;\\n' >`;
  const text = await session(['\\e'], { editor });
  assert.match(text, /SELECT 42 AS answer;\n.*answer\n------\n    42\n/s);
});

test('the history keeps whole statements across sessions; none that holds a key', async () => {
  const historyFile = join(dir, 'history');
  await session(['SELECT 1', '  AS one;', "SELECT 'sk_live_0123456789abcdefgh' AS key;", '\\dt'], { historyFile });
  const lines = readFileSync(historyFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, ['SELECT 1 AS one;']);

  // Next session, in a terminal: Up recalls the statement whole, Enter runs it.
  const s = startSession({ terminal: true, historyFile });
  await s.waitFor(/stripe-sql> $/);
  const ran = s.waitFor(/one\n-+\n +1\n\(1 row\)/);
  s.send('\x1b[A\r');
  await ran;
  s.end();
  await s.done;
});

test('in a terminal: Up recalls a statement typed over several lines as one; Tab completes tables and columns', async () => {
  const s = startSession({ terminal: true });
  await s.waitFor(/stripe-sql> $/);
  let shown = s.waitFor(/\(1 row\)/);
  s.send('SELECT 3\r  AS three;\r');
  await shown;
  shown = s.waitFor(/three\n-+\n +3\n\(1 row\)/);
  s.send('\x1b[A');
  await s.waitFor(/SELECT 3 AS three;/);
  s.send('\r');
  await shown;

  // Keys one at a time, as typed: readline takes a Tab inside pasted text literally.
  const type = async (keys: string, echo: RegExp) => {
    const seen = s.waitFor(echo);
    s.send(keys);
    await seen;
  };
  await type('SELECT Id FROM Custo', /Custo$/);
  await type('\t', /FROM Customer$/);
  await type('\t', /CustomerBalanceTransactions\s+CustomerTaxIds\s+Customers\s+stripe-sql> SELECT Id FROM Customer$/);
  await type('s c WHERE c.Emai', /c\.Emai$/);
  await type('\t', /c\.Email$/);
  await type(' IS NOT NULL LIMIT 2;\r', /\(2 rows\)/);
  assert.match(s.text, /WHERE c\.Email IS NOT NULL LIMIT 2;/);
  s.end();
  await s.done;
});

test('in a terminal: Ctrl-C clears the statement being typed; during a statement, cancels it, and the prompt goes on', async () => {
  // A Stripe that never answers: the scan waits until cancelled.
  let arrived!: () => void;
  const requested = new Promise<void>((resolve) => (arrived = resolve));
  const silent = createServer((_req: IncomingMessage) => arrived());
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const db = connect({ apiKey: 'sk_test_repl_0123456789', baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, maxRetries: 0 });
  try {
    const s = startSession({ terminal: true, db });
    await s.waitFor(/stripe-sql> $/);
    let shown = s.waitFor(/\^C\nstripe-sql> $/);
    s.send('SELECT Id\r  FROM Nowhere');
    await s.waitFor(/-> .*Nowhere$/);
    s.send('\x03');
    await shown;
    shown = s.waitFor(/four\n-+\n +4\n/);
    s.send('SELECT 4 AS four;\r');
    await shown;

    s.send('SELECT Id FROM Customers;\r');
    await requested;
    shown = s.waitFor(/Cancelled: the statement was stopped \(Ctrl-C\)\nstripe-sql> $/);
    s.send('\x03');
    await shown;
    shown = s.waitFor(/five\n-+\n +5\n/);
    s.send('SELECT 5 AS five;\r');
    await shown;
    s.end();
    await s.done;
  } finally {
    await db.close();
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('completion: keywords, tables after FROM/JOIN, columns of the tables named, alias.column', () => {
  const source = {
    tableNames: () => ['Customers', 'CustomerTaxIds', 'Charges'],
    columnNames: (t: string) => ({ Customers: ['Id', 'Email', 'Name'], Charges: ['Id', 'Amount', 'CustomerId'] } as Record<string, string[]>)[t],
  };
  assert.deepEqual(complete(source, 'SELECT * FROM Custo'), [['CustomerTaxIds', 'Customers'], 'Custo']);
  assert.deepEqual(complete(source, 'sel'), [['select'], 'sel']);
  assert.deepEqual(complete(source, 'SELECT Em', 'FROM Customers'), [['Email'], 'Em']);
  assert.deepEqual(complete(source, 'SELECT c.', 'FROM Customers c JOIN Charges ch ON ch.CustomerId = c.Id'), [['c.Email', 'c.Id', 'c.Name'], 'c.']);
  assert.deepEqual(complete(source, 'WHERE ch.Am', 'FROM Customers c JOIN Charges AS ch'), [['ch.Amount'], 'ch.Am']);
  assert.deepEqual(complete(source, '\\d Ch'), [['Charges'], 'Ch']);
});

test('the history file is cut back to the newest entries once it holds twice the limit', async () => {
  const { HISTORY_LIMIT, appendHistory, loadHistory } = await import('../src/cli/history.js');
  const file = join(dir, 'long-history');
  writeFileSync(file, Array.from({ length: 2 * HISTORY_LIMIT + 1 }, (_, i) => JSON.stringify(`SELECT ${i};`) + '\n').join(''));
  const loaded = loadHistory(file);
  assert.equal(loaded.length, HISTORY_LIMIT);
  assert.equal(loaded[0], `SELECT ${2 * HISTORY_LIMIT};`, 'newest first');
  assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, HISTORY_LIMIT);
  assert.equal(appendHistory(file, 'SELECT 1 AS again;'), true);
  assert.equal(appendHistory(file, "INSERT INTO t VALUES ('rk_live_0123456789abcdef')"), false);
});
