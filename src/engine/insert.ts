// INSERT planning: every check the engine can make (columns exist, are writable and distinct,
// row widths, constant values coerced to each column's type) happens here, before the table's
// insert() is called; the table's own ColumnValueErrors are mapped back onto the statement.

import type { InsertNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, type ParamValues } from './binder.js';
import { suggestionSuffix } from './names.js';
import type { WritePlan } from './plan-types.js';
import { resolveTable } from './resolve-table.js';
import { ColumnValueError, type Catalog, type Column, type SqlValue } from './table.js';
import { coerceToType, formatSqlValue } from './values.js';

export function planInsert(stmt: InsertNode, sql: string, catalog: Catalog, params: ParamValues | undefined): WritePlan {
  const table = resolveTable(stmt.table, sql, catalog);
  if (!table.insert) throw new SqlError(`Table ${table.name} does not support INSERT`, sql, stmt.table.pos);
  if (stmt.columns.length === 0) throw new SqlError('INSERT needs a column list', sql, stmt.table.pos);

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
      const bound = bindExpr(node, { sql, params, scope: null, aggregates: 'INSERT' });
      if (bound.kind !== 'const') throw new SqlError('INSERT values must be constants or parameters', sql, node.pos);
      const value = coerceToType(bound.value, column.type, 'store');
      if (value === undefined) {
        throw new SqlError(`${formatSqlValue(bound.value)} is not a valid ${column.type} (column ${column.name})`, sql, node.pos);
      }
      return value;
    });
  });

  const insert = table.insert.bind(table);
  const names = columns.map((c) => c.name);

  const toSqlError = (error: unknown): unknown => {
    if (!(error instanceof ColumnValueError)) return error;
    const lower = error.column.toLowerCase();
    const ref = stmt.columns.find((c) => c.name.toLowerCase() === lower);
    const row = error.rowIndex !== undefined ? ` (row ${error.rowIndex + 1})` : '';
    return new SqlError(`Column ${error.column}: ${error.message}${row}`, sql, ref?.pos ?? stmt.table.pos);
  };

  return {
    kind: 'write',
    async execute(ctx) {
      try {
        return await insert({ columns: [...names], rows: rows.map((r) => [...r]) }, ctx);
      } catch (error) {
        throw toSqlError(error);
      }
    },
    explain: () => [`Insert into ${table.name} (${names.join(', ')}): ${rows.length} row${rows.length === 1 ? '' : 's'}`],
  };
}
