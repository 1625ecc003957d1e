// What recognising a client's catalog query takes (catalog/clients.ts): the answer's shape, the
// parts that identify the query, and PostgreSQL's quoting of names.
import type { WireValue } from '../protocol/values.js';
import type { ResultField } from '../types.js';
import type { CatalogModel } from './model.js';

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

/** PostgreSQL's quote_ident: names other than lower-case words are double-quoted. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
