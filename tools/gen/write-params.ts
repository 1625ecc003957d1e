// Create and update endpoints' form parameters → which columns an INSERT (or UPDATE) can set,
// and which create parameters Stripe requires.

import type { ColumnDef } from '../../src/catalog/types.js';
import type { DataType } from '../../src/engine/table.js';
import { pascal } from './naming.js';
import { formSchema, resolve, type Operation, type Schema, type Spec } from './spec.js';

/** Create parameters worth a column even when optional: how Stripe takes a token or payment source. */
const WRITE_ONLY_PARAMS: readonly string[] = ['source'];

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

/**
 * Columns that must be given to create: those whose parameter is a required create parameter,
 * and — when a required object parameter is written through flattened columns (`billing` →
 * BillingAddressCity, …) — the columns of its required members, when every one has a column.
 */
export function requiredCreateColumns(spec: Spec, columns: ColumnDef[], create: Operation | undefined): string[] {
  const body = formSchema(create);
  const names: string[] = [];
  for (const param of body?.required ?? []) {
    const whole = columns.filter((c) => c.createParam === param);
    if (whole.length > 0) {
      names.push(...whole.map((c) => c.name));
      continue;
    }
    const written = new Set(columns.map((c) => c.createParam));
    const leaves = requiredLeaves(spec, body!.properties?.[param], [param], written, 0);
    const leafColumns = leaves.map((path) => columns.find((c) => c.createParam === bracketPath(path)));
    if (leaves.length > 0 && leafColumns.every((c) => c !== undefined)) names.push(...leafColumns.map((c) => c!.name));
  }
  return names;
}

/**
 * The required members of an object parameter, as paths (`['billing', 'address']`): down to a
 * member some column writes whole, or to a scalar.
 */
function requiredLeaves(spec: Spec, schema: Schema | undefined, path: string[], written: ReadonlySet<string | undefined>, depth: number): string[][] {
  const object = objectMember(spec, schema);
  if (!object || depth > 4 || (depth > 0 && written.has(bracketPath(path)))) return [path];
  return (object.required ?? []).flatMap((member) => requiredLeaves(spec, object.properties?.[member], [...path, member], written, depth + 1));
}

/**
 * Create parameters no column took — required ones, and a token `source` — so an INSERT can
 * still send them. An id parameter whose object the table flattens (`entitlement_feature` →
 * EntitlementFeatureId) is written through that id column; any other becomes a pseudo-column,
 * write-only (Stripe never returns it) and outside `SELECT *`.
 */
export function addWriteOnlyColumns(spec: Spec, columns: ColumnDef[], create: Operation | undefined): void {
  const body = formSchema(create);
  if (!body?.properties) return;
  const wanted = new Set([...(body.required ?? []), ...WRITE_ONLY_PARAMS.filter((p) => body.properties![p])]);
  for (const param of wanted) {
    // Taken already, whole or through flattened columns (`billing[address][city]`).
    if (param === 'expand' || columns.some((c) => c.createParam === param || c.createParam?.startsWith(`${param}[`))) continue;
    const schema = resolve(spec, body.properties[param]!);
    const idColumn = columns.find((c) => c.field === `${param}.id`);
    if (idColumn && takesScalar(spec, schema)) {
      idColumn.createParam = param;
      continue;
    }
    const name = pascal(param);
    if (columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) continue;
    const shape = jsonShape(spec, schema);
    columns.push({
      name,
      type: shape ? 'String' : scalarType(spec, schema),
      pseudo: true,
      encoding: shape ? 'json' : 'scalar',
      createParam: param,
      ...(shape ? { jsonShape: shape } : {}),
      description: `Write-only: sent as \`${param}\` when the row is created; Stripe does not return it.${
        schema.description ? ` ${schema.description.split('\n')[0]}` : ''}`,
    });
  }
}

function scalarType(spec: Spec, schema: Schema): DataType {
  const members = (schema.anyOf ?? [schema]).map((m) => resolve(spec, m));
  if (members.some((m) => m.type === 'string')) return 'String';
  if (members.some((m) => m.type === 'boolean')) return 'Boolean';
  if (members.some((m) => m.type === 'integer')) return 'Long';
  if (members.some((m) => m.type === 'number')) return 'Double';
  return 'String';
}
