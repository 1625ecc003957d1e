// What recognising a client's catalog query takes (catalog/clients.ts, metabase.ts, dbeaver.ts):
// its select list and labels, the name filters in its WHERE (`n.nspname LIKE $1`,
// `c.relname = 'x'`, `IN (…)`) read with `$n` parameters or literals, and the answer's rows
// projected onto the labels the query asked for. Names match case-insensitively, as
// everywhere in stripe-sql.
import { OID } from '../protocol/types.js';
import type { WireValue } from '../protocol/values.js';
import type { ResultField } from '../types.js';
import { matchingParen, splitTopLevel, topLevelKeyword, unquoteIdentifier, unquoteLiteral } from '../sql-text.js';
import type { CatalogModel, CatalogRelation } from './model.js';
export { pkeyName } from './model.js';
import { likeRegex } from './select.js';

export interface ClientAnswer {
  fields: ResultField[];
  rows(values: readonly WireValue[]): WireValue[][];
}

export interface ClientContext {
  model: CatalogModel;
  database: string;
  user: string;
}

export interface Recognizer {
  /** The client call the query serves. */
  source: string;
  test(sql: string): boolean;
  answer(sql: string, context: ClientContext): ClientAnswer;
}

export const has = (sql: string, ...parts: (string | RegExp)[]) => parts.every((p) => (typeof p === 'string' ? sql.includes(p) : p.test(sql)));

// ------------------------------------------------------------------------------ filters

/** One side of a filter: a `$n` parameter or a literal, resolved when the statement runs. */
export type Operand = (values: readonly WireValue[]) => string | null;

export function operand(text: string): Operand {
  const t = text.trim().replace(/::\s*[\w.]+$/, '');
  const p = /^\$(\d+)$/.exec(t);
  if (p) return (values) => (values[Number(p[1]) - 1] == null ? null : String(values[Number(p[1]) - 1]));
  return () => unquoteLiteral(t);
}

/**
 * The filters on `column` in `sql` (`column LIKE x`, `= x`, `IN (x, y)`); a name passes when
 * every one of them holds. `quote_ident(column)` counts as the column.
 */
export function nameFilter(query: string, ...columns: string[]): (values: readonly WireValue[], name: string) => boolean {
  const sql = filterText(query);
  const tests: ((values: readonly WireValue[], name: string) => boolean)[] = [];
  for (const column of columns) {
    const escaped = column.replace(/\./g, '\\.');
    const re = new RegExp(`(?<![\\w.])(?:quote_ident\\(\\s*${escaped}\\s*\\)|${escaped})\\s*(NOT\\s+LIKE|LIKE|ILIKE|=|<>|!=|NOT\\s+IN|IN)\\s*(\\$\\d+|[Ee]?'(?:[^']|'')*'|\\()`, 'gi');
    for (const m of sql.matchAll(re)) {
      const op = m[1]!.toUpperCase().replace(/\s+/g, ' ');
      const negated = op.startsWith('NOT') || op === '<>' || op === '!=';
      if (m[2] === '(' && !op.endsWith('IN')) continue; // `= (current_schemas(…))[1]`: not a name filter
      if (m[2] === '(') {
        const open = m.index + m[0].length - 1;
        const close = matchingParen(sql, open);
        if (close < 0) continue;
        const inner = sql.slice(open + 1, close - 1);
        if (/^\s*SELECT\b/i.test(inner)) continue; // a subquery (Grafana's search_path): public is on it
        const items = splitTopLevel(inner).map(operand);
        tests.push((values, name) => items.some((item) => sameName(item(values), name)) !== negated);
      } else {
        const value = operand(m[2]!);
        if (op.includes('LIKE')) tests.push((values, name) => { const v = value(values); return v === null ? false : likeRegex(v, true).test(name) !== negated; });
        else tests.push((values, name) => sameName(value(values), name) !== negated);
      }
    }
  }
  return (values, name) => tests.every((t) => t(values, name));
}

/**
 * Where a query's filters are: from its FROM on (select lists compare names in CASEs), without
 * pgjdbc's table-type clauses (`AND (false OR ( c.relkind = 'r' AND n.nspname … ))`, read by askedKinds).
 */
export function filterText(sql: string): string {
  let text = sql.slice(Math.max(0, topLevelKeyword(sql, 'FROM')));
  const types = /AND\s*\(\s*false\b/i.exec(text);
  if (types) {
    const open = text.indexOf('(', types.index);
    const close = matchingParen(text, open);
    text = text.slice(0, types.index) + (close < 0 ? '' : text.slice(close));
  }
  return text;
}

export function sameName(a: string | null, b: string): boolean {
  if (a === null) return false;
  return unquoteIdentifier(a).toLowerCase() === b.toLowerCase();
}

/** PostgreSQL's quote_ident: names other than lower-case words are double-quoted. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

// ------------------------------------------------------------------------- select lists

/** The select list of the query's outermost SELECT, each item with its label. */
export function selectItems(sql: string): { expr: string; key: string }[] {
  const start = /^\s*SELECT\s+/i.exec(sql);
  const from = topLevelKeyword(sql, 'FROM');
  if (!start || from < 0) return [];
  return splitTopLevel(sql.slice(start[0].length, from)).map((expr) => {
    const alias = /\s+AS\s+("(?:[^"]|"")*"|\w+)\s*$/i.exec(expr);
    if (alias) return { expr, key: unquoteIdentifier(alias[1]!) };
    const last = /(\w+)\s*\)?\s*$/.exec(expr);
    if (last && /^\s*[\w.]+\s*$/.test(expr)) return { expr, key: last[1]! };
    // `case … end consrc_copy`, `f(x) label`: a label without AS.
    const bare = /(?:\bEND|\))\s+(\w+)\s*$/i.exec(expr);
    if (bare) return { expr, key: bare[1]! };
    return { expr, key: '?column?' };
  });
}

/** Output types by label, so drivers read numbers and booleans as such. */
export const FIELD_TYPES: Record<string, number> = {
  atttypid: OID.oid, typbasetype: OID.oid, oid: OID.oid, typarray: OID.oid, attnotnull: OID.bool, is_array: OID.bool, IS_NOT_NULL: OID.bool,
  atttypmod: OID.int4, typtypmod: OID.int4, attlen: OID.int2, attnum: OID.int8, KEY_SEQ: OID.int4, estimated_row_count: OID.int8,
  UPDATE_RULE: OID.int2, DELETE_RULE: OID.int2, DEFERRABILITY: OID.int2,
  nspname: OID.name, relname: OID.name, attname: OID.name, typname: OID.name, current_database: OID.name, typtype: OID.char,
  '?column?': OID.bool,
  'database-position': OID.int4, 'pk?': OID.bool, 'database-required': OID.bool, 'database-is-auto-increment': OID.bool,
  'database-is-generated': OID.bool, 'database-is-nullable': OID.bool, 'fk-table-schema': OID.name, 'fk-table-name': OID.name,
  'fk-column-name': OID.name, 'pk-table-schema': OID.name, 'pk-table-name': OID.name, 'pk-column-name': OID.name,
};

export function fieldsOf(items: { key: string }[]): ResultField[] {
  return items.map(({ key }) => ({ name: key, typeOid: FIELD_TYPES[key] ?? OID.text }));
}

/** One output row: each label's value, NULL for labels the answer does not know. */
export function project(items: { key: string; expr?: string }[], values: Record<string, WireValue>): WireValue[] {
  // `NULL::text AS PKTABLE_CAT`: what the query itself says is NULL stays NULL.
  return items.map(({ key, expr }) => (expr !== undefined && /^NULL\b/i.test(expr.trim()) ? null : key in values ? values[key]! : null));
}

export const byName = (a: CatalogRelation, b: CatalogRelation) => a.name.toLowerCase().localeCompare(b.name.toLowerCase());
