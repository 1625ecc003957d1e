// Bound expressions: the AST after parameters are substituted, names resolved to row indexes,
// functions looked up and constant sub-expressions folded. Every later stage (pushdown,
// compilation, EXPLAIN) works on these, never on raw AST.

import type { BinaryOperator, Position, UnaryOperator } from '../sql/ast.js';
import type { Column, DataType, SqlValue } from './table.js';
import type { AggregateFunction, ScalarFunction } from './functions.js';

interface BoundBase {
  /** Static type; null when only NULL is known (an untyped NULL literal). */
  type: DataType | null;
  pos: Position;
}

export interface BoundConst extends BoundBase {
  kind: 'const';
  value: SqlValue;
}

export interface BoundColumn extends BoundBase {
  kind: 'column';
  /** Index into the scanned row (aligned with Table.columns). */
  index: number;
  column: Column;
}

/** A reference to an already computed value of the current row (an aggregate's result). */
export interface BoundSlot extends BoundBase {
  kind: 'slot';
  index: number;
  text: string;
}

export interface BoundUnary extends BoundBase {
  kind: 'unary';
  op: UnaryOperator;
  operand: BoundExpr;
}

export interface BoundBinary extends BoundBase {
  kind: 'binary';
  op: BinaryOperator;
  left: BoundExpr;
  right: BoundExpr;
}

export interface BoundIn extends BoundBase {
  kind: 'in';
  expr: BoundExpr;
  list: BoundExpr[];
  negated: boolean;
}

export interface BoundBetween extends BoundBase {
  kind: 'between';
  expr: BoundExpr;
  low: BoundExpr;
  high: BoundExpr;
  negated: boolean;
}

export interface BoundLike extends BoundBase {
  kind: 'like';
  expr: BoundExpr;
  pattern: BoundExpr;
  escape?: BoundExpr;
  negated: boolean;
}

export interface BoundIsNull extends BoundBase {
  kind: 'isNull';
  expr: BoundExpr;
  negated: boolean;
}

export interface BoundCall extends BoundBase {
  kind: 'call';
  fn: ScalarFunction;
  args: BoundExpr[];
}

export interface BoundAggregate extends BoundBase {
  kind: 'aggregate';
  fn: AggregateFunction;
  /** Null for COUNT(*). */
  arg: BoundExpr | null;
  distinct: boolean;
}

export type BoundExpr =
  | BoundConst
  | BoundColumn
  | BoundSlot
  | BoundUnary
  | BoundBinary
  | BoundIn
  | BoundBetween
  | BoundLike
  | BoundIsNull
  | BoundCall
  | BoundAggregate;

export function isConst(expr: BoundExpr): expr is BoundConst {
  return expr.kind === 'const';
}

/** Calls `visit` on `expr` and every sub-expression. */
export function walk(expr: BoundExpr, visit: (e: BoundExpr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'unary':
      walk(expr.operand, visit);
      break;
    case 'binary':
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case 'in':
      walk(expr.expr, visit);
      expr.list.forEach((e) => walk(e, visit));
      break;
    case 'between':
      walk(expr.expr, visit);
      walk(expr.low, visit);
      walk(expr.high, visit);
      break;
    case 'like':
      walk(expr.expr, visit);
      walk(expr.pattern, visit);
      if (expr.escape) walk(expr.escape, visit);
      break;
    case 'isNull':
      walk(expr.expr, visit);
      break;
    case 'call':
      expr.args.forEach((e) => walk(e, visit));
      break;
    case 'aggregate':
      if (expr.arg) walk(expr.arg, visit);
      break;
    default:
      break;
  }
}
