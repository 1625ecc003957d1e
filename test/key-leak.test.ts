// No key is ever printed. A recognisable fake key goes in through every door a user has — the
// command line's options and arguments, the environment, connection strings, a base URL with
// the key written into it — and out through every error: the emulator's, a server echoing the
// request into each field of its answer, redirects, and a port where nothing listens. Every
// byte of output and every reachable error field is searched for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { connect } from '../src/index.js';
import { runCli } from './support/cli-process.js';

/** What must never appear; every key below carries it in the middle, away from its last four. */
const CANARY = 'LEAKCANARY';
const ACCEPTED = `sk_test_${CANARY}0123456789abcdwxyz`;
/** The emulator refuses keys holding `invalid`. */
const REJECTED = `sk_test_invalid${CANARY}0123456789wxyz`;
const LIVE = `sk_live_${CANARY}0123456789abcdwxyz`;
/** Not shaped like a Stripe key: only knowing it is the key in use can hide it. */
const ODD = `${CANARY}oddly0shaped0secret0wxyz`;

let emulator: Emulator;
let echo: Server;
let echoUrl: string;
let closedPortUrl: string;
/** A profile config holding the keys: every field and command that could show them. */
const configDir = mkdtempSync(join(tmpdir(), 'stripe-sql-leak-'));
const config = join(configDir, 'config.json');

before(async () => {
  emulator = await startEmulator();
  // Answers every request with what it was sent: the Authorization header in every field of a
  // Stripe error, in a redirect's Location, or in a body that is not JSON.
  echo = createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (req.url?.includes('/redirect')) {
      res.writeHead(302, { Location: `https://elsewhere.example/login?key=${auth}` }).end();
    } else if (req.url?.includes('/not-json')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`hello ${auth}`);
    } else {
      const error = { type: auth, code: auth, message: `bad key ${auth}`, param: auth, doc_url: `https://x.example/${auth}`, decline_code: auth };
      res.writeHead(402, { 'Content-Type': 'application/json', 'Request-Id': `req_${auth}` }).end(JSON.stringify({ error }));
    }
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPortUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  writeFileSync(
    config,
    JSON.stringify({
      default: 'odd',
      profiles: {
        odd: { apiKey: ACCEPTED, baseUrl: `${emulator.url}/${ACCEPTED}` },
        refused: { apiKey: REJECTED, baseUrl: emulator.url },
        command: { apiKeyCommand: `echo ${LIVE}; exit 4`, baseUrl: emulator.url },
      },
    }),
  );
});
after(async () => {
  await emulator.close();
  echo.closeAllConnections();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  rmSync(configDir, { recursive: true, force: true });
});

function assertNoKey(text: string, where: string): void {
  assert.ok(!text.includes(CANARY), `${where} shows the key:\n${text}`);
}

const cliCases: { name: string; args: () => string[]; env?: Record<string, string>; stdin?: string; expect: RegExp }[] = [
  { name: '--api-key, refused by the emulator', args: () => ['--api-key', REJECTED, '--base-url', emulator.url, 'SELECT Id FROM Customers LIMIT 1'], expect: /StripeApiError: Stripe rejected the API key sk_test_…wxyz/ },
  { name: '--api-key=KEY', args: () => [`--api-key=${REJECTED}`, '--base-url', emulator.url, 'SELECT Id FROM Customers LIMIT 1'], expect: /StripeApiError/ },
  { name: 'STRIPE_API_KEY, refused', args: () => ['--base-url', emulator.url, 'SELECT Id FROM Customers LIMIT 1'], env: { STRIPE_API_KEY: REJECTED }, expect: /StripeApiError/ },
  { name: 'a key not shaped like one, refused', args: () => ['--api-key', ODD, '--base-url', emulator.url, 'SELECT Id FROM Customers LIMIT 1'], expect: /StripeApiError/ },
  { name: 'a base URL with the key in its path (emulator: unknown URL)', args: () => ['--api-key', ACCEPTED, '--base-url', `${emulator.url}/${ACCEPTED}`, 'SELECT Id FROM Customers LIMIT 1'], expect: /StripeApiError: Unrecognized request URL/ },
  { name: 'a base URL with the key in its query', args: () => ['--api-key', ODD, '--base-url', `${emulator.url}/?key=${ODD}`, 'SELECT 1'], expect: /must not have a query/ },
  { name: 'a server echoing the key into its error', args: () => ['--api-key', ODD, '--base-url', echoUrl, 'SELECT Id FROM Customers LIMIT 1'], expect: /StripeApiError: bad key …wxyz/ },
  { name: 'a redirect to a URL holding the key, from a base URL holding it', args: () => ['--api-key', ODD, '--base-url', `${echoUrl}/redirect/${ODD}`, 'SELECT Id FROM Customers LIMIT 1'], expect: /redirected \(HTTP 302\)/ },
  { name: 'a body that is not JSON, from a base URL holding the key', args: () => ['--api-key', LIVE, '--base-url', `${echoUrl}/not-json/${LIVE}`, 'SELECT Id FROM Customers LIMIT 1'], expect: /not JSON/ },
  { name: '--format KEY', args: () => ['--demo', '--format', LIVE, 'SELECT 1'], expect: /--format must be one of .*, got a value not shown here/ },
  { name: 'the key as an unknown option', args: () => [`--${LIVE}`], expect: /Unknown option a value not shown here/ },
  { name: 'the key as the SQL argument', args: () => ['--demo', LIVE], expect: /SqlError/ },
  { name: 'the key (odd-shaped, from the environment) as the SQL argument', args: () => ['--base-url', emulator.url, ODD], env: { STRIPE_API_KEY: ODD }, expect: /SqlError/ },
  { name: 'the key with -c', args: () => ['--demo', '-c', `SELECT Id FROM Customers WHERE Email = '${LIVE}' ORDER BY Nope`], expect: /SqlError: Unknown column/ },
  { name: 'the key on standard input', args: () => ['--demo'], stdin: `SELECT ${LIVE}`, expect: /SqlError/ },
  { name: 'the key given to --demo', args: () => ['--demo', '--api-key', LIVE, 'SELECT 1'], expect: /--demo uses the built-in emulator/ },
  { name: 'the key as the emulator port', args: () => ['emulator', '--port', LIVE], expect: /--port must be 0–65535, got a value not shown here/ },
  { name: 'a profile whose key is refused', args: () => ['--profile', 'refused', 'SELECT Id FROM Customers LIMIT 1'], env: { STRIPE_SQL_CONFIG: config }, expect: /StripeApiError: Stripe rejected the API key/ },
  { name: 'the default profile, its key in its base URL', args: () => ['SELECT Id FROM Customers LIMIT 1'], env: { STRIPE_SQL_CONFIG: config }, expect: /StripeApiError: Unrecognized request URL/ },
  { name: 'a failing key command that printed the key', args: () => ['--profile', 'command', 'SELECT 1'], env: { STRIPE_SQL_CONFIG: config }, expect: /the key command of profile command failed \(exit 4\)/ },
  { name: 'the key as a profile name', args: () => ['--profile', LIVE, 'SELECT 1'], env: { STRIPE_SQL_CONFIG: config }, expect: /no profile named \(a name not shown here\)/ },
];

// Each case is a process of its own; they run side by side.
test('command line', { concurrency: true }, async (t) => {
  await Promise.all(
    cliCases.map((c) =>
      t.test(c.name, async () => {
        const run = await runCli(c.args(), { ...(c.env ? { env: c.env } : {}), ...(c.stdin !== undefined ? { stdin: c.stdin } : {}) });
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stderr, c.expect);
        assertNoKey(run.stdout + run.stderr, 'the command');
      }),
    ),
  );
});

test('stripe-sql profiles shows no key, not even inside a key command or a base URL', async () => {
  const run = await runCli(['profiles'], { env: { STRIPE_SQL_CONFIG: config } });
  assert.equal(run.code, 0);
  assert.match(run.stdout, /\* odd: key sk_test_…wxyz, base URL http:\/\/127\.0\.0\.1:\d+\/sk_test_…wxyz/);
  assert.match(run.stdout, /command: key from `echo sk_live_…wxyz; exit 4`/);
  assertNoKey(run.stdout + run.stderr, 'stripe-sql profiles');
});

/** Every string an error holds, however it is looked at: message, stack, fields, causes, inspection, JSON. */
function everythingIn(error: unknown): string {
  const seen = new Set<unknown>();
  const parts: string[] = [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error) ?? ''];
  const walk = (value: unknown) => {
    if (value === null || typeof value !== 'object' || seen.has(value)) {
      if (typeof value === 'string') parts.push(value);
      return;
    }
    seen.add(value);
    if (value instanceof Error) parts.push(value.message, value.stack ?? '');
    for (const key of Reflect.ownKeys(value)) walk((value as Record<PropertyKey, unknown>)[key]);
    if (value instanceof Error) walk(value.cause);
  };
  walk(error);
  return parts.join('\n');
}

async function failureOf(work: () => Promise<unknown> | unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  assert.fail('expected a failure');
}

const libraryCases: { name: string; run: () => Promise<unknown> | unknown; expect: RegExp }[] = [
  { name: 'a connection string with the = left out', run: () => connect(`AuthScheme=APIKey;LiveAPIKey ${LIVE}`), expect: /is the '=' missing after LiveAPIKey/ },
  { name: 'a connection string holding only the key', run: () => connect(`AuthScheme=APIKey;${LIVE}`), expect: /expected Name=Value/ },
  { name: 'the key as a property name', run: () => connect(`${LIVE}=1`), expect: /Unknown connection property/ },
  { name: 'the key as a number', run: () => connect(`LiveAPIKey=${LIVE};MaxRetries=${LIVE}`), expect: /MaxRetries must be a whole number/ },
  { name: 'the key as the AuthScheme', run: () => connect(`AuthScheme=${LIVE}`), expect: /AuthScheme: only APIKey/ },
  { name: 'an unterminated quote around the key', run: () => connect(`LiveAPIKey='${LIVE}`), expect: /unterminated quote/ },
  { name: 'a key with a space in it', run: () => connect({ apiKey: `${LIVE} x` }), expect: /contains spaces/ },
  { name: 'a base URL that is no URL and holds the key', run: () => connect({ apiKey: ODD, baseUrl: `not a url ${ODD}` }), expect: /is not a URL/ },
  { name: 'a base URL with the key in its query', run: () => connect({ apiKey: ODD, baseUrl: `http://127.0.0.1:9/?k=${ODD}` }), expect: /must not have a query/ },
  {
    name: 'the emulator refusing the key (connection string)',
    run: () => connect(`AuthScheme=APIKey;LiveAPIKey=${REJECTED};BaseUrl=${emulator.url}`).query('SELECT Id FROM Customers LIMIT 1'),
    expect: /Stripe rejected the API key/,
  },
  {
    name: 'an unreachable port on 127.0.0.1, the key in the base URL (options)',
    run: () => connect({ apiKey: ODD, baseUrl: `${closedPortUrl}/${ODD}`, maxRetries: 0 }).query('SELECT Id FROM Customers LIMIT 1'),
    expect: /could not reach http:\/\/127\.0\.0\.1:\d+\/…wxyz/,
  },
  {
    name: 'an unreachable port on 127.0.0.1, the key in the base URL (connection string)',
    run: () => connect(`LiveAPIKey=${LIVE};BaseUrl=${closedPortUrl}/${LIVE};MaxRetries=0`).query('SELECT Id FROM Customers LIMIT 1'),
    expect: /could not reach http:\/\/127\.0\.0\.1:\d+\/sk_live_…wxyz/,
  },
  {
    name: 'a server echoing the key into every error field',
    run: () => connect({ apiKey: ODD, baseUrl: echoUrl, maxRetries: 0 }).query('SELECT Id FROM Customers LIMIT 1'),
    expect: /bad key …wxyz/,
  },
  {
    name: 'a redirect to a URL holding the key',
    run: () => connect({ apiKey: LIVE, baseUrl: `${echoUrl}/redirect`, maxRetries: 0 }).query('SELECT Id FROM Customers LIMIT 1'),
    expect: /redirected \(HTTP 302\) to https:\/\/elsewhere\.example\/login\?key=sk_live_…wxyz/,
  },
  {
    name: 'a write refused by a server echoing the key',
    run: () => connect({ apiKey: ODD, baseUrl: echoUrl, maxRetries: 0 }).execute("INSERT INTO Customers (Email) VALUES ('a@example.com'), ('b@example.com')"),
    expect: /bad key …wxyz/,
  },
];

for (const c of libraryCases) {
  test(`library: ${c.name}`, async () => {
    const error = await failureOf(c.run);
    assert.ok(error instanceof Error);
    assert.match(error.message, c.expect);
    assertNoKey(everythingIn(error), 'the error');
  });
}

test('library: a connection shows no key when inspected or serialised', () => {
  const db = connect({ apiKey: ODD, baseUrl: `${emulator.url}/${ODD}` });
  assertNoKey(inspect(db, { depth: 10, showHidden: true }) + JSON.stringify(db) + String(db), 'the connection');
});
