// Create and update endpoints' form parameters → which columns an INSERT (or UPDATE) can set,
// and which create parameters Stripe requires.

import type { ColumnDef } from '../../src/catalog/types.js';
import { formSchema, resolve, type Operation, type Schema, type Spec } from './spec.js';

/** The schema of the form parameter at `path` (`['customer_details', 'email']`), if the endpoint takes it. */
function paramAt(spec: Spec, body: Schema, path: string[]): Schema | undefined {
  let current: Schema | undefined = body;
  for (const key of path) {
    const objectForm: Schema | undefined = objectMember(spec, current);
    current = objectForm?.properties?.[key];
    if (!current) return undefined;
  }
  return current;
}

/** An object parameter may be `anyOf: [object, '']` (the empty string unsets it). */
function objectMember(spec: Spec, schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  const resolved = resolve(spec, schema);
  if (resolved.properties) return resolved;
  return resolved.anyOf?.map((m) => resolve(spec, m)).find((m) => m.properties !== undefined);
}

function takesScalar(spec: Spec, schema: Schema): boolean {
  const members = (schema.anyOf ?? [schema]).map((m) => resolve(spec, m));
  return members.some((m) => m.type === 'string' || m.type === 'integer' || m.type === 'number' || m.type === 'boolean');
}

function bracketPath(path: string[]): string {
  return path[0] + path.slice(1).map((p) => `[${p}]`).join('');
}

/**
 * Sets `createParam` / `updateParam` on every column the endpoints take. A JSON column takes an
 * object or array parameter; a scalar column needs a parameter that accepts a scalar.
 */
export function assignWriteParams(spec: Spec, columns: ColumnDef[], create: Operation | undefined, update: Operation | undefined): void {
  const bodies = { createParam: formSchema(create), updateParam: formSchema(update) } as const;
  for (const column of columns) {
    if (column.field === undefined || column.field === 'id' || column.encoding === 'param') continue;
    // An embedded list's column shows `x.data`; it is written as the array parameter `x`.
    const path = (column.encoding === 'json' && column.expand ? column.expand.retrieve : column.field).split('.');
    for (const key of ['createParam', 'updateParam'] as const) {
      const body = bodies[key];
      if (!body) continue;
      const param = paramAt(spec, body, path);
      if (!param) continue;
      if (column.encoding !== 'json' && !takesScalar(spec, param)) continue;
      column[key] = bracketPath(path);
    }
    if (column.encoding === 'json' && (column.createParam || column.updateParam)) {
      const param = (bodies.createParam && paramAt(spec, bodies.createParam, path)) || (bodies.updateParam && paramAt(spec, bodies.updateParam, path));
      const shape = param ? jsonShape(spec, param) : undefined;
      if (shape) column.jsonShape = shape;
    }
  }
}

function jsonShape(spec: Spec, schema: Schema): 'array' | 'object' | undefined {
  const members = (schema.anyOf ?? [schema]).map((m) => resolve(spec, m));
  if (members.some((m) => m.type === 'array')) return 'array';
  if (members.some((m) => m.type === 'object' || m.properties)) return 'object';
  return undefined;
}

/** Columns that must be given to create: those whose parameter is a required top-level create parameter. */
export function requiredCreateColumns(columns: ColumnDef[], create: Operation | undefined): string[] {
  const required = formSchema(create)?.required ?? [];
  return required.flatMap((param) => columns.filter((c) => c.createParam === param).map((c) => c.name));
}
