// Connection settings, from an options object or a connection string in the form users of
// other SQL connectors know: `AuthScheme=APIKey;LiveAPIKey=sk_test_…;AccountId=acct_…`.
import { ConnectionError } from './stripe/errors.js';
import type { BudgetRegistry } from './stripe/shared-budget.js';

export interface ConnectOptions {
  /** Secret or restricted key. Falls back to the STRIPE_API_KEY environment variable. */
  apiKey?: string;
  /** Connected account to act for (Stripe-Account header) on every request. */
  accountId?: string;
  /** Default https://api.stripe.com; STRIPE_BASE_URL overrides the default. */
  baseUrl?: string;
  /** Request budget; default 50/s for live keys, 20/s for test keys. */
  maxRequestsPerSecond?: number;
  /**
   * Requests in flight at once. Default: as many as keep the request budget busy at the latency
   * Stripe shows (rate × latency, a quarter more), from 10 up to 50.
   */
  maxConcurrency?: number;
  maxRetries?: number;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Only these tables are visible (names, case-insensitive); views are governed by `views`. */
  tables?: string[];
  /** Only these views are visible. */
  views?: string[];
  /** Refuse every statement that would change Stripe data. */
  readonly?: boolean;
  /**
   * A local replica (an SQLite file, or a `postgres://…` database) to read tables from: those `stripe-sql sync` or CACHE copied
   * whole are read from it instead of from Stripe (see `cacheTolerance`).
   */
  cache?: string;
  /** Read only the replica (`cache`) and never send a request; a table it lacks is an error. */
  offline?: boolean;
  /**
   * Seconds a replica table stays fresh enough to read; an older copy is first brought up to date
   * from Stripe's events, or read live where events cannot follow it. Default: no limit.
   */
  cacheTolerance?: number;
  /**
   * The most rows a query returns, like a LIMIT on its outermost result (reading stops there).
   * Writes are not capped: an UPDATE changes every row its WHERE selects. Default: no cap.
   */
  maxRows?: number;
  /**
   * The most rows one operator may hold at once while a query runs (a sort, the groups of GROUP
   * BY, the rows DISTINCT has seen, a hash join's build side); past it the statement stops with
   * a SqlError naming the operator. Default: no cap.
   */
  maxIntermediateRows?: number;
  /**
   * `auto` (default): Customers, Charges, PaymentIntent, Invoices, Prices, Products and
   * Subscriptions read through Stripe's search what their list cannot filter (LIKE, Metadata,
   * ORs, IN lists); `never`: always list (search lags writes by about a minute).
   */
  useSearch?: 'auto' | 'never';
  /**
   * Every table reads each connected account of the platform (listed by GET /v1/accounts), each
   * under its own Stripe-Account header and request budget, several at once; `AccountId` on
   * each row says which. `WHERE AccountId = …` / `IN (…)` reads only those. The accounts'
   * own tables (Accounts, Persons, …) stay the platform's. Not with `accountId`.
   */
  allConnectedAccounts?: boolean;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
  /**
   * For tests: the request budgets to share and the clock the transport keeps (budgets, observed
   * latency, retry waits, timeouts); default the process's budgets on the real clock.
   */
  budgets?: BudgetRegistry;
}

interface PropertySpec {
  /** Where the value goes in ConnectOptions; null = accepted and checked, nothing to set. */
  option: keyof ConnectOptions | null;
  parse?: (value: string, name: string) => unknown;
}

const PROPERTIES: Record<string, PropertySpec> = {
  authscheme: { option: null, parse: parseAuthScheme },
  liveapikey: { option: 'apiKey' },
  apikey: { option: 'apiKey' },
  accountid: { option: 'accountId' },
  baseurl: { option: 'baseUrl' },
  maxrequestspersecond: { option: 'maxRequestsPerSecond', parse: positiveNumber },
  maxconcurrency: { option: 'maxConcurrency', parse: positiveInteger },
  maxretries: { option: 'maxRetries', parse: nonNegativeInteger },
  // Seconds, as the connectors users come from spell it.
  timeout: { option: 'timeoutMs', parse: (v, n) => positiveNumber(v, n) * 1000 },
  tables: { option: 'tables', parse: nameList },
  views: { option: 'views', parse: nameList },
  readonly: { option: 'readonly', parse: boolean },
  cachelocation: { option: 'cache' },
  offline: { option: 'offline', parse: boolean },
  cachetolerance: { option: 'cacheTolerance', parse: nonNegativeNumber },
  usesearch: { option: 'useSearch', parse: useSearchMode },
  allconnectedaccounts: { option: 'allConnectedAccounts', parse: boolean },
  // -1 is the reference connector's "no cap".
  maxrows: { option: 'maxRows', parse: (v, n) => (v.trim() === '-1' ? undefined : positiveInteger(v, n)) },
  maxintermediaterows: { option: 'maxIntermediateRows', parse: positiveInteger },
};

/** Refuses a row cap given in an options object that is not a whole number ≥ 1 (-1 or undefined: no cap). */
export function rowCapsOf(options: ConnectOptions): Pick<ConnectOptions, 'maxRows' | 'maxIntermediateRows'> {
  const caps: Pick<ConnectOptions, 'maxRows' | 'maxIntermediateRows'> = {};
  for (const [name, value] of [['maxRows', options.maxRows], ['maxIntermediateRows', options.maxIntermediateRows]] as const) {
    if (value === undefined || (name === 'maxRows' && value === -1)) continue;
    if (!Number.isInteger(value) || value < 1) throw new ConnectionError(`${name} must be a whole number ≥ 1`);
    caps[name] = value;
  }
  return caps;
}

/** Parses `Name=Value;Name=Value` (names case-insensitive; values may be 'quoted' or "quoted"). */
export function parseConnectionString(text: string): ConnectOptions {
  const options: ConnectOptions = {};
  for (const [rawName, rawValue] of splitPairs(text)) {
    const name = rawName.trim();
    const spec = PROPERTIES[name.toLowerCase()];
    if (!spec) {
      const known = 'AuthScheme, LiveAPIKey, AccountId, BaseUrl, MaxRequestsPerSecond, MaxConcurrency, MaxRetries, Timeout, Tables, Views, Readonly, CacheLocation, Offline, CacheTolerance, MaxRows, MaxIntermediateRows, UseSearch, AllConnectedAccounts';
      throw new ConnectionError(`Unknown connection property ${propertyName(name)}. Known properties: ${known}`);
    }
    const value = unquote(rawValue.trim());
    const parsed = spec.parse ? spec.parse(value, name) : value;
    if (spec.option) (options as Record<string, unknown>)[spec.option] = parsed;
  }
  return options;
}

function* splitPairs(text: string): Generator<[string, string]> {
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const semi = text.indexOf(';', i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      const fragment = text.slice(i, semi < 0 ? undefined : semi).trim();
      if (fragment) {
        // The fragment is likely a property whose '=' was left out: its value must not be repeated.
        const first = /^[A-Za-z]+/.exec(fragment)?.[0] ?? '';
        const hint = Object.hasOwn(PROPERTIES, first.toLowerCase()) ? `; is the '=' missing after ${first}?` : '';
        throw new ConnectionError(`Connection string: expected Name=Value, found text without '='${hint} (not repeated here: it may hold the key)`);
      }
      i = semi < 0 ? text.length : semi + 1;
      continue;
    }
    const name = text.slice(i, eq);
    let j = eq + 1;
    while (j < text.length && text[j] === ' ') j++;
    const quote = text[j];
    let end: number;
    if (quote === '"' || quote === "'") {
      end = text.indexOf(quote, j + 1);
      if (end < 0) throw new ConnectionError(`Connection string: unterminated quote in the value of ${propertyName(name.trim())}`);
      end = text.indexOf(';', end);
    } else {
      end = text.indexOf(';', j);
    }
    if (end < 0) end = text.length;
    yield [name, text.slice(eq + 1, end)];
    i = end + 1;
  }
}

/**
 * A property name as an error may repeat it: only a plain name (letters and digits). Errors
 * never repeat values, and a name that is not plain may be a misplaced value, such as the key.
 */
function propertyName(name: string): string {
  return /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(name) ? `'${name}'` : '(a name that is not shown: it may be a value)';
}

function unquote(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) return value.slice(1, -1);
  return value;
}

function useSearchMode(value: string, name: string): 'auto' | 'never' {
  const mode = value.trim().toLowerCase();
  if (mode !== 'auto' && mode !== 'never') throw new ConnectionError(`${name} must be auto or never`);
  return mode;
}

function parseAuthScheme(value: string): null {
  if (value.toLowerCase() !== 'apikey') {
    throw new ConnectionError('AuthScheme: only APIKey is supported; use AuthScheme=APIKey');
  }
  return null;
}

function positiveNumber(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConnectionError(`${name} must be a positive number`);
  return n;
}

function positiveInteger(value: string, name: string): number {
  const n = positiveNumber(value, name);
  if (!Number.isInteger(n)) throw new ConnectionError(`${name} must be a whole number`);
  return n;
}

function nonNegativeNumber(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new ConnectionError(`${name} must be a number ≥ 0`);
  return n;
}

function nonNegativeInteger(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConnectionError(`${name} must be a whole number ≥ 0`);
  return n;
}

/** `Customers, Charges` or `[Customers],[Charges]` → names without brackets or blanks. */
function nameList(value: string): string[] {
  return value
    .split(',')
    .map((name) => name.trim().replace(/^\[(.*)\]$/, '$1'))
    .filter((name) => name !== '');
}

function boolean(value: string, name: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1' || lower === 'yes') return true;
  if (lower === 'false' || lower === '0' || lower === 'no') return false;
  throw new ConnectionError(`${name} must be true or false`);
}
