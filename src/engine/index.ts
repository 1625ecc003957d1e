// The engine's public face: plan a parsed statement against a catalog. Everything else in
// src/engine/ is internal.

import type { StatementNode } from '../sql/ast.js';
import type { ParamValues } from './binder.js';
import { planCreateTable, planDropTable } from './ddl.js';
import { planExplain } from './explain.js';
import { planInsert } from './insert.js';
import type { StatementPlan } from './plan-types.js';
import { planQuery, type PlanEnv } from './planner.js';
import { planDelete, planUpdate } from './update-delete.js';
import { planExec } from './exec.js';
import type { Session } from './session.js';
import type { Catalog } from './table.js';

export type { ParamValues } from './binder.js';
export type { QueryPlan, ResultColumn, StatementPlan, WritePlan, WriteStatementResult } from './plan-types.js';
export { MemoryTable, type MemoryTableOptions } from './memory-table.js';
export { Session } from './session.js';
export { PartialWriteError } from './write-outcome.js';

/**
 * Binds parameters, resolves names, negotiates pushdown with the tables. No I/O. Throws
 * SqlError. With a `session`, temporary tables (CREATE TABLE #t / TEMP TABLE, Name#TEMP) are
 * visible and created there, and INSERT records the session's lastInsertId.
 */
export function planStatement(stmt: StatementNode, sql: string, catalog: Catalog, params?: ParamValues, session?: Session): StatementPlan {
  const env: PlanEnv = {
    sql,
    catalog: session ? session.overlay(catalog) : catalog,
    params,
    ctes: new Map(),
    now: new Date(),
    lastInsertId: session?.lastInsertId ?? null,
  };
  switch (stmt.kind) {
    case 'select':
    case 'setOp':
      return planQuery(stmt, env, null);
    case 'insert':
      return planInsert(stmt, env, session);
    case 'update':
      return planUpdate(stmt, env, session);
    case 'delete':
      return planDelete(stmt, env, session);
    case 'exec':
      return planExec(stmt, env);
    case 'createTable':
      return planCreateTable(stmt, sql, catalog, session);
    case 'dropTable':
      return planDropTable(stmt, sql, catalog, session);
    case 'explain':
      return planExplain(planStatement(stmt.statement, sql, catalog, params, session), stmt.analyze);
  }
}
