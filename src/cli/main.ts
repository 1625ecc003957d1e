#!/usr/bin/env node
// The stripe-sql command. Output goes to stdout; any failure is one line on stderr and exit 1.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Connection } from '../connection.js';
import { parseCommandLine, USAGE, UsageError, type CliCommand } from './args.js';
import { formatResult } from './format.js';
import { runRepl } from './repl.js';

type QueryCommand = Extract<CliCommand, { kind: 'query' }>;

async function main(argv: string[]): Promise<void> {
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return;
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return;
    case 'emulator':
      return runEmulator(command);
    case 'query':
      return runQuery(command);
  }
}

async function runQuery(command: QueryCommand): Promise<void> {
  const interactive = command.sql === undefined && process.stdin.isTTY === true;
  const sql = interactive ? '' : command.sql ?? (await readStdin());
  if (!interactive && !sql.trim()) throw new UsageError('no SQL given: pass a statement in quotes or on standard input (see --help)');
  // The emulator is loaded only for --demo, so the library never depends on it.
  const demo = command.demo ? await startDemoEmulator() : undefined;
  const db = connect({
    apiKey: demo?.apiKey ?? command.apiKey,
    baseUrl: demo?.url ?? command.baseUrl,
    accountId: command.accountId,
  });
  try {
    if (interactive) {
      await runRepl(db, command.format, { input: process.stdin, output: process.stdout }, describeError);
    } else {
      await printStatements(db, sql, command);
    }
  } finally {
    await db.close();
    await demo?.close();
  }
}

/** One statement, or several separated by `;` (from a file on standard input, say), in order. */
async function printStatements(db: Connection, sql: string, command: QueryCommand): Promise<void> {
  if (command.explain) {
    process.stdout.write(db.explain(sql).join('\n') + '\n');
    return;
  }
  const results = await db.queryScript(sql, undefined, { rowMode: 'array' });
  for (const result of results) process.stdout.write(formatResult(result as Parameters<typeof formatResult>[0], command.format));
}

async function startDemoEmulator() {
  const { startEmulator, DEMO_API_KEY } = await import('../../emulator/index.js');
  const emulator = await startEmulator({ port: 0, seed: true });
  return { url: emulator.url, apiKey: DEMO_API_KEY, close: () => emulator.close() };
}

async function runEmulator(command: Extract<CliCommand, { kind: 'emulator' }>): Promise<void> {
  const { startEmulator } = await import('../../emulator/index.js');
  const emulator = await startEmulator({ port: command.port, seed: command.seed, latencyMs: command.latencyMs });
  process.stdout.write(
    `Stripe emulator listening on ${emulator.url} (API 2024-04-10; any sk_test_… key is accepted)\n` +
      `Try: stripe-sql --base-url ${emulator.url} --api-key sk_test_local "SELECT Id, Status FROM CheckoutSession LIMIT 5"\n`,
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

/** One line: the error's class and the first line of its message (a SqlError's message already says where). */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const firstLine = error.message.split('\n')[0];
    return error instanceof UsageError ? `${firstLine} (see --help)` : `${error.name}: ${firstLine}`;
  }
  return String(error);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`stripe-sql: ${describeError(error)}\n`);
  process.exitCode = 1;
});
