// UPDATE and DELETE planning. Everything that can be checked is checked here, before any I/O:
// the table exists and takes the verb, the SET columns exist and can be written, the table's
// own pre-flight (checkWrite), and every SET value that needs no row (converted to its
// column's type, then checkValues) or whose type no row could convert. Execution selects the
// target rows (write-targets.ts), coerces each row's new values to the column types — every
// row before the first write — then hands the rows to the table and reports each one
// (write-outcome.ts).

import type { AssignmentNode, DeleteNode, Position, UpdateNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { suggestionSuffix } from './names.js';
import type { WritePlan } from './plan-types.js';
import type { PlanEnv } from './planner.js';
import { resolveTable } from './resolve-table.js';
import { planReturning } from './returning.js';
import type { Session } from './session.js';
import type { Column, SqlValue, Table } from './table.js';
import { coerceToType, formatSqlValue } from './values.js';
import { settleOutcome } from './write-outcome.js';
import { checkWritable, isUntyped, refuseTextExpression, storableType, toStatementError, writeContext } from './write-support.js';
import { planTargets, type TargetValue } from './write-targets.js';
import { declareParameterType } from './params.js';

export function planUpdate(stmt: UpdateNode, env: PlanEnv, session?: Session): WritePlan {
  const { sql } = env;
  const table = resolveTable(stmt.table, sql, env.catalog);
  if (!table.update) throw new SqlError(`Table ${table.name} does not support UPDATE`, sql, stmt.table.pos);
  const columns = stmt.assignments.map((assignment, i) => assignedColumn(table, stmt.assignments, i, sql));
  const refs = stmt.assignments.map((a) => ({ name: a.column, pos: a.pos }));
  checkWritable(table, 'UPDATE', refs, sql, stmt.table.pos);
  stmt.assignments.forEach((a, i) => declareParameterType(a.value, columns[i]!.type, env.params));
  const targets = planTargets({ table, ref: stmt.table, where: stmt.where, values: stmt.assignments.map((a) => a.value) }, env);
  checkNewValues(table, columns, stmt.assignments, targets.values, sql, stmt.table.pos, session);
  const returning = stmt.returning ? planReturning(stmt.returning, table, stmt.table, env) : undefined;
  const setList = columns.map((c) => c.name).join(', ');

  return {
    kind: 'write',
    ...(returning ? { columns: returning.columns } : {}),
    async execute(ctx) {
      const rows = (await targets.rows(ctx)).map((target, rowIndex) => ({
        key: target.key,
        set: Object.fromEntries(columns.map((column, i) => [column.name, newValue(column, target.values[i] ?? null, stmt.assignments[i]!, rowIndex, sql)])),
      }));
      if (rows.length === 0) return { rowsAffected: 0, ...(returning ? { rows: [] } : {}) };
      let outcome;
      try {
        outcome = await table.update!({ rows, ...(returning ? { returning: returning.neededColumns } : {}) }, writeContext(ctx, session));
      } catch (error) {
        throw toStatementError(error, refs, sql, stmt.table.pos);
      }
      const { written, ...result } = settleOutcome('UPDATE', table.name, outcome);
      return returning ? { ...result, rows: await returning.project(written, ctx) } : result;
    },
    explain: () => [`Update ${table.name} set ${setList}`, ...targets.explain().map((line) => `  ${line}`)],
  };
}

export function planDelete(stmt: DeleteNode, env: PlanEnv, session?: Session): WritePlan {
  const { sql } = env;
  const table = resolveTable(stmt.table, sql, env.catalog);
  if (!table.delete) throw new SqlError(`Table ${table.name} does not support DELETE`, sql, stmt.table.pos);
  checkWritable(table, 'DELETE', [], sql, stmt.table.pos);
  const targets = planTargets({ table, ref: stmt.table, where: stmt.where, values: [] }, env);

  return {
    kind: 'write',
    async execute(ctx) {
      const keys = (await targets.rows(ctx)).map((target) => target.key);
      if (keys.length === 0) return { rowsAffected: 0 };
      let outcome;
      try {
        outcome = await table.delete!({ keys }, writeContext(ctx, session));
      } catch (error) {
        throw toStatementError(error, [], sql, stmt.table.pos);
      }
      const { written: _, ...result } = settleOutcome('DELETE', table.name, outcome);
      return result;
    },
    explain: () => [`Delete from ${table.name}`, ...targets.explain().map((line) => `  ${line}`)],
  };
}

/** The column `SET name = …` names, refused when unknown, repeated, or (for tables that do not check for themselves) read-only. */
function assignedColumn(table: Table, assignments: readonly AssignmentNode[], index: number, sql: string): Column {
  const assignment = assignments[index]!;
  const lower = assignment.column.toLowerCase();
  const column = table.columns.find((c) => c.name.toLowerCase() === lower);
  if (!column) {
    const names = table.columns.map((c) => c.name);
    throw new SqlError(`Unknown column ${assignment.column} in ${table.name}${suggestionSuffix(assignment.column, names)}`, sql, assignment.pos);
  }
  if (assignments.slice(0, index).some((a) => a.column.toLowerCase() === lower)) {
    throw new SqlError(`Column ${column.name} is set more than once`, sql, assignment.pos);
  }
  if (!table.checkWrite && column.readOnly) throw new SqlError(`Column ${column.name} is read-only and cannot be updated`, sql, assignment.pos);
  return column;
}

/**
 * Every SET value, checked while planning so that a refused UPDATE sends nothing, not even the
 * read of its WHERE: a constant is converted to its column's type and offered to the table's
 * own check; an expression whose type no row could convert is refused, as is a text expression
 * into a number column (PostgreSQL's 42804). Only what depends on the row (text into a
 * Boolean or Datetime column) is left for each row.
 */
function checkNewValues(
  table: Table, columns: Column[], assignments: readonly AssignmentNode[], values: TargetValue[], sql: string, tablePos: Position, session: Session | undefined,
): void {
  const constants: Record<string, SqlValue> = {};
  values.forEach((value, i) => {
    const column = columns[i]!;
    const assignment = assignments[i]!;
    // A constant string is text (no other type's value is a JS string).
    refuseTextExpression(value.constant ? (typeof value.value === 'string' ? 'String' : null) : value.type, column, isUntyped(assignment.value), sql, assignment.value.pos);
    if (value.constant) constants[column.name] = newValue(column, value.value, assignment, undefined, sql);
    else if (value.type !== null && !storableType(value.type, column.type)) {
      throw new SqlError(`A ${value.type} value cannot be stored in ${column.name} (${column.type})`, sql, assignment.value.pos);
    }
  });
  if (!table.checkValues || Object.keys(constants).length === 0) return;
  try {
    table.checkValues('UPDATE', constants, writeContext({}, session));
  } catch (error) {
    throw toStatementError(error, assignments.map((a) => ({ name: a.column, pos: a.pos })), sql, tablePos);
  }
}

function newValue(column: Column, value: SqlValue, assignment: AssignmentNode, rowIndex: number | undefined, sql: string): SqlValue {
  const coerced = coerceToType(value, column.type, 'store');
  if (coerced === undefined) {
    const row = rowIndex === undefined ? '' : `, row ${rowIndex + 1}`;
    throw new SqlError(`${formatSqlValue(value)} is not a valid ${column.type} (column ${column.name}${row})`, sql, assignment.value.pos);
  }
  return coerced;
}
