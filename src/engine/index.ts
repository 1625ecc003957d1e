// The engine's public face: plan a parsed statement against a catalog. Everything else in
// src/engine/ is internal.

import type { StatementNode } from '../sql/ast.js';
import type { ParamValues } from './binder.js';
import { planInsert } from './insert.js';
import type { StatementPlan } from './plan-types.js';
import { planSelect } from './planner.js';
import type { Catalog } from './table.js';

export type { ParamValues } from './binder.js';
export type { QueryPlan, ResultColumn, StatementPlan, WritePlan } from './plan-types.js';
export { MemoryTable, type MemoryTableOptions } from './memory-table.js';

/** Binds parameters, resolves names, negotiates pushdown with the tables. No I/O. Throws SqlError. */
export function planStatement(stmt: StatementNode, sql: string, catalog: Catalog, params?: ParamValues): StatementPlan {
  return stmt.kind === 'select' ? planSelect(stmt, sql, catalog, params) : planInsert(stmt, sql, catalog, params);
}
