// The emulator's time for its test knobs: the rate limit's one-second window, the latency every
// answer is held for, the delay a fault holds an answer for, and webhook retry waits. Real time
// by default; a test gives its own clock (the same shape as the transport's fake clock) so it
// moves time on instead of waiting for it. Objects' `created` and events' timestamps stay on the
// wall clock: they are data, not waits.

export interface EmulatorClock {
  /** Milliseconds, only ever compared with each other. */
  now(): number;
  /** Calls `callback` after `ms`; returns what cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const realClock: EmulatorClock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // The listening server keeps the process up while it serves; a timer alone should not.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
