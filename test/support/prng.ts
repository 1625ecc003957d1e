// The emulator's seeded PRNG (mulberry32), plus weighted choice for the query generator: the
// same seed gives the same tables and queries on every machine, so a differential failure can
// be replayed from its seed.
import { Prng as SeededPrng } from '../../emulator/prng.js';

export class Prng extends SeededPrng {
  /** Picks by weight: [[weight, item], …]. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [w, item] of choices) {
      r -= w;
      if (r < 0) return item;
    }
    return choices[choices.length - 1]![1];
  }
}
