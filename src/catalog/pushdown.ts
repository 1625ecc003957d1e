// Which WHERE conjuncts a TableDef's filters express exactly, and the Stripe request they
// become. Everything not accepted here stays residual for the engine. Where the list endpoint
// cannot filter and the resource has Stripe's search, a search narrows the read instead.

import type { Predicate } from '../engine/table.js';
import type { StripeParams } from '../stripe/types.js';
import { setParam } from './param-path.js';
import { planSearch } from './search-query.js';
import type { FilterCapability, TableDef } from './types.js';

export interface Pushdown {
  pushed: Predicate[];
  residual: Predicate[];
  /** The pushed predicates contradict each other: nothing can match. */
  empty: boolean;
  /** Set when the rows are fetched one by one by id (a retrieve each) instead of listed. */
  ids?: string[];
  /** Set when the query names its connected accounts; otherwise the connection's account. */
  accounts?: string[];
  /** Set when the query names the parent objects of a child table; otherwise every parent. */
  parents?: string[];
  /**
   * One list request per entry (filters in the def's order). Several when an `IN` list on an
   * equals filter fans out: each object has one value of such a field, so the lists are
   * disjoint and their union is exactly the IN.
   */
  lists: StripeParams[];
  /**
   * Set when the rows come from Stripe's search instead of the list (`lists` is then empty):
   * one search per query, their union read once per object. Search matches loosely and lags
   * writes, so every predicate but the account's stays residual.
   */
  search?: {
    path: string;
    queries: string[];
    /**
     * Every query is an exact match on values the list endpoint filters by (`Email IN (…)`),
     * so the rows are as few as those lists would give: about one request per query.
     */
    exactOnListFilters: boolean;
    /**
     * The list requests to read instead when Stripe refuses the search (a restricted key, an
     * account without search, a field it does not take): the engine checks every row anyway.
     */
    lists: StripeParams[];
  };
}

export interface PushdownOptions {
  /** The table may be read through Stripe's search (UseSearch=auto and a transport that searches). */
  search?: boolean;
}

/** Range bounds in whole Unix seconds, as Stripe's `created[gt|gte|lt|lte]` take them. */
interface RangeBounds {
  lower?: { seconds: number; inclusive: boolean };
  upper?: { seconds: number; inclusive: boolean };
  equals?: number;
}

export function planPushdown(def: TableDef, predicates: readonly Predicate[], options: PushdownOptions = {}): Pushdown {
  const listed = planListPushdown(def, predicates);
  return (options.search && searchInstead(def, predicates, listed)) || listed;
}

/**
 * The search that reads fewer objects or makes fewer requests than the list, or undefined. The
 * list stays when it filters by one value that picks out few objects (`customer=`, `email=`:
 * exact and fresh, where search lags), or when search says nothing the list does not; an IN
 * the list fans out into a request per value becomes ORed searches of up to ten values when
 * that takes fewer requests.
 */
function searchInstead(def: TableDef, predicates: readonly Predicate[], listed: Pushdown): Pushdown | undefined {
  const path = def.paths.search;
  if (!path || listed.empty || listed.ids || listed.parents || def.parent || def.singleton) return undefined;
  const account = listed.pushed.filter((p) => findFilter(def, p)?.kind === 'account');
  const selective = listed.pushed.filter((p) => isSelectiveFilter(findFilter(def, p)));
  if (selective.some((p) => p.op !== 'IN' || (p.values?.length ?? 0) <= 1)) return undefined;
  const plan = planSearch(def, predicates.filter((p) => !account.includes(p)));
  if (!plan) return undefined;
  const narrower = plan.used.some((p) => !listed.pushed.includes(p));
  const fewer = selective.length > 0 && plan.queries.length < listed.lists.length;
  if (!narrower && !fewer) return undefined;
  return {
    pushed: account,
    residual: predicates.filter((p) => !account.includes(p)),
    empty: false,
    lists: [],
    search: { path, queries: plan.queries, exactOnListFilters: plan.used.every((p) => isSelectiveFilter(findFilter(def, p))), lists: listed.lists },
    ...(listed.accounts ? { accounts: listed.accounts } : {}),
  };
}

/** An equals filter on a field of many values (an id, an email), not an enum: one value, few objects. */
function isSelectiveFilter(filter: FilterCapability | undefined): boolean {
  return filter?.kind === 'equals' && filter.enum === undefined;
}

function planListPushdown(def: TableDef, predicates: readonly Predicate[]): Pushdown {
  const pushed = new Set<Predicate>();
  let empty = false;
  let ids: Set<string> | undefined;
  let accounts: Set<string> | undefined;
  let parents: Set<string> | undefined;
  const equalsValues = new Map<FilterCapability, Set<string>>();
  const ranges = new Map<FilterCapability, RangeBounds>();
  /** Predicates a retrieve cannot honour. */
  const listOnly = new Set<Predicate>();
  /** `Id =` / `Id IN`, which a retrieve under the parent's path can honour only with the parent. */
  const byId = new Set<Predicate>();
  let retrieveNeedsParent = false;

  // IN lists go last so that an `=` on the same column has already narrowed them.
  const ordered = [...predicates].sort((a, b) => Number(a.op === 'IN') - Number(b.op === 'IN'));
  for (const predicate of ordered) {
    const filter = findFilter(def, predicate);
    if (!filter) continue;
    switch (filter.kind) {
      case 'retrieve':
      case 'account':
      case 'parent': {
        const values = new Set(listedStrings(predicate));
        if (filter.kind === 'retrieve') {
          ids = intersect(ids, values);
          byId.add(predicate);
          retrieveNeedsParent = filter.needsParent === true;
        }
        else if (filter.kind === 'account') accounts = intersect(accounts, values);
        else parents = intersect(parents, values);
        pushed.add(predicate);
        break;
      }
      case 'boolean': {
        if (typeof predicate.value !== 'boolean') break;
        const value = predicate.op === '<>' ? !predicate.value : predicate.value;
        equalsValues.set(filter, intersect(equalsValues.get(filter), new Set([String(value)])));
        pushed.add(predicate);
        listOnly.add(predicate);
        break;
      }
      case 'equals': {
        const values = equalsParamValues(predicate);
        if (values === undefined) break;
        if (filter.wildcard && [...values].some((v) => v.includes(filter.wildcard!))) break;
        // Fanning out over two IN lists would multiply requests; the second one stays residual.
        const fanned = [...equalsValues].some(([other, set]) => other !== filter && set.size > 1);
        if (predicate.op === 'IN' && values.size > 1 && fanned && !equalsValues.has(filter)) break;
        const allowed = filter.enum ? new Set([...values].filter((v) => filter.enum!.includes(v))) : values;
        equalsValues.set(filter, intersect(equalsValues.get(filter), allowed));
        pushed.add(predicate);
        listOnly.add(predicate);
        break;
      }
      case 'range': {
        const units = rangeUnits(predicate.value);
        if (units === undefined) break;
        const bounds = ranges.get(filter) ?? {};
        ranges.set(filter, bounds);
        if (!tightenRange(bounds, predicate.op, units)) empty = true;
        pushed.add(predicate);
        listOnly.add(predicate);
        break;
      }
    }
  }

  // Without the parent there is no path to retrieve by: list, and check the Id on the rows.
  if (ids && retrieveNeedsParent && !parents) {
    for (const predicate of byId) pushed.delete(predicate);
    ids = undefined;
  }

  if ((ids && ids.size === 0) || (accounts && accounts.size === 0) || (parents && parents.size === 0)) empty = true;
  for (const values of equalsValues.values()) if (values.size === 0) empty = true;
  for (const bounds of ranges.values()) if (rangeIsEmpty(bounds)) empty = true;

  // A retrieve ignores the list filters, so with ids the engine must check them itself.
  if (ids && !empty) for (const predicate of listOnly) pushed.delete(predicate);

  const result: Pushdown = {
    pushed: predicates.filter((p) => pushed.has(p)),
    residual: predicates.filter((p) => !pushed.has(p)),
    empty,
    lists: ids ? [] : listRequests(def, equalsValues, ranges),
  };
  if (ids) result.ids = [...ids];
  if (accounts) result.accounts = [...accounts];
  if (parents) result.parents = [...parents];
  return result;
}

function listRequests(def: TableDef, equalsValues: Map<FilterCapability, Set<string>>, ranges: Map<FilterCapability, RangeBounds>): StripeParams[] {
  let lists: StripeParams[] = [{}];
  for (const filter of def.filters) {
    const values = equalsValues.get(filter);
    if (values) {
      lists = lists.flatMap((params) => [...values].map((value) => {
        const copy = structuredClone(params);
        setParam(copy, filter.param, value);
        return copy;
      }));
    }
    const bounds = ranges.get(filter);
    if (bounds) for (const params of lists) setParam(params, filter.param, rangeParam(bounds));
  }
  // Stripe's default for these would hide rows; a pushed value of the same parameter wins.
  for (const fallback of def.defaultParams ?? []) {
    for (const params of lists) if (!(fallback.param in params)) params[fallback.param] = fallback.value;
  }
  return lists;
}

function findFilter(def: TableDef, predicate: Predicate): FilterCapability | undefined {
  const column = predicate.column.toLowerCase();
  return def.filters.find((f) => f.column.toLowerCase() === column && f.ops.includes(predicate.op));
}

/** The non-NULL string values of `= v` or `IN (…)`; `x = NULL` matches nothing. */
function listedStrings(predicate: Predicate): string[] {
  const values = predicate.op === 'IN' ? (predicate.values ?? []) : [predicate.value ?? null];
  return values.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
}

function intersect(current: Set<string> | undefined, next: Set<string>): Set<string> {
  return current ? new Set([...current].filter((v) => next.has(v))) : next;
}

/**
 * The query-string values of `= v` / `IN (…)`, or undefined when Stripe's filter would not mean
 * the same thing: '' (Stripe reads an empty parameter as "unset") or a non-text value. NULLs
 * match nothing in SQL, so they are dropped (`= NULL` leaves no value at all).
 */
function equalsParamValues(predicate: Predicate): Set<string> | undefined {
  const values = predicate.op === 'IN' ? (predicate.values ?? []) : [predicate.value ?? null];
  const texts = new Set<string>();
  for (const value of values) {
    if (value === null) continue;
    if (value instanceof Date) {
      // A unix-time parameter takes whole seconds; a fraction could never equal a Stripe timestamp.
      const ms = value.getTime();
      if (Number.isNaN(ms) || ms % 1000 !== 0) return undefined;
      texts.add(String(ms / 1000));
      continue;
    }
    if (value === '' || !(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) return undefined;
    texts.add(String(value));
  }
  return texts;
}

/** A range value in Stripe's units: Unix seconds for a Date, the number itself for an integer field. */
function rangeUnits(value: Predicate['value']): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime() / 1000;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Narrows the bounds by `column op t` (t in Stripe's whole units: seconds or an integer amount).
 * A fractional t rounds to the exact equivalent: `> 10.5` ≡ `>= 11`, `< 10.5` ≡ `< 11`,
 * `<= 10.5` ≡ `<= 10`. Returns false when the predicate alone can match nothing.
 */
function tightenRange(bounds: RangeBounds, op: Predicate['op'], seconds: number): boolean {
  const whole = Number.isInteger(seconds);
  switch (op) {
    case '=':
      if (!whole) return false;
      if (bounds.equals !== undefined && bounds.equals !== seconds) return false;
      bounds.equals = seconds;
      return true;
    case '>':
      return raiseLower(bounds, whole ? { seconds, inclusive: false } : { seconds: Math.ceil(seconds), inclusive: true });
    case '>=':
      return raiseLower(bounds, { seconds: Math.ceil(seconds), inclusive: true });
    case '<':
      return lowerUpper(bounds, { seconds: Math.ceil(seconds), inclusive: false });
    case '<=':
      return lowerUpper(bounds, { seconds: Math.floor(seconds), inclusive: true });
    default:
      throw new Error(`unexpected range operator ${op}`);
  }
}

const lowestMatch = (b: { seconds: number; inclusive: boolean }) => (b.inclusive ? b.seconds : b.seconds + 1);
const highestMatch = (b: { seconds: number; inclusive: boolean }) => (b.inclusive ? b.seconds : b.seconds - 1);

function raiseLower(bounds: RangeBounds, next: { seconds: number; inclusive: boolean }): true {
  if (!bounds.lower || lowestMatch(next) > lowestMatch(bounds.lower)) bounds.lower = next;
  return true;
}

function lowerUpper(bounds: RangeBounds, next: { seconds: number; inclusive: boolean }): true {
  if (!bounds.upper || highestMatch(next) < highestMatch(bounds.upper)) bounds.upper = next;
  return true;
}

function rangeIsEmpty(bounds: RangeBounds): boolean {
  const low = bounds.lower ? lowestMatch(bounds.lower) : -Infinity;
  const high = bounds.upper ? highestMatch(bounds.upper) : Infinity;
  if (bounds.equals !== undefined) return bounds.equals < low || bounds.equals > high;
  return low > high;
}

/** `created=t` for an equality (it implies every other bound), else `created[gt|gte|lt|lte]`. */
function rangeParam(bounds: RangeBounds): unknown {
  if (bounds.equals !== undefined) return bounds.equals;
  const param: Record<string, number> = {};
  if (bounds.lower) param[bounds.lower.inclusive ? 'gte' : 'gt'] = bounds.lower.seconds;
  if (bounds.upper) param[bounds.upper.inclusive ? 'lte' : 'lt'] = bounds.upper.seconds;
  return param;
}
