// The one door to Stripe's HTTP API: auth, versioning, account scoping, idempotency, the
// request budget, retries and error mapping. Knows nothing of SQL.

import { randomUUID } from 'node:crypto';
import { encodeParams } from './encode.js';
import { ConnectionError, StripeApiError } from './errors.js';
import { paginateList, paginateSearch } from './paginate.js';
import { paginatePartitioned } from './partition.js';
import { RateBudget, defaultRequestsPerSecond } from './ratelimit.js';
import { defaultConcurrency, LatencyEstimate, windowsToKeepBusy, type ScanBudget } from './scan-pacing.js';
import { redactKey, scrubSecrets } from './redact.js';
import { keyDigest, processBudgets, type BudgetRegistry, type SharedBudget } from './shared-budget.js';
import { apiErrorFromResponse } from './response.js';
import { isRetryable, parseRetryAfterMs, retryDelayMs, sleep, type AttemptOutcome } from './retry.js';
import type {
  StripeClientOptions,
  StripeList,
  StripeObject,
  StripeParams,
  RequestCost,
  StripeRequest,
  StripeSearchResult,
  TransportStats,
} from './types.js';

/** Keep in step with package.json (a test checks). */
export const TRANSPORT_VERSION = '0.1.0';
export const USER_AGENT = `stripe-sql/${TRANSPORT_VERSION}`;
export const DEFAULT_BASE_URL = 'https://api.stripe.com';
export const DEFAULT_API_VERSION = '2024-04-10';

const DEFAULTS = { maxRetries: 5, retryBaseDelayMs: 500, retryMaxDelayMs: 8000, timeoutMs: 80_000 };

/** Visible ASCII only: anything else fetch would reject with an error quoting the header value. */
const HEADER_SAFE = /^[\x21-\x7E]+$/;

export interface PageOptions {
  accountId?: string;
  signal?: AbortSignal;
  /**
   * The caller needs no newest-first order and reads every page: once the list proves long
   * (PARTITION.sequentialPages pages), the rest is read in parallel `created` windows, as many
   * at once as keep the rate budget busy (partition.ts).
   */
  unordered?: boolean;
  /** Called once per request the pages took (StripeRequest.onRequest). */
  onRequest?: (cost: RequestCost) => void;
  /** false: the endpoint takes no `starting_after` (nor `limit`); its one page is the whole list. */
  cursor?: boolean;
}

/**
 * When an unordered list counts as long enough to read in parallel (partition.ts). A list of up
 * to five pages is read exactly as a sequential read would be: windows would save it no time (a
 * window still reads its pages one after another) and would cost it a short page or two.
 */
const PARTITION = { sequentialPages: 5 };

type Attempt =
  | { outcome: AttemptOutcome & { kind: 'response' }; bodyText: string; headers: Headers }
  | { outcome: AttemptOutcome & { kind: 'network' | 'timeout' }; failure: unknown };

export class StripeClient {
  private readonly counters = { requests: 0, retries: 0, throttledMs: 0 };
  /** The key as it may be shown: `sk_test_…abcd`. */
  readonly keyHint: string;

  // A #private field: invisible to console.log, util.inspect (even showHidden) and JSON.stringify.
  readonly #apiKey: string;
  readonly #keyDigest: string;
  private readonly baseUrl: string;
  /** The base URL as messages show it: a key written into it (by mistake) is scrubbed. */
  private readonly shownBaseUrl: string;
  private readonly accountId: string | undefined;
  private readonly apiVersion: string;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly budget: RateBudget;
  private readonly requestsPerSecond: number;
  /**
   * Requests in flight at most, now: MaxConcurrency when given, else as many as keep the rate
   * budget busy at the latency observed (defaultConcurrency).
   */
  private readonly concurrency: () => number;
  /** How long Stripe takes to answer, budget waits excluded: how wide a partitioned read runs. */
  private readonly latency = new LatencyEstimate();
  private readonly budgets: BudgetRegistry;
  /** The process-wide budget of each account this client has acted for (its own under ''). */
  private readonly shared = new Map<string, SharedBudget>();

  constructor(options: StripeClientOptions) {
    const apiKey = options.apiKey ?? '';
    this.keyHint = redactKey(apiKey);
    if (apiKey === '') throw new TypeError('A Stripe API key is required (sk_… or rk_…)');
    if (!HEADER_SAFE.test(apiKey)) {
      throw new TypeError(`The Stripe API key ${this.keyHint} contains spaces or characters not allowed in an HTTP header`);
    }
    this.#apiKey = apiKey;
    this.#keyDigest = keyDigest(apiKey);
    // An empty value (say STRIPE_BASE_URL=) means "not set", not "no URL".
    this.baseUrl = normaliseBaseUrl(options.baseUrl || DEFAULT_BASE_URL, apiKey);
    this.shownBaseUrl = scrubSecrets(this.baseUrl, [apiKey]);
    this.accountId = options.accountId || undefined;
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.maxRetries = nonNegative('maxRetries', options.maxRetries ?? DEFAULTS.maxRetries);
    this.retryBaseDelayMs = nonNegative('retryBaseDelayMs', options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs);
    this.retryMaxDelayMs = nonNegative('retryMaxDelayMs', options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs);
    this.timeoutMs = nonNegative('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs);
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.requestsPerSecond = options.maxRequestsPerSecond ?? defaultRequestsPerSecond(apiKey);
    const { maxConcurrency } = options;
    if (maxConcurrency !== undefined && !(Number.isInteger(maxConcurrency) && maxConcurrency >= 1)) {
      throw new RangeError(`maxConcurrency must be a whole number ≥ 1, got ${maxConcurrency}`);
    }
    this.concurrency = maxConcurrency !== undefined ? () => maxConcurrency : () => defaultConcurrency(this.ownBudget());
    this.budgets = options.budgets ?? processBudgets;
    this.budget = new RateBudget({
      requestsPerSecond: this.requestsPerSecond, maxConcurrency: this.concurrency, now: this.budgets.now, setTimer: this.budgets.setTimer,
    });
  }

  /** This client's counters, and the shared budget of its key and account as it stands now. */
  get stats(): TransportStats {
    return { ...this.counters, budget: this.sharedBudget(this.accountId).snapshot() };
  }

  private sharedBudget(account: string | undefined): SharedBudget {
    let budget = this.shared.get(account ?? '');
    if (!budget) {
      budget = this.budgets.budgetFor(this.#keyDigest, this.keyHint, account, this.requestsPerSecond);
      budget.join(this.requestsPerSecond);
      this.shared.set(account ?? '', budget);
    }
    return budget;
  }

  /** Requests currently holding a concurrency slot. */
  get inFlight(): number {
    return this.budget.inFlight;
  }

  /** The cap on requests in flight as it stands now: MaxConcurrency, or what keeps the budget busy. */
  get maxInFlight(): number {
    return this.concurrency();
  }

  async request<T = StripeObject>(req: StripeRequest): Promise<T> {
    if (!req.path.startsWith('/')) throw new TypeError(`Stripe path must start with "/": ${req.path}`);
    const query = req.method === 'POST' ? '' : encodeParams(req.params ?? {});
    const url = this.baseUrl + req.path + (query ? (req.path.includes('?') ? '&' : '?') + query : '');
    const body = req.method === 'POST' ? encodeParams(req.params ?? {}) : undefined;
    const headers = this.headersFor(req);
    const describe = `${req.method} ${req.path}`;
    const shared = this.sharedBudget(req.accountId || this.accountId);
    const cost: RequestCost = { retries: 0, throttled: 0, waitedMs: 0 };
    let sent = false;
    try {
      return await this.attempts<T>(url, req, headers, body, shared, describe, cost, () => (sent = true));
    } finally {
      if (sent) req.onRequest?.(cost);
    }
  }

  private async attempts<T>(
    url: string, req: StripeRequest, headers: Headers, body: string | undefined, shared: SharedBudget, describe: string,
    cost: RequestCost, onSent: () => void,
  ): Promise<T> {
    // Whether some attempt so far may have been carried out although we never heard so.
    let outcomeUnknown = false;

    for (let retryIndex = 0; ; retryIndex++) {
      const attempt = await this.attempt(url, req, headers, body, shared, cost, onSent);
      if (attempt.outcome.kind === 'response' && 'bodyText' in attempt) {
        const { status } = attempt.outcome;
        if (status === 429) shared.onThrottled();
        else shared.onAnswered();
        if (status >= 200 && status < 300) return this.parseSuccess<T>(attempt.bodyText, status, describe);
        if (status >= 300 && status < 400) {
          throw new ConnectionError(
            `${describe}: ${this.shownBaseUrl} redirected (HTTP ${status}) to ${scrubSecrets(attempt.headers.get('location') ?? 'elsewhere', [this.#apiKey])}; ` +
              'point the base URL at the Stripe API itself',
          );
        }
      }
      if (retryIndex >= this.maxRetries || !isRetryable(attempt.outcome)) throw this.failure(attempt, describe, retryIndex + 1, outcomeUnknown);
      outcomeUnknown ||= mayHaveApplied(attempt.outcome);
      const retryAfterMs = 'headers' in attempt ? parseRetryAfterMs(attempt.headers.get('retry-after')) : undefined;
      this.counters.retries++;
      cost.retries++;
      if (attempt.outcome.kind === 'response' && attempt.outcome.status === 429) cost.throttled++;
      await sleep(
        retryDelayMs({ retryIndex, baseDelayMs: this.retryBaseDelayMs, maxDelayMs: this.retryMaxDelayMs, retryAfterMs }),
        req.signal,
        this.budgets.setTimer,
      );
    }
  }

  /** Pages of a list endpoint, following starting_after; stops when has_more is false or the consumer stops iterating. */
  listPages(path: string, params: StripeParams, opts: PageOptions = {}): AsyncGenerator<StripeList> {
    const { unordered, cursor, ...requestOptions } = opts;
    const fetchPage = (pageParams: StripeParams, stop?: AbortSignal) => {
      const signal = stop && requestOptions.signal ? AbortSignal.any([requestOptions.signal, stop]) : (stop ?? requestOptions.signal);
      return this.request<StripeList>({ method: 'GET', path, params: pageParams, ...requestOptions, ...(signal ? { signal } : {}) });
    };
    if (cursor === false) return paginateList(fetchPage, params, `GET ${path}`, { cursor: false });
    if (!unordered) return paginateList(fetchPage, params, `GET ${path}`);
    const options = { ...PARTITION, concurrency: this.concurrency, budget: this.scanBudget(requestOptions.accountId) };
    return paginatePartitioned(fetchPage, params, options, `GET ${path}`);
  }

  /**
   * Requests in flight that keep the rate budget busy at the latency observed so far, within
   * MaxConcurrency (all of it before the first answer): how wide a caller reading many small
   * lists at once (a child table's parents) should run.
   */
  requestsToKeepBusy(accountId?: string): number {
    return windowsToKeepBusy(this.scanBudget(accountId), this.concurrency());
  }

  /**
   * The budget the cap on requests in flight follows: this client's rate, lowered to its own
   * account's shared rate once that budget is in use (after 429s). The cap is the client's, for
   * every account it reads; so is its token bucket, which bounds them all to this client's rate.
   */
  private ownBudget(): ScanBudget {
    return {
      requestsPerSecond: () => Math.min(this.requestsPerSecond, this.shared.get(this.accountId ?? '')?.requestsPerSecond ?? Infinity),
      latencyMs: () => this.latency.ms,
    };
  }

  /** What a partitioned read sees of the budget: the rate in force (the lower of this client's and the shared one) and the latency observed. */
  private scanBudget(accountId: string | undefined): ScanBudget {
    const shared = this.sharedBudget(accountId || this.accountId);
    return {
      requestsPerSecond: () => Math.min(this.requestsPerSecond, shared.requestsPerSecond),
      latencyMs: () => this.latency.ms,
    };
  }

  /** Pages of a search endpoint, following next_page. */
  searchPages(path: string, params: StripeParams, opts: PageOptions = {}): AsyncGenerator<StripeSearchResult> {
    return paginateSearch(
      (pageParams) => this.request<StripeSearchResult>({ method: 'GET', path, params: pageParams, ...opts }),
      params,
      `GET ${path}`,
    );
  }

  private headersFor(req: StripeRequest): Headers {
    const headers = new Headers({
      Authorization: `Bearer ${this.#apiKey}`,
      'Stripe-Version': this.apiVersion,
      'User-Agent': USER_AGENT,
      Accept: 'application/json',
    });
    const account = req.accountId || this.accountId;
    if (account) headers.set('Stripe-Account', account);
    if (req.method === 'POST') {
      headers.set('Content-Type', 'application/x-www-form-urlencoded');
      // Made once per request, so every retry carries the same key and Stripe applies it once.
      headers.set('Idempotency-Key', req.idempotencyKey || randomUUID());
    }
    return headers;
  }

  private async attempt(
    url: string, req: StripeRequest, headers: Headers, body: string | undefined, shared: SharedBudget, cost: RequestCost, onSent: () => void,
  ): Promise<Attempt> {
    const permit = await this.budget.acquire(req.signal, shared);
    this.counters.throttledMs += permit.waitedMs;
    cost.waitedMs += permit.waitedMs;
    this.counters.requests++;
    onSent();
    // On the injected timer, so tests can make an answer late without waiting for it.
    const timeout = new AbortController();
    const cancelTimeout = this.budgets.setTimer(
      () => timeout.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError')),
      this.timeoutMs,
    );
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    const sentAt = this.budgets.now();
    try {
      const response = await this.fetchImpl(url, { method: req.method, headers, body, signal, redirect: 'manual' });
      const bodyText = await response.text();
      this.latency.observe(this.budgets.now() - sentAt);
      return {
        outcome: { kind: 'response', status: response.status, shouldRetryHeader: response.headers.get('stripe-should-retry') },
        bodyText,
        headers: response.headers,
      };
    } catch (failure) {
      // The caller's abort ends the request as is; it is never retried nor dressed up.
      if (req.signal?.aborted) throw req.signal.reason;
      return { outcome: { kind: timeout.signal.aborted ? 'timeout' : 'network' }, failure };
    } finally {
      cancelTimeout();
      permit.release();
    }
  }

  private parseSuccess<T>(bodyText: string, status: number, describe: string): T {
    try {
      return JSON.parse(bodyText) as T;
    } catch {
      throw new ConnectionError(
        `${describe}: ${this.shownBaseUrl} answered HTTP ${status} with a body that is not JSON; is the base URL a Stripe API?`,
      );
    }
  }

  private failure(attempt: Attempt, describe: string, attempts: number, earlierOutcomeUnknown: boolean): StripeApiError | ConnectionError {
    if ('bodyText' in attempt) {
      return apiErrorFromResponse(
        {
          status: attempt.outcome.status,
          bodyText: attempt.bodyText,
          requestId: attempt.headers.get('request-id') ?? undefined,
          earlierAttemptMayHaveApplied: earlierOutcomeUnknown,
        },
        this.#apiKey,
        this.keyHint,
      );
    }
    const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    if (attempt.outcome.kind === 'timeout') {
      return new ConnectionError(`${describe}: ${this.shownBaseUrl} did not answer within ${this.timeoutMs} ms (${tries})`);
    }
    const cause = this.sanitise(attempt.failure);
    return new ConnectionError(`${describe}: could not reach ${this.shownBaseUrl}: ${cause.message} (${tries})`, cause);
  }

  /** A fresh Error carrying only the name, code and message (scrubbed) of the innermost cause. */
  private sanitise(failure: unknown): Error {
    let inner: unknown = failure;
    while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
    const source = inner instanceof Error ? inner : new Error(String(inner));
    const copy = new Error(scrubSecrets(source.message, [this.#apiKey]));
    copy.name = source.name;
    const code = (source as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
    return copy;
  }
}

/** An attempt Stripe may have carried out without our hearing so: no answer, or a 5xx. */
function mayHaveApplied(outcome: AttemptOutcome): boolean {
  return outcome.kind !== 'response' || outcome.status >= 500;
}

function normaliseBaseUrl(raw: string, apiKey: string): string {
  const trimmed = raw.trim().replace(/\/+$/, '');
  const shown = JSON.stringify(scrubSecrets(raw, [apiKey]));
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ConnectionError(`Base URL ${shown} is not a URL (expected e.g. ${DEFAULT_BASE_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConnectionError(`Base URL ${shown} must use http or https`);
  }
  if (url.username || url.password) throw new ConnectionError('Base URL must not carry credentials');
  if (url.search || url.hash) throw new ConnectionError(`Base URL ${shown} must not have a query or fragment`);
  return trimmed;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}
