// Binding: substitutes parameters, resolves column names against the FROM table (case-
// insensitively, with suggestions), looks up functions, checks operand types that are known
// statically, and folds every sub-expression made only of constants into a constant — so
// `Amount > ? * 100` reaches pushdown as `Amount > 500`.

import type { ExprNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import type { BoundExpr } from './bound.js';
import { compileExpr } from './expressions.js';
import { findAggregateFunction, findScalarFunction, functionNames } from './functions.js';
import { suggestionSuffix } from './names.js';
import type { Column, DataType, SqlValue } from './table.js';
import { isIntegralType, typeOfValue } from './values.js';

export type ParamValues = readonly unknown[] | Readonly<Record<string, unknown>>;

/** The table rows come from, as queries see it. */
export class Scope {
  private readonly byName = new Map<string, number>();

  constructor(
    readonly tableName: string,
    readonly alias: string | undefined,
    readonly columns: readonly Column[],
  ) {
    columns.forEach((column, index) => {
      const key = column.name.toLowerCase();
      if (!this.byName.has(key)) this.byName.set(key, index);
    });
  }

  indexOf(name: string): number | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Whether `qualifier` names this table (by alias when one is given, else by name). */
  answersTo(qualifier: string): boolean {
    const q = qualifier.toLowerCase();
    return q === this.tableName.toLowerCase() || (this.alias !== undefined && q === this.alias.toLowerCase());
  }
}

export interface BindContext {
  sql: string;
  params: ParamValues | undefined;
  scope: Scope | null;
  /** Where aggregates may appear (the select list and ORDER BY); names the clause otherwise. */
  aggregates: 'allowed' | 'WHERE' | 'INSERT' | 'LIMIT';
}

export function bindExpr(node: ExprNode, ctx: BindContext): BoundExpr {
  return fold(bindNode(node, ctx, false));
}

function bindNode(node: ExprNode, ctx: BindContext, insideAggregate: boolean): BoundExpr {
  const bind = (child: ExprNode): BoundExpr => fold(bindNode(child, ctx, insideAggregate));
  switch (node.kind) {
    case 'literal':
      return { kind: 'const', value: node.value, type: typeOfValue(node.value), pos: node.pos };
    case 'parameter': {
      const value = parameterValue(node, ctx);
      return { kind: 'const', value, type: typeOfValue(value), pos: node.pos };
    }
    case 'column':
      return bindColumn(node, ctx);
    case 'unary': {
      const operand = bind(node.operand);
      if (node.op !== 'NOT') requireNumeric(node.op, operand, ctx);
      return { kind: 'unary', op: node.op, operand, type: node.op === 'NOT' ? 'Boolean' : numericResult(operand.type), pos: node.pos };
    }
    case 'binary': {
      const left = bind(node.left);
      const right = bind(node.right);
      return { kind: 'binary', op: node.op, left, right, type: binaryType(node.op, left, right, ctx), pos: node.pos };
    }
    case 'in':
      return { kind: 'in', expr: bind(node.expr), list: node.list.map(bind), negated: node.negated, type: 'Boolean', pos: node.pos };
    case 'between':
      return {
        kind: 'between',
        expr: bind(node.expr),
        low: bind(node.low),
        high: bind(node.high),
        negated: node.negated,
        type: 'Boolean',
        pos: node.pos,
      };
    case 'like': {
      const escape = node.escape ? bind(node.escape) : undefined;
      if (escape?.kind === 'const' && typeof escape.value === 'string' && escape.value.length !== 1) {
        throw new SqlError('ESCAPE must be a single character', ctx.sql, escape.pos);
      }
      return {
        kind: 'like',
        expr: bind(node.expr),
        pattern: bind(node.pattern),
        ...(escape ? { escape } : {}),
        negated: node.negated,
        type: 'Boolean',
        pos: node.pos,
      };
    }
    case 'isNull':
      return { kind: 'isNull', expr: bind(node.expr), negated: node.negated, type: 'Boolean', pos: node.pos };
    case 'call':
      return bindCall(node, ctx, insideAggregate);
  }
}

function bindCall(node: Extract<ExprNode, { kind: 'call' }>, ctx: BindContext, insideAggregate: boolean): BoundExpr {
  const aggregate = findAggregateFunction(node.name);
  if (aggregate) {
    if (ctx.aggregates !== 'allowed') {
      throw new SqlError(`Aggregate ${aggregate.name} is not allowed in ${ctx.aggregates}`, ctx.sql, node.pos);
    }
    if (insideAggregate) throw new SqlError(`Aggregate ${aggregate.name} cannot be nested in another aggregate`, ctx.sql, node.pos);
    if (node.star) {
      if (!aggregate.allowsStar) throw new SqlError(`${aggregate.name}(*) is not allowed; name a column`, ctx.sql, node.pos);
      return { kind: 'aggregate', fn: aggregate, arg: null, distinct: false, type: aggregate.returnType(null), pos: node.pos };
    }
    if (node.args.length !== 1) {
      throw new SqlError(`${aggregate.name} takes 1 argument, got ${node.args.length}`, ctx.sql, node.pos);
    }
    const arg = fold(bindNode(node.args[0]!, ctx, true));
    return { kind: 'aggregate', fn: aggregate, arg, distinct: node.distinct, type: aggregate.returnType(arg.type), pos: node.pos };
  }
  const fn = findScalarFunction(node.name);
  if (!fn) {
    throw new SqlError(`Unknown function ${node.name}${suggestionSuffix(node.name, functionNames())}`, ctx.sql, node.pos);
  }
  if (node.star || node.distinct) {
    throw new SqlError(`${fn.name} does not accept ${node.star ? '*' : 'DISTINCT'}`, ctx.sql, node.pos);
  }
  if (node.args.length < fn.minArgs || node.args.length > fn.maxArgs) {
    const expected = fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
    throw new SqlError(
      `${fn.name} takes ${expected} argument${expected === '1' ? '' : 's'}, got ${node.args.length}`,
      ctx.sql,
      node.pos,
    );
  }
  const args = node.args.map((arg) => fold(bindNode(arg, ctx, insideAggregate)));
  return { kind: 'call', fn, args, type: fn.returnType(args.map((a) => a.type)), pos: node.pos };
}

function bindColumn(node: Extract<ExprNode, { kind: 'column' }>, ctx: BindContext): BoundExpr {
  const scope = ctx.scope;
  if (!scope) {
    const where = ctx.aggregates === 'INSERT' ? 'INSERT values must be constants or parameters' : 'there is no FROM clause';
    throw new SqlError(`Column ${node.name} cannot be used here: ${where}`, ctx.sql, node.pos);
  }
  if (node.table !== undefined && !scope.answersTo(node.table)) {
    const names = [scope.alias ?? scope.tableName];
    throw new SqlError(`Unknown table or alias ${node.table}${suggestionSuffix(node.table, names)}`, ctx.sql, node.pos);
  }
  const index = scope.indexOf(node.name);
  if (index === undefined) {
    const names = scope.columns.map((c) => c.name);
    throw new SqlError(
      `Unknown column ${node.name} in ${scope.tableName}${suggestionSuffix(node.name, names)}`,
      ctx.sql,
      node.pos,
    );
  }
  const column = scope.columns[index]!;
  return { kind: 'column', index, column, type: column.type, pos: node.pos };
}

// ---------------------------------------------------------------------------------------------
// Parameters

function parameterValue(node: Extract<ExprNode, { kind: 'parameter' }>, ctx: BindContext): SqlValue {
  const label = node.name !== undefined ? `@${node.name.replace(/^@/, '')}` : `?${(node.index ?? 0) + 1}`;
  const raw = lookupParameter(node, ctx.params);
  if (raw === undefined) throw new SqlError(`No value given for parameter ${label}`, ctx.sql, node.pos);
  const value = toSqlValue(raw);
  if (value === undefined) {
    throw new SqlError(`Parameter ${label} has an unsupported type (${describeType(raw)})`, ctx.sql, node.pos);
  }
  return value;
}

function lookupParameter(node: Extract<ExprNode, { kind: 'parameter' }>, params: ParamValues | undefined): unknown {
  if (params === undefined) return undefined;
  if (Array.isArray(params)) {
    return node.name === undefined && node.index !== undefined ? params[node.index] : undefined;
  }
  const record = params as Readonly<Record<string, unknown>>;
  if (node.name === undefined) return node.index !== undefined ? record[String(node.index)] : undefined;
  const bare = node.name.replace(/^@/, '');
  for (const key of [bare, `@${bare}`]) {
    if (Object.hasOwn(record, key)) return record[key];
  }
  const lower = bare.toLowerCase();
  const match = Object.keys(record).find((key) => key.replace(/^@/, '').toLowerCase() === lower);
  return match === undefined ? undefined : record[match];
}

/** JS value → engine value; undefined when the JS value has no SQL meaning. */
export function toSqlValue(raw: unknown): SqlValue | undefined {
  if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'bigint') return Number(raw);
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw;
  return undefined;
}

function describeType(raw: unknown): string {
  if (raw instanceof Date) return 'invalid Date';
  if (typeof raw === 'number') return String(raw);
  return Array.isArray(raw) ? 'array' : typeof raw;
}

// ---------------------------------------------------------------------------------------------
// Types and folding

function numericResult(type: DataType | null): DataType | null {
  return type === null ? null : type === 'String' ? 'Double' : type;
}

function requireNumeric(op: string, operand: BoundExpr, ctx: BindContext): void {
  if (operand.type === 'Datetime' || operand.type === 'Boolean') {
    throw new SqlError(`Operator ${op} cannot be applied to ${operand.type}`, ctx.sql, operand.pos);
  }
}

function binaryType(op: string, left: BoundExpr, right: BoundExpr, ctx: BindContext): DataType | null {
  switch (op) {
    case 'AND':
    case 'OR':
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return 'Boolean';
    case '||':
      return 'String';
  }
  requireNumeric(op, left, ctx);
  requireNumeric(op, right, ctx);
  const [a, b] = [left.type, right.type];
  if (a === null || b === null) return a ?? b ?? null;
  if (isIntegralType(a) && isIntegralType(b)) return a === 'Long' || b === 'Long' ? 'Long' : 'Integer';
  if (a === 'Double' || b === 'Double' || a === 'String' || b === 'String') return 'Double';
  return 'Decimal';
}

/** Replaces an expression whose operands are all constants by its value. */
function fold(expr: BoundExpr): BoundExpr {
  if (expr.kind === 'const' || !foldable(expr)) return expr;
  const value = compileExpr(expr)([]);
  const type = expr.type ?? typeOfValue(value);
  return { kind: 'const', value, type, pos: expr.pos };
}

function foldable(expr: BoundExpr): boolean {
  switch (expr.kind) {
    case 'unary':
      return expr.operand.kind === 'const';
    case 'binary':
      return expr.left.kind === 'const' && expr.right.kind === 'const';
    case 'in':
      return expr.expr.kind === 'const' && expr.list.every((e) => e.kind === 'const');
    case 'between':
      return expr.expr.kind === 'const' && expr.low.kind === 'const' && expr.high.kind === 'const';
    case 'like':
      return expr.expr.kind === 'const' && expr.pattern.kind === 'const' && (!expr.escape || expr.escape.kind === 'const');
    case 'isNull':
      return expr.expr.kind === 'const';
    case 'call':
      return expr.args.every((e) => e.kind === 'const');
    default:
      return false;
  }
}
