// `stripe-sql serve` as a command: --demo on a free port (its one stderr line says where),
// psql connecting to it, SIGTERM ending it with 0; a non-loopback address without a password
// refused before anything listens; the options read (password from $STRIPE_SQL_PASSWORD) and
// the API key never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseServeArgs } from '../src/pg/serve.js';
import { PgServer, ServeError } from '../src/pg/server.js';
import { connect } from '../src/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/index.js';
import { requireProgram, run } from './pg-helpers.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/** Starts `stripe-sql serve …` and resolves with its stderr line once it listens. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const line = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('\n')) resolve(stderr.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, line, stderr: () => stderr };
}

test('serve --demo --port 0: one line on stderr says where; psql connects; SIGTERM ends it with 0', async () => {
  const { child, line } = await serve(['--demo', '--port', '0']);
  const port = Number(/listening on 127\.0\.0\.1:(\d+) \(demo data\); no password/.exec(line)?.[1]);
  assert.ok(port > 0, line);
  const psql = requireProgram('/usr/bin/psql', 'postgresql-client');
  const result = await run(psql, [`host=127.0.0.1 port=${port} user=me sslmode=prefer`, '-X', '-A', '-t', '-c', 'SELECT COUNT(*) > 0 FROM Customers']);
  assert.equal(result.stdout, 't\n', result.stderr);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  assert.deepEqual(await exited, [0, null]);
});

test('any address but loopback is refused without a password, before listening', async () => {
  const result = await run(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--demo', '--host', '0.0.0.0', '--port', '0'], { env: { STRIPE_SQL_PASSWORD: '' } });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /refusing to listen on 0\.0\.0\.0 without a password/);
  await assert.rejects(
    PgServer.start({ connect: () => connect({ apiKey: 'sk_test_x' }), host: '0.0.0.0', port: 0 }),
    (e: unknown) => e instanceof ServeError && /--password or \$STRIPE_SQL_PASSWORD/.test(e.message),
  );
});

test('options: defaults, the password from $STRIPE_SQL_PASSWORD, refusals', () => {
  assert.deepEqual(parseServeArgs(['--demo'], {}), { demo: true, host: '127.0.0.1', port: 5433 });
  assert.deepEqual(parseServeArgs(['--api-key', 'sk_test_1', '--port', '6543'], { STRIPE_SQL_PASSWORD: 'pw' }), {
    demo: false, host: '127.0.0.1', port: 6543, apiKey: 'sk_test_1', password: 'pw',
  });
  assert.equal(parseServeArgs(['--password', 'given'], { STRIPE_SQL_PASSWORD: 'env' }).password, 'given');
  assert.throws(() => parseServeArgs(['--demo', '--api-key', 'sk_test_1'], {}), /--demo uses the built-in emulator/);
  assert.deepEqual(parseServeArgs(['--demo', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}), { demo: true, host: '127.0.0.1', port: 5433, tlsCert: 'c.pem', tlsKey: 'k.pem' });
  assert.throws(() => parseServeArgs(['--tls-cert', 'c.pem'], {}), /--tls-cert and --tls-key go together/);
  assert.throws(() => parseServeArgs(['--port', '70000'], {}), /--port must be 0–65535/);
  assert.throws(() => parseServeArgs(['--nope', 'sk_live_secret'], {}), (e: Error) => !e.message.includes('sk_live_secret'));
});

test('the API key is never printed', async () => {
  const key = 'sk_test_serve_secret_0123456789';
  const { child, line } = await serve(['--api-key', key, '--base-url', 'http://127.0.0.1:9', '--port', '0']);
  assert.doesNotMatch(line, /sk_test/);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
});

test('serve --profile NAME takes the key, base URL and account from the profile, as queries do', async () => {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-serve-profile-'));
  let stop = () => {};
  try {
    const config = join(dir, 'config.json');
    const profile = { apiKey: 'sk_test_SERVEPROFILE0123456789wxyz', baseUrl: emulator.url, accountId: 'acct_1DemoConnected00' };
    writeFileSync(config, JSON.stringify({ profiles: { connected: profile } }));
    const { child, line } = await serve(['--profile', 'connected', '--port', '0'], { STRIPE_SQL_CONFIG: config, STRIPE_API_KEY: '' });
    const exited = once(child, 'exit');
    stop = () => child.kill('SIGTERM');
    assert.doesNotMatch(line, /SERVEPROFILE/);
    const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
    const psql = requireProgram('/usr/bin/psql', 'postgresql-client');
    emulator.requestLog.length = 0;
    const result = await run(psql, [`host=127.0.0.1 port=${port} user=me sslmode=disable`, '-X', '-A', '-t', '-c', 'SELECT COUNT(*) FROM checkoutsession']);
    assert.equal(result.stdout, `${emulator.objects('checkout.session', profile.accountId).length}\n`, result.stderr);
    assert.ok(emulator.requestLog.length > 0);
    for (const request of emulator.requestLog) {
      assert.match(request.headers.authorization!, /^Bearer sk_test_\*+wxyz$/);
      assert.equal(request.headers['stripe-account'], profile.accountId);
    }
    child.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null]);
    assert.throws(() => parseServeArgs(['--demo', '--profile', 'connected'], {}), /--demo uses the built-in emulator; it takes no --api-key, --base-url or --profile/);
  } finally {
    stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
