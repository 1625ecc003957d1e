// Bound expressions: the AST after parameters are substituted, names resolved to row indexes,
// functions looked up and constant sub-expressions folded. Every later stage (pushdown,
// compilation, EXPLAIN) works on these, never on raw AST.

import type { BinaryOperator, Position, UnaryOperator } from '../sql/ast.js';
import type { Column, DataType, SqlValue } from './table.js';
import type { AggregateFunction, ScalarFunction } from './functions.js';
import type { QueryPlan } from './plan-types.js';
import type { OuterRow } from './scope.js';
import type { ResolvedType } from './cast.js';

interface BoundBase {
  /** Static type; null when only NULL is known (an untyped NULL literal). */
  type: DataType | null;
  pos: Position;
}

export interface BoundConst extends BoundBase {
  kind: 'const';
  value: SqlValue;
  /**
   * Set while a statement's parameters are inferred or described (no values yet): this NULL
   * stands for parameter slot `param`, and the context may give it a type (engine/params.ts).
   */
  param?: number;
  /** A folded JSON value ('{}'::jsonb, jsonb_build_object(…) of constants): see json-valued.ts. */
  json?: boolean;
  /** A folded cast's declared PostgreSQL type ('1'::int2): see declared-type.ts. */
  typeName?: string;
}

export interface BoundColumn extends BoundBase {
  kind: 'column';
  /** Index into the scanned row (aligned with Table.columns). */
  index: number;
  column: Column;
  /** The source's alias or name, when FROM has several (for EXPLAIN text only). */
  qualifier?: string;
}

/** A reference to an already computed value of the current row (an aggregate's result). */
export interface BoundSlot extends BoundBase {
  kind: 'slot';
  index: number;
  text: string;
  /** A window function's value: the call's number (see windows.ts). */
  window?: number;
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

/** A column of an enclosing query, read from its current row (correlated subquery). */
export interface BoundOuter extends BoundBase {
  kind: 'outer';
  holder: OuterRow;
  index: number;
  column: Column;
}

export interface BoundCase extends BoundBase {
  kind: 'case';
  /** The simple form's operand, compared with each `when`. */
  operand?: BoundExpr;
  whens: { when: BoundExpr; then: BoundExpr }[];
  else?: BoundExpr;
}

/**
 * `a + b - c …`: two or more operators of one precedence level applied left to right, kept flat
 * so that no stage recurses once per operand (see sql/operator-chains.ts). A single operator is
 * a BoundBinary.
 */
export interface BoundChain extends BoundBase {
  kind: 'chain';
  operands: BoundExpr[];
  /** `ops[i]` combines the result so far with `operands[i + 1]`. */
  ops: BinaryOperator[];
  /** The result's type after each operator (integer arithmetic stays integral). */
  types: (DataType | null)[];
}

export interface BoundCast extends BoundBase {
  kind: 'cast';
  expr: BoundExpr;
  target: ResolvedType;
  type: DataType;
  /** TRY_CAST: NULL where the value does not convert. */
  nullOnFailure: boolean;
  /** The statement's text: CAST's error for a value that does not convert, raised while rows are read, points into it. */
  sql: string;
}

/** What a subquery's result is reduced to while the outer row is evaluated. */
export interface SubqueryCell {
  /** Scalar value, EXISTS truth. */
  value: SqlValue;
  /** IN: the subquery's values (NULLs excepted) and whether one was NULL. */
  values?: Set<unknown>;
  /** Quantified comparison: every value, NULLs included. */
  list?: SqlValue[];
  hasNull?: boolean;
}

export interface BoundSubquery extends BoundBase {
  kind: 'subquery';
  mode: 'scalar' | 'exists' | 'in' | 'quantified';
  /** Quantified comparison: `expr op ANY|ALL (…)`. */
  quantified?: { op: import('../sql/ast.js').ComparisonOperator; quantifier: 'ANY' | 'ALL' };
  plan: QueryPlan;
  /** Correlated only: plans the inner query for the current outer row (its values as constants). */
  replan?: () => QueryPlan;
  /** The inner query reads the current row of this (outer) query. */
  correlated: boolean;
  holder: OuterRow;
  /** Filled in before each outer row is evaluated (see subqueries.ts). */
  cell: SubqueryCell;
  /** IN: the left operand. */
  expr?: BoundExpr;
  negated: boolean;
  text: string;
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
  | BoundAggregate
  | BoundOuter
  | BoundCase
  | BoundChain
  | BoundCast
  | BoundSubquery;

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
    case 'chain':
      expr.operands.forEach((e) => walk(e, visit));
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
    case 'case':
      if (expr.operand) walk(expr.operand, visit);
      for (const w of expr.whens) {
        walk(w.when, visit);
        walk(w.then, visit);
      }
      if (expr.else) walk(expr.else, visit);
      break;
    case 'cast':
      walk(expr.expr, visit);
      break;
    case 'subquery':
      if (expr.expr) walk(expr.expr, visit);
      break;
    default:
      break;
  }
}

/** Rebuilds `expr` with `map` applied to every direct child (leaves are returned as they are). */
export function mapChildren(expr: BoundExpr, map: (e: BoundExpr) => BoundExpr): BoundExpr {
  switch (expr.kind) {
    case 'unary':
      return { ...expr, operand: map(expr.operand) };
    case 'binary':
      return { ...expr, left: map(expr.left), right: map(expr.right) };
    case 'chain':
      return { ...expr, operands: expr.operands.map(map) };
    case 'in':
      return { ...expr, expr: map(expr.expr), list: expr.list.map(map) };
    case 'between':
      return { ...expr, expr: map(expr.expr), low: map(expr.low), high: map(expr.high) };
    case 'like':
      return { ...expr, expr: map(expr.expr), pattern: map(expr.pattern), ...(expr.escape ? { escape: map(expr.escape) } : {}) };
    case 'isNull':
      return { ...expr, expr: map(expr.expr) };
    case 'call':
      return { ...expr, args: expr.args.map(map) };
    case 'aggregate':
      return { ...expr, arg: expr.arg ? map(expr.arg) : null };
    case 'case': {
      const out: BoundCase = { ...expr, whens: expr.whens.map((w) => ({ when: map(w.when), then: map(w.then) })) };
      if (expr.operand) out.operand = map(expr.operand);
      if (expr.else) out.else = map(expr.else);
      return out;
    }
    case 'cast':
      return { ...expr, expr: map(expr.expr) };
    case 'subquery':
      return expr.expr ? { ...expr, expr: map(expr.expr) } : expr;
    default:
      return expr;
  }
}

/** The expression reading each column at `map(index)` instead (a row laid out differently). */
export function remapColumns(expr: BoundExpr, map: (index: number) => number): BoundExpr {
  if (expr.kind === 'column') return { ...expr, index: map(expr.index) };
  return mapChildren(expr, (e) => remapColumns(e, map));
}

/** Shifts every column reference by `delta` (moving an expression between row layouts). */
export function shiftColumns(expr: BoundExpr, delta: number): BoundExpr {
  if (delta === 0) return expr;
  if (expr.kind === 'column') return { ...expr, index: expr.index + delta };
  return mapChildren(expr, (e) => shiftColumns(e, delta));
}
