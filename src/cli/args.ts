// Command-line arguments → a description of what to run. No I/O here.
import { parseArgs } from 'node:util';
import { SHELLS, type Shell } from './shell-completion.js';
import { OUTPUT_FORMATS, type OutputFormat } from './format.js';
import { parseServeArgs, SERVE_USAGE, type ServeOptions } from '../pg/serve.js';
import { parseSyncArgs, SYNC_USAGE, type SyncArgs } from './sync.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where SQL comes from, in command-line order: `-c` text or a `-f` file (`-` = standard input). */
export type SqlSource = { kind: 'text'; sql: string } | { kind: 'file'; path: string };

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'emulator'; port: number; latencyMs: number; seed: boolean }
  | { kind: 'serve'; options: ServeOptions }
  | { kind: 'profiles'; names: boolean }
  | { kind: 'completion'; shell: Shell }
  | { kind: 'sync'; options: SyncArgs }
  | {
      kind: 'query';
      /** Empty = standard input (or the prompt, when standard input is a terminal). */
      sources: SqlSource[];
      apiKey?: string;
      accountId?: string;
      baseUrl?: string;
      demo: boolean;
      explain: boolean;
      format: OutputFormat;
      /** -o FILE: results go there instead of standard output. */
      output?: string;
      /** Prefix of the Idempotency-Keys of every write; one is made up when not given. */
      idempotencyKey?: string;
      /** -q: no status line on standard error. */
      quiet?: boolean;
      /** --profile NAME: connection settings from the config file (profiles.ts). */
      profile?: string;
      /** --cache PATH: a replica (stripe-sql sync) to read tables from. */
      cache?: string;
      /** --offline: read only the replica, send nothing. */
      offline?: boolean;
      /** --cache-tolerance SECONDS: an older replica table is read live instead. */
      cacheTolerance?: number;
    };

export const USAGE = `Usage:
  stripe-sql [options] "SQL"         run SQL (statements separated by ;)
  stripe-sql [options] -c SQL -f FILE …  run each in turn (-f - reads standard input)
  stripe-sql [options] < file.sql    run the statements in a file
  stripe-sql [options]               the prompt, on a terminal (\\? there lists its commands)
  stripe-sql emulator [--port N]     run the local Stripe emulator on 127.0.0.1
  stripe-sql profiles [--names]      the profiles of the config file, keys redacted
  stripe-sql completion bash|zsh     a completion script: source <(stripe-sql completion bash)
${SERVE_USAGE}
${SYNC_USAGE}

Options:
  --demo                 query the built-in emulator's demo data (no API key needed)
  --api-key KEY          Stripe secret key (default: $STRIPE_API_KEY)
  --account ACCT         act for a connected account (Stripe-Account header)
  --base-url URL         Stripe API base URL (default: $STRIPE_BASE_URL or https://api.stripe.com)
  --profile NAME         key, account, base URL, budget, cache from a profile of
                         ~/.config/stripe-sql/config.json ($STRIPE_SQL_CONFIG); without it,
                         the config's default profile when $STRIPE_API_KEY is not set
  -c, --command SQL      run these statements (may be repeated)
  -f, --file FILE        run the statements in FILE (may be repeated; - is standard input)
  --format FORMAT        table (default), csv, tsv, json, ndjson or markdown
  -o, --output FILE      write results to FILE instead of standard output
  --idempotency-key KEY  prefix of the writes' Idempotency-Keys: run the same script again with
                         the same KEY and Stripe replays what it already did, never twice
  --explain              print the plan and the requests it would make, without running it
  -q, --quiet            no status line on standard error while a long statement runs
  --cache PATH           read tables from this replica (made by stripe-sql sync) instead of Stripe
  --offline              with --cache: read only the replica and send nothing (no key needed)
  --cache-tolerance S    with --cache: a table synced more than S seconds ago is read live
  -h, --help             this text
  -v, --version          the version

Emulator options:
  --port N               port to listen on (default 12111)
  --latency MS           added latency per request (default 0)
  --no-seed              start empty instead of with the demo data
`;

export function parseCommandLine(argv: string[]): CliCommand {
  if (argv[0] === 'emulator') return parseEmulatorArgs(argv.slice(1));
  if (argv[0] === 'serve') return parseServe(argv.slice(1));
  if (argv[0] === 'profiles') return parseProfilesArgs(argv.slice(1));
  if (argv[0] === 'completion') return parseCompletionArgs(argv.slice(1));
  if (argv[0] === 'sync') return parseSync(argv.slice(1));
  const { values, positionals, tokens } = parseOrExplain(argv, {
    'api-key': { type: 'string' },
    account: { type: 'string' },
    'base-url': { type: 'string' },
    profile: { type: 'string' },
    command: { type: 'string', short: 'c', multiple: true },
    file: { type: 'string', short: 'f', multiple: true },
    output: { type: 'string', short: 'o' },
    'idempotency-key': { type: 'string' },
    cache: { type: 'string' },
    offline: { type: 'boolean', default: false },
    'cache-tolerance': { type: 'string' },
    demo: { type: 'boolean', default: false },
    quiet: { type: 'boolean', short: 'q', default: false },
    explain: { type: 'boolean', default: false },
    format: { type: 'string', default: 'table' },
    help: { type: 'boolean', short: 'h', default: false },
    version: { type: 'boolean', short: 'v', default: false },
  });
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const format = String(values.format);
  if (!OUTPUT_FORMATS.includes(format as OutputFormat)) {
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${shown(format)}`);
  }
  if (positionals.length > 1) {
    throw new UsageError(`expected one SQL statement in quotes, got ${positionals.length} arguments`);
  }
  const sources: SqlSource[] = tokens.flatMap((t): SqlSource[] => {
    if (t.kind !== 'option' || t.value === undefined) return [];
    if (t.name === 'command') return [{ kind: 'text', sql: t.value }];
    if (t.name === 'file') return [{ kind: 'file', path: t.value }];
    return [];
  });
  if (positionals.length > 0) {
    if (sources.length > 0) throw new UsageError('give SQL either as an argument or with -c/-f, not both');
    sources.push({ kind: 'text', sql: positionals[0]! });
  }
  if (values.demo && (values['api-key'] || values['base-url'] || values.profile)) {
    throw new UsageError('--demo uses the built-in emulator; it takes no --api-key, --base-url or --profile');
  }
  const idempotencyKey = values['idempotency-key'] as string | undefined;
  if (idempotencyKey !== undefined && !/^[\x21-\x7E]{1,200}$/.test(idempotencyKey)) {
    throw new UsageError('--idempotency-key takes 1 to 200 visible ASCII characters');
  }
  if (values.offline && values.cache === undefined) throw new UsageError('--offline reads only the replica: give --cache PATH too');
  const tolerance = values['cache-tolerance'] === undefined ? undefined : Number(values['cache-tolerance']);
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new UsageError(`--cache-tolerance takes seconds ≥ 0, got ${shown(String(values['cache-tolerance']))}`);
  }
  return {
    kind: 'query',
    sources,
    apiKey: values['api-key'] as string | undefined,
    accountId: values.account as string | undefined,
    baseUrl: values['base-url'] as string | undefined,
    demo: Boolean(values.demo),
    explain: Boolean(values.explain),
    format: format as OutputFormat,
    ...(values.quiet ? { quiet: true } : {}),
    ...(values.profile !== undefined ? { profile: values.profile as string } : {}),
    ...(values.output !== undefined ? { output: values.output as string } : {}),
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    ...(values.cache !== undefined ? { cache: values.cache as string } : {}),
    ...(values.offline ? { offline: true } : {}),
    ...(tolerance !== undefined ? { cacheTolerance: tolerance } : {}),
  };
}

/**
 * A rejected value, quoted when it is short and plain; anything longer or shaped like a key (a
 * key given to the wrong option) is not repeated.
 */
function shown(value: string): string {
  return /^[\w.-]{1,20}$/.test(value) && !/^(sk|rk|pk)_/i.test(value) ? `'${value}'` : 'a value not shown here';
}

function parseSync(argv: string[]): CliCommand {
  try {
    return { kind: 'sync', options: parseSyncArgs(argv) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseProfilesArgs(argv: string[]): CliCommand {
  const { values, positionals } = parseOrExplain(argv, { names: { type: 'boolean', default: false } });
  if (positionals.length) throw new UsageError(`unexpected argument ${shown(positionals[0]!)} after 'profiles'`);
  return { kind: 'profiles', names: Boolean(values.names) };
}

function parseCompletionArgs(argv: string[]): CliCommand {
  const [shell, ...rest] = argv;
  if (!SHELLS.includes(shell as Shell) || rest.length > 0) throw new UsageError(`completion takes one of ${SHELLS.join(', ')}`);
  return { kind: 'completion', shell: shell as Shell };
}

function parseServe(argv: string[]): CliCommand {
  try {
    return { kind: 'serve', options: parseServeArgs(argv) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseEmulatorArgs(argv: string[]): CliCommand {
  const { values, positionals } = parseOrExplain(argv, {
    port: { type: 'string', default: '12111' },
    latency: { type: 'string', default: '0' },
    'no-seed': { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`unexpected argument ${shown(positionals[0]!)} after 'emulator'`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got ${shown(String(values.port))}`);
  const latencyMs = Number(values.latency);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new UsageError(`--latency must be ≥ 0 ms, got ${shown(String(values.latency))}`);
  return { kind: 'emulator', port, latencyMs, seed: !values['no-seed'] };
}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>;
}

function parseOrExplain(args: string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals, tokens } = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
    return { values: values as ParsedArgs['values'], positionals, tokens };
  } catch (error) {
    // parseArgs' messages are clear but long; keep the first sentence. It quotes the option
    // it did not know, which may be a key given in the wrong place.
    const sentence = String((error as Error).message).split('. ')[0]!;
    throw new UsageError(sentence.replace(/'([^']*)'/g, (_, quoted: string) => shown(quoted)));
  }
}
