// When to try a request again and how long to wait first.
//
// Rules (stripe-node's, plus plain 429s, which stripe-node leaves to the caller):
// - `Stripe-Should-Retry: false` → never; `Stripe-Should-Retry: true` → always (budget permitting);
// - otherwise retry 429, 409 (lock timeouts and concurrent use of an idempotency key) and 5xx;
//   never any other 4xx;
// - network failures and per-attempt timeouts are retried; the caller's own abort is not.
// Delay before retry n (n = 0 for the first retry): full jitter over min(max, base·2^n), but at
// least the server's Retry-After when it sent one, itself capped at 4·max so a hostile or
// confused server cannot park us for minutes (default cap 32 s; stripe-node caps at 60 s).

import { realTimer, type SetTimer } from './ratelimit.js';

export type AttemptOutcome =
  | { kind: 'response'; status: number; shouldRetryHeader: string | null }
  | { kind: 'network' }
  | { kind: 'timeout' };

export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind !== 'response') return true;
  const header = outcome.shouldRetryHeader?.trim().toLowerCase();
  if (header === 'false') return false;
  if (header === 'true') return true;
  return outcome.status === 429 || outcome.status === 409 || outcome.status >= 500;
}

export const RETRY_AFTER_CAP_FACTOR = 4;

export interface RetryDelayInput {
  /** 0 before the first retry. */
  retryIndex: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** From the Retry-After header, when present. */
  retryAfterMs?: number;
  random?: () => number;
}

export function retryDelayMs(input: RetryDelayInput): number {
  const random = input.random ?? Math.random;
  const ceiling = Math.min(input.maxDelayMs, input.baseDelayMs * 2 ** input.retryIndex);
  const jittered = random() * ceiling;
  if (input.retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(input.retryAfterMs, input.maxDelayMs * RETRY_AFTER_CAP_FACTOR));
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Resolves after `ms` (on `setTimer`: tests inject theirs); rejects with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal, setTimer: SetTimer = realTimer): Promise<void> {
  signal?.throwIfAborted();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const abandon = () => {
      cancel();
      reject(signal!.reason);
    };
    const cancel = setTimer(() => {
      signal?.removeEventListener('abort', abandon);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abandon, { once: true });
  });
}
