import { EventRecorder } from './events.js';
import { EmulatorServer, type EmulatorOptions, type LoggedRequest } from './server.js';
import type { FaultSpec } from './faults.js';
import { WebhookDispatcher, type WebhookDelivery, type WebhookOptions } from './webhooks.js';
import { CONNECTED_ACCOUNT } from './seed.js';
import { PLATFORM_ACCOUNT, type StripeObject } from './store.js';

// A local Stripe API (2024-04-10) for tests, benchmarks and `--demo`: every resource of the
// spec, with Stripe's list, search, error and idempotency behaviour, the events its writes
// make, and their signed delivery to webhook endpoints on this machine.

export type { EmulatorOptions, LoggedRequest } from './server.js';
export type { FaultSpec } from './faults.js';
export type { EmulatorClock } from './clock.js';
export type { WebhookDelivery, WebhookOptions } from './webhooks.js';
export { API_VERSION } from './server.js';
export { CONNECTED_ACCOUNT, PLATFORM_ACCOUNT };

/** Any sk_test_/sk_live_/rk_test_/rk_live_ key without `invalid` in it is accepted. */
export const DEMO_API_KEY = 'sk_test_emulator_demo_key_0000';

export interface Emulator {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  requestLog: LoggedRequest[];
  /** Every webhook delivery attempt, in the order made. */
  webhookDeliveries: WebhookDelivery[];
  /** Resolves when no webhook delivery is in progress (retries waiting on a timer are not). */
  webhooksSettled(): Promise<void>;
  clearLog(): void;
  setLatency(ms: number): void;
  /** Beyond this many requests in any one second, 429 with Stripe's body; null lifts the limit. */
  setRateLimit(requestsPerSecond: number | null, opts?: { retryAfterSeconds?: number }): void;
  injectFaults(fault: FaultSpec): void;
  /** Drops every fault still pending. */
  clearFaults(): void;
  /**
   * A connected account: its objects are separate from the platform's, and the platform's
   * GET /v1/accounts lists it.
   */
  addAccount(id: string): void;
  /** Copies of the live objects of a type, newest first (platform account by default). */
  objects(type: string, account?: string): Record<string, unknown>[];
  /** Every object the emulator holds (seeded, created, events), each account's, as stored. */
  allObjects(): Array<{ account: string; object: Record<string, unknown> }>;
  /** Stores objects as they are (each needs `id`, `object` and `created`): bulk data for tests and benchmarks. */
  putObjects(objects: readonly Record<string, unknown>[], account?: string): void;
  close(): Promise<void>;
}

export interface StartOptions extends EmulatorOptions {
  /** Webhook retries: their delays, and how they are scheduled (tests run them at once). */
  webhooks?: WebhookOptions;
}

export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
  const server = new EmulatorServer(options);
  // After the seed: its objects come with their own events; from here on writes make them.
  const events = new EventRecorder(server.store, () => server.currentRequest);
  server.announce = (account, type, object) => events.announce(account, type, object);
  const webhooks = new WebhookDispatcher(server.store, events, options.webhooks, server.clock);
  const port = await server.listen(options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requestLog: server.requestLog,
    webhookDeliveries: webhooks.deliveries,
    webhooksSettled: () => webhooks.settled(),
    clearLog: () => {
      server.requestLog.length = 0;
    },
    setLatency: (ms) => server.setLatency(ms),
    setRateLimit: (requestsPerSecond, opts) => server.setRateLimit(requestsPerSecond, opts?.retryAfterSeconds),
    injectFaults: (fault) => server.injectFaults(fault),
    clearFaults: () => server.clearFaults(),
    addAccount: (id) => {
      if (server.store.get(PLATFORM_ACCOUNT, 'account', id)) return;
      events.quietly(() => server.store.put(PLATFORM_ACCOUNT, connectedAccountObject(id)));
    },
    objects: (type, account) => {
      const owner = account ?? PLATFORM_ACCOUNT;
      if (!server.store.hasAccount(owner)) return [];
      return server.store.list(owner, type).map((object) => structuredClone(object));
    },
    allObjects: () =>
      server.store.accountIds().flatMap((account) =>
        server.store.types(account).flatMap((type) => server.store.list(account, type).map((object) => ({ account, object: structuredClone(object) }))),
      ),
    putObjects: (objects, account) => {
      const owner = account ?? PLATFORM_ACCOUNT;
      server.store.addAccount(owner);
      events.quietly(() => {
        for (const object of objects) server.store.put(owner, structuredClone(object) as StripeObject);
      });
    },
    close: () => {
      webhooks.close();
      return server.close();
    },
  };
}

/** A Standard connected account as GET /v1/accounts shows it, ready to take payments. */
function connectedAccountObject(id: string): StripeObject {
  return {
    id, object: 'account', type: 'standard', created: Math.floor(Date.now() / 1000), country: 'US', default_currency: 'usd',
    email: null, business_profile: null, business_type: null, capabilities: {}, charges_enabled: true, payouts_enabled: true,
    details_submitted: true, metadata: {}, settings: null, tos_acceptance: { date: null, ip: null, user_agent: null },
  };
}
