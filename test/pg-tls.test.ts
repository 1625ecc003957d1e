// TLS: with a certificate and key, SSLRequest is answered 'S' and the session runs over TLS
// (node-postgres with ssl, psql with sslmode=require), SCRAM passwords still authenticate
// over it, and `SHOW ssl` says on; without them SSLRequest stays 'N' (sslmode=require fails,
// prefer falls back to plain). The certificate is a throwaway one made here with Debian's
// openssl; `stripe-sql serve --tls-cert/--tls-key` is driven end to end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TLSSocket } from 'node:tls';
import pg from 'pg';
import { connect } from '../src/index.js';
import { PgServer, ServeError } from '../src/pg/server.js';
import { startEmulator, DEMO_API_KEY, type Emulator } from '../emulator/index.js';
import { requireProgram, run } from './pg-helpers.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const PASSWORD = 'tls-test-password';

let dir = '';
let cert: Buffer;
let key: Buffer;
let emulator: Emulator;
let tlsServer: PgServer;
let plainServer: PgServer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stripe-sql-tls-'));
  const openssl = requireProgram('/usr/bin/openssl', 'openssl');
  const made = await run(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1']);
  assert.equal(made.code, 0, made.stderr);
  cert = await readFile(join(dir, 'c.pem'));
  key = await readFile(join(dir, 'k.pem'));
  emulator = await startEmulator({ seed: true });
  const open = () => connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000 });
  tlsServer = await PgServer.start({ connect: open, host: '127.0.0.1', port: 0, version: 'test', password: PASSWORD, tls: { cert, key } });
  plainServer = await PgServer.start({ connect: open, host: '127.0.0.1', port: 0, version: 'test' });
});

after(async () => {
  await tlsServer?.close();
  await plainServer?.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('node-postgres with ssl: the socket is TLS, SHOW ssl is on, the password authenticates over it', async () => {
  const client = new pg.Client({ host: '127.0.0.1', port: tlsServer.address.port, user: 'analyst', database: 'stripe', password: PASSWORD, ssl: { rejectUnauthorized: false } });
  await client.connect();
  try {
    const stream = (client as unknown as { connection: { stream: unknown } }).connection.stream;
    assert.ok(stream instanceof TLSSocket && stream.encrypted, 'node-postgres talks over a TLSSocket');
    assert.match(String(stream.getProtocol()), /^TLSv1\.[23]$/);
    assert.equal(stream.getPeerCertificate().subject?.CN, '127.0.0.1');
    assert.deepEqual((await client.query('SHOW ssl')).rows, [{ ssl: 'on' }]);
    const { rows } = await client.query('SELECT COUNT(*) AS n FROM Customers WHERE Id = $1', [(emulator.objects('customer')[0] as { id: string }).id]);
    assert.equal(Number(rows[0].n), 1);
  } finally {
    await client.end();
  }
  // A wrong password is still refused over TLS.
  const wrong = new pg.Client({ host: '127.0.0.1', port: tlsServer.address.port, user: 'analyst', password: 'nope', ssl: { rejectUnauthorized: false } });
  await assert.rejects(wrong.connect(), (e: pg.DatabaseError) => e.code === '28P01');
});

test('psql with sslmode=require: \\conninfo reports TLS, SHOW ssl is on; verify-ca accepts the server certificate', async () => {
  const psql = requireProgram('/usr/bin/psql', 'postgresql-client');
  const port = tlsServer.address.port;
  const env = { PGPASSWORD: PASSWORD, PGCONNECT_TIMEOUT: '10' };
  const result = await run(psql, [`host=127.0.0.1 port=${port} user=analyst dbname=stripe sslmode=require`, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], {
    env,
    input: '\\conninfo\nSHOW ssl;\nSELECT COUNT(*) > 0 FROM Charges;\n',
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /SSL connection \(protocol: TLSv1\.[23], cipher: /);
  assert.deepEqual(result.stdout.split('\n').filter(Boolean).slice(-2), ['on', 't']);
  // The certificate psql sees is the one given (verify-ca checks it against that file as root).
  const verified = await run(psql, [`host=127.0.0.1 port=${port} user=analyst sslmode=verify-ca sslrootcert=${join(dir, 'c.pem')}`, '-X', '-A', '-t', '-c', 'SHOW ssl'], { env });
  assert.equal(verified.stdout, 'on\n', verified.stderr);
});

test('without a certificate SSLRequest stays N: sslmode=require is refused, prefer falls back to plain (SHOW ssl off)', async () => {
  const psql = requireProgram('/usr/bin/psql', 'postgresql-client');
  const port = plainServer.address.port;
  const required = await run(psql, [`host=127.0.0.1 port=${port} user=analyst sslmode=require`, '-X', '-c', 'SELECT 1'], { env: { PGCONNECT_TIMEOUT: '10' } });
  assert.equal(required.code, 2);
  assert.match(required.stderr, /server does not support SSL/);
  const preferred = await run(psql, [`host=127.0.0.1 port=${port} user=analyst sslmode=prefer`, '-X', '-A', '-t', '-c', 'SHOW ssl'], { env: { PGCONNECT_TIMEOUT: '10' } });
  assert.equal(preferred.stdout, 'off\n', preferred.stderr);
  // And a TLS server still serves clients that do not ask for TLS.
  const plain = await run(psql, [`host=127.0.0.1 port=${tlsServer.address.port} user=analyst sslmode=disable`, '-X', '-A', '-t', '-c', 'SHOW ssl'], { env: { PGPASSWORD: PASSWORD, PGCONNECT_TIMEOUT: '10' } });
  assert.equal(plain.stdout, 'off\n', plain.stderr);
});

test('a certificate and key that do not make a pair are refused at start', async () => {
  const other = await run('/usr/bin/openssl', ['genrsa', '2048']);
  await assert.rejects(
    PgServer.start({ connect: () => connect({ apiKey: DEMO_API_KEY }), port: 0, tls: { cert, key: other.stdout } }),
    (e: unknown) => e instanceof ServeError && /TLS certificate and key cannot be used/.test(e.message),
  );
});

test('stripe-sql serve --demo --tls-cert --tls-key: the stderr line says TLS; psql sslmode=require connects', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--demo', '--port', '0', '--tls-cert', join(dir, 'c.pem'), '--tls-key', join(dir, 'k.pem')], {
    env: { ...process.env, STRIPE_SQL_PASSWORD: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const line = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('\n')) resolve(stderr.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    const port = Number(/listening on 127\.0\.0\.1:(\d+) \(demo data\); no password; TLS offered; try: psql ".*sslmode=require"/.exec(line)?.[1]);
    assert.ok(port > 0, line);
    const result = await run('/usr/bin/psql', [`host=127.0.0.1 port=${port} user=me sslmode=require`, '-X', '-A', '-t', '-c', 'SHOW ssl'], { env: { PGCONNECT_TIMEOUT: '10' } });
    assert.equal(result.stdout, 'on\n', result.stderr);
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  // A missing file is refused before anything listens.
  const missing = await run(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--demo', '--port', '0', '--tls-cert', join(dir, 'none.pem'), '--tls-key', join(dir, 'k.pem')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read the TLS certificate .*none\.pem: ENOENT/);
});
