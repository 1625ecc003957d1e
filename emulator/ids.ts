import type { Prng } from './prng.js';

// Stripe's id shapes: a prefix and random alphanumerics of a fixed length per resource.
// Checkout session ids are long (cs_test_a1… / cs_live_a1…, 66 characters in all).

export function makeId(prng: Prng, prefix: string, livemode = false): string {
  switch (prefix) {
    case 'cs':
      return `cs_${livemode ? 'live' : 'test'}_a1${prng.alphanumeric(56)}`;
    case 'cus':
    case 'prod':
    case 'req':
      return `${prefix}_${prng.alphanumeric(14)}`;
    default:
      // price_, pi_, sub_, in_, li_, seti_, plink_: Stripe's "1" + 23 characters form.
      return `${prefix}_1${prng.alphanumeric(23)}`;
  }
}
