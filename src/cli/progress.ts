// A status line on standard error while a statement runs longer than a second: rows so far,
// requests made, their rate, the table being read, the time spent, and the time left when the
// plan knew in advance how many requests it would send. Only on a terminal, redrawn in place, and
// erased before results are printed. The clock is injected, so tests move time themselves.

export interface ProgressClock {
  now(): number;
  /** Calls `tick` every `ms` until stopped. */
  every(ms: number, tick: () => void): { stop(): void };
}

export const realClock: ProgressClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  },
};

/** Nothing is shown for statements quicker than this. */
export const PROGRESS_DELAY_MS = 1000;
const REDRAW_MS = 250;

export interface ProgressTarget {
  write(text: string): unknown;
}

export class Progress {
  #started = 0;
  #requestsAtStart = 0;
  #rows = 0;
  /** Requests the plan expected to send, when it could say; requests heard of so far. */
  #expected: number | undefined;
  #sent = 0;
  #table: string | undefined;
  #drawn = false;
  #ticker: { stop(): void } | undefined;

  constructor(
    private readonly target: ProgressTarget,
    /** Requests the connection has made so far (its stats). */
    private readonly requests: () => number,
    /** Asked at each statement: false while rows stream to the same terminal, which the line would garble. */
    private readonly enabled: () => boolean = () => true,
    private readonly clock: ProgressClock = realClock,
  ) {}

  start(): void {
    this.stop();
    if (!this.enabled()) return;
    this.#started = this.clock.now();
    this.#requestsAtStart = this.requests();
    this.#rows = 0;
    this.#expected = undefined;
    this.#sent = 0;
    this.#table = undefined;
    this.#ticker = this.clock.every(REDRAW_MS, () => this.#draw());
  }

  row(): void {
    this.#rows++;
  }

  /** The statement is planned: the requests it will send, when known in advance. */
  planned(expectedRequests: number | undefined): void {
    this.#expected = expectedRequests;
  }

  /** A request went out, for this table's scan when known. */
  request(table: string | undefined): void {
    this.#sent++;
    if (table !== undefined) this.#table = table;
  }

  /** Ends the statement's line; erases it if it was shown. */
  stop(): void {
    this.#ticker?.stop();
    this.#ticker = undefined;
    if (this.#drawn) this.target.write('\r\x1b[2K');
    this.#drawn = false;
  }

  /** The line as it stands (for tests and for drawing). */
  describe(): string {
    const seconds = (this.clock.now() - this.#started) / 1000;
    const requests = this.requests() - this.#requestsAtStart;
    const rate = seconds > 0 ? requests / seconds : 0;
    const rows = `${this.#rows.toLocaleString('en-US')} row${this.#rows === 1 ? '' : 's'}`;
    // Against the plan's figure, the requests the statement sent; else every HTTP attempt (retries too).
    const counted = this.#expected !== undefined ? `${this.#sent} of ${this.#expected} requests` : `${requests} request${requests === 1 ? '' : 's'}`;
    const table = this.#table !== undefined ? ` · ${this.#table}` : '';
    const left = this.#secondsLeft(seconds);
    const eta = left !== undefined ? `, about ${Math.ceil(left)} s left` : '';
    return `${rows} · ${counted} · ${rate.toFixed(1)}/s${table} · ${seconds.toFixed(1)} s${eta} (Ctrl-C stops)`;
  }

  /** At the pace so far, the time the requests still expected will take. */
  #secondsLeft(elapsed: number): number | undefined {
    if (this.#expected === undefined || this.#sent === 0 || this.#sent >= this.#expected) return undefined;
    return (elapsed * (this.#expected - this.#sent)) / this.#sent;
  }

  #draw(): void {
    if (this.clock.now() - this.#started < PROGRESS_DELAY_MS) return;
    this.target.write(`\r\x1b[2K${this.describe()}`);
    this.#drawn = true;
  }
}
