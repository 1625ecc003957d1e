// Rows pulled one at a time from a statement that pushes them: the connection hands each row
// to an awaited callback, a portal takes rows as Execute asks for them. The callback waits
// while the buffer is full, so a portal left suspended, or a slow client, holds the scan
// back instead of filling memory.
import type { SqlValue } from '../index.js';

export type WireRow = readonly SqlValue[];

/** How a statement ended: what its CommandComplete tag counts. */
export interface Outcome {
  rowCount: number;
  rowsAffected?: number;
}

export interface RowSource {
  /** The next row, or undefined at the end. Throws the statement's error. */
  next(): Promise<WireRow | undefined>;
  /** Known once next() has returned undefined. */
  readonly outcome: Outcome | undefined;
  /** Stops the statement (its requests are aborted); next() ends. */
  close(): void;
  /** Up to `max` rows already at hand, without waiting (none when next() must wait). */
  buffered?(max: number): WireRow[];
}

/** Rows buffered ahead of the consumer before the producer waits. */
const HIGH_WATER = 512;

class Closed extends Error {}

/**
 * A RowSource over `run`, which pushes rows through `onRow` and resolves with the outcome.
 * `run` starts on the first next(); `stop` is called when the source is closed early.
 */
export function pullRows(run: (onRow: (row: WireRow) => Promise<void> | void) => Promise<Outcome>, stop: () => void): RowSource {
  const buffer: WireRow[] = [];
  let started = false;
  let finished = false;
  let closed = false;
  let failure: unknown;
  let outcome: Outcome | undefined;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: { resolve: () => void; reject: (e: unknown) => void } | undefined;

  const wake = () => {
    const w = wakeConsumer;
    wakeConsumer = undefined;
    w?.();
  };

  const onRow = (row: WireRow): Promise<void> | void => {
    if (closed) throw new Closed();
    buffer.push(row);
    wake();
    if (buffer.length < HIGH_WATER) return;
    return new Promise<void>((resolve, reject) => {
      wakeProducer = { resolve, reject };
    });
  };

  const start = () => {
    started = true;
    run(onRow).then(
      (result) => {
        outcome = result;
        finished = true;
        wake();
      },
      (error: unknown) => {
        if (!(error instanceof Closed)) failure = error;
        finished = true;
        wake();
      },
    );
  };

  return {
    get outcome() {
      return outcome;
    },
    async next() {
      if (!started) start();
      for (;;) {
        if (buffer.length > 0) {
          const row = buffer.shift()!;
          if (wakeProducer && buffer.length <= HIGH_WATER / 2) {
            const w = wakeProducer;
            wakeProducer = undefined;
            w.resolve();
          }
          return row;
        }
        if (closed) return undefined;
        if (finished) {
          if (failure !== undefined) throw failure;
          return undefined;
        }
        await new Promise<void>((resolve) => {
          wakeConsumer = resolve;
        });
      }
    },
    buffered(max) {
      if (buffer.length === 0 || closed) return [];
      const taken = buffer.splice(0, Math.min(max, buffer.length));
      if (wakeProducer && buffer.length <= HIGH_WATER / 2) {
        const w = wakeProducer;
        wakeProducer = undefined;
        w.resolve();
      }
      return taken;
    },
    close() {
      if (closed) return;
      closed = true;
      buffer.length = 0;
      if (!finished && started) stop();
      wakeProducer?.reject(new Closed());
      wakeProducer = undefined;
      wake();
    },
  };
}

/** A RowSource over rows already at hand. */
export function rowsAt(rows: readonly WireRow[], outcome: Outcome = { rowCount: rows.length }): RowSource {
  let i = 0;
  let done = false;
  return {
    get outcome() {
      return done ? outcome : undefined;
    },
    async next() {
      if (i < rows.length) return rows[i++];
      done = true;
      return undefined;
    },
    close() {
      i = rows.length;
    },
  };
}
