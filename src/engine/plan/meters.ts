// The EXPLAIN ANALYZE counters of one planned statement, one per plan node. Nodes are immutable
// and shared by every run, so the counters live beside the tree, not in it.

import { newInstrument, type Instrument } from '../instrument.js';
import type { PlanNode } from './nodes.js';

export class Meters {
  readonly #byNode = new Map<PlanNode, Instrument>();

  of(node: PlanNode, name: string = node.kind): Instrument {
    let instrument = this.#byNode.get(node);
    if (!instrument) this.#byNode.set(node, (instrument = newInstrument(name)));
    return instrument;
  }

  get(node: PlanNode): Instrument | undefined {
    return this.#byNode.get(node);
  }
}
