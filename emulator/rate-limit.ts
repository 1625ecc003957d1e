// A sliding one-second window: at most `requestsPerSecond` requests are served in any
// second; the rest get Stripe's 429. Rejected requests do not use up the budget.

export class RateLimiter {
  private limit: number | null = null;
  private retryAfterSeconds: number | undefined;
  private served: number[] = [];

  configure(requestsPerSecond: number | null, retryAfterSeconds?: number): void {
    this.limit = requestsPerSecond;
    this.retryAfterSeconds = retryAfterSeconds;
    this.served = [];
  }

  /** Whether a request arriving at `nowMs` may be served; records it when it may. */
  admit(nowMs: number): boolean {
    if (this.limit === null) return true;
    while (this.served.length > 0 && (this.served[0] as number) <= nowMs - 1000) this.served.shift();
    if (this.served.length >= this.limit) return false;
    this.served.push(nowMs);
    return true;
  }

  retryAfter(): number | undefined {
    return this.retryAfterSeconds;
  }
}
