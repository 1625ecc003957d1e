// Counters one operator keeps for EXPLAIN ANALYZE.
import type { RequestCost } from './table.js';

export interface Instrument {
  name: string;
  rows: number;
  /** Remote requests reported by the table through ExecContext.onRequest. */
  requests: number;
  /** What those requests cost beyond themselves: retries (429s among them) and waits for the rate budget. */
  retries: number;
  throttled: number;
  waitedMs: number;
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
  return `actual: ${plural(instrument.rows, 'row')}, ${describeRequests(instrument)}, ${instrument.millis.toFixed(1)} ms${runs}`;
}

/** Adds one request's report to the counters. */
export function countRequest(counters: Pick<Instrument, 'requests' | 'retries' | 'throttled' | 'waitedMs'>, cost: RequestCost | undefined): void {
  counters.requests++;
  if (!cost) return;
  counters.retries += cost.retries;
  counters.throttled += cost.throttled;
  counters.waitedMs += cost.waitedMs;
}

/** `344 requests (3 retries, 2 after 429; 1.2 s waiting for the rate budget)`: the parts that are not zero. */
export function describeRequests(counters: Pick<Instrument, 'requests' | 'retries' | 'throttled' | 'waitedMs'>): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const costs: string[] = [];
  if (counters.retries > 0) costs.push(`${counters.retries} ${counters.retries === 1 ? 'retry' : 'retries'}${counters.throttled > 0 ? `, ${counters.throttled} after 429` : ''}`);
  // Under a millisecond in all is no wait worth showing (the budget let every request through).
  if (counters.waitedMs >= 1) costs.push(`${formatWait(counters.waitedMs)} waiting for the rate budget`);
  return `${plural(counters.requests, 'request')}${costs.length > 0 ? ` (${costs.join('; ')})` : ''}`;
}

function formatWait(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Contexts of EXPLAIN ANALYZE runs: only they pay for per-operator counting. */
export const analyzing = new WeakSet<object>();

export function newInstrument(name: string): Instrument {
  return { name, rows: 0, requests: 0, retries: 0, throttled: 0, waitedMs: 0, millis: 0, runs: 0 };
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
