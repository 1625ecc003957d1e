// The status line of a long statement, on a clock the test moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress, PROGRESS_DELAY_MS, type ProgressClock } from '../src/cli/progress.js';

function fakeClock() {
  let now = 0;
  const tickers = new Set<() => void>();
  const clock: ProgressClock = {
    now: () => now,
    every: (_ms, tick) => {
      tickers.add(tick);
      return { stop: () => tickers.delete(tick) };
    },
  };
  return {
    clock,
    /** Moves time on and lets every ticker run once. */
    advance(ms: number) {
      now += ms;
      for (const tick of [...tickers]) tick();
    },
    get tickers() {
      return tickers.size;
    },
  };
}

test('nothing before a second; then rows, requests, their rate and the time, redrawn in place; erased at the end', () => {
  const time = fakeClock();
  let written = '';
  let requests = 40;
  const progress = new Progress({ write: (t: string) => (written += t) }, () => requests, () => true, time.clock);
  // Read through a function: assert.equal would narrow `written` to the literal it compared.
  const shown = () => written;
  progress.start();
  requests += 3;
  progress.row();
  time.advance(PROGRESS_DELAY_MS - 1);
  assert.equal(shown(), '', 'a quick statement shows nothing');
  for (let i = 0; i < 1499; i++) progress.row();
  requests += 2;
  time.advance(1);
  assert.equal(shown(), '\r\x1b[2K1,500 rows · 5 requests · 5.0/s · 1.0 s (Ctrl-C stops)');
  time.advance(1000);
  assert.ok(shown().endsWith('\r\x1b[2K1,500 rows · 5 requests · 2.5/s · 2.0 s (Ctrl-C stops)'));
  progress.stop();
  assert.ok(shown().endsWith('\r\x1b[2K'), 'the line is erased');
  assert.equal(time.tickers, 0, 'no timer left running');
});

test('not shown when the output would be garbled by it; a quick statement erases nothing', () => {
  const time = fakeClock();
  let written = '';
  const off = new Progress({ write: (t: string) => (written += t) }, () => 0, () => false, time.clock);
  off.start();
  time.advance(5000);
  off.stop();
  const quick = new Progress({ write: (t: string) => (written += t) }, () => 0, () => true, time.clock);
  quick.start();
  time.advance(10);
  quick.stop();
  assert.equal(written, '');
});

test('the table being read, and the time left when the plan knew how many requests it would send', () => {
  const time = fakeClock();
  let written = '';
  const progress = new Progress({ write: (t: string) => (written += t) }, () => 0, () => true, time.clock);
  const line = () => written.slice(written.lastIndexOf('\r\x1b[2K') + 5);
  progress.start();
  progress.planned(8);
  progress.request('Customers');
  progress.request('Customers');
  time.advance(PROGRESS_DELAY_MS);
  // 2 of 8 in 1 s: 6 more at that pace take 3 s.
  assert.equal(line(), '0 rows · 2 of 8 requests · 0.0/s · Customers · 1.0 s, about 3 s left (Ctrl-C stops)');
  for (let i = 0; i < 6; i++) progress.request('Charges');
  time.advance(500);
  assert.equal(line(), '0 rows · 8 of 8 requests · 0.0/s · Charges · 1.5 s (Ctrl-C stops)', 'no time left is claimed once the figure is reached');
  progress.stop();
  progress.start();
  progress.planned(undefined);
  progress.request(undefined);
  time.advance(PROGRESS_DELAY_MS);
  assert.equal(line(), '0 rows · 0 requests · 0.0/s · 1.0 s (Ctrl-C stops)', 'a new statement starts afresh; without a figure, no time left');
  progress.stop();
});
