// Time for tests that must not sleep: a clock whose timers fire only when the test moves it on,
// and ways to let pending promise chains run (events, not spans of time).
import assert from 'node:assert/strict';

export interface FakeClock {
  now(): number;
  setTimer(callback: () => void, ms: number): () => void;
  /** Moves time on, firing each timer that falls due, in order. */
  advance(ms: number): void;
  /** When the earliest timer falls due, or undefined when none is set. */
  nextDue(): number | undefined;
}

export function fakeClock(): FakeClock {
  let now = 0;
  let timers: { at: number; callback: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (callback, ms) => {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.callback();
      }
      now = until;
    },
    nextDue: () => (timers.length === 0 ? undefined : Math.min(...timers.map((t) => t.at))),
  };
}

/**
 * One turn of the event loop: every promise chain started so far has run until it waits for a
 * timer or for I/O (all microtasks drain before the next macrotask).
 */
export function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Lets pending promise chains run until `condition` holds (an event, not a span of time). */
export async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn++) await settled();
  assert.ok(condition(), 'the awaited state was never reached');
}
