// Bulk objects whose `created` follows a chosen distribution, for Emulator.putObjects: the
// shapes that make a partitioned read (src/stripe/partition.ts) work hard, for tests and
// benchmarks. Deterministic: the same arguments give the same objects.

import { Prng } from './prng.js';

/**
 * - uniform: evenly spread over the span.
 * - skewed: dense recent, sparse old: density falls exponentially with age, by e every
 *   twentieth of the span, so the newest fifth of the span holds 98 % of the objects and the
 *   oldest objects lie weeks apart.
 * - bursty: nine tenths in ten bursts of an hour each at seeded times, the rest spread evenly.
 * - gapped: three months of objects separated by empty years (now, 3 years back, 7 years back).
 * - pileup: uniform, but one object in a hundred (at least 250) shares one second in the middle:
 *   more than a page in one `created` value, which only a cursor can page through.
 */
export type CreatedDistribution = 'uniform' | 'skewed' | 'bursty' | 'gapped' | 'pileup';

export const CREATED_DISTRIBUTIONS: readonly CreatedDistribution[] = ['uniform', 'skewed', 'bursty', 'gapped', 'pileup'];

export interface DistributionOptions {
  /** The newest `created` there may be, unix seconds; default 2026-01-01T00:00:00Z. */
  newest?: number;
  /** Seconds from the oldest possible `created` to the newest; default two years. */
  span?: number;
  seed?: number;
}

const DAY = 86_400;
const YEAR = 365 * DAY;
const DEFAULTS = { newest: Date.UTC(2026, 0, 1) / 1000, span: 2 * YEAR, seed: 7 };

/** `count` whole-second `created` values, newest first. */
export function createdTimes(distribution: CreatedDistribution, count: number, options: DistributionOptions = {}): number[] {
  const { newest, span, seed } = { ...DEFAULTS, ...options };
  const prng = new Prng(seed);
  /** Evenly spread: the i-th of n over `width` seconds ending at `top`. */
  const even = (i: number, n: number, top: number, width: number) => top - Math.floor((i * width) / Math.max(1, n));
  let times: number[];
  switch (distribution) {
    case 'uniform':
      times = Array.from({ length: count }, (_, i) => even(i, count, newest, span));
      break;
    case 'skewed': {
      // The quantiles of an exponential distribution of age, cut off at the span.
      const scale = span / 20;
      const reach = 1 - Math.exp(-span / scale);
      times = Array.from({ length: count }, (_, i) => newest - Math.floor(-scale * Math.log(1 - ((i + 0.5) / count) * reach)));
      break;
    }
    case 'bursty': {
      const bursts = Array.from({ length: 10 }, () => newest - prng.int(0, span - 3600));
      const inBursts = Math.floor(count * 0.9);
      times = Array.from({ length: count }, (_, i) =>
        i < inBursts ? (bursts[i % bursts.length] as number) - prng.int(0, 3599) : even(i - inBursts, count - inBursts, newest, span),
      );
      break;
    }
    case 'gapped': {
      const clusters = [newest, newest - 3 * YEAR, newest - 7 * YEAR];
      times = Array.from({ length: count }, (_, i) => even(Math.floor(i / 3), Math.ceil(count / 3), clusters[i % 3] as number, 90 * DAY));
      break;
    }
    case 'pileup': {
      const piled = Math.min(count, Math.max(250, Math.floor(count / 100)));
      const second = newest - Math.floor(span / 2);
      times = Array.from({ length: count }, (_, i) => (i < piled ? second : even(i - piled, count - piled, newest, span)));
      break;
    }
  }
  return times.sort((a, b) => b - a);
}

export interface BulkOptions extends DistributionOptions {
  /** Ids are this prefix and a zero-padded number: `cus_bulk000042`. */
  idPrefix: string;
  /** The `object` of each: `customer`. */
  object: string;
  /** More fields of the i-th object (i = 0 is the newest). */
  fields?: (i: number) => Record<string, unknown>;
}

/** `count` objects ready for putObjects, their `created` spread as `distribution` says. */
export function bulkObjects(distribution: CreatedDistribution, count: number, options: BulkOptions): Record<string, unknown>[] {
  const width = Math.max(6, String(count).length);
  return createdTimes(distribution, count, options).map((created, i) => ({
    id: `${options.idPrefix}${String(i).padStart(width, '0')}`,
    object: options.object,
    created,
    livemode: false,
    metadata: {},
    ...options.fields?.(i),
  }));
}
