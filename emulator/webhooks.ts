import { createHmac } from 'node:crypto';
import { realClock, type EmulatorClock } from './clock.js';
import type { EventRecorder } from './events.js';
import type { Store, StripeObject } from './store.js';

// Webhook delivery: each event goes to the account's enabled webhook endpoints that ask for
// its type, as Stripe sends it — a JSON POST signed with the endpoint's `whsec_` secret in a
// `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">` header, which stripe-node's
// webhooks.constructEvent verifies. A delivery that fails (no 2xx, no answer) is retried
// after growing delays. Only endpoints on this machine are reached: nothing leaves 127.0.0.1.

/** Test mode retries a few times over hours; these are the waits before each retry. */
export const DEFAULT_RETRY_DELAYS_MS = [60_000, 600_000, 3_600_000];
/** How long an endpoint has to answer before the attempt counts as failed. */
const ANSWER_TIMEOUT_MS = 10_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface WebhookOptions {
  /** Waits before the 1st, 2nd, … retry of a failed delivery; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** Runs a retry later; defaults to a timer on the emulator's clock. Tests pass their own to run retries at once. */
  schedule?: (run: () => void, delayMs: number) => void;
}

export interface WebhookDelivery {
  event: string;
  type: string;
  endpoint: string;
  /** 1 for the first try. */
  attempt: number;
  /** The endpoint's HTTP status; 0 when it did not answer or was not reached. */
  status: number;
  error?: string;
}

export function signature(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly retryDelays: readonly number[];
  private readonly schedule: (run: () => void, delayMs: number) => void;
  /** What cancels each retry timer still waiting. */
  private readonly timers = new Set<() => void>();
  /** Per endpoint, the delivery in progress: events reach one endpoint in the order they were made. */
  private readonly queues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: Store,
    events: EventRecorder,
    options: WebhookOptions = {},
    clock: EmulatorClock = realClock,
  ) {
    this.retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.schedule = options.schedule ?? ((run, delayMs) => {
      const cancel = clock.setTimer(() => {
        this.timers.delete(cancel);
        run();
      }, delayMs);
      this.timers.add(cancel);
    });
    events.onEvent((account, event) => this.dispatch(account, event));
  }

  /** Resolves when no delivery is in progress (a retry waiting on its timer is not in progress). */
  async settled(): Promise<void> {
    for (;;) {
      const pending = [...this.queues.values()];
      await Promise.all(pending);
      // A retry scheduled at once may have queued more while we waited.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if ([...this.queues.values()].every((queue, index) => queue === pending[index]) && this.queues.size === pending.length) return;
    }
  }

  close(): void {
    this.closed = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  private dispatch(account: string, event: StripeObject): void {
    const endpoints = this.store.list(account, 'webhook_endpoint').filter((endpoint) => {
      const wanted = (endpoint.enabled_events as string[] | undefined) ?? [];
      return endpoint.status === 'enabled' && (wanted.includes('*') || wanted.includes(event.type as string));
    });
    if (endpoints.length === 0) return;
    this.setPending(account, event.id, endpoints.length);
    for (const endpoint of endpoints) this.enqueue(account, event, endpoint, 1);
  }

  private enqueue(account: string, event: StripeObject, endpoint: StripeObject, attempt: number): void {
    const previous = this.queues.get(endpoint.id) ?? Promise.resolve();
    const next = previous.then(() => this.attempt(account, event, endpoint, attempt));
    this.queues.set(endpoint.id, next);
  }

  private async attempt(account: string, event: StripeObject, endpoint: StripeObject, attempt: number): Promise<void> {
    if (this.closed) return;
    const delivery: WebhookDelivery = { event: event.id, type: event.type as string, endpoint: endpoint.id, attempt, status: 0 };
    this.deliveries.push(delivery);
    const url = new URL(endpoint.url as string);
    if (!LOCAL_HOSTS.has(url.hostname)) {
      delivery.error = `not delivered: the emulator only reaches endpoints on 127.0.0.1 (${url.hostname})`;
      return;
    }
    const current = this.store.get(account, 'event', event.id) ?? event;
    const payload = JSON.stringify(current, null, 2);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signature(payload, String(endpoint.secret), Math.floor(Date.now() / 1000)),
        },
        body: payload,
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    if (delivery.status >= 200 && delivery.status < 300) {
      this.setPending(account, event.id, Math.max(0, ((this.store.get(account, 'event', event.id)?.pending_webhooks as number | undefined) ?? 1) - 1));
      return;
    }
    const delay = this.retryDelays[attempt - 1];
    if (delay !== undefined && !this.closed) this.schedule(() => this.enqueue(account, event, endpoint, attempt + 1), delay);
  }

  private setPending(account: string, eventId: string, pending: number): void {
    const stored = this.store.get(account, 'event', eventId);
    if (stored) this.store.put(account, { ...structuredClone(stored), pending_webhooks: pending });
  }
}
