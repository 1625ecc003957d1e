// What INSERT does beyond the table contract, for temporary tables (the only tables that hold
// constraints): DEFAULTs of the columns a statement leaves out, and what happens to a row that
// duplicates a unique key (ON CONFLICT, INSERT OR REPLACE). Both are planned here; the table
// applies them all or nothing (memory-table.ts, conflicts.ts).

import type { InsertNode, OnConflictNode, Position, TableRefNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, Scope, statementValues } from './binder.js';
import type { ConflictRule } from './conflicts.js';
import type { UniqueKey } from './constraints.js';
import { compileExpr, compilePredicate } from './expressions.js';
import { MemoryTable } from './memory-table.js';
import { suggestionSuffix } from './names.js';
import { declareParameterType } from './params.js';
import type { PlanEnv } from './planner.js';
import { isImplicitTempName, type Session } from './session.js';
import { ColumnValueError, type Column, type InsertRequest, type Row, type SqlValue, type Table, type WriteOutcome } from './table.js';
import { coerceToType, formatSqlValue } from './values.js';

/** The columns left out that have a DEFAULT, and a fresh value of each for every row. */
export interface PlannedDefaults {
  columns: string[];
  values(rowIndex: number): SqlValue[];
}

export function planDefaults(table: Table, listed: readonly Column[], env: PlanEnv, tablePos: Position): PlannedDefaults | undefined {
  if (!(table instanceof MemoryTable) || table.constraints.defaults.size === 0) return undefined;
  const filled: { column: Column; evaluate: () => SqlValue }[] = [];
  table.constraints.defaults.forEach((def, index) => {
    const column = table.columns[index]!;
    if (listed.includes(column)) return;
    // Bound now, with this statement's instant: DEFAULT NOW() is the time of the INSERT.
    const bound = bindExpr(def.expr, { sql: def.sql, params: undefined, scope: null, aggregates: 'INSERT', ...statementValues(env) });
    const evaluate = compileExpr(bound);
    filled.push({ column, evaluate: () => evaluate([]) });
  });
  if (filled.length === 0) return undefined;
  return {
    columns: filled.map((f) => f.column.name),
    values: (rowIndex) =>
      filled.map(({ column, evaluate }) => {
        const value = evaluate();
        const coerced = coerceToType(value, column.type, 'store');
        if (coerced === undefined) {
          throw new SqlError(`The DEFAULT of ${column.name} is ${formatSqlValue(value)}, not a valid ${column.type} (row ${rowIndex + 1})`, env.sql, tablePos);
        }
        return coerced;
      }),
  };
}

/** Writes a request under the statement's conflict rule. */
export type ConflictWrite = (table: Table, request: InsertRequest) => WriteOutcome;

export function planConflict(stmt: InsertNode & { conflict: OnConflictNode }, table: Table, env: PlanEnv, session: Session | undefined): ConflictWrite {
  const { sql } = env;
  const conflict = stmt.conflict;
  const what = conflict.action === 'replace' ? 'INSERT OR REPLACE' : 'ON CONFLICT';
  // Only the session's tables hold unique keys (Name#TEMP is one before its first row).
  const temporary = session?.getTempTable(table.name) === table || isImplicitTempName(table.name);
  if (!temporary || !(table instanceof MemoryTable)) throw new SqlError(`${what} works on temporary tables only; ${table.name} is not one`, sql, conflict.pos);
  if (conflict.action === 'replace') return (live, request) => asMemory(live).upsert(request, { action: 'replace' });
  // The key is looked up again when the statement runs: an index may have come or gone since.
  const target = conflict.target;
  const keyOf = (live: MemoryTable): UniqueKey | undefined => {
    if (!target) return undefined;
    const positions = target.map((ref) => columnIndex(live, ref.name, ref.pos, sql));
    const key = live.constraints.keyOnColumns(positions);
    if (!key) {
      const list = target.map((t) => t.name).join(', ');
      throw new SqlError(`${live.name} has no PRIMARY KEY or UNIQUE constraint on exactly (${list}) for ON CONFLICT to name`, sql, target[0]!.pos);
    }
    return key;
  };
  keyOf(table);
  if (conflict.action === 'nothing') {
    return (live, request) => {
      const key = keyOf(asMemory(live));
      return asMemory(live).upsert(request, { action: 'nothing', ...(key ? { key } : {}) });
    };
  }
  const update = planDoUpdate(conflict, table, stmt.table, env);
  return (live, request) => asMemory(live).upsert(request, { action: 'update', key: keyOf(asMemory(live))!, update });
}

/**
 * DO UPDATE SET c = …, … [WHERE …]: evaluated over the existing row (named by the table) beside
 * the proposed one (named EXCLUDED), as in PostgreSQL.
 */
function planDoUpdate(conflict: Extract<OnConflictNode, { action: 'update' }>, table: MemoryTable, ref: TableRefNode, env: PlanEnv): NonNullable<ConflictRule['update']> {
  const { sql, params } = env;
  const width = table.columns.length;
  const scope = new Scope([
    { name: ref.name, columns: table.columns, offset: 0 },
    { name: 'excluded', columns: table.columns, offset: width },
  ]);
  const context = { sql, params, scope, aggregates: 'INSERT' as const, ...statementValues(env) };
  const sets = conflict.assignments.map((assignment, i) => {
    const index = columnIndex(table, assignment.column, assignment.pos, sql);
    if (conflict.assignments.slice(0, i).some((a) => a.column.toLowerCase() === assignment.column.toLowerCase())) {
      throw new SqlError(`Column ${table.columns[index]!.name} is set more than once`, sql, assignment.pos);
    }
    declareParameterType(assignment.value, table.columns[index]!.type, params);
    return { index, column: table.columns[index]!, value: compileExpr(bindExpr(assignment.value, context)) };
  });
  const where = conflict.where ? compilePredicate(bindExpr(conflict.where, context)) : undefined;
  return (existing, proposed, rowIndex) => {
    const both: Row = [...existing, ...proposed];
    if (where && !where(both)) return undefined;
    const next = [...existing];
    for (const { index, column, value } of sets) {
      const computed = value(both);
      const coerced = coerceToType(computed, column.type, 'store');
      if (coerced === undefined) throw new ColumnValueError(column.name, `${formatSqlValue(computed)} is not a valid ${column.type}`, rowIndex);
      next[index] = coerced;
    }
    return next;
  };
}

function columnIndex(table: Table, name: string, pos: Position, sql: string): number {
  const index = table.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  if (index < 0) {
    const names = table.columns.map((c) => c.name);
    throw new SqlError(`Unknown column ${name} in ${table.name}${suggestionSuffix(name, names)}`, sql, pos);
  }
  return index;
}

function asMemory(table: Table): MemoryTable {
  if (!(table instanceof MemoryTable)) throw new Error(`${table.name} is not a temporary table`);
  return table;
}
