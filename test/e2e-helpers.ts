// Shared set-up for end-to-end tests: a seeded emulator, a connection to it, and the request
// log in a form that is easy to assert on.
import { after, before } from 'node:test';
import { connect, type Connection, type ConnectOptions } from '../src/index.js';
import { startEmulator, DEMO_API_KEY, type Emulator, type LoggedRequest } from '../emulator/index.js';

export interface E2E {
  emulator: Emulator;
  db: Connection;
  /** A fresh connection to the same emulator with extra options. */
  connectWith(options: Partial<ConnectOptions>): Connection;
}

/** Starts one emulator for the file; fast retries so fault tests stay quick. */
export function useEmulator(): E2E {
  const e2e = {} as E2E;
  before(async () => {
    e2e.emulator = await startEmulator({ seed: true });
    e2e.connectWith = (options) =>
      connect({ apiKey: DEMO_API_KEY, baseUrl: e2e.emulator.url, maxRequestsPerSecond: 1000, ...options });
    e2e.db = e2e.connectWith({});
  });
  after(async () => {
    await e2e.db.close();
    await e2e.emulator.close();
  });
  return e2e;
}

/** `GET /v1/checkout/sessions?customer=cus_1&limit=100` for each logged request. */
export function requestLines(log: readonly LoggedRequest[]): string[] {
  return log.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`);
}

export type StripeObject = Record<string, unknown>;

export function ids(objects: readonly StripeObject[]): string[] {
  return objects.map((o) => String(o.id));
}
