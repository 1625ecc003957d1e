// How many remote requests a plan will send, read off its JSON tree before it runs: the sum of
// its scans' estimates, when every scan has one. Unknown (undefined) as soon as one part cannot
// say — a list read to its end, a lookup join whose keys are not known yet, a subquery planned
// apart — because a progress line's "time left" must never be a guess dressed as a figure.

import type { JsonPlanNode } from './explain-json.js';

export function expectedRequests(node: JsonPlanNode): number | undefined {
  if (node.node === 'Scan') {
    if (node.empty !== undefined) return 0;
    if (node.perBatch === true) return undefined;
    return typeof node.estimatedRequests === 'number' ? node.estimatedRequests : undefined;
  }
  if (node.node === 'SubqueryScan') {
    const inner = node.plan;
    return isPlanNode(inner) ? expectedRequests(inner) : undefined;
  }
  let total = 0;
  for (const input of node.inputs ?? []) {
    const part = expectedRequests(input);
    if (part === undefined) return undefined;
    total += part;
  }
  return total;
}

function isPlanNode(value: unknown): value is JsonPlanNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as JsonPlanNode).node === 'string';
}
