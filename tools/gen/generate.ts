// The whole catalog from the spec, in memory: file name → source. Pure, so a test can compare
// it with the committed files.

import type { TableDef } from '../../src/catalog/types.js';
import { buildTable, type BuildContext } from './build-table.js';
import { objectColumns } from './columns.js';
import { discoverTables } from './discover.js';
import { emitIndex, emitTable, HEADER } from './emit.js';
import { listFilters } from './filters.js';
import { fileNameOf } from './naming.js';
import { buildProcedures, emitProcedures } from './procedures.js';
import type { Spec } from './spec.js';

export function buildTableDefs(spec: Spec): TableDef[] {
  const found = discoverTables(spec);
  const ctx: BuildContext = { spec, tableByListPath: new Map(), defaultsByListPath: new Map() };
  for (const table of found) {
    const list = table.specPaths.list;
    if (!list || table.pathParent) continue;
    const columns = objectColumns(spec, spec.components.schemas[table.schema]!);
    const { defaultParams, requiredParams } = listFilters(spec, list, spec.paths[list]!.get!, columns);
    // Only a list that needs nothing can be read in full to find every parent.
    if (requiredParams.length === 0) ctx.tableByListPath.set(list, table.name);
    ctx.defaultsByListPath.set(list, Object.fromEntries(defaultParams.map((d) => [d.param, d.value])));
  }
  return found.map((table) => buildTable(ctx, table));
}

export function generateCatalogFiles(spec: Spec): Map<string, string> {
  const defs = buildTableDefs(spec);
  const files = new Map<string, string>();
  for (const def of defs) {
    const file = fileNameOf(def.name);
    if (files.has(file)) throw new Error(`two tables would be written to ${file}`);
    files.set(file, emitTable(def));
  }
  files.set('index.ts', emitIndex(defs));
  if (files.has('procedures.ts')) throw new Error('a table would be written to procedures.ts');
  files.set('procedures.ts', emitProcedures(buildProcedures(spec, defs), HEADER));
  return files;
}
