#!/usr/bin/env node
// The stripe-sql command. Results go to standard output (or -o FILE); a failure is reported on
// standard error and ends with exit code 1, a cancellation (Ctrl-C) with 130. A reader that goes
// away (`| head -1`) ends the command quietly with 0. No key is ever printed: everything written
// to standard error is scrubbed of the key in use and of anything shaped like a Stripe key.
import { readFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { connect, type ConnectOptions } from '../connection.js';
import { PartialWriteError } from '../index.js';
import { SqlError } from '../sql/errors.js';
import { scrubSecrets } from '../stripe/redact.js';
import { parseCommandLine, USAGE, UsageError, type CliCommand, type SqlSource } from './args.js';
import { Output } from './output.js';
import { runRepl } from './repl.js';
import { defaultHistoryFile } from './history.js';
import { holdsRows } from './format.js';
import { Progress } from './progress.js';
import { needsPager, pagerCommand, showInPager } from './pager.js';
import { configPath, describeProfiles, loadConfig, pickProfile, profileKey, profileNames } from './profiles.js';
import { completionScript } from './shell-completion.js';
import { ScriptRunner } from './run.js';
import { runServe } from '../pg/serve.js';
import { runSync } from './sync.js';
import { describeWriteFailure } from './write-report.js';

type QueryCommand = Extract<CliCommand, { kind: 'query' }>;

const EXIT_FAILURE = 1;
/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_CANCELLED = 130;

/** The reasons a statement is stopped from outside: Ctrl-C, or the reader of the output went away. */
class Cancelled extends Error {
  override name = 'Cancelled';
}
class OutputClosed extends Error {
  override name = 'OutputClosed';
}

/** Keys this process was given, scrubbed from everything it prints on standard error. */
const secrets: string[] = [];

async function main(argv: string[]): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    case 'emulator':
      await runEmulator(command);
      return 0;
    case 'serve':
      return runServe(withProfile(command.options), {
        startDemo: startDemoEmulator,
        version: packageVersion(),
        log: (line) => writeError(`${line}\n`),
        stopped: new Promise((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        }),
      });
    case 'sync':
      return runSync(withProfile(command.options), {
        startDemo: startDemoEmulator,
        out: (text) => process.stdout.write(text),
        err: (text) => writeError(text),
        progress: process.stderr.isTTY === true,
        interrupted: new Promise((resolve) => process.once('SIGINT', resolve)),
      });
    case 'profiles': {
      const path = configPath();
      const config = loadConfig(path);
      process.stdout.write(command.names ? profileNames(config).map((n) => `${n}\n`).join('') : describeProfiles(config, path));
      return 0;
    }
    case 'completion':
      process.stdout.write(completionScript(command.shell));
      return 0;
    case 'query':
      return runQuery(command);
  }
}

async function runQuery(command: QueryCommand): Promise<number> {
  const interactive = command.sources.length === 0 && process.stdin.isTTY === true;
  const sources: SqlSource[] = command.sources.length > 0 ? command.sources : [{ kind: 'file', path: '-' }];
  // The emulator is loaded only for --demo, so the library never depends on it.
  const demo = command.demo ? await startDemoEmulator() : undefined;
  const output = command.output !== undefined ? await Output.toFile(command.output) : Output.toStream(process.stdout);
  try {
    const profile = demo ? {} : profileSettings(command);
    const db = connect({
      ...profile,
      apiKey: demo?.apiKey ?? command.apiKey ?? profile.apiKey,
      baseUrl: demo?.url ?? command.baseUrl ?? profile.baseUrl,
      accountId: command.accountId ?? profile.accountId,
      ...(command.cache !== undefined ? { cache: command.cache } : {}),
      ...(command.offline ? { offline: true } : {}),
      ...(command.cacheTolerance !== undefined ? { cacheTolerance: command.cacheTolerance } : {}),
    });
    try {
      if (interactive) {
        await runRepl(db, command.format, { input: process.stdin, output: process.stdout }, scrubbed(describeError), {
          historyFile: defaultHistoryFile(),
          idempotencyKey: idempotencyPrefix(command),
          ...(statusLineWanted(command) ? { statusLine: process.stderr } : {}),
          ...(process.stdout.isTTY && pagerCommand() !== undefined ? { pager: pagerCommand()! } : {}),
        });
        return 0;
      }
      return await runSources(db, sources, command, output, idempotencyPrefix(command));
    } finally {
      await db.close();
    }
  } finally {
    await output.end();
    await demo?.close();
  }
}

/** `serve` and `sync` take their connection from a profile as queries do (not under --demo). */
function withProfile<T extends { demo: boolean; profile?: string; apiKey?: string }>(options: T): T & { fromProfile: ConnectOptions } {
  return { ...options, fromProfile: options.demo ? {} : profileSettings(options) };
}

/**
 * Connection settings from a profile: the one named by --profile, else the config's default
 * when the environment gives no key (flags always win; then --profile; then the environment).
 */
function profileSettings(command: { profile?: string; apiKey?: string }): ConnectOptions {
  const path = configPath();
  if (command.profile === undefined && process.env.STRIPE_API_KEY) return {};
  const config = loadConfig(path);
  const name = command.profile ?? config?.default;
  const profile = pickProfile(config, command.profile, path);
  if (!profile || name === undefined) return {};
  // Only what the command line does not say: the key command runs only when it is needed.
  const apiKey = command.apiKey === undefined ? profileKey(profile, name) : undefined;
  if (apiKey !== undefined) secrets.push(apiKey);
  return {
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(profile.accountId !== undefined ? { accountId: profile.accountId } : {}),
    ...(profile.baseUrl !== undefined ? { baseUrl: profile.baseUrl } : {}),
    ...(profile.maxRequestsPerSecond !== undefined ? { maxRequestsPerSecond: profile.maxRequestsPerSecond } : {}),
    ...(profile.cache !== undefined ? { cache: expandHome(profile.cache) } : {}),
    ...(profile.readonly !== undefined ? { readonly: profile.readonly } : {}),
  };
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/** A status line while long statements run: on a terminal, unless --quiet. */
function statusLineWanted(command: QueryCommand): boolean {
  return !command.quiet && process.stderr.isTTY === true;
}

/** The writes' idempotency prefix: the one given, or one made up for this run. */
function idempotencyPrefix(command: QueryCommand): string {
  return command.idempotencyKey ?? `stripe-sql-${randomBytes(9).toString('base64url')}`;
}

async function runSources(
  db: ReturnType<typeof connect>,
  sources: SqlSource[],
  command: QueryCommand,
  output: Output,
  idempotencyKey: string,
): Promise<number> {
  // The status line goes where rows do not: rows held to the end, or sent to a file or a pipe.
  const rowsElsewhere = command.output !== undefined || process.stdout.isTTY !== true || holdsRows(command.format);
  const progress = statusLineWanted(command) && rowsElsewhere ? new Progress(process.stderr, () => db.stats.requests) : undefined;
  // Results for a person (standard output is the terminal) are paged when they do not fit, or
  // cut to its width when there is no pager; files and pipes get them whole.
  const screen = command.output === undefined && process.stdout.isTTY === true;
  const pager = screen ? pagerCommand() : undefined;
  const runner = new ScriptRunner(db, output, {
    format: command.format,
    explain: command.explain,
    idempotencyKey,
    ...(progress ? { progress } : {}),
    ...(screen ? { display: { width: process.stdout.columns, fit: pager === undefined } } : {}),
    ...(pager !== undefined
      ? { present: async (text: string) => needsPager(text, { rows: process.stdout.rows, columns: process.stdout.columns }) && (await showInPager(text, pager), true) }
      : {}),
  });
  const running = new AbortController();
  output.onClose(() => running.abort(new OutputClosed('the output was closed')));
  // The first Ctrl-C stops the statement (its requests are aborted, and a write reports each
  // row); a second one leaves at once.
  const onInterrupt = () => {
    if (running.signal.aborted) process.exit(EXIT_CANCELLED);
    running.abort(new Cancelled('stopped by Ctrl-C'));
  };
  process.on('SIGINT', onInterrupt);
  try {
    for (const source of sources) {
      const sql = source.kind === 'text' ? source.sql : await readSource(source.path);
      await runner.run(sql, running.signal);
      if (output.closed) break;
    }
    if (runner.statementCount === 0 && !output.closed) {
      throw new UsageError('no SQL given: pass a statement in quotes, with -c or -f, or on standard input (see --help)');
    }
    if (output.failure) throw output.failure;
    return 0;
  } catch (error) {
    const reason = running.signal.aborted ? running.signal.reason : undefined;
    // The reader went away: stop quietly, unless a write was cut short (that is reported).
    if (reason instanceof OutputClosed && !output.failure && !(error instanceof PartialWriteError)) return 0;
    if (error instanceof PartialWriteError) {
      // Every row accounted for: what was written (the Ids), what failed and why, what was not sent.
      writeError(describeWriteFailure(error, { ...(reason instanceof Cancelled ? { stoppedBy: 'Ctrl-C' } : {}), idempotencyKey }));
    } else {
      report(error);
    }
    return reason instanceof Cancelled ? EXIT_CANCELLED : EXIT_FAILURE;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function readSource(path: string): Promise<string> {
  if (path === '-') return readStdin();
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function startDemoEmulator() {
  const { startEmulator } = await import('../emulator.js');
  return startEmulator({ port: 0, seed: true });
}

async function runEmulator(command: Extract<CliCommand, { kind: 'emulator' }>): Promise<void> {
  const { startEmulator } = await import('../emulator.js');
  const emulator = await startEmulator({ port: command.port, seed: command.seed, latencyMs: command.latencyMs });
  process.stdout.write(
    `Stripe emulator listening on ${emulator.url} (API 2024-04-10; any sk_test_… key is accepted)\n` +
      `Try: npx stripe-sql --base-url ${emulator.url} --api-key sk_test_local "SELECT Id, Status FROM CheckoutSession LIMIT 5"\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => void emulator.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return 'unknown';
}

/**
 * The error's class and the first line of its message; a SqlError keeps its excerpt and caret.
 */
function describeError(error: unknown): string {
  if (error instanceof UsageError) return `${error.message.split('\n')[0]} (see --help)`;
  if (error instanceof SqlError) return `${error.name}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return String(error);
}

function report(error: unknown): void {
  writeError(`stripe-sql: ${describeError(error)}\n`);
}

/** At the prompt, errors go to the terminal: scrubbed like everything on standard error. */
function scrubbed(describe: (error: unknown) => string): (error: unknown) => string {
  return (error) => scrubSecrets(describe(error), secrets);
}

function writeError(text: string): void {
  process.stderr.write(scrubSecrets(text, secrets));
}

function rememberSecrets(): void {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--api-key' && argv[i + 1] !== undefined) secrets.push(argv[i + 1]!);
    else if (arg.startsWith('--api-key=')) secrets.push(arg.slice('--api-key='.length));
  }
  if (process.env.STRIPE_API_KEY) secrets.push(process.env.STRIPE_API_KEY);
}

rememberSecrets();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    report(error);
    process.exitCode = EXIT_FAILURE;
  },
);
