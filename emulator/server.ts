import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maskKey, readApiKey } from './auth.js';
import { realClock, type EmulatorClock } from './clock.js';
import type { HandlerContext } from './context.js';
import { errors, invalidRequest, StripeError, toErrorPayload } from './errors.js';
import { FaultInjector, type BrokenPaginator, type Fault, type FaultSpec } from './faults.js';
import { IdempotencyStore } from './idempotency.js';
import { makeId } from './ids.js';
import { canonicalParams, parseParams } from './params.js';
import { Prng } from './prng.js';
import { RateLimiter } from './rate-limit.js';
import { defaultRouter, type Router } from './router.js';
import { validateParams } from './schema.js';
import { seedStore } from './seed.js';
import { PLATFORM_ACCOUNT, Store, type StripeObject } from './store.js';

// The HTTP face: authentication, account scoping, the test knobs (latency, rate limit,
// faults), idempotency, routing, and the request log. Resources live in resources/.

export const API_VERSION = '2024-04-10';

export interface EmulatorOptions {
  /** Default 0 (ephemeral); the host is always 127.0.0.1. */
  port?: number;
  /** Deterministic demo data (default true). */
  seed?: boolean;
  /** Added to every response. */
  latencyMs?: number;
  /**
   * The time the rate limit, latency, delayed faults and webhook retries keep (real time by
   * default): a test passes a fake clock and moves it on instead of waiting.
   */
  clock?: EmulatorClock;
}

export interface LoggedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string without '?', '' if none. */
  query: string;
  /** Raw request body, '' if none. */
  body: string;
  /** Lower-cased names. The API key in `authorization` is masked (`Bearer sk_test_****abcd`). */
  headers: Record<string, string>;
  /** Stripe-Account header as sent, null when absent. */
  account: string | null;
  /** Status sent back; 0 when the connection was reset instead. */
  status: number;
}

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

type Outcome = Reply | { reset: true };

const RUNTIME_SEED = 0x5eed;

/** The API request an event came from; both null for changes no request made. */
export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

const NO_REQUEST: EventRequest = { id: null, idempotency_key: null };

export class EmulatorServer {
  readonly store = new Store();
  /** The request being handled, while it is. */
  currentRequest: EventRequest = NO_REQUEST;
  /** Records an event no change makes; set once events are recorded (index.ts). */
  announce?: (account: string, type: string, object: StripeObject) => void;
  readonly requestLog: LoggedRequest[] = [];
  private readonly router: Router = defaultRouter();
  private readonly idempotency = new IdempotencyStore();
  private readonly faults = new FaultInjector();
  private readonly rateLimiter = new RateLimiter();
  private readonly requestIds = new Prng(RUNTIME_SEED);
  private readonly objectIds = new Prng(RUNTIME_SEED + 1);
  private latencyMs: number;
  private readonly server: Server;
  readonly clock: EmulatorClock;

  constructor(options: EmulatorOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.clock = options.clock ?? realClock;
    if (options.seed ?? true) seedStore(this.store);
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        process.stderr.write(`emulator: ${error instanceof Error ? error.stack : String(error)}\n`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  setRateLimit(requestsPerSecond: number | null, retryAfterSeconds?: number): void {
    this.rateLimiter.configure(requestsPerSecond, retryAfterSeconds);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  injectFaults(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = loggedHeaders(req);
    const account = headerValue(req, 'stripe-account') ?? null;
    const entry: LoggedRequest = { method, path, query, body, headers, account, status: 0 };
    this.requestLog.push(entry);

    const requestId = makeId(this.requestIds, 'req');
    const heldMs = this.faults.takeDelay(method, path);
    const outcome = this.process(req, method, path, query, body, account, requestId);
    const waitMs = this.latencyMs + heldMs;
    if (waitMs > 0) await new Promise<void>((resolve) => this.clock.setTimer(resolve, waitMs));
    if ('reset' in outcome) {
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    entry.status = outcome.status;
    res.writeHead(outcome.status, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, no-store',
      'Request-Id': requestId,
      'Stripe-Version': headerValue(req, 'stripe-version') ?? API_VERSION,
      ...outcome.headers,
    });
    res.end(outcome.body);
  }

  private process(
    req: IncomingMessage,
    method: string,
    path: string,
    query: string,
    body: string,
    accountHeader: string | null,
    requestId: string,
  ): Outcome {
    const key = readApiKey(headerValue(req, 'authorization'));
    if (!key.ok) return errorReply(key.reason === 'missing' ? errors.noApiKey() : errors.invalidApiKey(maskKey(key.key)));
    if (accountHeader !== null && !this.store.hasAccount(accountHeader)) {
      return errorReply(errors.accountInaccessible(maskKey(key.key), accountHeader));
    }
    const account = accountHeader ?? PLATFORM_ACCOUNT;

    if (!this.rateLimiter.admit(this.clock.now())) {
      const retryAfter = this.rateLimiter.retryAfter();
      return errorReply(errors.rateLimited(), retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) });
    }

    const fault = this.faults.take(method, path);
    if (fault && !fault.afterCommit) return faultReply(fault);

    const match = this.router.match(method, path);
    if (match.kind === 'not_found') return fault ? faultReply(fault) : errorReply(errors.unrecognizedUrl(method, path));

    const params = method === 'POST' ? { ...parseParams(query), ...parseParams(body) } : parseParams(query);
    const brokenPage = 'starting_after' in match.route.params.properties ? this.faults.takeBrokenPaginator(method, path) : undefined;
    if (brokenPage === 'repeat-page') {
      delete params.starting_after;
      delete params.ending_before;
    }
    const idempotencyKey = method === 'POST' ? headerValue(req, 'idempotency-key') : undefined;
    const fingerprint = `${method} ${path} ${canonicalParams(params)}`;
    if (idempotencyKey !== undefined) {
      const saved = this.idempotency.find(account, idempotencyKey);
      if (saved) {
        if (saved.fingerprint !== fingerprint) return errorReply(errors.idempotencyMismatch(idempotencyKey));
        const replay: Reply = {
          status: saved.status,
          body: saved.body,
          headers: { 'Idempotency-Key': idempotencyKey, 'Idempotent-Replayed': 'true', 'Original-Request': saved.requestId },
        };
        return fault ? faultReply(fault) : replay;
      }
    }

    const ctx: HandlerContext = {
      store: this.store,
      account,
      livemode: key.livemode,
      now: () => Math.floor(Date.now() / 1000),
      newId: (prefix) => makeId(this.objectIds, prefix, key.livemode),
      token: (length) => this.objectIds.alphanumeric(length),
      announce: (type, object) => this.announce?.(account, type, object),
    };
    let reply: Reply;
    let saveable = true;
    // Events made while this request is handled name it (events.ts).
    this.currentRequest = { id: requestId, idempotency_key: idempotencyKey ?? null };
    try {
      const validated = validateParams(match.route.params, params);
      const result = match.route.handle(ctx, match.pathParams, validated);
      const answer = brokenPage ? brokenListPage(result.body, brokenPage) : result.body;
      reply = { status: result.status ?? 200, body: JSON.stringify(answer, null, 2), headers: {} };
    } catch (error) {
      if (error instanceof StripeError) {
        reply = errorReply(error);
        saveable = error.savedForIdempotency;
      } else {
        // A bug in the emulator: answer as Stripe does for its own failures, and say why.
        process.stderr.write(`emulator: ${method} ${path}: ${error instanceof Error ? error.stack : String(error)}\n`);
        reply = errorReply(errors.apiError(500));
        saveable = false;
      }
    } finally {
      this.currentRequest = NO_REQUEST;
    }
    if (idempotencyKey !== undefined) {
      reply.headers['Idempotency-Key'] = idempotencyKey;
      if (saveable) {
        this.idempotency.save(account, idempotencyKey, { fingerprint, status: reply.status, body: reply.body, requestId });
      }
    }
    return fault ? faultReply(fault) : reply;
  }
}

/** A list page as a broken paginator sends it: always more to come, and maybe nothing in it. */
function brokenListPage(body: unknown, mode: BrokenPaginator): unknown {
  if (body === null || typeof body !== 'object' || (body as { object?: unknown }).object !== 'list') return body;
  return { ...body, has_more: true, ...(mode === 'empty-page' ? { data: [] } : {}) };
}

function errorReply(error: StripeError, headers: Record<string, string> = {}): Reply {
  return { status: error.status, body: JSON.stringify(toErrorPayload(error), null, 2), headers };
}

function faultReply(fault: Fault): Outcome {
  if (fault.kind === 'reset') return { reset: true };
  return errorReply(faultError(fault.status), fault.shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(fault.shouldRetry) });
}

function faultError(status: number): StripeError {
  if (status === 429) return errors.rateLimited();
  if (status === 409) {
    return invalidRequest(
      'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
      undefined,
      'lock_timeout',
      409,
    );
  }
  if (status >= 500) return errors.apiError(status);
  return invalidRequest('The request could not be processed (injected fault).', undefined, undefined, status);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

function loggedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (out.authorization !== undefined) out.authorization = maskAuthorization(out.authorization);
  return out;
}

function maskAuthorization(value: string): string {
  const match = /^(\w+)\s+(\S+)\s*$/.exec(value);
  if (!match) return '****';
  const scheme = match[1] as string;
  if (scheme.toLowerCase() === 'basic') {
    const user = Buffer.from(match[2] as string, 'base64').toString('utf8').split(':')[0] ?? '';
    return `${scheme} ${maskKey(user)}`;
  }
  return `${scheme} ${maskKey(match[2] as string)}`;
}
