// What every write statement (INSERT, UPDATE, DELETE) shares: the table's pre-flight check
// mapped onto the statement, the errors a table throws mapped onto the columns that caused
// them, and the execution context that lets a table read temporary tables by name.

import type { ExprNode, Position } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import type { Session } from './session.js';
import { ColumnValueError, TableRefusal, type Column, type DataType, type ExecContext, type SqlValue, type Table, type WriteVerb } from './table.js';
import { isNumericType } from './values.js';

export interface ColumnRef {
  name: string;
  pos: Position;
}

/** Runs the table's checkWrite while planning; a refusal becomes a SqlError at the culprit. */
export function checkWritable(table: Table, verb: WriteVerb, columns: readonly ColumnRef[], sql: string, tablePos: Position): void {
  if (!table.checkWrite) return;
  try {
    table.checkWrite(verb, columns.map((c) => c.name));
  } catch (error) {
    // The table refusing the statement as a whole ("no DELETE endpoint"); a plain Error from a table that predates TableRefusal says the same.
    if (error instanceof TableRefusal || (error instanceof Error && error.constructor === Error)) throw new SqlError(error.message, sql, tablePos);
    throw toStatementError(error, columns, sql, tablePos);
  }
}

/** A table's ColumnValueError as a SqlError pointing at the column in the statement. */
export function toStatementError(error: unknown, columns: readonly ColumnRef[], sql: string, tablePos: Position): unknown {
  if (error instanceof ColumnValueError) {
    const lower = error.column.toLowerCase();
    const ref = columns.find((c) => c.name.toLowerCase() === lower);
    const row = error.rowIndex !== undefined ? ` (row ${error.rowIndex + 1})` : '';
    // "Email: must contain @" — unless the message already starts with the column's name.
    const message = error.message.startsWith(error.column) ? error.message : `Column ${error.column}: ${error.message}`;
    return new SqlError(`${message}${row}`, sql, ref?.pos ?? tablePos);
  }
  return error;
}

/** The context a write runs with: the caller's, plus the session's temporary tables by name. */
export function writeContext(ctx: ExecContext, session: Session | undefined): ExecContext {
  if (!session || ctx.resolveTempTable) return ctx;
  return {
    ...ctx,
    resolveTempTable(name: string): Record<string, SqlValue>[] | undefined {
      const table = session.getTempTable(name);
      if (!table) return undefined;
      return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i] ?? null])));
    },
  };
}

/**
 * Whether some value of type `from` converts to a column of type `to` (coerceToType's 'store'
 * rules): a write whose expression fails this is refused while planning; text, which may or
 * may not spell a number, is checked row by row.
 */
export function storableType(from: DataType, to: DataType): boolean {
  if (from === to || from === 'String' || to === 'String') return true;
  const temporal = (t: DataType): boolean => t === 'Datetime' || t === 'Date';
  if (temporal(to) || temporal(from)) return temporal(to) && temporal(from);
  // Numbers convert to numbers, and 0 or 1 to a Boolean; a Boolean is no number.
  return from !== 'Boolean';
}

/** PostgreSQL's names of the engine's types, as its messages spell them. */
const PG_TYPE_NAMES: Readonly<Record<DataType, string>> = {
  String: 'text', Boolean: 'boolean', Integer: 'integer', Long: 'bigint', Decimal: 'numeric', Double: 'double precision',
  Datetime: 'timestamp with time zone', Date: 'date', Interval: 'interval', Array: 'array', Record: 'record',
};

/**
 * PostgreSQL's rule for text written to a column of another type (a number, boolean, timestamp,
 * date or interval; INSERT values, INSERT … SELECT's select list, UPDATE's SET): an untyped
 * string literal ('42', 'true') is read as the column's type, and refused when it does not
 * spell one (22P02); a parameter takes the column's type; but an expression of type text (a
 * text column, a concatenation, a function returning text) has no assignment cast to those
 * types, so the statement is refused while it is planned, before any row is read or any
 * request sent: `column "x" is of type integer but expression is of type text` (42804), at
 * the expression.
 */
export function refuseTextExpression(type: DataType | null, column: Column, untyped: boolean, sql: string, pos: Position): void {
  if (type !== 'String' || untyped || column.type === 'String') return;
  throw new SqlError(`column "${column.name}" is of type ${PG_TYPE_NAMES[column.type]} but expression is of type text`, sql, pos);
}

/** A string literal or a parameter as written: what PostgreSQL types by where it goes. */
export function isUntyped(node: ExprNode): boolean {
  return node.kind === 'literal' || node.kind === 'parameter';
}
