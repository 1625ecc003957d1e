// Errors as the caller of a statement gets them. Tables tell the engine of a problem with
// TableRefusal and ColumnValueError, and the engine places these in the statement where it knows
// which table or column they concern (scan.ts, write-support.ts, exec.ts). One that reaches the
// statement's edge unplaced, raised from deeper (a lookup join planning a fetch while rows are
// read, say), still becomes a SqlError, at the start of the statement: a caller only ever sees
// the exported error classes. So does an operator stopped by MaxIntermediateRows, and a value
// out of its type's range (bigint out of range), at the operator that made it. Anything else
// (StripeApiError, ConnectionError, …) passes as is.

import type { Position } from '../sql/ast.js';
import { positionAt, SqlError } from '../sql/errors.js';
import { IntermediateRowsExceeded } from './operators/row-budget.js';
import { ValueOutOfRange } from './arithmetic.js';
import { ColumnValueError, TableRefusal } from './table.js';
import { toStatementError } from './write-support.js';

export function asStatementError(error: unknown, sql: string): unknown {
  if (error instanceof TableRefusal || error instanceof IntermediateRowsExceeded) return new SqlError(error.message, sql, statementStart(sql));
  if (error instanceof ValueOutOfRange) return new SqlError(error.message, sql, error.pos ?? statementStart(sql));
  if (error instanceof ColumnValueError) return toStatementError(error, [], sql, statementStart(sql));
  return error;
}

function statementStart(sql: string): Position {
  const offset = sql.search(/\S/);
  return positionAt(sql, Math.max(0, offset));
}
