// Shared set-up for the wire-server tests: a seeded emulator and `stripe-sql serve` on a free
// loopback port, in this process, so tests can turn the emulator's knobs and wait on the
// server's events; plus the way to run Debian's psql and python3 against it.
import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from '../src/index.js';
import { PgServer } from '../src/pg/server.js';
import { startEmulator, DEMO_API_KEY, type Emulator } from '../emulator/index.js';
import { fakeClock, type FakeClock } from './support/fake-clock.js';

export interface PgFixture {
  emulator: Emulator;
  /** The emulator's clock: with a latency set, its answers wait until the test moves it on. */
  clock: FakeClock;
  server: PgServer;
  port: number;
  /** A libpq connection string for it (psql, psycopg2). */
  dsn: string;
}

export function usePgServer(options: { password?: string } = {}): PgFixture {
  const fixture = {} as PgFixture;
  before(async () => {
    fixture.clock = fakeClock();
    fixture.emulator = await startEmulator({ seed: true, clock: fixture.clock });
    fixture.server = await PgServer.start({
      connect: () => connect({ apiKey: DEMO_API_KEY, baseUrl: fixture.emulator.url, maxRequestsPerSecond: 1000 }),
      host: '127.0.0.1',
      port: 0,
      version: 'test',
      ...(options.password !== undefined ? { password: options.password } : {}),
    });
    fixture.port = fixture.server.address.port;
    fixture.dsn = `host=127.0.0.1 port=${fixture.port} user=analyst dbname=stripe sslmode=disable`;
  });
  after(async () => {
    await fixture.server.close();
    await fixture.emulator.close();
  });
  return fixture;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end; `onSpawn` sees the child (to signal it). */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; onSpawn?: (child: ReturnType<typeof spawn>) => void } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
    options.onSpawn?.(child);
  });
}

/**
 * The path of a program CI installs with apt-get; a clear failure (not a skip) when it is missing,
 * so a machine without it cannot pass by accident.
 */
export function requireProgram(path: string, aptPackage: string): string {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: install Debian's ${aptPackage} (apt-get install -y ${aptPackage}; .ci/run does this)`);
  }
  return path;
}

/** psql against the fixture: unaligned, tuples and messages as a script would read them. */
export function psql(fixture: PgFixture, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; onSpawn?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<RunResult> {
  const bin = requireProgram('/usr/bin/psql', 'postgresql-client');
  return run(bin, [fixture.dsn, '-X', ...args], { ...options, env: { PGCONNECT_TIMEOUT: '10', ...options.env } });
}

/** Resolves when the emulator receives its next request (the log is appended on arrival). */
export function nextRequest(emulator: Emulator): Promise<Emulator['requestLog'][number]> {
  const log = emulator.requestLog;
  return new Promise((resolve) => {
    const push = log.push;
    log.push = function (this: typeof log, ...items) {
      log.push = push;
      const length = push.apply(this, items);
      resolve(items[0]!);
      return length;
    };
  });
}
