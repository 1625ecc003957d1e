// INSERT planning: every check the engine can make (the table takes INSERT, columns exist, are
// writable and distinct, row widths, constant values coerced to each column's type) happens
// here, before the table is written; the table's own ColumnValueErrors are mapped back onto the
// statement, each row's outcome is settled (write-outcome.ts), RETURNING reads the rows written.

import type { InsertNode, QueryNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, statementValues } from './binder.js';
import { declareParameterType, type ParameterBinding } from './params.js';
import { suggestionSuffix } from './names.js';
import type { QueryPlan, WritePlan } from './plan-types.js';
import { MemoryTable } from './memory-table.js';
import { planQuery as planQueryIn, type PlanEnv } from './planner.js';
import { planConflict, planDefaults } from './insert-temp.js';
import { planReturning } from './returning.js';
import { isImplicitTempName, type Session } from './session.js';
import { typeOfValue } from './values.js';
import { resolveTable } from './resolve-table.js';
import type { Column, DataType, ExecContext, InsertRequest, Row, SqlValue, Table, WriteOutcome } from './table.js';
import { coerceToType, formatSqlValue } from './values.js';
import { settleOutcome } from './write-outcome.js';
import { checkWritable, isUntyped, refuseTextExpression, storableType, toStatementError, writeContext } from './write-support.js';

export function planInsert(stmt: InsertNode, env: PlanEnv, session?: Session): WritePlan {
  const { sql, catalog, params } = env;
  const planQuery = (query: QueryNode): QueryPlan => planQueryIn(query, env, null);
  let table = catalog.getTable(stmt.table.name);
  let createOnFirstUse = false;
  if (!table && session && isImplicitTempName(stmt.table.name) && stmt.columns.length > 0) {
    table = implicitTempTable(stmt, sql, params, planQuery);
    createOnFirstUse = true;
  }
  table ??= resolveTable(stmt.table, sql, catalog);
  if (!table.insert && !table.insertRows) throw new SqlError(`Table ${table.name} does not support INSERT`, sql, stmt.table.pos);
  // The table's own refusal ("no create endpoint") says more than any column's.
  checkWritable(table, 'INSERT', stmt.columns, sql, stmt.table.pos);
  if (stmt.columns.length === 0) {
    // No column list: every column a row can be given, in table order (as SQL does).
    stmt = { ...stmt, columns: table.columns.filter((c) => !c.pseudo && !c.readOnly).map((c) => ({ name: c.name, pos: stmt.table.pos })) };
    checkWritable(table, 'INSERT', stmt.columns, sql, stmt.table.pos);
  }

  const columns: Column[] = [];
  for (const ref of stmt.columns) {
    const lower = ref.name.toLowerCase();
    const column = table.columns.find((c) => c.name.toLowerCase() === lower);
    if (!column) {
      const names = table.columns.map((c) => c.name);
      throw new SqlError(`Unknown column ${ref.name} in ${table.name}${suggestionSuffix(ref.name, names)}`, sql, ref.pos);
    }
    if (columns.includes(column)) throw new SqlError(`Column ${column.name} is listed more than once`, sql, ref.pos);
    if (column.readOnly) throw new SqlError(`Column ${column.name} is read-only and cannot be inserted`, sql, ref.pos);
    columns.push(column);
  }

  const rows: SqlValue[][] = stmt.rows.map((row, rowIndex) => {
    if (row.length !== columns.length) {
      const at = row[Math.min(row.length, columns.length)] ?? row[0];
      throw new SqlError(
        `VALUES row ${rowIndex + 1} has ${row.length} value${row.length === 1 ? '' : 's'} but ${columns.length} column${columns.length === 1 ? ' is' : 's are'} listed`,
        sql,
        at?.pos ?? stmt.pos,
      );
    }
    return row.map((node, i) => {
      const column = columns[i]!;
      declareParameterType(node, column.type, params);
      const bound = bindExpr(node, { sql, params, scope: null, aggregates: 'INSERT', ...statementValues(env) });
      if (bound.kind !== 'const') throw new SqlError('INSERT values must be constants or parameters', sql, node.pos);
      refuseTextExpression(bound.type, column, isUntyped(node), sql, node.pos);
      const value = coerceToType(bound.value, column.type, 'store');
      if (value === undefined) {
        throw new SqlError(`${formatSqlValue(bound.value)} is not a valid ${column.type} (column ${column.name})`, sql, node.pos);
      }
      return value;
    });
  });

  const target = table;
  const defaults = planDefaults(table, columns, env, stmt.table.pos);
  const names = [...columns.map((c) => c.name), ...(defaults?.columns ?? [])];
  const conflict = stmt.conflict ? planConflict({ ...stmt, conflict: stmt.conflict }, table, env, session) : undefined;
  const returning = stmt.returning ? planReturning(stmt.returning, table, stmt.table, env) : undefined;
  const register = (): void => {
    if (createOnFirstUse && session && !session.getTempTable(target.name)) {
      const created = session.createTempTable(target.name, [...target.columns]);
      for (const row of (target as MemoryTable).rows) created.rows.push(row);
      created.rowsChanged();
    }
  };
  const query = stmt.query ? planQuery(stmt.query) : undefined;
  if (query && query.columns.length !== columns.length) {
    throw new SqlError(
      `The query returns ${query.columns.length} column${query.columns.length === 1 ? '' : 's'} but ${columns.length} ${columns.length === 1 ? 'is' : 'are'} listed`,
      sql,
      stmt.query!.pos,
    );
  }
  if (query) checkQueryValues(query, stmt.query!, columns, sql);
  const coerceRow = (row: SqlValue[], rowIndex: number): SqlValue[] =>
    row.map((value, i) => {
      const column = columns[i]!;
      const coerced = coerceToType(value, column.type, 'store');
      if (coerced === undefined) {
        throw new SqlError(`${formatSqlValue(value)} is not a valid ${column.type} (column ${column.name}, row ${rowIndex + 1})`, sql, stmt.query!.pos);
      }
      return coerced;
    });

  return {
    kind: 'write',
    ...(returning ? { columns: returning.columns } : {}),
    async execute(ctx) {
      let values = rows.map((r) => [...r]);
      if (query) {
        values = [];
        for await (const batch of query.batches(ctx)) for (const row of batch) values.push(coerceRow(row, values.length));
        if (values.length === 0) return { rowsAffected: 0, ...(returning ? { rows: [] } : {}) };
      }
      if (defaults) values = values.map((row, i) => [...row, ...defaults.values(i)]);
      register();
      const live = createOnFirstUse && session ? (session.getTempTable(target.name) ?? target) : target;
      let outcome: WriteOutcome | undefined;
      try {
        const request = { columns: [...names], rows: values, ...(returning ? { returning: returning.neededColumns } : {}) };
        outcome = conflict ? conflict(live, request) : await insertInto(live, request, writeContext(ctx, session));
      } catch (error) {
        throw toStatementError(error, stmt.columns, sql, stmt.table.pos);
      }
      const { written, ...result } = settleOutcome('INSERT', target.name, outcome);
      if (session && result.lastInsertId !== undefined) session.lastInsertId = result.lastInsertId;
      return returning ? { ...result, rows: await returning.project(written, ctx) } : result;
    },
    explain: () =>
      query
        ? [`Insert into ${target.name} (${names.join(', ')}) from query`, ...query.explain().map((l) => `  ${l}`)]
        : [`Insert into ${target.name} (${names.join(', ')}): ${rows.length} row${rows.length === 1 ? '' : 's'}`],
  };
}

/**
 * INSERT … SELECT's values checked before the query reads anything, as UPDATE's SET values
 * are: a constant is coerced as a VALUES one is, and an expression whose type no row could
 * store in the column is refused, as is a text expression into a number column. NULLs, untyped
 * parameters and text into other columns wait for each row.
 */
function checkQueryValues(query: QueryPlan, node: QueryNode, columns: readonly Column[], sql: string): void {
  // The select list as written, when it lines up with the origins (no *): which values are bare literals.
  const items = node.kind === 'select' && node.columns.every((c) => c.kind === 'expr') ? node.columns : undefined;
  if (!query.origins) {
    // A set operation: its column types are resolved (literals become text), as PostgreSQL
    // resolves them; an error points at the first arm's item, as PostgreSQL's does.
    let first: QueryNode = node;
    while (first.kind === 'setOp') first = first.left;
    const firstItems = first.columns;
    query.columns.forEach((c, i) => {
      const item = firstItems.every((f) => f.kind === 'expr') ? firstItems[i] : undefined;
      refuseTextExpression(c.type, columns[i]!, false, sql, item?.kind === 'expr' ? item.expr.pos : node.pos);
    });
  }
  query.origins?.forEach((origin, i) => {
    const column = columns[i]!;
    const item = items?.[i];
    if (item?.kind === 'expr') refuseTextExpression(origin.type, column, isUntyped(item.expr), sql, item.expr.pos);
    else refuseTextExpression(origin.type, column, origin.constant !== undefined, sql, origin.pos);
    if (origin.constant) {
      if (coerceToType(origin.constant.value, column.type, 'store') === undefined) {
        throw new SqlError(`${formatSqlValue(origin.constant.value)} is not a valid ${column.type} (column ${column.name})`, sql, origin.pos);
      }
    } else if (origin.type !== null && !storableType(origin.type, column.type)) {
      throw new SqlError(`A ${origin.type} value cannot be stored in ${column.name} (${column.type})`, sql, origin.pos);
    }
  });
}

/**
 * insertRows when the table reports per row; otherwise insert(), all or nothing, whose rows
 * are then what was sent (a table without insertRows stores values as given: memory tables).
 */
async function insertInto(table: Table, request: InsertRequest, ctx: ExecContext): Promise<WriteOutcome> {
  if (table.insertRows) return table.insertRows(request, ctx);
  const result = await table.insert!(request, ctx);
  const positions = request.columns.map((name) => table.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase()));
  const rows = request.rows.map((values, index) => {
    const row: Row = table.columns.map(() => null);
    positions.forEach((position, i) => (row[position] = values[i] ?? null));
    return { index, ok: true as const, row };
  });
  return { ...result, rows };
}

/** `INSERT INTO Name#TEMP (cols) VALUES …` before the table exists: column types from the first non-NULL value. */
function implicitTempTable(stmt: InsertNode, sql: string, params: ParameterBinding | undefined, planQuery: (query: QueryNode) => QueryPlan): Table {
  const queryTypes = stmt.query ? planQuery(stmt.query).columns.map((c) => c.type) : undefined;
  const columns: Column[] = stmt.columns.map((ref, i) => {
    let type: DataType | null = queryTypes?.[i] ?? null;
    for (const row of stmt.rows) {
      if (type !== null) break;
      const node = row[i];
      if (!node) continue;
      const bound = bindExpr(node, { sql, params, scope: null, aggregates: 'INSERT' });
      if (bound.kind === 'const') type = bound.value === null ? null : (bound.type ?? typeOfValue(bound.value));
    }
    return { name: ref.name, type: type ?? 'String', nullable: true };
  });
  return new MemoryTable(stmt.table.name, columns);
}
