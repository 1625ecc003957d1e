// Stripe's latency without the wait: a fetch that sends each request to a real server on
// 127.0.0.1 (the emulator, a fake) at once, then holds the answer for a latency measured on a
// fake clock, and a driver that moves that clock on only when nothing else can happen (no
// answer being read, no promise chain left to run). The transport keeps the same clock (a
// BudgetRegistry made from it), so its rate budget, observed latency, retry waits and timeouts
// all run in this time: a read that takes a second at 150 ms a request runs in milliseconds,
// and the same every run.
import { BudgetRegistry } from '../../src/stripe/index.js';
import { fakeClock, settled, type FakeClock } from './fake-clock.js';

export interface VirtualStripe {
  clock: FakeClock;
  /** Give to connect() / new StripeClient(): the clock the transport keeps. */
  budgets: BudgetRegistry;
  /** Give to connect() / new StripeClient(). */
  fetch: typeof fetch;
  /** Requests sent and not yet answered (held for their latency), now and at most so far. */
  readonly inFlight: number;
  readonly peakInFlight: number;
  /** Awaits `work`, moving the clock on to the next timer whenever nothing else can happen. */
  run<T>(work: Promise<T>): Promise<T>;
  /** Resolves once nothing can happen without the clock moving: every answer read, every promise chain run. */
  settle(): Promise<void>;
}

export interface VirtualStripeOptions {
  /** Milliseconds the answer to each request takes, by its order (0 first) and URL; default 0. */
  latencyMs?: (index: number, url: string, init: RequestInit | undefined) => number;
  /** Where requests really go; default the global fetch. */
  target?: typeof fetch;
}

export function virtualStripe(options: VirtualStripeOptions = {}): VirtualStripe {
  const clock = fakeClock();
  const target = options.target ?? globalThis.fetch;
  let sent = 0;
  let reading = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  let onIdle: (() => void) | undefined;

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const latency = options.latencyMs?.(sent++, String(input), init) ?? 0;
    peakInFlight = Math.max(peakInFlight, ++inFlight);
    try {
      reading++;
      let status: number;
      let headers: Headers;
      let body: ArrayBuffer;
      try {
        const response = await target(input, init);
        ({ status, headers } = response);
        body = await response.arrayBuffer();
      } finally {
        if (--reading === 0) onIdle?.();
      }
      await hold(latency, init?.signal ?? undefined);
      return new Response(status === 204 || status === 304 ? null : body, { status, headers });
    } finally {
      inFlight--;
    }
  };

  /** Resolves once `ms` of fake time have passed; rejects as fetch would if the signal aborts first. */
  const hold = (ms: number, signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (ms <= 0) return resolve();
      const abandon = () => {
        cancel();
        reject(signal!.reason);
      };
      const cancel = clock.setTimer(() => {
        signal?.removeEventListener('abort', abandon);
        resolve();
      }, ms);
      signal?.addEventListener('abort', abandon, { once: true });
    });

  /** Every answer being read has been read and every promise chain has run as far as it can. */
  const quiet = async () => {
    for (;;) {
      if (reading > 0) await new Promise<void>((resolve) => (onIdle = resolve));
      onIdle = undefined;
      await settled();
      if (reading === 0) return;
    }
  };

  const run = async <T>(work: Promise<T>): Promise<T> => {
    let done = false;
    work.then(() => (done = true), () => (done = true));
    for (let idle = 0; ; ) {
      await quiet();
      if (done) return work;
      const due = clock.nextDue();
      if (due !== undefined) {
        clock.advance(due - clock.now());
        idle = 0;
      } else if (++idle > 1000) {
        throw new Error('virtual time: the work waits for something that is neither an answer nor a timer');
      }
    }
  };

  return {
    clock,
    budgets: new BudgetRegistry(clock),
    fetch,
    get inFlight() {
      return inFlight;
    },
    get peakInFlight() {
      return peakInFlight;
    },
    run,
    settle: quiet,
  };
}
