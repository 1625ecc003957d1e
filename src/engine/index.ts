// The engine's public face: plan a parsed statement against a catalog. Everything else in
// src/engine/ is internal.

import type { QueryNode, StatementNode } from '../sql/ast.js';
import type { ParamValues } from './binder.js';
import { planCreateTable, planDropTable } from './ddl.js';
import { planExplain } from './explain.js';
import { planInsert } from './insert.js';
import type { StatementPlan } from './plan-types.js';
import { planQuery } from './planner.js';
import type { Session } from './session.js';
import type { Catalog } from './table.js';
import { SqlError } from '../sql/errors.js';

export type { ParamValues } from './binder.js';
export type { QueryPlan, ResultColumn, StatementPlan, WritePlan } from './plan-types.js';
export { MemoryTable, type MemoryTableOptions } from './memory-table.js';
export { Session } from './session.js';

/**
 * Binds parameters, resolves names, negotiates pushdown with the tables. No I/O. Throws
 * SqlError. With a `session`, temporary tables (CREATE TABLE #t / TEMP TABLE, Name#TEMP) are
 * visible and created there, and INSERT records the session's lastInsertId.
 */
export function planStatement(stmt: StatementNode, sql: string, catalog: Catalog, params?: ParamValues, session?: Session): StatementPlan {
  const visible = session ? session.overlay(catalog) : catalog;
  const now = new Date();
  const query = (node: QueryNode) => planQuery(node, { sql, catalog: visible, params, ctes: new Map(), now }, null);
  switch (stmt.kind) {
    case 'select':
    case 'setOp':
      return query(stmt);
    case 'insert':
      return planInsert(stmt, sql, visible, params, session, query);
    case 'createTable':
      return planCreateTable(stmt, sql, catalog, session);
    case 'dropTable':
      return planDropTable(stmt, sql, catalog, session);
    case 'update':
    case 'delete':
    case 'exec':
      throw new SqlError(`${stmt.kind.toUpperCase()} is not supported yet`, sql, stmt.pos);
    case 'explain':
      return planExplain(planStatement(stmt.statement, sql, catalog, params, session), stmt.analyze);
  }
}
