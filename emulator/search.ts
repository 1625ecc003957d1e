import { paramError } from './errors.js';
import { checkExpandPaths, render } from './expand.js';
import { fieldAt } from './list.js';
import { expandList, type ResourceType, type Route } from './routes.js';
import { s } from './schema.js';
import { newestFirst, type StripeObject } from './store.js';

// Stripe's Search Query Language, the subset its docs describe for customers, products
// and prices: clauses `field:value`, `-field:value`, `field~"substring"`, numeric
// `field>value` (>, >=, <, <=), `metadata["key"]:"value"`, `field:null`, joined by AND or
// by OR (not both). Results are newest first; `next_page` is an opaque cursor.

export type SearchFieldKind = 'string' | 'number' | 'boolean' | 'metadata';

export interface SearchField {
  kind: SearchFieldKind;
  /** Dotted object path; defaults to the query field's name. */
  path?: string;
}

type Operator = ':' | '~' | '>' | '>=' | '<' | '<=';

interface Clause {
  negated: boolean;
  field: string;
  metadataKey?: string;
  operator: Operator;
  value: string;
  /** Unquoted `null`. */
  isNull: boolean;
}

function queryError(message: string) {
  return paramError(message, 'query');
}

export function parseSearchQuery(text: string): { clauses: Clause[]; joiner: 'AND' | 'OR' } {
  const clauses: Clause[] = [];
  const joiners = new Set<'AND' | 'OR'>();
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const readQuoted = (): string => {
    const quote = text[at] as string;
    let out = '';
    at++;
    while (at < text.length && text[at] !== quote) {
      if (text[at] === '\\' && at + 1 < text.length) at++;
      out += text[at];
      at++;
    }
    if (at >= text.length) throw queryError(`Unterminated string in search query: ${text}`);
    at++;
    return out;
  };
  for (;;) {
    skipSpace();
    if (at >= text.length) break;
    if (clauses.length > 0) {
      const word = /^(AND|OR)\b/.exec(text.slice(at));
      if (!word) throw queryError(`Expected AND or OR in search query at position ${at}: ${text}`);
      joiners.add(word[1] as 'AND' | 'OR');
      at += (word[1] as string).length;
      skipSpace();
    }
    const negated = text[at] === '-';
    if (negated) at++;
    const name = /^[a-z_][a-z0-9_.]*/.exec(text.slice(at));
    if (!name) throw queryError(`Expected a field name in search query at position ${at}: ${text}`);
    at += name[0].length;
    let metadataKey: string | undefined;
    if (text[at] === '[') {
      at++;
      if (text[at] !== '"' && text[at] !== "'") throw queryError(`Expected a quoted metadata key in search query: ${text}`);
      metadataKey = readQuoted();
      if (text[at] !== ']') throw queryError(`Expected ] in search query: ${text}`);
      at++;
    }
    const operator = /^(>=|<=|:|~|>|<)/.exec(text.slice(at))?.[1] as Operator | undefined;
    if (!operator) throw queryError(`Expected an operator (:, ~, >, <, >=, <=) in search query at position ${at}: ${text}`);
    at += operator.length;
    let value: string;
    let isNull = false;
    if (text[at] === '"' || text[at] === "'") {
      value = readQuoted();
    } else {
      const bare = /^[^\s]+/.exec(text.slice(at));
      if (!bare) throw queryError(`Expected a value in search query: ${text}`);
      value = bare[0];
      at += value.length;
      isNull = value === 'null';
    }
    clauses.push({ negated, field: name[0], ...(metadataKey !== undefined ? { metadataKey } : {}), operator, value, isNull });
  }
  if (clauses.length === 0) throw queryError('The search query must not be empty.');
  if (joiners.size > 1) throw queryError('Search queries cannot contain both AND and OR.');
  if (clauses.length > 10) throw queryError('Search queries may contain at most 10 clauses.');
  return { clauses, joiner: joiners.has('OR') ? 'OR' : 'AND' };
}

function clauseMatches(object: StripeObject, clause: Clause, field: SearchField): boolean {
  const raw =
    field.kind === 'metadata'
      ? (object.metadata as Record<string, string> | undefined)?.[clause.metadataKey ?? '']
      : fieldAt(object, field.path ?? clause.field);
  const actual = raw === undefined ? null : raw;
  let result: boolean;
  if (clause.isNull) {
    result = actual === null;
  } else if (actual === null) {
    result = false;
  } else if (clause.operator === '~') {
    result = String(actual).toLowerCase().includes(clause.value.toLowerCase());
  } else if (clause.operator === ':') {
    result =
      field.kind === 'number'
        ? Number(actual) === Number(clause.value)
        : String(actual).toLowerCase() === clause.value.toLowerCase();
  } else {
    const [a, b] = [Number(actual), Number(clause.value)];
    result = clause.operator === '>' ? a > b : clause.operator === '>=' ? a >= b : clause.operator === '<' ? a < b : a <= b;
  }
  return clause.negated ? !result : result;
}

function checkClause(clause: Clause, fields: Record<string, SearchField>, resourceName: string): SearchField {
  const field = fields[clause.field];
  if (!field || (field.kind === 'metadata') !== (clause.metadataKey !== undefined)) {
    throw queryError(
      `Field '${clause.field}' is an unsupported search field for resource ${resourceName}. See https://stripe.com/docs/search#query-fields-for-${resourceName.replace(/_/g, '-')} for a list of supported fields.`,
    );
  }
  if (clause.operator === '~' && clause.value.length < 3) {
    throw queryError('Substring search (~) requires a value of at least 3 characters.');
  }
  if (['>', '>=', '<', '<='].includes(clause.operator) && (field.kind !== 'number' || !/^-?\d+$/.test(clause.value))) {
    throw queryError(`Comparison operators can only be used with numeric fields and integer values (field '${clause.field}').`);
  }
  return field;
}

function encodePage(object: StripeObject): string {
  return Buffer.from(JSON.stringify([object.created ?? 0, object.id])).toString('base64url');
}

function decodePage(token: string): StripeObject {
  try {
    const [created, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [number, string];
    if (typeof created !== 'number' || typeof id !== 'string') throw new Error('shape');
    return { id, object: 'cursor', created };
  } catch {
    throw paramError(`Invalid page: ${token}`, 'page');
  }
}

export function searchRoute(resource: ResourceType, resourceName: string, fields: Record<string, SearchField>): Route {
  const url = `${resource.path}/search`;
  return {
    method: 'GET',
    path: url,
    params: s.object(
      {
        expand: s.array(s.string({ maxLength: 5000 })),
        limit: s.integer(),
        page: s.string({ maxLength: 5000 }),
        query: s.string({ maxLength: 5000 }),
      },
      ['query'],
    ),
    handle(ctx, _pathParams, params) {
      const limit = (params.limit as number | undefined) ?? 10;
      if (limit < 1) throw paramError('This value must be greater than or equal to 1.', 'limit');
      if (limit > 100) throw paramError('This value must be less than or equal to 100.', 'limit');
      const expand = expandList(params);
      const wantsTotal = expand.includes('total_count');
      const objectExpand = expand.filter((path) => path !== 'total_count');
      checkExpandPaths(`list:${resource.objectType}`, objectExpand);
      const { clauses, joiner } = parseSearchQuery(params.query as string);
      const checked = clauses.map((clause) => ({ clause, field: checkClause(clause, fields, resourceName) }));
      const matches = (object: StripeObject) =>
        joiner === 'AND'
          ? checked.every(({ clause, field }) => clauseMatches(object, clause, field))
          : checked.some(({ clause, field }) => clauseMatches(object, clause, field));
      const all = ctx.store.list(ctx.account, resource.objectType).filter(matches);
      const after = typeof params.page === 'string' ? decodePage(params.page) : null;
      const remaining = after ? all.filter((object) => newestFirst(object, after) > 0) : all;
      const data = remaining.slice(0, limit);
      const hasMore = remaining.length > limit;
      const body: Record<string, unknown> = {
        object: 'search_result',
        data,
        has_more: hasMore,
        next_page: hasMore ? encodePage(data[data.length - 1] as StripeObject) : null,
        url,
      };
      if (wantsTotal) body.total_count = all.length;
      return { body: render(ctx, body, `list:${resource.objectType}`, objectExpand) };
    },
  };
}
