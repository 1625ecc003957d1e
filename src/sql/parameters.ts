// The parameters a statement declares, read off its syntax tree: which placeholders there are,
// how values reach them (by position or by name) and where each is first written. The binder
// (engine/params.ts) gives them types; a prepared statement lists them before any value.

import type { ParameterNode, Position, StatementNode } from './ast.js';

/** One parameter of a statement; several placeholders may share it (`$1` twice, `@id` twice). */
export interface ParameterSlot {
  /** How messages name it: `?2`, `$1`, `@customer`. */
  label: string;
  /** `?` and `$n`: the 0-based position of the value in a values array. */
  index?: number;
  /** Written `$n`. */
  numbered?: true;
  /** `@name`: the name without the `@`, as first written. */
  name?: string;
  /** The first placeholder of this parameter; where a missing value is reported. */
  pos: Position;
}

export interface StatementParameters {
  /** Positional parameters first (by index; every `$k` below the highest `$n` counts), then named ones in order of appearance. */
  slots: ParameterSlot[];
  /** The number of positional parameters: what a values array must hold. */
  positionalCount: number;
  /** Slot number for a placeholder. */
  slotOf(node: ParameterNode): number;
}

/** The parameters of a statement (nested queries included), numbered into slots. */
export function statementParameters(statement: StatementNode): StatementParameters {
  const nodes: ParameterNode[] = [];
  collect(statement, nodes);
  nodes.sort((a, b) => a.pos.offset - b.pos.offset);
  const positional = new Map<number, ParameterSlot>();
  const named = new Map<string, ParameterSlot>();
  let highestNumbered = 0;
  for (const node of nodes) {
    if (node.name !== undefined) {
      const key = namedKey(node.name);
      if (!named.has(key)) named.set(key, { label: `@${node.name}`, name: node.name, pos: node.pos });
    } else if (node.index !== undefined && !positional.has(node.index)) {
      const slot: ParameterSlot = node.numbered
        ? { label: `$${node.index + 1}`, index: node.index, numbered: true, pos: node.pos }
        : { label: `?${node.index + 1}`, index: node.index, pos: node.pos };
      positional.set(node.index, slot);
      if (node.numbered) highestNumbered = Math.max(highestNumbered, node.index + 1);
    }
  }
  // PostgreSQL counts `$2` without `$1` as two parameters, the first of unknown type: so do we.
  for (let index = 0; index < highestNumbered; index++) {
    if (!positional.has(index)) positional.set(index, { label: `$${index + 1}`, index, numbered: true, pos: statement.pos });
  }
  const positionalSlots = [...positional.values()].sort((a, b) => a.index! - b.index!);
  const slots = [...positionalSlots, ...named.values()];
  const namedSlot = new Map([...named.keys()].map((key, i) => [key, positionalSlots.length + i]));
  return {
    slots,
    positionalCount: positionalSlots.length,
    slotOf: (node) => (node.name !== undefined ? namedSlot.get(namedKey(node.name))! : node.index!),
  };
}

/** Names match case-insensitively, with or without their `@`. */
export function namedKey(name: string): string {
  return name.replace(/^@/, '').toLowerCase();
}

// Every node of the tree is a plain object or array, so a structural walk finds every
// placeholder, including those in statement kinds added later, with no list of node kinds.
// Iterative: a chain of 5,000 ORs is 5,000 levels deep.
function collect(root: unknown, out: ParameterNode[]): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      pending.push(...value);
    } else if ((value as { kind?: unknown }).kind === 'parameter') {
      out.push(value as ParameterNode);
    } else {
      for (const [key, child] of Object.entries(value)) {
        if (key !== 'pos' && typeof child === 'object') pending.push(child);
      }
    }
  }
}
