// The whole catalog from the spec, in memory: file name → source. Pure, so a test can compare
// it with the committed files.

import type { TableDef } from '../../src/catalog/types.js';
import { buildTable, type BuildContext } from './build-table.js';
import { objectColumns, fieldReferences } from './columns.js';
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
  return linkReferences(found.map((table) => buildTable(ctx, table)));
}

/** `…Id` columns name the table of the object they point at (for sys_foreignkeys). */
function linkReferences(defs: TableDef[]): TableDef[] {
  const tableOf = new Map<string, string>();
  // Top-level tables first: a resource listed both alone and under a parent is the top-level one.
  for (const def of [...defs].sort((a, b) => Number(Boolean(a.parent)) - Number(Boolean(b.parent)))) {
    if (!def.singleton && def.columns.some((c) => c.key) && !tableOf.has(def.resource)) tableOf.set(def.resource, def.name);
  }
  for (const def of defs) {
    for (const column of def.columns) {
      const resource = fieldReferences.get(column);
      const target = resource && tableOf.get(resource);
      if (target) column.references = target;
    }
  }
  return defs;
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
