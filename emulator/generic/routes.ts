import type { HandlerContext } from '../context.js';
import { errors } from '../errors.js';
import { checkExpandPaths, declareExpandableDefaults, LIST_TYPE, render, type ExpandRule } from '../expand.js';
import { fieldAt, matchesRange, paginate, readListWindow, type CreatedFilter } from '../list.js';
import { expandList, mergeMetadata, renderList, type Route } from '../routes.js';
import { expandParam, listParams, s, type Validated } from '../schema.js';
import { searchRoute } from '../search.js';
import type { StripeObject } from '../store.js';
import { lifecycleFor } from '../lifecycle/index.js';
import { idPrefix } from './id-prefixes.js';
import type { FieldShape, GeneratedEndpoint, GeneratedResource } from './metadata.js';
import { toObjectSchema } from './param-schema.js';
import { allResources, resourceFor } from './registry.js';
import { DEFAULT_HIDDEN, FILTER_RULES } from './list-rules.js';
import { SEARCH_FIELDS } from './search-fields.js';
import { ABSENT, synthesize } from './synthesize.js';

// Routes for every resource in the generated metadata: list (with the spec's filters and
// parent path parameters), retrieve, create, update, delete and search. Hand-written
// resources are routed first, so these only serve what they do not.

/** Object types whose references are checked on create/update: the ones the seed fills. */
const CHECKED_REFERENCES = new Set(['customer', 'product', 'price', 'coupon', 'payment_intent', 'charge', 'invoice', 'subscription', 'payment_method']);

export function genericRoutes(): Route[] {
  const routes: Route[] = [];
  for (const resource of allResources()) {
    for (const [owner, rules] of expandRules(resource)) declareExpandableDefaults(owner, rules);
    for (const endpoint of resource.endpoints) {
      const route = routeFor(resource, endpoint);
      if (route) routes.push(route);
    }
  }
  return routes.sort((a, b) => specificity(a.path, b.path));
}

/** Literal segments before `{param}` ones, so `/v1/charges/search` wins over `/v1/charges/{charge}`. */
function specificity(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const l = (left[i] as string).startsWith('{');
    const r = (right[i] as string).startsWith('{');
    if (l !== r) return l ? 1 : -1;
  }
  return 0;
}

/**
 * Expand rules by the type that owns them: the resource's own fields, and under
 * `<object>.<field>` those of its embedded objects (`customer.invoice_settings`).
 */
function expandRules(resource: GeneratedResource): Map<string, Record<string, ExpandRule>> {
  const byOwner = new Map<string, Record<string, ExpandRule>>();
  for (const [path, target] of Object.entries(resource.expand)) {
    const segments = path.split('.');
    const field = segments.pop() as string;
    const owner = [resource.object, ...segments].join('.');
    const rules = byOwner.get(owner) ?? {};
    byOwner.set(owner, rules);
    if (target.startsWith('list:') && segments.length === 0) {
      const elementType = target.slice('list:'.length);
      rules[field] = {
        kind: 'include',
        type: `${LIST_TYPE}:${elementType}`,
        build: (ctx, parent) => childList(ctx, resource.object, parent, elementType) ?? parent[field] ?? null,
      };
    } else if (target === '') {
      rules[field] = { kind: 'embedded', type: `${owner}.${field}` };
    } else {
      rules[field] = resourceFor(target) ? { kind: 'reference', type: target } : { kind: 'foreign' };
    }
  }
  return byOwner;
}

/**
 * The first page of a parent's nested list (a charge's refunds, a customer's tax ids), as
 * Stripe includes it on request; null when the spec has no such nested list.
 */
export function childList(ctx: HandlerContext, parentType: string, parent: StripeObject, elementType: string): unknown {
  const element = resourceFor(elementType);
  const endpoint = element?.endpoints.find((candidate) => candidate.kind === 'list' && candidate.parent?.type === parentType);
  if (!element || !endpoint) return null;
  const hidden = DEFAULT_HIDDEN[elementType];
  const rows = pool(ctx, element, endpoint, parent.id).filter((row) => !hidden?.hides(row));
  const url = endpoint.path.replace(`{${endpoint.parent!.param}}`, parent.id);
  return { object: 'list', data: rows.slice(0, 10), has_more: rows.length > 10, total_count: rows.length, url };
}

function routeFor(resource: GeneratedResource, endpoint: GeneratedEndpoint): Route | null {
  switch (endpoint.kind) {
    case 'list':
      return listRoute(resource, endpoint);
    case 'retrieve':
      return retrieveRoute(resource, endpoint);
    case 'create':
      return createRoute(resource, endpoint);
    case 'update':
      return updateRoute(resource, endpoint);
    case 'delete':
      return deleteRoute(resource, endpoint);
    case 'search': {
      const search = SEARCH_FIELDS[resource.object];
      if (!search) return null;
      const collection = endpoint.path.replace(/\/search$/, '');
      return searchRoute({ objectType: resource.object, path: collection, idParam: 'id' }, search.name, search.fields);
    }
    case 'action':
      // Served by lifecycle/ where a resource's transitions are declared.
      return null;
  }
}

function idParamOf(path: string): string {
  return /\{(\w+)\}$/.exec(path)?.[1] as string;
}

/** The parent named in the path must exist, as Stripe answers 404 for a missing parent. */
function checkParent(ctx: HandlerContext, endpoint: GeneratedEndpoint, pathParams: Record<string, string>): string | null {
  if (!endpoint.parent) return null;
  const id = pathParams[endpoint.parent.param] as string;
  if (!ctx.store.get(ctx.account, endpoint.parent.type, id)) throw errors.resourceMissing(endpoint.parent.type, id, endpoint.parent.param);
  return id;
}

/** The objects a path can reach: all of the types, or those under the path's parent. */
function pool(ctx: HandlerContext, resource: GeneratedResource, endpoint: GeneratedEndpoint, parentId: string | null): StripeObject[] {
  const types = endpoint.types ?? [resource.object];
  if (parentId !== null && endpoint.parent && endpoint.parent.field === null) {
    return types.flatMap((type) => ctx.store.children(ctx.account, parentId, type));
  }
  const all = types.length === 1 ? [...ctx.store.list(ctx.account, types[0] as string)] : types.flatMap((type) => ctx.store.list(ctx.account, type));
  if (parentId === null || !endpoint.parent?.field) return all;
  const field = endpoint.parent.field;
  return all.filter((object) => idOf(fieldAt(object, field)) === parentId);
}

function idOf(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? (value as { id?: unknown }).id : value;
}

function matchesParam(object: StripeObject, name: string, value: unknown, field: string | null | undefined, rule: ((o: StripeObject, v: unknown) => boolean) | undefined): boolean {
  if (rule) return rule(object, value);
  if (!field) return true;
  const actual = fieldAt(object, field);
  if (Array.isArray(value)) return value.includes(idOf(actual));
  if (value !== null && typeof value === 'object') {
    if (['gt', 'gte', 'lt', 'lte'].some((key) => key in value)) return matchesRange(actual, value as CreatedFilter);
    return Object.entries(value).every(([key, inner]) => fieldAt(object, `${field}.${key}`) === inner);
  }
  if (typeof value === 'number' && (name === 'created' || typeof actual === 'number')) return actual === value;
  return idOf(actual) === value;
}

/** The window of a list that takes no `limit`: every object in one page. */
const WHOLE_LIST = { limit: Infinity };

function listRoute(resource: GeneratedResource, endpoint: GeneratedEndpoint): Route {
  const filters = endpoint.params ?? {};
  const rules = FILTER_RULES[resource.object] ?? {};
  const hidden = DEFAULT_HIDDEN[resource.object];
  // Previews (upcoming invoice lines, credit note previews) compute rows Stripe never stores.
  const preview = /\/(upcoming|preview)\//.test(endpoint.path);
  return {
    method: 'GET',
    path: endpoint.path,
    // What the spec lists, nothing more: Stripe refuses `limit` where it takes none.
    params: s.object({ ...toObjectSchema(filters).properties, ...(endpoint.unpaged ? expandParam : listParams) }),
    handle(ctx, pathParams, params) {
      const window = endpoint.unpaged ? WHOLE_LIST : readListWindow(params);
      const expand = expandList(params);
      checkExpandPaths(`${LIST_TYPE}:${resource.object}`, expand);
      const parentId = checkParent(ctx, endpoint, pathParams);
      const rows = preview ? [] : pool(ctx, resource, endpoint, parentId);
      const given = Object.keys(filters).filter((name) => params[name] !== undefined && params[name] !== null);
      const matching = rows.filter((object) => {
        if (hidden && params[hidden.param] === undefined && hidden.hides(object)) return false;
        return given.every((name) => matchesParam(object, name, params[name], endpoint.fields?.[name], rules[name]));
      });
      const page = paginate(matching, window, resource.object, (id) => rows.find((row) => row.id === id) ?? ctx.store.get(ctx.account, resource.object, id));
      const url = endpoint.path.replace(/\{(\w+)\}/g, (_m, name: string) => pathParams[name] ?? '');
      return { body: renderList(ctx, resource.object, page.data, page.hasMore, url, expand) };
    },
  };
}

function findObject(ctx: HandlerContext, resource: GeneratedResource, endpoint: GeneratedEndpoint, pathParams: Record<string, string>): StripeObject {
  const idParam = idParamOf(endpoint.path);
  const id = pathParams[idParam] as string;
  const parentId = checkParent(ctx, endpoint, pathParams);
  const found =
    parentId !== null && endpoint.parent?.field === null
      ? ctx.store.children(ctx.account, parentId, resource.object).find((object) => object.id === id)
      : ctx.store.get(ctx.account, resource.object, id);
  const field = endpoint.parent?.field;
  if (!found || (parentId !== null && field && idOf(fieldAt(found, field)) !== parentId)) {
    throw errors.resourceMissing(resource.object, id, idParam);
  }
  return found;
}

function retrieveRoute(resource: GeneratedResource, endpoint: GeneratedEndpoint): Route {
  return {
    method: 'GET',
    path: endpoint.path,
    params: s.object({ ...expandParam }),
    handle(ctx, pathParams, params) {
      const expand = expandList(params);
      checkExpandPaths(resource.object, expand);
      return { body: render(ctx, findObject(ctx, resource, endpoint, pathParams), resource.object, expand) };
    },
  };
}

function bodySchema(endpoint: GeneratedEndpoint) {
  const schema = toObjectSchema(endpoint.params ?? {}, endpoint.required ?? []);
  schema.properties.expand = expandParam.expand!;
  return schema;
}

function createRoute(resource: GeneratedResource, endpoint: GeneratedEndpoint): Route {
  return {
    method: 'POST',
    path: endpoint.path,
    params: bodySchema(endpoint),
    handle(ctx, pathParams, params) {
      const expand = expandList(params);
      checkExpandPaths(resource.object, expand);
      const parentId = checkParent(ctx, endpoint, pathParams);
      const flow = lifecycleFor(resource.object)?.create;
      const given = flow?.prepare ? flow.prepare(ctx, params) : params;
      const object = synthesize(resource.object, {
        newId: (prefix) => ctx.newId(prefix),
        created: ctx.now(),
        pickReference: () => null,
      });
      // Some resources (coupons) take their id from the caller.
      object.id = typeof given.id === 'string' ? given.id : ctx.newId(idPrefix(resource.object));
      nullReferences(object, resource.fields);
      applyParams(ctx, object, given, resource.fields);
      inheritFromSource(ctx, object, resource.object);
      if (parentId !== null && endpoint.parent?.field) object[endpoint.parent.field] = parentId;
      // The resource's lifecycle sets its first state and makes what comes with it.
      const outcome = flow?.created(ctx, object, given);
      if (parentId !== null && endpoint.parent?.field === null) {
        ctx.store.setChildren(ctx.account, parentId, resource.object, [object, ...ctx.store.children(ctx.account, parentId, resource.object)]);
      } else {
        ctx.store.put(ctx.account, object);
      }
      if (outcome) throw outcome;
      return { body: render(ctx, object, resource.object, expand) };
    },
  };
}

/**
 * Objects Stripe derives from the one they act on: a reversal belongs to the financial account
 * of the credit or debit it reverses, for the same amount and currency.
 */
const DERIVED_FROM: Record<string, { param: string; type: string; fields: string[] }> = {
  'treasury.credit_reversal': { param: 'received_credit', type: 'treasury.received_credit', fields: ['financial_account', 'amount', 'currency', 'network'] },
  'treasury.debit_reversal': { param: 'received_debit', type: 'treasury.received_debit', fields: ['financial_account', 'amount', 'currency', 'network'] },
};

function inheritFromSource(ctx: HandlerContext, object: StripeObject, type: string): void {
  const rule = DERIVED_FROM[type];
  const sourceId = rule ? object[rule.param] : undefined;
  if (!rule || typeof sourceId !== 'string') return;
  const source = ctx.store.get(ctx.account, rule.type, sourceId);
  if (!source) return;
  for (const field of rule.fields) if (source[field] !== undefined) object[field] = source[field];
}

/** A new object refers to nothing it was not given; invented ids would point nowhere. */
function nullReferences(object: StripeObject, fields: Record<string, FieldShape>): void {
  for (const [name, shape] of Object.entries(fields)) {
    if (typeof shape === 'string' && shape.startsWith('r:')) object[name] = null;
  }
}

function updateRoute(resource: GeneratedResource, endpoint: GeneratedEndpoint): Route {
  return {
    method: 'POST',
    path: endpoint.path,
    params: bodySchema(endpoint),
    handle(ctx, pathParams, params) {
      const expand = expandList(params);
      checkExpandPaths(resource.object, expand);
      const stored = findObject(ctx, resource, endpoint, pathParams);
      const object = structuredClone(stored);
      const flow = lifecycleFor(resource.object)?.update;
      const given = flow?.prepare ? flow.prepare(ctx, params, stored) : params;
      applyParams(ctx, object, given, resource.fields);
      const outcome = flow?.updated(ctx, object, given, stored);
      if (endpoint.parent && endpoint.parent.field === null) {
        const parentId = pathParams[endpoint.parent.param] as string;
        const siblings = ctx.store.children(ctx.account, parentId, resource.object);
        ctx.store.setChildren(ctx.account, parentId, resource.object, siblings.map((child) => (child.id === object.id ? object : child)));
      } else {
        ctx.store.put(ctx.account, object);
      }
      if (outcome) throw outcome;
      return { body: render(ctx, object, resource.object, expand) };
    },
  };
}

function deleteRoute(resource: GeneratedResource, endpoint: GeneratedEndpoint): Route {
  return {
    method: 'DELETE',
    path: endpoint.path,
    // A DELETE that ends rather than removes (a subscription's cancel) is served by lifecycle/.
    params: endpoint.params ? bodySchema(endpoint) : s.object({}),
    handle(ctx, pathParams) {
      const object = findObject(ctx, resource, endpoint, pathParams);
      if (endpoint.parent && endpoint.parent.field === null) {
        const parentId = pathParams[endpoint.parent.param] as string;
        const rest = ctx.store.children(ctx.account, parentId, resource.object).filter((child) => child.id !== object.id);
        ctx.store.setChildren(ctx.account, parentId, resource.object, rest);
      } else {
        ctx.store.remove(ctx.account, resource.object, object.id);
      }
      return { body: { id: object.id, object: resource.object, deleted: true } };
    },
  };
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function scalarShape(shape: FieldShape): boolean {
  if (typeof shape !== 'string') return false;
  const kind = shape.replace(/^[?~]/, '');
  return ['s', 'i', 'n', 'b', 't'].includes(kind) || kind.startsWith('e:') || kind.startsWith('r:');
}

/** Copies parameters onto same-named fields of a compatible type; metadata merges. */
function applyParams(ctx: HandlerContext, object: StripeObject, params: Validated, fields: Record<string, FieldShape>): void {
  for (const [name, value] of Object.entries(params)) {
    if (name === 'expand' || !(name in fields) || name === 'id' || name === 'object') continue;
    const shape = fields[name] as FieldShape;
    if (name === 'metadata') {
      object.metadata = mergeMetadata(object.metadata, value);
      continue;
    }
    if (value === null) {
      if (typeof shape === 'string' && shape.startsWith('?')) object[name] = null;
      if (typeof shape === 'string' && shape.startsWith(ABSENT)) delete object[name];
      continue;
    }
    if (scalarShape(shape) && isScalar(value)) {
      const kind = (shape as string).replace(/^[?~]/, '');
      if (kind.startsWith('r:') && typeof value === 'string') checkReference(ctx, kind.slice(2), value, name);
      object[name] = kind === 't' ? timeValue(ctx, value) : value;
    } else if (Array.isArray(shape) && Array.isArray(value) && value.every(isScalar)) {
      object[name] = value;
    } else if (typeof value === 'object' && !Array.isArray(value) && shape !== 'L' && (typeof shape === 'object' || shape === 'm' || shape === '?o' || String(shape).startsWith('@'))) {
      const current = object[name];
      object[name] = current !== null && typeof current === 'object' && !Array.isArray(current) ? { ...current, ...(value as object) } : value;
    }
  }
}

/** A time parameter Stripe takes as seconds or `now` (active_from) is stored as seconds. */
function timeValue(ctx: HandlerContext, value: unknown): unknown {
  if (value === 'now') return ctx.now();
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

function checkReference(ctx: HandlerContext, type: string, id: string, param: string): void {
  if (!CHECKED_REFERENCES.has(type)) return;
  if (!ctx.store.get(ctx.account, type, id)) throw errors.referenceMissing(type, id, param);
}

