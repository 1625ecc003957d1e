// The transport of an offline connection (Offline=true): it has no key and sends nothing. Every
// table it could serve is answered from the replica instead, so it is reached only by what has
// no replica at all (EXEC), and then it refuses.

import type { StripeTransport } from '../catalog/types.js';
import { ConnectionError } from '../stripe/errors.js';
import type { TransportStats } from '../stripe/types.js';

function refuse(): never {
  throw new ConnectionError('Offline=true: nothing is sent to Stripe; only the replica (CacheLocation) is read');
}

export const offlineTransport: StripeTransport = {
  request: async () => refuse(),
  // eslint-disable-next-line require-yield
  listPages: async function* () {
    refuse();
  },
};

/** What an offline connection reports as its traffic: none, and no budget drawn from. */
export function offlineStats(): TransportStats {
  return {
    requests: 0,
    retries: 0,
    throttledMs: 0,
    budget: { key: 'none (Offline=true)', account: null, configuredPerSecond: 0, currentPerSecond: 0, requests: 0, throttled: 0, queued: 0, clients: 0 },
  };
}
