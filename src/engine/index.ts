// The engine's public face: plan a parsed statement against a catalog. Everything else in
// src/engine/ is internal.

import type { StatementNode } from '../sql/ast.js';
import { ParameterBinding, StatementParameterTypes, type BindOptions, type ParameterDescription, type ParamValues } from './params.js';
import { planCreateIndex, planCreateTable, planDropIndex, planDropTable, planReindex } from './ddl.js';
import { planExplain } from './explain.js';
export { planAsJson } from './explain.js';
export type { JsonPlanNode } from './plan/explain-json.js';
import { planInsert } from './insert.js';
import type { ResultColumn, StatementPlan } from './plan-types.js';
import { planQuery, type PlanEnv } from './planner.js';
import { planDelete, planUpdate } from './update-delete.js';
import { planExec } from './exec.js';
import { planCache } from './cache.js';
import type { Session } from './session.js';
import type { Catalog } from './table.js';
import { planCreateView, planDropView, refuseWriteToView } from './views.js';

export type { ParamValues, ParameterDescription, BindOptions } from './params.js';
export { ParameterBinding, StatementParameterTypes, checkScriptValues } from './params.js';
export type { QueryPlan, ResultColumn, StatementPlan, WritePlan, WriteStatementResult } from './plan-types.js';
export { MemoryTable, type MemoryTableOptions } from './memory-table.js';
export { Session } from './session.js';
export { PartialWriteError } from './write-outcome.js';
export { asStatementError } from './statement-errors.js';

/**
 * Binds parameters, resolves names, negotiates pushdown with the tables. No I/O. Throws
 * SqlError. With a `session`, temporary tables (CREATE TABLE #t / TEMP TABLE, Name#TEMP) are
 * visible and created there, and INSERT records the session's lastInsertId. `params` are
 * values (their types inferred first, an untyped one keeping its value's type) or a binding
 * made by StatementParameterTypes.bind (a prepared statement).
 */
export function planStatement(
  stmt: StatementNode,
  sql: string,
  catalog: Catalog,
  params?: ParamValues | ParameterBinding,
  session?: Session,
  options?: BindOptions,
): StatementPlan {
  const binding = params instanceof ParameterBinding ? params : typeParameters(stmt, sql, catalog, session).bind(params, { untyped: 'value', ...options });
  return planBound(stmt, sql, catalog, binding, session);
}

/** The statement's parameters with the types their contexts give (params.ts, step 1). No I/O. */
export function typeParameters(stmt: StatementNode, sql: string, catalog: Catalog, session?: Session): StatementParameterTypes {
  return StatementParameterTypes.of(stmt, sql, (binding) => planBound(stmt, sql, catalog, binding, session));
}

/** What a prepared statement announces before any value: its parameters and result columns, typed. */
export interface StatementDescription {
  types: StatementParameterTypes;
  parameters: ParameterDescription[];
  /** Empty for a write without RETURNING. */
  columns: ResultColumn[];
}

export function describeStatement(stmt: StatementNode, sql: string, catalog: Catalog, session?: Session): StatementDescription {
  const types = typeParameters(stmt, sql, catalog, session);
  const parameters = types.describe();
  // Planned again with every type settled, so result columns read them as a run will.
  const binding = parameters.length > 0 ? ParameterBinding.describing(types.parameters, parameters.map((p) => p.type)) : undefined;
  return { types, parameters, columns: planBound(stmt, sql, catalog, binding, session).columns ?? [] };
}

function planBound(stmt: StatementNode, sql: string, catalog: Catalog, params: ParameterBinding | undefined, session?: Session): StatementPlan {
  const env: PlanEnv = {
    sql,
    catalog: session ? session.overlay(catalog) : catalog,
    params,
    ctes: new Map(),
    ...(session ? { views: session.viewMap() } : {}),
    now: new Date(),
    lastInsertId: session?.lastInsertId ?? null,
  };
  switch (stmt.kind) {
    case 'select':
    case 'setOp':
      return planQuery(stmt, env, null);
    case 'insert':
      refuseWriteToView(stmt.table, 'INSERT INTO', sql, session);
      return planInsert(stmt, env, session);
    case 'update':
      refuseWriteToView(stmt.table, 'UPDATE', sql, session);
      return planUpdate(stmt, env, session);
    case 'delete':
      refuseWriteToView(stmt.table, 'DELETE FROM', sql, session);
      return planDelete(stmt, env, session);
    case 'exec':
      return planExec(stmt, env);
    case 'createTable':
      return planCreateTable(stmt, sql, catalog, session);
    case 'dropTable':
      return planDropTable(stmt, sql, catalog, session);
    case 'createIndex':
      return planCreateIndex(stmt, sql, catalog, session);
    case 'dropIndex':
      return planDropIndex(stmt, sql, session);
    case 'reindex':
      return planReindex(stmt, sql, session);
    case 'createView':
      return planCreateView(stmt, env, session);
    case 'dropView':
      return planDropView(stmt, sql, session);
    case 'cache':
      return planCache(stmt, env);
    case 'explain':
      return planExplain(planBound(stmt.statement, sql, catalog, params, session), stmt.analyze);
  }
}
