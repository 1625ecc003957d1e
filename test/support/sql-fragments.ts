// The pieces the query generator is built from: a Fragment is one meaning written twice, in
// our dialect and in PostgreSQL's; rules and shapes build Fragments and whole queries.

import type { ValueType } from './dataset.js';
import type { QueryGenerator } from './sql-generator.js';

export interface Fragment {
  ours: string;
  pg: string;
  type: ValueType;
}

export interface Rule {
  name: string;
  weight: number;
  build(g: QueryGenerator, depth: number): Fragment;
}

export interface GeneratedQuery {
  ours: string;
  pg: string;
  /** Output column indexes the ORDER BY sorts on, in order (empty: row order is not defined). */
  orderKeys: number[];
  /** LIMIT or OFFSET cut the result, so the tie group at either edge may differ. */
  cut: boolean;
  shape: string;
}

export interface QueryShape {
  name: string;
  weight: number;
  build(g: QueryGenerator): GeneratedQuery;
}

// ---------------------------------------------------------------------------------------------
// Helpers for rules

/** The same text on both sides. */
export function same(text: string, type: ValueType): Fragment {
  return { ours: text, pg: text, type };
}

/** A call written alike on both sides: NAME(a, b, …) / pgName(a, b, …). */
export function callOf(name: string, pgName: string, type: ValueType, args: Fragment[]): Fragment {
  return {
    ours: `${name}(${args.map((a) => a.ours).join(', ')})`,
    pg: `${pgName}(${args.map((a) => a.pg).join(', ')})`,
    type,
  };
}

export function binary(left: Fragment, op: string, right: Fragment, type: ValueType, pgOp = op): Fragment {
  return { ours: `(${left.ours} ${op} ${right.ours})`, pg: `(${left.pg} ${pgOp} ${right.pg})`, type };
}

export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function sqlTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.000Z$/, '').replace('Z', '');
}

export const PG_NULL: Record<ValueType, string> = {
  int: 'NULL::integer',
  double: 'NULL::float8',
  text: 'NULL::text',
  bool: 'NULL::boolean',
  ts: 'NULL::timestamptz',
};
