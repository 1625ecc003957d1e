// `stripe-sql serve`: its options (parsed here, so the CLI only dispatches) and its run: one
// connection per session over the same key and base URL, one line on stderr saying where it
// listens, until SIGINT/SIGTERM.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { connect, type ConnectOptions, type Connection } from '../index.js';
import { isLoopback, PgServer, ServeError } from './server.js';

export interface ServeOptions {
  demo: boolean;
  apiKey?: string;
  accountId?: string;
  baseUrl?: string;
  host: string;
  port: number;
  password?: string;
  /** PEM files: with both, clients may (sslmode=require) use TLS. */
  tlsCert?: string;
  tlsKey?: string;
  /** --profile NAME: the profile to take the key, account, base URL and budget from. */
  profile?: string;
  /** What the profile (named, or the config's default) gives; resolved by the CLI. */
  fromProfile?: ConnectOptions;
}

export const SERVE_USAGE = `  stripe-sql serve [--demo | --profile NAME | --api-key K | --base-url U] [--host 127.0.0.1] [--port 5433] [--password P]
                   [--tls-cert FILE --tls-key FILE]
                                     a PostgreSQL server: psql, drivers and BI tools connect to it
                                     (password also from $STRIPE_SQL_PASSWORD; required off loopback;
                                     TLS offered when given a PEM certificate and key)`;

/** A bad `serve` command line; the CLI reports it as a usage error. */
export class ServeUsageError extends Error {
  override name = 'ServeUsageError';
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        demo: { type: 'boolean', default: false },
        'api-key': { type: 'string' },
        account: { type: 'string' },
        'base-url': { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '5433' },
        password: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        profile: { type: 'string' },
      },
    });
  } catch (error) {
    // Keep the first sentence; never repeat a value (it may be a key given in the wrong place).
    throw new ServeUsageError(String((error as Error).message).split('. ')[0]!.replace(/'[^']*'/g, (m) => (/^'--?[\w-]+'$/.test(m) ? m : "'…'")));
  }
  const v = parsed.values;
  if (v.demo && (v['api-key'] !== undefined || v['base-url'] !== undefined || v.profile !== undefined)) {
    throw new ServeUsageError('--demo uses the built-in emulator; it takes no --api-key, --base-url or --profile');
  }
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) {
    throw new ServeUsageError('--tls-cert and --tls-key go together: a PEM certificate and its private key');
  }
  const port = Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServeUsageError('--port must be 0–65535');
  const password = v.password ?? env.STRIPE_SQL_PASSWORD;
  return {
    demo: Boolean(v.demo),
    host: String(v.host),
    port,
    ...(v['api-key'] !== undefined ? { apiKey: v['api-key'] } : {}),
    ...(v.account !== undefined ? { accountId: v.account } : {}),
    ...(v['base-url'] !== undefined ? { baseUrl: v['base-url'] } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
    ...(v.profile !== undefined ? { profile: v.profile } : {}),
    ...(v['tls-cert'] !== undefined && v['tls-key'] !== undefined ? { tlsCert: v['tls-cert'], tlsKey: v['tls-key'] } : {}),
  };
}

export interface ServeEnvironment {
  /** Starts the demo emulator (the CLI's; src/pg does not import the emulator). */
  startDemo: () => Promise<{ url: string; apiKey: string; close: () => Promise<void> }>;
  version: string;
  /** Where the one line goes (stderr). */
  log: (line: string) => void;
  /** Resolves when the server should stop (SIGINT / SIGTERM). */
  stopped: Promise<unknown>;
}

export async function runServe(options: ServeOptions, env: ServeEnvironment): Promise<number> {
  if (!isLoopback(options.host) && !options.password) {
    throw new ServeError(`refusing to listen on ${options.host} without a password: set --password or $STRIPE_SQL_PASSWORD, or listen on 127.0.0.1`);
  }
  const tls = options.tlsCert !== undefined && options.tlsKey !== undefined ? await readTls(options.tlsCert, options.tlsKey) : undefined;
  const demo = options.demo ? await env.startDemo() : undefined;
  try {
    const open = (): Connection =>
      connect({
        ...options.fromProfile,
        apiKey: demo?.apiKey ?? options.apiKey ?? options.fromProfile?.apiKey,
        baseUrl: demo?.url ?? options.baseUrl ?? options.fromProfile?.baseUrl,
        accountId: options.accountId ?? options.fromProfile?.accountId,
      });
    // Fails now, not at the first client, when there is no key.
    await open().close();
    const server = await PgServer.start({ connect: open, host: options.host, port: options.port, version: env.version, ...(options.password ? { password: options.password } : {}), ...(tls ? { tls } : {}) });
    const { host, port } = server.address;
    const shown = host.includes(':') ? `[${host}]` : host;
    env.log(
      `stripe-sql: PostgreSQL server listening on ${shown}:${port}${demo ? ' (demo data)' : ''}; ` +
        `${options.password ? 'password required (SCRAM-SHA-256)' : 'no password'}; ${tls ? 'TLS offered' : 'no TLS'}; ` +
        `try: psql "host=${host} port=${port} user=stripe sslmode=${tls ? 'require' : 'disable'}"`,
    );
    await env.stopped;
    await server.close();
    return 0;
  } finally {
    await demo?.close();
  }
}

async function readTls(certFile: string, keyFile: string): Promise<{ cert: Buffer; key: Buffer }> {
  const read = (file: string, what: string) =>
    readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new ServeError(`cannot read the TLS ${what} ${file}: ${error.code ?? error.message}`);
    });
  const [cert, key] = await Promise.all([read(certFile, 'certificate'), read(keyFile, 'key')]);
  return { cert, key };
}
