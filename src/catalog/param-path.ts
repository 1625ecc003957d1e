// Stripe parameter names are bracket paths (`customer_details[email]`); the transport takes
// nested objects and encodes them back to brackets, so the table builds nested params.

import type { StripeParams } from '../stripe/types.js';

/** `a[b][c]` → ['a', 'b', 'c']. */
export function splitParamPath(path: string): string[] {
  const head = path.split('[', 1)[0]!;
  const rest = [...path.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  return [head, ...rest];
}

/** Sets `value` at the bracket path, creating (or merging into) nested objects. */
export function setParam(params: StripeParams, path: string, value: unknown): void {
  const keys = splitParamPath(path);
  let target: Record<string, unknown> = params;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys[keys.length - 1]!] = value;
}
