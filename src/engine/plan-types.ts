// What planning a statement produces: the public shapes the connection layer consumes.

import type { Position } from '../sql/ast.js';
import type { DataType, ExecContext, Row, SqlValue, WriteResult } from './table.js';
import type { JsonPlanNode } from './plan/explain-json.js';

export interface ResultColumn {
  name: string;
  type: DataType;
  /** The column reads a JSON column of a table as is: its values are JSON text (Column.json). */
  json?: boolean;
  /** The column reads a table's column as is, which names its type (Column.typeName). */
  typeName?: string;
}

export interface QueryPlan {
  kind: 'query';
  columns: ResultColumn[];
  /** A fresh run of the query each call; output rows are arrays aligned with `columns`. */
  rows(ctx: ExecContext): AsyncIterable<Row>;
  /** The same run as batches of rows: what the engine's own operators read (operators/batches.ts). */
  batches(ctx: ExecContext): AsyncIterable<Row[]>;
  explain(): string[];
  /** The plan tree as data (plan/explain-json.ts), where the plan has one. */
  explainJson?(): JsonPlanNode;
  /** A plain SELECT's select list as bound, aligned with `columns`: what INSERT … SELECT checks before running it. */
  origins?: readonly ColumnOrigin[];
}

/** A select-list expression: its type (null while unknown: NULL, an untyped parameter), where it is written, its value when constant. */
export interface ColumnOrigin {
  type: DataType | null;
  pos: Position;
  constant?: { value: SqlValue };
}

export interface WriteStatementResult extends WriteResult {
  /** The rows the statement returns (RETURNING, EXEC), aligned with WritePlan.columns. */
  rows?: Row[];
}

export interface WritePlan {
  kind: 'write';
  /** Present when the statement returns rows: INSERT/UPDATE … RETURNING, EXEC. */
  columns?: ResultColumn[];
  execute(ctx: ExecContext): Promise<WriteStatementResult>;
  explain(): string[];
}

export type StatementPlan = QueryPlan | WritePlan;
