// `stripe-sql sync`: copies Stripe tables into a local replica (an SQLite file) through the
// connection API (db.sync). A line per table on standard output; progress on standard error
// while it is a terminal; Ctrl-C stops after the last stored page, and running the same command
// again completes the copy.
import { parseArgs } from 'node:util';
import { connect, type ConnectOptions } from '../connection.js';
import type { SyncProgress } from '../replica/index.js';

export const SYNC_USAGE = `  stripe-sql sync --to PATH [--demo | --profile NAME | --api-key K | --base-url U] [--tables Customers,Charges,…]
                                     copy tables into a local replica (an SQLite file; every table
                                     Stripe lists without a filter when --tables is not given)`;

/** A bad `sync` command line; the CLI reports it as a usage error. */
export class SyncUsageError extends Error {
  override name = 'SyncUsageError';
}

export interface SyncArgs {
  to: string;
  demo: boolean;
  apiKey?: string;
  accountId?: string;
  baseUrl?: string;
  tables?: string[];
  /** --profile NAME: the profile to take the key, account, base URL and budget from. */
  profile?: string;
  /** What the profile (named, or the config's default) gives; resolved by the CLI. */
  fromProfile?: ConnectOptions;
}

export function parseSyncArgs(argv: string[]): SyncArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        to: { type: 'string' },
        tables: { type: 'string' },
        demo: { type: 'boolean', default: false },
        'api-key': { type: 'string' },
        account: { type: 'string' },
        'base-url': { type: 'string' },
        profile: { type: 'string' },
      },
    });
  } catch (error) {
    // Keep the first sentence; never repeat a value (it may be a key given in the wrong place).
    throw new SyncUsageError(String((error as Error).message).split('. ')[0]!.replace(/'[^']*'/g, (m) => (/^'--?[\w-]+'$/.test(m) ? m : "'…'")));
  }
  const v = parsed.values;
  if (v.to === undefined || v.to === '') throw new SyncUsageError('sync needs --to PATH: the SQLite file to copy into');
  if (v.demo && (v['api-key'] !== undefined || v['base-url'] !== undefined || v.profile !== undefined)) {
    throw new SyncUsageError('--demo uses the built-in emulator; it takes no --api-key, --base-url or --profile');
  }
  const tables = v.tables?.split(',').map((t) => t.trim().replace(/^\[(.*)\]$/, '$1')).filter((t) => t !== '');
  if (tables !== undefined && tables.length === 0) throw new SyncUsageError('--tables needs at least one table name');
  return {
    to: v.to,
    demo: Boolean(v.demo),
    ...(v['api-key'] !== undefined ? { apiKey: v['api-key'] } : {}),
    ...(v.account !== undefined ? { accountId: v.account } : {}),
    ...(v['base-url'] !== undefined ? { baseUrl: v['base-url'] } : {}),
    ...(tables ? { tables } : {}),
    ...(v.profile !== undefined ? { profile: v.profile } : {}),
  };
}

export interface SyncIo {
  startDemo(): Promise<{ url: string; apiKey: string; close(): Promise<void> }>;
  /** Standard output. */
  out(text: string): void;
  /** Standard error (scrubbed of keys by the caller). */
  err(text: string): void;
  /** Whether standard error is a terminal: then progress is drawn on it. */
  progress: boolean;
  /** Resolves on Ctrl-C. */
  interrupted: Promise<unknown>;
}

/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_CANCELLED = 130;
/** Progress redrawn at most this often. */
const REDRAW_MS = 100;

export async function runSync(args: SyncArgs, io: SyncIo): Promise<number> {
  const demo = args.demo ? await io.startDemo() : undefined;
  const stop = new AbortController();
  void io.interrupted.then(() => stop.abort(new Error('stopped by Ctrl-C')));
  try {
    const db = connect({
      ...args.fromProfile,
      apiKey: demo?.apiKey ?? args.apiKey ?? args.fromProfile?.apiKey,
      baseUrl: demo?.url ?? args.baseUrl ?? args.fromProfile?.baseUrl,
      accountId: args.accountId ?? args.fromProfile?.accountId,
      cache: args.to,
    });
    const progress = new ProgressLine(io);
    try {
      const report = await db.sync({
        ...(args.tables ? { tables: args.tables } : {}),
        signal: stop.signal,
        onProgress: (p) => progress.show(p),
      });
      progress.clear();
      for (const table of report.tables) {
        const removed = table.removed > 0 ? `, ${table.removed} removed` : '';
        const how = table.mode === 'events'
          ? `${plural(table.events ?? 0, 'object')} changed by events, ${table.fetched ?? 0} read whole by id, ${plural(table.requests, 'request')}`
          : `${plural(table.requests, 'request')}${removed}${table.resumed ? ', completing an interrupted sync' : ''}`;
        io.out(`${table.table}: ${plural(table.rows, 'row')} (${how})${table.note ? `; ${table.note}` : ''}\n`);
      }
      if (report.events) io.out(`events since ${report.events.since.toISOString()}: ${plural(report.events.read, 'event')} read in ${plural(report.events.requests, 'request')}\n`);
      for (const skipped of report.skipped) io.err(`skipped ${skipped.table}: ${skipped.reason}\n`);
      io.out(`${report.tables.length} tables synced to ${args.to}${report.skipped.length > 0 ? `; ${report.skipped.length} skipped (Stripe lists them only with a filter; CACHE SELECT … WHERE copies such rows)` : ''}\n`);
      return 0;
    } catch (error) {
      progress.clear();
      if (stop.signal.aborted) {
        io.err('sync stopped: every page stored so far is kept; run the same command again to complete it\n');
        return EXIT_CANCELLED;
      }
      throw error;
    } finally {
      await db.close();
    }
  } finally {
    await demo?.close();
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** One redrawn line on a terminal: the table being read, its rows, requests and rate. */
class ProgressLine {
  #drawnAt = 0;
  #drawn = false;

  constructor(private readonly io: SyncIo) {}

  show(p: SyncProgress): void {
    if (!this.io.progress || p.phase === 'skipped') return;
    const now = Date.now();
    if (p.phase === 'rows' && now - this.#drawnAt < REDRAW_MS) return;
    this.#drawnAt = now;
    const seconds = p.elapsedMs / 1000;
    const perSecond = seconds > 0 ? p.rows / seconds : 0;
    const rate = perSecond > 0 ? `, ${Math.round(perSecond)} rows/s` : '';
    // The last complete read's row count is the best guess of this one's.
    const left = p.expectedRows !== undefined && perSecond > 0 && p.rows < p.expectedRows ? `, about ${Math.ceil((p.expectedRows - p.rows) / perSecond)} s left` : '';
    const note = p.note ? ` (${p.note})` : '';
    this.io.err(`\r\x1b[K${p.table}: ${p.rows} rows, ${p.requests} requests${rate}${left}${note}`);
    this.#drawn = true;
  }

  clear(): void {
    if (this.#drawn) this.io.err('\r\x1b[K');
    this.#drawn = false;
  }
}
