import type { HandlerContext, HandlerResult } from './context.js';
import { errors } from './errors.js';
import { checkExpandPaths, LIST_TYPE, render } from './expand.js';
import { createdSlice, fieldAt, matchesRange, olderThan, paginate, readListWindow, type CreatedFilter } from './list.js';
import { listParams, expandParam, s, type ObjectSchema, type Schema, type Validated } from './schema.js';
import type { StripeObject } from './store.js';

// A route is declared, not coded: method, path template, parameter schema, handler.
// The builders below give every resource the same list / retrieve / delete behaviour.

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface Route {
  method: HttpMethod;
  /** Template such as `/v1/customers/{customer}`. */
  path: string;
  params: ObjectSchema;
  handle(ctx: HandlerContext, pathParams: Record<string, string>, params: Validated): HandlerResult;
}

export interface ListFilter {
  schema: Schema;
  /** Dotted field path compared to the value; defaults to the parameter's name. */
  field?: string;
  /** Custom test, for filters that are not a plain equality or created range. */
  matches?: (object: StripeObject, value: unknown) => boolean;
}

export interface ResourceType {
  /** Stripe's `object` value, e.g. `checkout.session`. */
  objectType: string;
  /** Collection path, e.g. `/v1/checkout/sessions`. */
  path: string;
  /** Name of the id path parameter in Stripe's spec, e.g. `session`. */
  idParam: string;
}

export function expandList(params: Validated): string[] {
  return (params.expand as string[] | undefined) ?? [];
}

export function listRoute(resource: ResourceType, filters: Record<string, ListFilter>): Route {
  const filterSchemas: Record<string, Schema> = {};
  for (const [name, filter] of Object.entries(filters)) filterSchemas[name] = filter.schema;
  return {
    method: 'GET',
    path: resource.path,
    params: s.object({ ...listParams, ...filterSchemas }),
    handle(ctx, _pathParams, params) {
      const window = readListWindow(params);
      const expand = expandList(params);
      checkExpandPaths(`${LIST_TYPE}:${resource.objectType}`, expand);
      // Objects are stored newest first, so a created range and what follows a cursor are slices,
      // found by binary search: a read in many windows over a large list stays cheap to serve.
      const byCreated = filters.created?.schema.kind === 'range' && !filters.created.field && !filters.created.matches;
      const created = byCreated ? (params.created as CreatedFilter | null | undefined) : undefined;
      const active = Object.entries(filters).filter(([name]) => params[name] !== undefined && params[name] !== null && !(byCreated && name === 'created'));
      const stored = ctx.store.list(ctx.account, resource.objectType);
      const ranged = created !== undefined && created !== null ? createdSlice(stored, created) : stored;
      const cursor = window.startingAfter !== undefined ? ctx.store.get(ctx.account, resource.objectType, window.startingAfter) : undefined;
      const all = cursor ? olderThan(ranged, cursor) : ranged;
      const matching =
        active.length === 0
          ? all
          : all.filter((object) => active.every(([name, filter]) => matchesFilter(object, name, filter, params[name])));
      const page = paginate(matching, cursor ? { limit: window.limit } : window, resource.objectType, (id) =>
        ctx.store.get(ctx.account, resource.objectType, id),
      );
      return { body: renderList(ctx, resource.objectType, page.data, page.hasMore, resource.path, expand) };
    },
  };
}

function matchesFilter(object: StripeObject, name: string, filter: ListFilter, value: unknown): boolean {
  if (filter.matches) return filter.matches(object, value);
  const actual = fieldAt(object, filter.field ?? name);
  if (filter.schema.kind === 'range') return matchesRange(actual, value as CreatedFilter);
  return actual === value;
}

export function renderList(
  ctx: HandlerContext,
  objectType: string,
  data: readonly StripeObject[],
  hasMore: boolean,
  url: string,
  expand: readonly string[],
): unknown {
  return render(ctx, { object: 'list', data, has_more: hasMore, url }, `${LIST_TYPE}:${objectType}`, expand);
}

export function findOrThrow(ctx: HandlerContext, objectType: string, id: string, param = 'id'): StripeObject {
  const object = ctx.store.get(ctx.account, objectType, id);
  if (!object) throw errors.resourceMissing(objectType, id, param);
  return object;
}

export function retrieveRoute(
  resource: ResourceType,
  options: { onDeleted?: (id: string) => unknown } = {},
): Route {
  return {
    method: 'GET',
    path: `${resource.path}/{${resource.idParam}}`,
    params: s.object({ ...expandParam }),
    handle(ctx, pathParams, params) {
      const id = pathParams[resource.idParam] as string;
      const expand = expandList(params);
      checkExpandPaths(resource.objectType, expand);
      if (options.onDeleted && ctx.store.isDeleted(ctx.account, resource.objectType, id)) {
        return { body: render(ctx, options.onDeleted(id), resource.objectType) };
      }
      return { body: render(ctx, findOrThrow(ctx, resource.objectType, id), resource.objectType, expand) };
    },
  };
}

export function deleteRoute(
  resource: ResourceType,
  guard: (ctx: HandlerContext, object: StripeObject) => void = () => {},
): Route {
  return {
    method: 'DELETE',
    path: `${resource.path}/{${resource.idParam}}`,
    params: s.object({}),
    handle(ctx, pathParams) {
      const id = pathParams[resource.idParam] as string;
      const object = findOrThrow(ctx, resource.objectType, id);
      guard(ctx, object);
      ctx.store.remove(ctx.account, resource.objectType, id);
      return { body: { id, object: resource.objectType, deleted: true } };
    },
  };
}

/** Applies a metadata parameter as Stripe does: "" unsets all, a key set to "" unsets it. */
export function mergeMetadata(current: unknown, update: unknown): Record<string, string> {
  if (update === null) return {};
  const merged: Record<string, string> = { ...((current as Record<string, string> | null) ?? {}) };
  for (const [key, value] of Object.entries((update as Record<string, string | null> | undefined) ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
