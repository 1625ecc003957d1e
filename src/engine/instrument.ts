// Counters one operator keeps for EXPLAIN ANALYZE.
export interface Instrument {
  name: string;
  rows: number;
  /** Remote requests reported by the table through ExecContext.onRequest. */
  requests: number;
  /** Wall time spent inside the operator's input loop, including what it waited for. */
  millis: number;
  /** Times the operator was started (a lookup join's inner scan runs once per batch). */
  runs: number;
}

/** `actual: 3 rows, 1 request, 0.2 ms` once the operator has run; undefined before. */
export function describeActuals(instrument: Instrument): string | undefined {
  if (instrument.runs === 0) return undefined;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const runs = instrument.runs > 1 ? `, ${plural(instrument.runs, 'run')}` : '';
  return `actual: ${plural(instrument.rows, 'row')}, ${plural(instrument.requests, 'request')}, ${instrument.millis.toFixed(1)} ms${runs}`;
}

/** Contexts of EXPLAIN ANALYZE runs: only they pay for per-operator counting. */
export const analyzing = new WeakSet<object>();

export function newInstrument(name: string): Instrument {
  return { name, rows: 0, requests: 0, millis: 0, runs: 0 };
}

/** Counts the rows of the batches `input` yields and the wall time until it finishes. */
export async function* measured<T>(input: AsyncIterable<T[]>, instrument: Instrument): AsyncGenerator<T[]> {
  instrument.runs++;
  const start = performance.now();
  try {
    for await (const batch of input) {
      instrument.rows += batch.length;
      yield batch;
    }
  } finally {
    instrument.millis += performance.now() - start;
  }
}

/** `line (actual: …)` once the operator has run. */
export function withActuals(line: string, instrument: Instrument): string {
  if (instrument.runs === 0) return line;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${line} (actual: ${plural(instrument.rows, 'row')}, ${instrument.millis.toFixed(1)} ms)`;
}
