// Command-line arguments → a description of what to run. No I/O here.
import { parseArgs } from 'node:util';
import { OUTPUT_FORMATS, type OutputFormat } from './format.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'emulator'; port: number; latencyMs: number; seed: boolean }
  | {
      kind: 'query';
      /** undefined = read the SQL from standard input. */
      sql?: string;
      apiKey?: string;
      accountId?: string;
      baseUrl?: string;
      demo: boolean;
      explain: boolean;
      format: OutputFormat;
    };

export const USAGE = `Usage:
  stripe-sql [options] "SQL"         run SQL (statements separated by ;)
  stripe-sql [options] < file.sql    run the statements in a file
  stripe-sql [options]               an interactive prompt (when standard input is a terminal)
  stripe-sql emulator [--port N]     run the local Stripe emulator on 127.0.0.1

Options:
  --demo                 query the built-in emulator's demo data (no API key needed)
  --api-key KEY          Stripe secret key (default: $STRIPE_API_KEY)
  --account ACCT         act for a connected account (Stripe-Account header)
  --base-url URL         Stripe API base URL (default: $STRIPE_BASE_URL or https://api.stripe.com)
  --format FORMAT        table (default), json or csv
  --explain              print the plan and the requests it would make, without running it
  -h, --help             this text
  -v, --version          the version

Emulator options:
  --port N               port to listen on (default 12111)
  --latency MS           added latency per request (default 0)
  --no-seed              start empty instead of with the demo data
`;

export function parseCommandLine(argv: string[]): CliCommand {
  if (argv[0] === 'emulator') return parseEmulatorArgs(argv.slice(1));
  const { values, positionals } = parseOrExplain(argv, {
    'api-key': { type: 'string' },
    account: { type: 'string' },
    'base-url': { type: 'string' },
    demo: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    format: { type: 'string', default: 'table' },
    help: { type: 'boolean', short: 'h', default: false },
    version: { type: 'boolean', short: 'v', default: false },
  });
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const format = String(values.format);
  if (!OUTPUT_FORMATS.includes(format as OutputFormat)) {
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got '${format}'`);
  }
  if (positionals.length > 1) {
    throw new UsageError(`expected one SQL statement in quotes, got ${positionals.length} arguments`);
  }
  if (values.demo && (values['api-key'] || values['base-url'])) {
    throw new UsageError('--demo uses the built-in emulator; it takes no --api-key or --base-url');
  }
  return {
    kind: 'query',
    sql: positionals[0],
    apiKey: values['api-key'] as string | undefined,
    accountId: values.account as string | undefined,
    baseUrl: values['base-url'] as string | undefined,
    demo: Boolean(values.demo),
    explain: Boolean(values.explain),
    format: format as OutputFormat,
  };
}

function parseEmulatorArgs(argv: string[]): CliCommand {
  const { values, positionals } = parseOrExplain(argv, {
    port: { type: 'string', default: '12111' },
    latency: { type: 'string', default: '0' },
    'no-seed': { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' after 'emulator'`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got '${values.port}'`);
  const latencyMs = Number(values.latency);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new UsageError(`--latency must be ≥ 0 ms, got '${values.latency}'`);
  return { kind: 'emulator', port, latencyMs, seed: !values['no-seed'] };
}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

function parseOrExplain(args: string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    // parseArgs' messages are clear but long; keep the first sentence.
    throw new UsageError(String((error as Error).message).split('. ')[0]!);
  }
}
