// Parser tests compare trees without positions, so structure can be compared on its own.

/** The tree without `pos` (and `procedurePos`, `operatorPos`) members. */
export function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'pos' && key !== 'procedurePos' && key !== 'operatorPos') out[key] = shape(value);
  return out;
}
