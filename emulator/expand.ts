import type { HandlerContext } from './context.js';
import { errors } from './errors.js';
import type { StripeObject } from './store.js';

// `expand[]` handling. Each object type declares which fields expand and into what:
//  - reference: the field holds an id; expanding swaps in that object (when we hold it)
//  - include:   the field is absent by default and built on request (line_items, …)
//  - embedded:  the field already holds an object; listed so deeper paths can pass through
// Paths are dotted; on a list, `data.` walks into every element.

export type ExpandRule =
  | { kind: 'reference'; type: string }
  /** `refresh`: built even when the field is there (it shows more once expanded: total_details' breakdown). */
  | { kind: 'include'; type: string; build: (ctx: HandlerContext, parent: StripeObject) => unknown; refresh?: boolean }
  | { kind: 'embedded'; type: string }
  /** A reference to a resource this emulator does not hold yet: the id stays as it is. */
  | { kind: 'foreign' };

const rules = new Map<string, Record<string, ExpandRule>>();

export function declareExpandable(objectType: string, fields: Record<string, ExpandRule>): void {
  rules.set(objectType, { ...(rules.get(objectType) ?? {}), ...fields });
}

/** Declares only the fields nobody declared yet: hand-written rules win over generated ones. */
export function declareExpandableDefaults(objectType: string, fields: Record<string, ExpandRule>): void {
  rules.set(objectType, { ...fields, ...(rules.get(objectType) ?? {}) });
}

export const LIST_TYPE = 'list';

/** Checks every path before anything is fetched, as Stripe rejects the request up front. */
export function checkExpandPaths(rootType: string, paths: readonly string[]): void {
  for (const path of paths) {
    const segments = path.split('.');
    const listRoot = rootType.startsWith(`${LIST_TYPE}:`);
    // `data.` steps into a list's elements and does not count as a level.
    if (segments.length - (listRoot ? 1 : 0) > 4) throw errors.expandTooDeep();
    if (listRoot && segments[0] !== 'data') {
      const elementType = rootType.slice(LIST_TYPE.length + 1);
      const wouldWork = rules.get(elementType)?.[segments[0] as string] !== undefined;
      throw errors.notExpandable(segments[0] as string, wouldWork ? `data.${path}` : undefined);
    }
    let type: string | null = rootType;
    for (const segment of segments) {
      if (type === null) throw errors.notExpandable(segment);
      if (type.startsWith(`${LIST_TYPE}:`)) {
        if (segment !== 'data') throw errors.notExpandable(segment);
        type = type.slice(LIST_TYPE.length + 1);
        continue;
      }
      const rule: ExpandRule | undefined = rules.get(type)?.[segment];
      if (!rule) throw errors.notExpandable(segment);
      type = rule.kind === 'foreign' ? null : rule.type;
    }
  }
}

/** Expands in place; `value` must already be a private copy. */
export function expandValue(ctx: HandlerContext, value: unknown, type: string, segments: readonly string[]): unknown {
  if (segments.length === 0 || value === null || typeof value !== 'object') return value;
  const [head, ...rest] = segments as [string, ...string[]];
  if (type.startsWith(`${LIST_TYPE}:`)) {
    const list = value as { data?: unknown[] };
    const elementType = type.slice(LIST_TYPE.length + 1);
    if (head === 'data' && Array.isArray(list.data)) {
      list.data = list.data.map((element) => expandValue(ctx, element, elementType, rest));
    }
    return value;
  }
  const object = value as StripeObject;
  const rule = rules.get(type)?.[head];
  if (!rule || rule.kind === 'foreign') return value;
  if (rule.kind === 'include') {
    if (rule.refresh || !(head in object) || typeof object[head] !== 'object' || object[head] === null) {
      object[head] = rule.build(ctx, object);
    }
  } else if (rule.kind === 'reference') {
    const id = object[head];
    if (typeof id === 'string') {
      const target = ctx.store.get(ctx.account, rule.type, id);
      if (target) object[head] = structuredClone(target);
      else if (ctx.store.isDeleted(ctx.account, rule.type, id)) object[head] = { id, object: rule.type, deleted: true };
    }
  }
  object[head] = expandValue(ctx, object[head], rule.type, rest);
  return object;
}

/** A private copy with the requested expansions applied and livemode set from the key. */
export function render(ctx: HandlerContext, object: unknown, type: string, expand: readonly string[] = []): unknown {
  let copy = structuredClone(object);
  for (const path of expand) copy = expandValue(ctx, copy, type, path.split('.'));
  setLivemode(copy, ctx.livemode);
  return copy;
}

function setLivemode(value: unknown, livemode: boolean): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const element of value) setLivemode(element, livemode);
    return;
  }
  const object = value as Record<string, unknown>;
  if ('livemode' in object) object.livemode = livemode;
  for (const child of Object.values(object)) setLivemode(child, livemode);
}
