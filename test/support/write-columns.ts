// What an INSERT into a table must name: shared by the catalog write tests and the round trip.
import type { TableDef } from '../../src/catalog/index.js';
import { writeRules } from '../../src/catalog/write-rules.js';

/** Required create columns: the table's own list plus the first alternative of each reference rule. */
export function requiredColumns(def: TableDef): string[] {
  const names = [...(def.insert?.required ?? [])];
  for (const alternatives of writeRules[def.name]?.requiredCreate ?? []) {
    const present = alternatives.filter((n) => def.columns.some((c) => c.name === n));
    if (present.length > 0 && !present.some((n) => names.includes(n))) names.push(present[0]!);
  }
  return names;
}
