// Rows pulled in batches from a statement that pushes them: the connection hands each batch the
// engine makes (a page of a list, a chunk of a temporary table) to an awaited callback, a portal
// takes rows as Execute asks for them. The consumer is woken once per turn of the event loop,
// not once per push, so it takes every row the producer made meanwhile in one go (one DataRow
// buffer for all of them). The callback waits while the buffer is full, so a portal left
// suspended, or a slow client, holds the scan back instead of filling memory.
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
  /**
   * Up to `max` rows: all that are at hand, or, when none are, the first ones to come (at
   * least one); undefined at the end. Throws the statement's error.
   */
  nextBatch(max: number): Promise<WireRow[] | undefined>;
  /** Known once next() has returned undefined. */
  readonly outcome: Outcome | undefined;
  /** Stops the statement (its requests are aborted); next() ends. */
  close(): void;
}

/** Rows buffered ahead of the consumer before the producer waits. */
export const HIGH_WATER = 512;

class Closed extends Error {}

/**
 * A RowSource over `run`, which pushes rows through `push` and resolves with the outcome.
 * `run` starts on the first next(); `stop` is called when the source is closed early.
 */
export function pullRows(run: (push: (rows: readonly WireRow[]) => Promise<void> | void) => Promise<Outcome>, stop: () => void): RowSource {
  let buffer: WireRow[] = [];
  let started = false;
  let finished = false;
  let closed = false;
  let failure: unknown;
  let outcome: Outcome | undefined;
  let wakeConsumer: (() => void) | undefined;
  let wakeScheduled = false;
  let wakeProducer: { resolve: () => void; reject: (e: unknown) => void } | undefined;

  const wake = () => {
    wakeScheduled = false;
    const w = wakeConsumer;
    wakeConsumer = undefined;
    w?.();
  };
  /** Wakes the consumer after this turn: rows the producer makes meanwhile (a page's worth) go with it. */
  const wakeSoon = () => {
    if (wakeScheduled || !wakeConsumer) return;
    wakeScheduled = true;
    setImmediate(wake);
  };

  const push = (rows: readonly WireRow[]): Promise<void> | void => {
    if (closed) throw new Closed();
    for (const row of rows) buffer.push(row);
    if (buffer.length < HIGH_WATER) {
      wakeSoon();
      return;
    }
    wake();
    return new Promise<void>((resolve, reject) => {
      wakeProducer = { resolve, reject };
    });
  };

  const start = () => {
    started = true;
    run(push).then(
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

  /** Takes up to `max` buffered rows; the producer goes on once half the buffer is free. */
  const take = (max: number): WireRow[] => {
    let taken: WireRow[];
    if (max >= buffer.length) {
      taken = buffer;
      buffer = [];
    } else taken = buffer.splice(0, max);
    if (wakeProducer && buffer.length <= HIGH_WATER / 2) {
      const w = wakeProducer;
      wakeProducer = undefined;
      w.resolve();
    }
    return taken;
  };

  const nextBatch = async (max: number): Promise<WireRow[] | undefined> => {
    if (!started) start();
    for (;;) {
      if (closed) return undefined;
      if (buffer.length > 0) return take(Math.max(1, max));
      if (finished) {
        if (failure !== undefined) throw failure;
        return undefined;
      }
      await new Promise<void>((resolve) => {
        wakeConsumer = resolve;
      });
    }
  };

  return {
    get outcome() {
      return outcome;
    },
    nextBatch,
    async next() {
      return (await nextBatch(1))?.[0];
    },
    close() {
      if (closed) return;
      closed = true;
      buffer = [];
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
  const nextBatch = async (max: number): Promise<WireRow[] | undefined> => {
    if (i < rows.length) {
      const batch = rows.slice(i, i + Math.max(1, max));
      i += batch.length;
      return batch;
    }
    done = true;
    return undefined;
  };
  return {
    get outcome() {
      return done ? outcome : undefined;
    },
    nextBatch,
    async next() {
      return (await nextBatch(1))?.[0];
    },
    close() {
      i = rows.length;
    },
  };
}
