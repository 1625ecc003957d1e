// A scan request as one SELECT on a replica table: the predicates the store evaluates exactly as
// the engine would go into WHERE, ORDER BY and LIMIT follow when every predicate went there.
//
// Exactly as the engine would: SQL's three-valued logic is the same in the store; NULLs are
// placed where the engine places them (NULLS FIRST / LAST spelled out); strings compare by code
// point in the store and by UTF-16 unit in the engine, which differ only between characters
// beyond U+FFFF and those from U+E000 to U+FFFF.

import type { Predicate, ScanRequest, SqlValue } from '../engine/table.js';
import { defaultNullsFirst } from '../engine/values.js';
import { quoteName, type ReplicaColumn, type ReplicaSchema, type SelectQuery, type SqlDialect, type StoredValue } from './store.js';

/** An IN list longer than this stays with the engine rather than become one parameter per value. */
const MAX_IN_VALUES = 1000;

export interface ReplicaSelect {
  query: SelectQuery;
  /** Index in schema.columns of each selected column, in SELECT order. */
  selected: number[];
  pushed: Predicate[];
  residual: Predicate[];
  orderSatisfied: boolean;
  limitApplied: boolean;
}

export function buildSelect(schema: ReplicaSchema, request: ScanRequest, dialect: SqlDialect): ReplicaSelect {
  const index = new Map(schema.columns.map((c, i) => [c.name.toLowerCase(), i]));
  const params: StoredValue[] = [];
  const bind = (value: StoredValue): string => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const conditions: string[] = [];
  const pushed: Predicate[] = [];
  const residual: Predicate[] = [];
  const columnOf = (name: string): ReplicaColumn | undefined => {
    const at = index.get(name.toLowerCase());
    return at === undefined ? undefined : schema.columns[at];
  };
  for (const predicate of request.predicates) {
    const bound = params.length;
    const condition = predicate.op === 'OR' ? orCondition(predicate, columnOf, dialect, bind) : termCondition(predicate, columnOf, dialect, bind);
    if (condition === undefined) {
      // A condition given up halfway leaves none of its parameters behind.
      params.length = bound;
      residual.push(predicate);
    } else {
      conditions.push(condition);
      pushed.push(predicate);
    }
  }
  const wanted = new Set(request.columns.map((c) => c.toLowerCase()));
  const selected = schema.columns.flatMap((c, i) => (wanted.has(c.name.toLowerCase()) ? [i] : []));
  const orderKeys = request.orderBy.map((k) => ({ key: k, at: index.get(k.column.toLowerCase()) }));
  const orderSatisfied = orderKeys.every((k) => k.at !== undefined && (dialect.decimalsCompare || schema.columns[k.at]!.type !== 'Decimal'));
  const limitApplied = request.limit !== undefined && residual.length === 0 && orderSatisfied;
  let sql = `SELECT ${selected.length > 0 ? selected.map((i) => quoteName(schema.columns[i]!.name)).join(', ') : '1'} FROM ${quoteName(schema.name)}`;
  if (conditions.length > 0) sql += ` WHERE ${conditions.join(' AND ')}`;
  if (orderSatisfied && orderKeys.length > 0) {
    sql += ` ORDER BY ${orderKeys.map(({ key, at }) => {
      const descending = key.direction === 'DESC';
      // A table is offered ORDER BY only with the engine's own NULL placement: say it in the SQL.
      return dialect.orderKey(quoteName(schema.columns[at!]!.name), key.direction, defaultNullsFirst(descending) ? 'FIRST' : 'LAST');
    }).join(', ')}`;
  }
  if (limitApplied) sql += ` LIMIT ${bind(request.limit!)}`;
  return { query: { sql, params }, selected, pushed, residual, orderSatisfied, limitApplied };
}

type Bind = (value: StoredValue) => string;

/**
 * `(a AND b) OR (c)`: every term of every alternative must be a condition the store evaluates
 * as the engine does, else the whole OR stays with the engine. Terms on a JSON member stay too.
 */
function orCondition(predicate: Predicate, columnOf: (name: string) => ReplicaColumn | undefined, dialect: SqlDialect, bind: Bind): string | undefined {
  const alternatives = predicate.alternatives ?? [];
  if (alternatives.length === 0) return undefined;
  const parts: string[] = [];
  for (const terms of alternatives) {
    if (terms.length === 0) return undefined;
    const conditions: string[] = [];
    for (const term of terms) {
      const condition = term.path === undefined ? termCondition(term, columnOf, dialect, bind) : undefined;
      if (condition === undefined) return undefined;
      conditions.push(condition);
    }
    parts.push(conditions.length === 1 ? conditions[0]! : `(${conditions.join(' AND ')})`);
  }
  return `(${parts.join(' OR ')})`;
}

/** `column op value(s)` as a WHERE condition, or undefined when it must stay with the engine. */
function termCondition(
  predicate: Pick<Predicate, 'column' | 'op' | 'value' | 'values'>,
  columnOf: (name: string) => ReplicaColumn | undefined,
  dialect: SqlDialect,
  bind: Bind,
): string | undefined {
  const column = columnOf(predicate.column);
  if (!column) return undefined;
  if (column.type === 'Decimal' && !dialect.decimalsCompare && predicate.op !== 'IS NULL' && predicate.op !== 'IS NOT NULL') return undefined;
  const name = quoteName(column.name);
  if (column.json && !dialect.jsonCompares && predicate.op !== 'IS NULL' && predicate.op !== 'IS NOT NULL') return undefined;
  switch (predicate.op) {
    case 'OR':
      return undefined;
    case 'IS NULL':
      return `${name} IS NULL`;
    case 'IS NOT NULL':
      return `${name} IS NOT NULL`;
    case 'IN': {
      const values = predicate.values ?? [];
      if (values.length === 0 || values.length > MAX_IN_VALUES || !values.every((v) => v === null || sameKind(v, column))) return undefined;
      return `${name} IN (${values.map((v) => bind(dialect.toStored(v, column))).join(', ')})`;
    }
    case 'LIKE': {
      if (column.type !== 'String' || typeof predicate.value !== 'string') return undefined;
      return dialect.like(name, predicate.value, bind);
    }
    default: {
      const value = predicate.value ?? null;
      // NULL compares as unknown: no row; the engine's own test says the same.
      if (value !== null && !sameKind(value, column)) return undefined;
      return `${name} ${predicate.op} ${bind(dialect.toStored(value, column))}`;
    }
  }
}

/**
 * Whether the value is of the column's own kind, so the store compares it as the engine would.
 * Predicates arrive coerced to the column's type; anything else is left to the engine's coercion.
 */
function sameKind(value: SqlValue, column: ReplicaColumn): boolean {
  switch (column.type) {
    case 'String':
      return typeof value === 'string';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Datetime':
      return value instanceof Date && !Number.isNaN(value.getTime());
    default:
      return typeof value === 'number' && Number.isFinite(value);
  }
}
