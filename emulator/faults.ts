import { Prng } from './prng.js';

// Injected failures. A rule fails the next `count` requests it matches, either with an
// HTTP error status or by resetting the connection. With `afterCommit` the request is
// carried out (and its result saved under its idempotency key) before the response is
// lost, which is exactly the case a client's retries must survive.

export interface FaultSpec {
  count: number;
  status?: number;
  reset?: boolean;
  afterCommit?: boolean;
  pathPrefix?: string;
  method?: string;
  /** 0..1: each matching request fails with this probability (seeded, so repeatable). */
  probability?: number;
  seed?: number;
  /** Sends `Stripe-Should-Retry: true|false` with the failure, as Stripe does for some errors. */
  shouldRetry?: boolean;
  /**
   * Instead of failing, a list request is answered by a broken paginator, always with
   * `has_more: true`: `repeat-page` ignores the cursor (the same page again and again),
   * `empty-page` sends no objects. Only GET requests match.
   */
  brokenPaginator?: BrokenPaginator;
  /**
   * Instead of failing, the request is carried out and its answer sent this much later: past a
   * client's timeout, the case of a write that succeeded although the client gave up waiting.
   */
  delayMs?: number;
}

type RuleKind = 'failure' | 'paginator' | 'delay';

function ruleKind(spec: FaultSpec): RuleKind {
  if (spec.brokenPaginator !== undefined) return 'paginator';
  if (spec.delayMs !== undefined) return 'delay';
  return 'failure';
}

export type BrokenPaginator = 'repeat-page' | 'empty-page';

export interface Fault {
  kind: 'status' | 'reset';
  status: number;
  afterCommit: boolean;
  shouldRetry?: boolean;
}

interface ActiveRule {
  spec: FaultSpec;
  remaining: number;
  prng: Prng;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(spec: FaultSpec): void {
    if (!(spec.count > 0)) return;
    this.rules.push({ spec, remaining: spec.count, prng: new Prng(spec.seed ?? 1) });
  }

  clear(): void {
    this.rules = [];
  }

  /** How a list request is to be answered wrongly, if a paginator rule matches; consumes one from it. */
  takeBrokenPaginator(method: string, path: string): BrokenPaginator | undefined {
    if (method !== 'GET') return undefined;
    return this.consume(method, path, 'paginator')?.spec.brokenPaginator;
  }

  /** How long to hold this request's answer, if a delay rule matches; consumes one from it. */
  takeDelay(method: string, path: string): number {
    return this.consume(method, path, 'delay')?.spec.delayMs ?? 0;
  }

  /** The fault to apply to this request, if any; consumes one from the matching rule. */
  take(method: string, path: string): Fault | null {
    const rule = this.consume(method, path, 'failure');
    if (!rule) return null;
    const { spec } = rule;
    return {
      kind: spec.reset ? 'reset' : 'status',
      status: spec.status ?? 500,
      afterCommit: spec.afterCommit ?? false,
      ...(spec.shouldRetry !== undefined ? { shouldRetry: spec.shouldRetry } : {}),
    };
  }

  private consume(method: string, path: string, kind: RuleKind): ActiveRule | undefined {
    for (const rule of this.rules) {
      const { spec } = rule;
      if (ruleKind(spec) !== kind) continue;
      if (rule.remaining <= 0) continue;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method) continue;
      if (spec.pathPrefix !== undefined && !path.startsWith(spec.pathPrefix)) continue;
      if (spec.probability !== undefined && !(rule.prng.next() < spec.probability)) continue;
      rule.remaining--;
      this.rules = this.rules.filter((candidate) => candidate.remaining > 0);
      return rule;
    }
    return undefined;
  }
}
