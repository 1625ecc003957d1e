// `stripe-sql sync`: copies Stripe tables into a local replica (an SQLite file or a PostgreSQL
// database) through the connection API (db.sync). A line per table on standard output; progress
// on standard error while it is a terminal; Ctrl-C stops after the last stored page, and running
// the same command again completes the copy. --watch syncs again every --interval seconds (from
// events: a request per 100 changes) until Ctrl-C.
import { parseArgs } from 'node:util';
import { connect, type ConnectOptions } from '../connection.js';
import type { SyncProgress, SyncReport } from '../replica/index.js';

export const SYNC_USAGE = `  stripe-sql sync --to PATH|postgres://… [--demo | --profile NAME | --api-key K | --base-url U]
                  [--tables Customers,Charges,…] [--watch [--interval 30]]
                                     copy tables into a local replica (an SQLite file or a PostgreSQL
                                     database; every table Stripe lists without a filter when
                                     --tables is not given); a later sync applies Stripe's events;
                                     --watch keeps syncing every --interval seconds until Ctrl-C`;

/** Seconds between syncs with --watch when --interval is not given. */
export const DEFAULT_WATCH_INTERVAL = 30;

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
  /** Sync again every `interval` seconds until Ctrl-C. */
  watch?: boolean;
  interval?: number;
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
        watch: { type: 'boolean', default: false },
        interval: { type: 'string' },
      },
    });
  } catch (error) {
    // Keep the first sentence; never repeat a value (it may be a key given in the wrong place).
    throw new SyncUsageError(String((error as Error).message).split('. ')[0]!.replace(/'[^']*'/g, (m) => (/^'--?[\w-]+'$/.test(m) ? m : "'…'")));
  }
  const v = parsed.values;
  if (v.to === undefined || v.to === '') throw new SyncUsageError('sync needs --to PATH: the SQLite file (or postgres://… database) to copy into');
  if (v.interval !== undefined && !v.watch) throw new SyncUsageError('--interval is the time between syncs of --watch; give --watch too');
  const interval = v.interval === undefined ? undefined : Number(v.interval);
  if (interval !== undefined && !(Number.isFinite(interval) && interval > 0)) throw new SyncUsageError('--interval must be a number of seconds above 0');
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
    ...(v.watch ? { watch: true, interval: interval ?? DEFAULT_WATCH_INTERVAL } : {}),
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
  /** Waits `ms` between --watch syncs; rejects or resolves early when `signal` aborts. A timer unless given (tests pass a clock of their own). */
  wait?(ms: number, signal: AbortSignal): Promise<void>;
}

function timerWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
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
    const wait = io.wait ?? timerWait;
    try {
      for (let round = 1; ; round++) {
        const report = await db.sync({
          ...(args.tables ? { tables: args.tables } : {}),
          signal: stop.signal,
          onProgress: (p) => progress.show(p),
        });
        progress.clear();
        printReport(report, args, io, round);
        if (!args.watch) return 0;
        await wait(args.interval! * 1000, stop.signal);
        if (stop.signal.aborted) {
          io.err('stopped watching: the replica is up to date as of the last sync\n');
          return 0;
        }
      }
    } catch (error) {
      progress.clear();
      if (stop.signal.aborted) {
        io.err('sync stopped: every page stored so far is kept; run the same command again to complete it\n');
        // With --watch, Ctrl-C is how the command ends.
        return args.watch ? 0 : EXIT_CANCELLED;
      }
      throw error;
    } finally {
      await db.close();
    }
  } finally {
    await demo?.close();
  }
}

/**
 * A line per table and a summary. With --watch, the rounds after the first list only the tables
 * that changed, and say when.
 */
function printReport(report: SyncReport, args: SyncArgs, io: SyncIo, round: number): void {
  const quiet = round > 1;
  for (const table of report.tables) {
    if (quiet && table.mode === 'events' && (table.events ?? 0) === 0) continue;
    const removed = table.removed > 0 ? `, ${table.removed} removed` : '';
    const how = table.mode === 'events'
      ? `${plural(table.events ?? 0, 'object')} changed by events, ${table.fetched ?? 0} read whole by id, ${plural(table.requests, 'request')}${removed}`
      : `${plural(table.requests, 'request')}${removed}${table.resumed ? ', completing an interrupted sync' : ''}`;
    io.out(`${table.table}: ${plural(table.rows, 'row')} (${how})${table.note ? `; ${table.note}` : ''}\n`);
  }
  if (report.events) io.out(`events since ${report.events.since.toISOString()}: ${plural(report.events.read, 'event')} read in ${plural(report.events.requests, 'request')}\n`);
  if (quiet) return;
  for (const skipped of report.skipped) io.err(`skipped ${skipped.table}: ${skipped.reason}\n`);
  io.out(`${report.tables.length} tables synced to ${args.to}${report.skipped.length > 0 ? `; ${report.skipped.length} skipped (Stripe lists them only with a filter; CACHE SELECT … WHERE copies such rows)` : ''}\n`);
  if (args.watch) io.out(`watching: syncing again every ${args.interval} s until Ctrl-C\n`);
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
