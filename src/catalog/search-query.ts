// WHERE predicates in Stripe's search query language (stripe.com/docs/search): the fields each
// searchable resource takes, and the clauses that keep at least every row a predicate keeps.
// Search matches loosely (case-insensitively, by token) and lags writes by about a minute, so
// a search only narrows what is fetched: every row it finds is checked again by the engine.
// A clause may therefore keep more rows than the SQL, never fewer.

import type { Predicate, PredicateTerm, SqlValue } from '../engine/table.js';
import type { ColumnDef, TableDef } from './types.js';

/**
 * - string: `field:'v'` (exact, case-insensitive) and `field~'v'` (substring, 3+ characters)
 * - token: `field:'v'` only (ids)
 * - number: `field:n`, `field>n`, `>=`, `<`, `<=`, and `-field:n`; `created` in Unix seconds
 * - boolean: `field:'true'` / `field:'false'`
 * - metadata: `metadata['key']:'v'`
 */
export type SearchFieldKind = 'string' | 'token' | 'number' | 'boolean' | 'metadata';

interface SearchField {
  kind: SearchFieldKind;
  /** Where the value sits in the object (as ColumnDef.field), when not at the field's name. */
  path?: string;
}

/** Stripe's query fields per resource (TableDef.resource), from its search documentation. */
export const SEARCH_FIELDS: Readonly<Record<string, Readonly<Record<string, SearchField>>>> = {
  charge: {
    amount: { kind: 'number' },
    'billing_details.address.postal_code': { kind: 'string' },
    created: { kind: 'number' },
    currency: { kind: 'string' },
    customer: { kind: 'token' },
    disputed: { kind: 'boolean' },
    metadata: { kind: 'metadata' },
    'payment_method_details.card.last4': { kind: 'string' },
    payment_intent: { kind: 'token' },
    refunded: { kind: 'boolean' },
    status: { kind: 'string' },
  },
  customer: {
    created: { kind: 'number' },
    email: { kind: 'string' },
    metadata: { kind: 'metadata' },
    name: { kind: 'string' },
    phone: { kind: 'string' },
  },
  invoice: {
    created: { kind: 'number' },
    currency: { kind: 'string' },
    customer: { kind: 'token' },
    last_finalization_error_code: { kind: 'string', path: 'last_finalization_error.code' },
    last_finalization_error_type: { kind: 'string', path: 'last_finalization_error.type' },
    metadata: { kind: 'metadata' },
    number: { kind: 'string' },
    receipt_number: { kind: 'string' },
    status: { kind: 'string' },
    subscription: { kind: 'token' },
    total: { kind: 'number' },
  },
  payment_intent: {
    amount: { kind: 'number' },
    created: { kind: 'number' },
    currency: { kind: 'string' },
    customer: { kind: 'token' },
    metadata: { kind: 'metadata' },
    status: { kind: 'string' },
  },
  price: {
    active: { kind: 'boolean' },
    currency: { kind: 'string' },
    lookup_key: { kind: 'string' },
    metadata: { kind: 'metadata' },
    product: { kind: 'token' },
    type: { kind: 'string' },
  },
  product: {
    active: { kind: 'boolean' },
    description: { kind: 'string' },
    metadata: { kind: 'metadata' },
    name: { kind: 'string' },
    shippable: { kind: 'boolean' },
    url: { kind: 'string' },
  },
  subscription: {
    created: { kind: 'number' },
    metadata: { kind: 'metadata' },
    status: { kind: 'string' },
  },
};

/** Stripe refuses a query of more clauses than this. */
export const MAX_SEARCH_CLAUSES = 10;
/** Stripe's shortest substring for `~`. */
const MIN_SUBSTRING = 3;

/**
 * How much a clause narrows, most first: an exact match (`:`), a substring (`~`), a bound on a
 * number or a negation (`amount>100`, `-amount:0`).
 */
export type ClauseStrength = 'exact' | 'substring' | 'bound';
const STRENGTH_ORDER: readonly ClauseStrength[] = ['exact', 'substring', 'bound'];

export interface SearchClause {
  text: string;
  strength: ClauseStrength;
}

export interface SearchPlan {
  /** One search each; together they find every row the predicates keep (maybe more, maybe twice). */
  queries: string[];
  /** The predicates the queries say something about (the engine still checks them). */
  used: Predicate[];
}

/**
 * The searches that find every row `predicates` (all of them ANDed) keep, or undefined when
 * search can narrow nothing. Stripe's queries join clauses by AND or by OR, never both: either
 * one query ANDs what the simple predicates say, or one OR predicate (or IN list) becomes
 * queries of up to MAX_SEARCH_CLAUSES alternatives each — whichever narrows more (an OR by its
 * loosest alternative, an AND by its tightest clause), the single query when they tie.
 */
export function planSearch(def: TableDef, predicates: readonly Predicate[]): SearchPlan | undefined {
  const and: { clause: SearchClause; predicate: Predicate }[] = [];
  let bestOr: { clauses: SearchClause[]; predicate: Predicate; strength: ClauseStrength } | undefined;
  for (const predicate of predicates) {
    const clauses = predicate.op === 'OR' ? alternativesClauses(def, predicate.alternatives ?? []) : termClauses(def, predicate);
    if (!clauses || clauses.length === 0) continue;
    if (clauses.length === 1) {
      and.push({ clause: clauses[0]!, predicate });
      continue;
    }
    const strength = loosest(clauses);
    if (!bestOr || narrows(strength, bestOr.strength) > 0 || (strength === bestOr.strength && clauses.length < bestOr.clauses.length)) {
      bestOr = { clauses, predicate, strength };
    }
  }
  // Past the clause limit, the clauses that narrow least are left out.
  and.sort((a, b) => narrows(b.clause.strength, a.clause.strength));
  const anded = and.slice(0, MAX_SEARCH_CLAUSES);
  if (anded.length > 0 && (!bestOr || narrows(anded[0]!.clause.strength, bestOr.strength) >= 0)) {
    return { queries: [anded.map((a) => a.clause.text).join(' AND ')], used: [...new Set(anded.map((a) => a.predicate))] };
  }
  if (!bestOr) return undefined;
  const queries: string[] = [];
  for (let i = 0; i < bestOr.clauses.length; i += MAX_SEARCH_CLAUSES) {
    queries.push(bestOr.clauses.slice(i, i + MAX_SEARCH_CLAUSES).map((c) => c.text).join(' OR '));
  }
  return { queries, used: [bestOr.predicate] };
}

/** > 0 when `a` narrows more than `b`, 0 when as much. */
function narrows(a: ClauseStrength, b: ClauseStrength): number {
  return STRENGTH_ORDER.indexOf(b) - STRENGTH_ORDER.indexOf(a);
}

function loosest(clauses: readonly SearchClause[]): ClauseStrength {
  return clauses.reduce<ClauseStrength>((worst, c) => (narrows(c.strength, worst) < 0 ? c.strength : worst), 'exact');
}

/**
 * An OR predicate as alternatives of one search clause each: per alternative (a conjunction),
 * the term that says the most; undefined when some alternative has none (search would miss it).
 */
function alternativesClauses(def: TableDef, alternatives: readonly PredicateTerm[][]): SearchClause[] | undefined {
  const clauses: SearchClause[] = [];
  for (const alternative of alternatives) {
    let best: SearchClause[] | undefined;
    for (const term of alternative) {
      const candidate = termClauses(def, term);
      if (!candidate || candidate.length === 0) continue;
      const better = !best || narrows(loosest(candidate), loosest(best)) > 0 || (loosest(candidate) === loosest(best) && candidate.length < best.length);
      if (better) best = candidate;
    }
    if (!best) return undefined;
    clauses.push(...best);
  }
  return clauses;
}

/**
 * Clauses, ORed, that keep every row `term` keeps: one for a comparison, one per value for IN;
 * undefined when search cannot say it. [] when the term keeps no row at all.
 */
export function termClauses(def: TableDef, term: PredicateTerm | Predicate): SearchClause[] | undefined {
  if (term.op === 'OR') return undefined;
  const target = searchTarget(def, term);
  if (!target) return undefined;
  const { name, field } = target;
  if (term.op === 'IN') {
    const clauses: SearchClause[] = [];
    for (const value of term.values ?? []) {
      const clause = comparison(name, field, '=', value);
      if (!clause) return undefined;
      clauses.push(clause);
    }
    return clauses;
  }
  if (term.value === undefined) return undefined;
  const clause = term.op === 'LIKE' ? like(name, field, term.value) : comparison(name, field, term.op, term.value);
  return clause && [clause];
}

/** The query field a term's column (or JSON member) is, and how it is written in a query. */
function searchTarget(def: TableDef, term: PredicateTerm | Predicate): { name: string; field: SearchField } | undefined {
  const fields = SEARCH_FIELDS[def.resource];
  const column = columnOf(def, term.column);
  if (!fields || column?.field === undefined) return undefined;
  const path = 'path' in term ? term.path : undefined;
  if (path) {
    if (column.encoding !== 'json') return undefined;
    if (column.field === 'metadata') {
      return path.length === 1 && fields.metadata?.kind === 'metadata' ? { name: `metadata[${quoted(path[0]!)}]`, field: fields.metadata } : undefined;
    }
    // A member of a JSON column that search knows by its own name (last_finalization_error.code).
    const found = fieldAt(fields, [column.field, ...path].join('.'));
    return found && (found.field.kind === 'string' || found.field.kind === 'token') ? found : undefined;
  }
  if (column.encoding === 'json') return undefined;
  return fieldAt(fields, column.field);
}

function fieldAt(fields: Readonly<Record<string, SearchField>>, path: string): { name: string; field: SearchField } | undefined {
  for (const [name, field] of Object.entries(fields)) {
    if ((field.path ?? name) === path && field.kind !== 'metadata') return { name, field };
  }
  return undefined;
}

function columnOf(def: TableDef, name: string): ColumnDef | undefined {
  const lower = name.toLowerCase();
  return def.columns.find((c) => c.name.toLowerCase() === lower);
}

function comparison(name: string, field: SearchField, op: PredicateTerm['op'], value: SqlValue): SearchClause | undefined {
  switch (field.kind) {
    case 'number':
      return numberClause(name, op, value);
    case 'boolean': {
      if (typeof value !== 'boolean' || (op !== '=' && op !== '<>')) return undefined;
      // A NULL matches neither, in SQL and in Stripe: `<> true` is `:false`.
      return exact(`${name}:${quoted(String(op === '=' ? value : !value))}`);
    }
    default:
      // `<>` and ranges on text: Stripe's match ignores case, so `-email:'a'` would drop 'A'.
      if (op !== '=' || typeof value !== 'string' || value === '') return undefined;
      return exact(`${name}:${quoted(value)}`);
  }
}

/**
 * A bound in Stripe's whole units (Unix seconds for a Date, the integer itself), rounded so that
 * it keeps exactly the integers the SQL bound keeps: `> 10.5` is `>=11`, `<= 10.5` is `<=10`.
 */
function numberClause(name: string, op: PredicateTerm['op'], value: SqlValue): SearchClause | undefined {
  const units = value instanceof Date ? value.getTime() / 1000 : value;
  if (typeof units !== 'number' || !Number.isFinite(units)) return undefined;
  const whole = Number.isInteger(units);
  switch (op) {
    case '=':
      return whole ? exact(`${name}:${units}`) : undefined;
    case '<>':
      return whole ? bound(`-${name}:${units}`) : undefined;
    case '>':
      return bound(whole ? `${name}>${units}` : `${name}>=${Math.ceil(units)}`);
    case '>=':
      return bound(`${name}>=${Math.ceil(units)}`);
    case '<':
      return bound(`${name}<${Math.ceil(units)}`);
    case '<=':
      return bound(`${name}<=${Math.floor(units)}`);
    default:
      return undefined;
  }
}

/**
 * LIKE without wildcards is an exact match; with them, the pattern's longest literal run (3+
 * characters) is a substring every match contains. Only string fields take `~`.
 */
function like(name: string, field: SearchField, pattern: SqlValue): SearchClause | undefined {
  if (typeof pattern !== 'string') return undefined;
  const runs = pattern.split(/[%_]/);
  if (runs.length === 1) return comparison(name, field, '=', pattern);
  if (field.kind !== 'string') return undefined;
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest.length >= MIN_SUBSTRING ? { text: `${name}~${quoted(longest)}`, strength: 'substring' } : undefined;
}

/** A quoted value: `'` and `\` escaped with a backslash. */
function quoted(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function exact(text: string): SearchClause {
  return { text, strength: 'exact' };
}

function bound(text: string): SearchClause {
  return { text, strength: 'bound' };
}

/** What each kind of field takes in a clause (see SearchFieldKind): the operators search can narrow. */
const SEARCH_OPS: Record<Exclude<SearchFieldKind, 'metadata'>, PredicateTerm['op'][]> = {
  string: ['=', 'IN', 'LIKE'],
  token: ['=', 'IN'],
  number: ['=', '<>', '<', '<=', '>', '>=', 'IN'],
  boolean: ['=', '<>'],
};

/** The columns Stripe's search can narrow, with their operators (JSON members such as metadata not included). */
export function searchableColumns(def: TableDef): Map<string, PredicateTerm['op'][]> {
  const found = new Map<string, PredicateTerm['op'][]>();
  const fields = SEARCH_FIELDS[def.resource];
  if (!fields) return found;
  for (const column of def.columns) {
    if (column.field === undefined || column.encoding === 'json') continue;
    const target = fieldAt(fields, column.field);
    if (target && target.field.kind !== 'metadata') found.set(column.name, SEARCH_OPS[target.field.kind]);
  }
  return found;
}

/** The JSON column whose members search matches (`Metadata->>'plan' = 'pro'`), when the resource has one. */
export function searchableMetadataColumn(def: TableDef): string | undefined {
  if (SEARCH_FIELDS[def.resource]?.metadata?.kind !== 'metadata') return undefined;
  return def.columns.find((c) => c.field === 'metadata' && c.encoding === 'json')?.name;
}
