// An object schema → columns: nested objects flattened into PascalCase paths, arrays, maps and
// polymorphic or large objects kept as JSON text, expandable references as `…Id` columns.

import type { ColumnDef } from '../../src/catalog/types.js';
import type { DataType } from '../../src/engine/table.js';
import { ACCOUNT_PSEUDO_COLUMN, CONNECTED_ACCOUNT_COLUMN, embeddedListPages, includableFields, pascal } from './naming.js';
import { resolve, type Schema, type Spec } from './spec.js';

/** Field path depth flattened at most: `customer_details.email` yes, `customer_details.address.city` no. */
const MAX_DEPTH = 2;
/** A nested object with more properties than this stays one JSON column (payment_method_details). */
const MAX_FLATTENED_PROPERTIES = 10;

/** What a property holds, after $refs and nullable wrappers. */
export type FieldShape =
  | { kind: 'scalar'; type: DataType; encoding: 'scalar' | 'time' | 'decimal'; enum?: string[] }
  | { kind: 'id' }
  | { kind: 'object'; schema: Schema }
  | { kind: 'json' };

export function fieldShape(spec: Spec, property: Schema): FieldShape {
  if (property.anyOf) {
    const members = property.anyOf.filter((m) => !(m.enum?.length === 1 && m.enum[0] === ''));
    const hasString = members.some((m) => m.type === 'string');
    const hasRef = members.some((m) => m.$ref !== undefined);
    if (property['x-expansionResources'] !== undefined || (hasString && hasRef)) return { kind: 'id' };
    if (members.length === 1) return fieldShape(spec, members[0]!);
    return { kind: 'json' };
  }
  const schema = resolve(spec, property);
  if (schema.anyOf || schema.oneOf) return schema === property ? { kind: 'json' } : fieldShape(spec, schema);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'decimal') return { kind: 'scalar', type: 'Decimal', encoding: 'decimal' };
      return { kind: 'scalar', type: 'String', encoding: 'scalar', ...(enumOf(schema) ? { enum: enumOf(schema)! } : {}) };
    case 'integer':
      return schema.format === 'unix-time'
        ? { kind: 'scalar', type: 'Datetime', encoding: 'time' }
        : { kind: 'scalar', type: 'Integer', encoding: 'scalar' };
    case 'number':
      return { kind: 'scalar', type: 'Double', encoding: 'scalar' };
    case 'boolean':
      return { kind: 'scalar', type: 'Boolean', encoding: 'scalar' };
    case 'object':
    case undefined:
      // An embedded list ({object: 'list', data, has_more, url}) is one value: JSON.
      if (isEmbeddedList(schema)) return { kind: 'json' };
      if (schema.properties && Object.keys(schema.properties).length > 0 && !schema.additionalProperties) return { kind: 'object', schema };
      return { kind: 'json' };
    default:
      return { kind: 'json' };
  }
}

function isEmbeddedList(schema: Schema): boolean {
  const props = schema.properties ?? {};
  return 'data' in props && 'has_more' in props;
}

function enumOf(schema: Schema): string[] | undefined {
  const values = schema.enum?.filter((v): v is string => typeof v === 'string' && v !== '');
  return values && values.length > 0 ? values : undefined;
}

/** The values a String column's field can hold, where the spec enumerates them (kept out of the emitted def). */
export const fieldEnums = new WeakMap<ColumnDef, string[]>();

/** The resource an `…Id` column points at (`customer`), when the reference has exactly one target. */
export const fieldReferences = new WeakMap<ColumnDef, string>();

function referencedResource(spec: Spec, property: Schema): string | undefined {
  const expansion = (property['x-expansionResources'] as { oneOf?: Schema[] } | undefined)?.oneOf;
  // A deleted object's stub (deleted_customer) is the same reference, not another target.
  const resources = (expansion ?? property.anyOf ?? [])
    .filter((m) => m.$ref !== undefined)
    .map((m) => resolve(spec, m)['x-resourceId'])
    .filter((r): r is string => r !== undefined && !r.startsWith('deleted_'));
  return resources.length === 1 ? resources[0] : undefined;
}

/** One column per leaf field of `schema`, in the spec's (alphabetical) order, Id first. */
export function objectColumns(spec: Spec, schema: Schema): ColumnDef[] {
  const columns: ColumnDef[] = [];
  const resource = schema['x-resourceId'] ?? '';
  collect(spec, schema, [], columns, includableFields[resource] ?? {}, embeddedListPages[resource] ?? {});
  const id = columns.findIndex((c) => c.field === 'id');
  if (id > 0) columns.unshift(...columns.splice(id, 1));
  return dedupeNames(columns);
}

function collect(
  spec: Spec, schema: Schema, prefix: string[], out: ColumnDef[],
  includable: Readonly<Record<string, string | null>> = {}, listPages: Readonly<Record<string, string>> = {},
): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = [...prefix, name];
    const field = path.join('.');
    const description = firstSentence(property.description ?? resolve(spec, property).description);
    const shape = fieldShape(spec, property);
    const base = { field, ...(description ? { description } : {}) };
    if (name in includable) {
      out.push(includableColumn(spec, property, path, includable[name]!, description));
    } else if (prefix.length === 0 && isEmbeddedList(resolve(spec, refMember(property)))) {
      out.push(embeddedListColumn(path, listPages[name], description));
    } else if (shape.kind === 'object' && path.length < MAX_DEPTH && Object.keys(shape.schema.properties!).length <= MAX_FLATTENED_PROPERTIES) {
      collect(spec, shape.schema, path, out);
    } else if (shape.kind === 'id') {
      const column: ColumnDef = { name: idColumnName(path), type: 'String', encoding: 'id', ...base };
      const target = referencedResource(spec, property);
      if (target) fieldReferences.set(column, target);
      out.push(column);
    } else if (shape.kind === 'scalar') {
      const isId = field === 'id';
      const column: ColumnDef = { name: columnName(path), type: shape.type, ...(isId ? { key: true } : {}), encoding: shape.encoding, ...base };
      if (shape.enum) fieldEnums.set(column, shape.enum);
      out.push(column);
    } else {
      out.push({ name: columnName(path), type: 'String', encoding: 'json', ...base });
    }
  }
}

/** The `$ref` member of a nullable or expandable property, else the property. */
function refMember(property: Schema): Schema {
  return (property.anyOf ?? [property]).find((m) => m.$ref) ?? property;
}

/**
 * One JSON column, fetched with `expand[]` only when a query needs it. A list shows its whole
 * `data` array and is named `…Aggregate`, as the reference names nested lists (LineItemsAggregate).
 */
function includableColumn(spec: Spec, property: Schema, path: string[], morePath: string | null, description: string | undefined): ColumnDef {
  const name = path.join('.');
  const isList = isEmbeddedList(resolve(spec, refMember(property)));
  return {
    name: isList ? `${columnName(path)}Aggregate` : columnName(path), type: 'String', encoding: 'json', field: isList ? `${name}.data` : name,
    expand: { list: `data.${name}`, retrieve: name, ...(morePath ? { morePath } : {}) },
    ...(description ? { description: `${description} (read with expand[], only when the query needs it)` } : {}),
  };
}

/** A list Stripe embeds (first page): its whole `data` array, later pages read when it has more. */
function embeddedListColumn(path: string[], morePath: string | undefined, description: string | undefined): ColumnDef {
  const name = path.join('.');
  return {
    name: `${columnName(path)}Aggregate`, type: 'String', encoding: 'json', field: `${name}.data`,
    ...(morePath ? { expand: { list: `data.${name}`, retrieve: name, morePath, included: true } } : {}),
    ...(description ? { description } : {}),
  };
}

export function columnName(path: string[]): string {
  const name = pascal(path.join('_'));
  return name === ACCOUNT_PSEUDO_COLUMN ? CONNECTED_ACCOUNT_COLUMN : name;
}

function idColumnName(path: string[]): string {
  const name = pascal(path.join('_'));
  const withId = name.endsWith('Id') ? name : `${name}Id`;
  return withId === ACCOUNT_PSEUDO_COLUMN ? CONNECTED_ACCOUNT_COLUMN : withId;
}

/** Two fields that flatten to one name (`customer` ref and a `customer_id`): the later one keeps its path name with a `Field` suffix. */
function dedupeNames(columns: ColumnDef[]): ColumnDef[] {
  const seen = new Set<string>();
  for (const column of columns) {
    let name = column.name;
    while (seen.has(name.toLowerCase())) name = `${name}Field`;
    column.name = name;
    seen.add(name.toLowerCase());
  }
  return columns;
}

/** The first sentence of a spec description, without markdown links, at most 160 characters. */
export function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const plain = text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();
  const sentence = /^(.*?[.!?])(\s|$)/.exec(plain)?.[1] ?? plain;
  return sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence;
}
