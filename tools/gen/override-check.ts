// Overrides are hand-written: check that every field and parameter they name exists in the spec,
// so a typo or an API change cannot silently leave a column NULL or an INSERT rejected.

import type { TableDef } from '../../src/catalog/types.js';
import { splitParamPath } from '../../src/catalog/param-path.js';
import { formSchema, resolve, type Schema, type Spec } from './spec.js';

/** The properties reachable one step into `schema` (through $ref, nullable anyOf and allOf wrappers). */
function childProperties(spec: Spec, schema: Schema): Record<string, Schema> {
  const resolved = resolve(spec, schema);
  const members = [resolved, ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])].map((m) => resolve(spec, m));
  return Object.assign({}, ...members.map((m) => m.properties ?? {}));
}

function hasPath(spec: Spec, root: Schema, keys: string[]): boolean {
  let current: Schema = root;
  for (const key of keys) {
    const next = childProperties(spec, current)[key];
    if (!next) return false;
    current = next;
  }
  return true;
}

export function schemaOfResource(spec: Spec, resource: string): Schema | undefined {
  return Object.values(spec.components.schemas).find((s) => s['x-resourceId'] === resource);
}

/**
 * Problems as `Table.Column: …` lines: a field the resource's schema lacks, a create parameter the
 * create endpoint lacks. `allowed` lists `Table.field` paths known to be absent, with a reason.
 */
export function overrideProblems(spec: Spec, defs: readonly TableDef[], allowed: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const def of defs) {
    const schema = schemaOfResource(spec, def.resource);
    if (!schema) {
      problems.push(`${def.name}: the spec has no resource ${def.resource}`);
      continue;
    }
    const create = def.paths.create ? formSchema(spec.paths[def.paths.create]?.post) : undefined;
    for (const column of def.columns) {
      if (column.field !== undefined && !(`${def.name}.${column.field}` in allowed) && !hasPath(spec, schema, column.field.split('.'))) {
        problems.push(`${def.name}.${column.name}: ${def.resource} has no field ${column.field}`);
      }
      if (column.createParam !== undefined && !(create && hasPath(spec, create, splitParamPath(column.createParam)))) {
        problems.push(`${def.name}.${column.name}: POST ${def.paths.create ?? '(no create path)'} has no parameter ${column.createParam}`);
      }
    }
  }
  return problems;
}
