// Binding: substitutes parameters (typing each from its context, see params.ts), resolves
// column names against the FROM table (case-insensitively, with suggestions), looks up
// functions, checks operand types that are known statically, and folds every sub-expression
// made only of constants into a constant — so `Amount > ? * 100` reaches pushdown as `Amount > 500`.

import type { BinaryNode, ExprNode, OrderByItemNode, QueryNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { continuesChain, sameLevel } from '../sql/operator-chains.js';
import type { BoundChain, BoundExpr } from './bound.js';
import { castFailure, castValue, checkCastable, isKnownTypeName, resolveTypeName } from './cast.js';
import type { QueryPlan } from './plan-types.js';
import { Scope } from './scope.js';
import { compileExpr } from './expressions.js';
import { isCaseInsensitive, lowerCased } from './collation.js';
import { isJsonValued } from './json-valued.js';
import { orderedInput } from './functions/ordered-input.js';
import { declaredTypeName } from './declared-type.js';
import { temporalOperator } from './temporal.js';
import { Interval } from './interval.js';
import { findAggregateFunction, findScalarFunction, functionNames, type AggregateFunction, type ScalarFunction } from './functions.js';
import { suggestionSuffix } from './names.js';
import { foreignSpellingHint } from './foreign-spellings.js';
import type { ParameterBinding } from './params.js';
import type { Catalog, DataType, SqlValue } from './table.js';
import { BIGINT_MAX, BIGINT_MIN, coerceToType, isIntegralType, isNumericType, parseInteger, startOfUtcDay, typeOfValue } from './values.js';
import { Numeric } from './numeric.js';

export type { ParamValues } from './params.js';

export { Scope } from './scope.js';

export interface BindContext {
  sql: string;
  /** How the statement's placeholders bind (values, or typed placeholders while inferring); absent when it has none. */
  params: ParameterBinding | undefined;
  scope: Scope | null;
  /** Where aggregates may appear (the select list and ORDER BY); names the clause otherwise. */
  aggregates: 'allowed' | 'WHERE' | 'INSERT' | 'LIMIT' | 'GROUP BY' | 'ON' | 'an aggregate';
  /** Plans a subquery with `outer` as its enclosing scope; absent where subqueries are not allowed. */
  planSubquery?: (query: QueryNode, outer: Scope | null) => QueryPlan;
  /** Binds a window function call (`… OVER (…)`); absent where windows are not allowed. */
  bindWindow?: (node: Extract<ExprNode, { kind: 'call' }>) => BoundExpr;
  /** The statement's instant, which NOW() and its synonyms return everywhere in it. */
  now?: Date;
  /** What SCOPE_IDENTITY() returns: the Id the session's last INSERT created. */
  lastInsertId?: string | null;
  /** The catalog's own functions (Catalog.function), found after the engine's. */
  catalogFunction?: (name: string) => ScalarFunction | undefined;
}

/** What the binder needs of the statement itself: NOW()'s instant, SCOPE_IDENTITY()'s Id, the catalog's functions. */
export function statementValues(env: { now: Date; lastInsertId?: string | null; catalog?: Catalog }): Pick<BindContext, 'now' | 'lastInsertId' | 'catalogFunction'> {
  const catalog = env.catalog;
  return { now: env.now, lastInsertId: env.lastInsertId ?? null, ...(catalog?.function ? { catalogFunction: (name: string) => catalog.function!(name) } : {}) };
}

export function bindExpr(node: ExprNode, ctx: BindContext): BoundExpr {
  return fold(bindNode(node, ctx, false));
}

function bindNode(node: ExprNode, ctx: BindContext, insideAggregate: boolean): BoundExpr {
  const bind = (child: ExprNode): BoundExpr => fold(bindNode(child, ctx, insideAggregate));
  switch (node.kind) {
    case 'literal':
      return bindLiteral(node, ctx.sql);
    case 'parameter':
      return bindParameter(node, ctx);
    case 'column':
      return bindColumn(node, ctx);
    case 'unary': {
      const operand = node.op === 'NOT' ? typed(bind(node.operand), 'Boolean', ctx) : bind(node.operand);
      if (node.op !== 'NOT' && operand.type === 'Interval') return node.op === '+' ? operand : temporalNegation(operand, node.pos);
      if (node.op !== 'NOT') requireNumeric(node.op, operand, ctx);
      return { kind: 'unary', op: node.op, operand, type: node.op === 'NOT' ? 'Boolean' : numericResult(operand.type), pos: node.pos };
    }
    case 'binary': {
      if (node.op === 'AND' || node.op === 'OR') return bindLogicalChain(node, (child) => typed(bind(child), 'Boolean', ctx));
      if (continuesChain(node.left, node)) return bindOperatorChain(node, ctx, bind);
      const boundLeft = bind(node.left);
      const boundRight = unknownBesideDate(node, boundLeft, bind(node.right), ctx);
      const temporal = temporalCall(node.op, boundLeft, boundRight, node.pos);
      if (temporal) return temporal;
      let [left, right] = operandsTyped(node.op, boundLeft, boundRight, ctx);
      if ((node.op === '=' || node.op === '<>') && (isCaseInsensitive(left) || isCaseInsensitive(right))) [left, right] = [lowerCased(left), lowerCased(right)];
      return { kind: 'binary', op: node.op, left, right, type: binaryType(node.op, left, right, ctx), pos: node.pos };
    }
    case 'in': {
      const [expr, ...list] = typedAlike([bind(node.expr), ...node.list.map(bind)], ctx);
      if (isCaseInsensitive(expr!)) return { kind: 'in', expr: lowerCased(expr!), list: list.map(lowerCased), negated: node.negated, type: 'Boolean', pos: node.pos };
      return { kind: 'in', expr: expr!, list, negated: node.negated, type: 'Boolean', pos: node.pos };
    }
    case 'between': {
      const [expr, low, high] = typedAlike([bind(node.expr), bind(node.low), bind(node.high)], ctx);
      const [dateLow, dateHigh] = [textAsDate(low!, expr!), textAsDate(high!, expr!)];
      return { kind: 'between', expr: expr!, low: dateLow, high: dateHigh, negated: node.negated, type: 'Boolean', pos: node.pos };
    }
    case 'like': {
      const escape = node.escape ? typed(bind(node.escape), 'String', ctx) : undefined;
      if (escape?.kind === 'const' && typeof escape.value === 'string' && escape.value.length !== 1) {
        throw new SqlError('ESCAPE must be a single character', ctx.sql, escape.pos);
      }
      const expr = typed(bind(node.expr), 'String', ctx);
      const pattern = typed(bind(node.pattern), 'String', ctx);
      const folded = isCaseInsensitive(expr);
      return {
        kind: 'like',
        expr: folded ? lowerCased(expr) : expr,
        pattern: folded ? lowerCased(pattern) : pattern,
        ...(escape ? { escape } : {}),
        negated: node.negated,
        type: 'Boolean',
        pos: node.pos,
      };
    }
    case 'isNull':
      return { kind: 'isNull', expr: bind(node.expr), negated: node.negated, type: 'Boolean', pos: node.pos };
    case 'call':
      if (node.orderBy && (node.over || !findAggregateFunction(node.name))) {
        throw new SqlError(`ORDER BY inside the parentheses applies to aggregates only (string_agg(x, ',' ORDER BY y)), not to ${node.over ? 'a window call' : node.name}`, ctx.sql, node.orderBy[0]!.pos);
      }
      if (node.over) {
        if (!ctx.bindWindow) throw new SqlError(`Window function ${node.name} is allowed only in the select list and ORDER BY`, ctx.sql, node.pos);
        return ctx.bindWindow(node);
      }
      return bindCall(node, ctx, insideAggregate);
    case 'case': {
      // The simple form compares the operand with each WHEN; the searched form tests each WHEN.
      let operand = node.operand ? bind(node.operand) : undefined;
      let conditions = node.whens.map((w) => bind(w.when));
      if (operand) [operand, ...conditions] = typedAlike([operand, ...conditions], ctx);
      else conditions = conditions.map((c) => typed(c, 'Boolean', ctx));
      const results = typedAlike([...node.whens.map((w) => bind(w.then)), ...(node.else ? [bind(node.else)] : [])], ctx);
      const whens = conditions.map((when, i) => ({ when, then: results[i]! }));
      const otherwise = node.else ? results.at(-1) : undefined;
      const type = unifyTypes(results.map((r) => r.type));
      return { kind: 'case', ...(operand ? { operand } : {}), whens, ...(otherwise ? { else: otherwise } : {}), type, pos: node.pos };
    }
    case 'cast': {
      // A type the engine does not know may be the catalog's (PostgreSQL's regclass): its function converts.
      const convert = isKnownTypeName(node.type.name) ? undefined : ctx.catalogFunction?.(node.type.name);
      if (convert && convert.minArgs <= 1 && convert.maxArgs >= 1) {
        const arg = bind(node.expr);
        return { kind: 'call', fn: convert, args: [arg], type: convert.returnType([arg.type]), pos: node.pos };
      }
      const target = resolveTypeName(node.type, ctx.sql);
      const expr = typed(bind(node.expr), target.type, ctx);
      const named = target.type === 'String' ? objectNameOf(node.expr, expr, ctx) : undefined;
      if (named) return named;
      checkCastable(expr.type, target, ctx.sql, node.pos);
      return { kind: 'cast', expr, target, type: target.type, nullOnFailure: node.nullOnFailure === true, sql: ctx.sql, pos: node.pos };
    }
    case 'subquery':
    case 'exists':
    case 'inSubquery':
    case 'quantified':
      return bindSubquery(node, ctx, bind);
  }
}

/** `a AND b AND …` / `a OR b OR …` as the parser nests them (left-deep), bound without recursing per term and rebuilt balanced so later stages stay shallow too. */
function bindLogicalChain(node: BinaryNode, bind: (child: ExprNode) => BoundExpr): BoundExpr {
  const op = node.op;
  const operands: ExprNode[] = [];
  let current: ExprNode = node;
  while (current.kind === 'binary' && current.op === op) {
    operands.push(current.right);
    current = current.left;
  }
  operands.push(current);
  operands.reverse();
  const bound = operands.map(bind);
  const build = (from: number, to: number): BoundExpr => {
    if (to - from === 1) return bound[from]!;
    const middle = (from + to) >>> 1;
    const left = build(from, middle);
    const right = build(middle, to);
    return fold({ kind: 'binary', op, left, right, type: 'Boolean', pos: left.pos });
  };
  return build(0, bound.length);
}

/**
 * `a + b - c …` (operators of one level, left-deep as parsed): bound without recursing per
 * term into one chain node, typed step by step as the binary nodes would be. A constant
 * prefix folds (`1 + 2 + x` is `3 + x`); a single operator left over stays a binary node.
 */
function bindOperatorChain(node: BinaryNode, ctx: BindContext, bind: (child: ExprNode) => BoundExpr): BoundExpr {
  const steps: BinaryNode[] = [];
  let first: ExprNode = node;
  for (; first.kind === 'binary' && sameLevel(first.op, node.op); first = first.left) steps.push(first);
  steps.reverse();
  let result = bind(first);
  let chain: BoundChain | undefined;
  for (const step of steps) {
    const next = bind(step.right);
    // Date arithmetic leaves the numeric chain: its steps are calls (temporal.ts).
    const temporal = temporalCall(step.op, result, next, step.pos);
    if (temporal) {
      result = temporal;
      chain = undefined;
      continue;
    }
    const [left, right] = operandsTyped(step.op, result, next, ctx);
    const type = binaryType(step.op, left, right, ctx);
    if (chain) {
      chain.operands.push(right);
      chain.ops.push(step.op);
      chain.types.push(type);
      chain.type = type;
    } else if (left.kind === 'const' && right.kind === 'const') {
      result = fold({ kind: 'binary', op: step.op, left, right, type, pos: step.pos });
      continue;
    } else {
      chain = { kind: 'chain', operands: [left, right], ops: [step.op], types: [type], type, pos: step.pos };
    }
    result = chain;
  }
  if (chain?.ops.length !== 1) return result;
  return { kind: 'binary', op: chain.ops[0]!, left: chain.operands[0]!, right: chain.operands[1]!, type: chain.type, pos: chain.pos };
}

function bindSubquery(
  node: Extract<ExprNode, { kind: 'subquery' | 'exists' | 'inSubquery' | 'quantified' }>,
  ctx: BindContext,
  bind: (child: ExprNode) => BoundExpr,
): BoundExpr {
  if (!ctx.planSubquery) throw new SqlError('A subquery is not allowed here', ctx.sql, node.pos);
  const scope = ctx.scope;
  const wasCorrelated = scope?.correlated ?? false;
  if (scope) scope.correlated = false;
  // The inner query reads outer columns through `scope.outerRow`; a fresh flag tells whether it did.
  const plan = ctx.planSubquery(node.query, scope);
  const correlated = scope?.correlated ?? false;
  if (scope) scope.correlated = wasCorrelated || correlated;
  const holder = scope?.outerRow ?? { row: [] };
  const planSubquery = ctx.planSubquery;
  // Re-planned for each outer row with that row's values as constants, so they reach pushdown.
  const replan =
    correlated && scope
      ? (): QueryPlan => {
          scope.frozen = true;
          try {
            return planSubquery(node.query, scope);
          } finally {
            scope.frozen = false;
          }
        }
      : undefined;
  const base = { kind: 'subquery' as const, plan, correlated, holder, cell: { value: null }, ...(replan ? { replan } : {}), pos: node.pos };
  if (node.kind === 'subquery') {
    if (plan.columns.length !== 1) {
      throw new SqlError(`A subquery used as a value must return one column; this one returns ${plan.columns.length}`, ctx.sql, node.pos);
    }
    return { ...base, mode: 'scalar', negated: false, type: plan.columns[0]!.type, text: '(subquery)' };
  }
  if (node.kind === 'exists') return { ...base, mode: 'exists', negated: node.negated, type: 'Boolean', text: 'EXISTS (subquery)' };
  const after = node.kind === 'quantified' ? node.quantifier : 'IN';
  if (plan.columns.length !== 1) {
    throw new SqlError(`The subquery after ${after} must return one column; this one returns ${plan.columns.length}`, ctx.sql, node.pos);
  }
  const expr = typed(bind(node.expr), plan.columns[0]!.type, ctx);
  if (node.kind === 'quantified') {
    const quantified = { op: node.op, quantifier: node.quantifier };
    return { ...base, mode: 'quantified', quantified, expr, negated: false, type: 'Boolean', text: `${node.op} ${node.quantifier} (subquery)` };
  }
  return { ...base, mode: 'in', expr, negated: node.negated, type: 'Boolean', text: `${node.negated ? 'NOT IN' : 'IN'} (subquery)` };
}

/**
 * A literal. A number is read from its text, as PostgreSQL reads it: with a point or exponent
 * it is an exact numeric (0.1 + 0.2 = 0.3); an integer is Integer, Long beyond 32 bits (a bigint
 * past 2^53, every digit kept) and numeric beyond bigint's range.
 */
function bindLiteral(node: Extract<ExprNode, { kind: 'literal' }>, sql: string): BoundExpr {
  const text = typeof node.value === 'number' ? numberText(node.value, node.pos.offset, sql) : undefined;
  if (text !== undefined) {
    const exact = node.isDecimal ? null : parseInteger(text);
    if (exact !== null && exact >= BIGINT_MIN && exact <= BIGINT_MAX) return { kind: 'const', value: exact, type: typeOfValue(exact), pos: node.pos };
    const numeric = Numeric.parse(text);
    if (numeric !== null) return { kind: 'const', value: numeric, type: 'Decimal', pos: node.pos };
  }
  return { kind: 'const', value: node.value, type: node.isDecimal ? 'Decimal' : typeOfValue(node.value), pos: node.pos };
}

const NUMBER_TOKEN = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

/**
 * A number literal's digits as the statement writes them (the parser keeps only the double):
 * read at its position, a folded minus included, and used only when it is the literal the
 * parser read; undefined otherwise (a literal the parser made itself).
 */
function numberText(value: number, offset: number, sql: string): string | undefined {
  let at = offset;
  let sign = '';
  if (sql[at] === '-') {
    sign = '-';
    at++;
    while (at < sql.length && /\s/.test(sql[at]!)) at++;
  }
  NUMBER_TOKEN.lastIndex = at;
  const match = NUMBER_TOKEN.exec(sql);
  if (!match) return undefined;
  const text = sign + match[0];
  return Number(text) === value ? text : undefined;
}

/** The common type of CASE branches / set operation columns: numeric types widen, else the first known. */
export function unifyTypes(types: (DataType | null)[]): DataType | null {
  let result: DataType | null = null;
  for (const t of types) {
    if (t === null) continue;
    if (result === null || result === t) {
      result = t;
      continue;
    }
    if (isNumericType(result) && isNumericType(t)) {
      const rank = (x: DataType): number => ['Integer', 'Long', 'Decimal', 'Double'].indexOf(x);
      result = rank(t) > rank(result) ? t : result;
      continue;
    }
    // A date beside a timestamp is its midnight, as PostgreSQL promotes it.
    if ((result === 'Date' || result === 'Datetime') && (t === 'Date' || t === 'Datetime')) {
      result = 'Datetime';
      continue;
    }
    result = 'String';
  }
  return result;
}

/** `left op right` as date arithmetic (temporal.ts), folded when both are constants; undefined when not date arithmetic. */
function temporalCall(op: string, left: BoundExpr, right: BoundExpr, pos: BoundExpr['pos']): BoundExpr | undefined {
  const fn = temporalOperator(op, left, right);
  if (!fn) return undefined;
  return fold({ kind: 'call', fn, args: [left, right], type: fn.returnType([left.type, right.type]), pos });
}

/**
 * `'customers'::regclass::text`: a catalog object type's text is the object's name, as in
 * PostgreSQL, not the OID the engine holds for it. Its function, given the OID, gives the name.
 */
function objectNameOf(node: ExprNode, bound: BoundExpr, ctx: BindContext): BoundExpr | undefined {
  if (node.kind !== 'cast' || isKnownTypeName(node.type.name)) return undefined;
  const fn = ctx.catalogFunction?.(node.type.name);
  if (!fn || fn.minArgs > 1 || fn.maxArgs < 1 || fn.returnType([bound.type]) !== 'String') return undefined;
  return fold({ kind: 'call', fn, args: [bound], type: 'String', pos: bound.pos });
}

/**
 * A string literal beside a date, as PostgreSQL types it: `date + '1 day'` is ambiguous there
 * (date + integer or date + interval?) and refused at the operator, so it is here; `date − '…'`
 * reads the text as a date (date − date, a number of days). The right operand, typed.
 */
function unknownBesideDate(node: Extract<ExprNode, { kind: 'binary' }>, left: BoundExpr, right: BoundExpr, ctx: BindContext): BoundExpr {
  const literal = (n: ExprNode): n is Extract<ExprNode, { kind: 'literal' }> => n.kind === 'literal' && typeof n.value === 'string';
  if (node.op === '+' && ((left.type === 'Date' && literal(node.right)) || (right.type === 'Date' && literal(node.left)))) {
    const [a, b] = left.type === 'Date' ? ['date', 'unknown'] : ['unknown', 'date'];
    throw new SqlError(`Operator is not unique: ${a} + ${b}; write INTERVAL '…' to add an interval, or a whole number to add days`, ctx.sql, node.operatorPos ?? node.pos);
  }
  if (node.op === '-' && left.type === 'Date' && literal(node.right) && right.kind === 'const' && typeof right.value === 'string') {
    const day = coerceToType(right.value, 'Date', 'compare');
    if (!(day instanceof Date)) throw new SqlError(`Invalid input syntax for type date: "${right.value}"; write INTERVAL '…' to subtract an interval`, ctx.sql, node.right.pos);
    return { ...right, value: day, type: 'Date' };
  }
  return right;
}

/** `-interval`. */
function temporalNegation(operand: BoundExpr, pos: BoundExpr['pos']): BoundExpr {
  const zero: BoundExpr = { kind: 'const', value: new Interval(0, 0, 0), type: 'Interval', pos };
  return temporalCall('-', zero, operand, pos)!;
}

/** An aggregate's constant argument (string_agg's delimiter): a literal or parameter, never a column. */
function constantArgument(node: ExprNode, name: string, ctx: BindContext): SqlValue {
  const refuse = (): SqlError => new SqlError(`${name}'s argument here must be a constant`, ctx.sql, node.pos);
  let bound: BoundExpr;
  try {
    bound = fold(bindNode(node, { ...ctx, scope: null }, true));
  } catch (error) {
    if (error instanceof SqlError) throw refuse();
    throw error;
  }
  if (bound.kind !== 'const') throw refuse();
  return bound.value;
}

function bindCall(node: Extract<ExprNode, { kind: 'call' }>, ctx: BindContext, insideAggregate: boolean): BoundExpr {
  const aggregate = findAggregateFunction(node.name);
  if (aggregate) {
    if (ctx.aggregates !== 'allowed') {
      throw new SqlError(`Aggregate ${aggregate.name} is not allowed in ${ctx.aggregates}`, ctx.sql, node.pos);
    }
    if (insideAggregate) throw new SqlError(`Aggregate ${aggregate.name} cannot be nested in another aggregate`, ctx.sql, node.pos);
    const bound = bindAggregateCall(node, aggregate, ctx);
    if (!node.filter) return bound;
    // agg(x) FILTER (WHERE c) is agg(CASE WHEN c THEN x END): the rows c rejects add nothing.
    const condition = fold(bindNode(node.filter, { ...ctx, aggregates: 'an aggregate' }, true));
    const one: BoundExpr = { kind: 'const', value: 1, type: 'Integer', pos: node.pos };
    const input = bound.arg ?? one;
    const filtered: BoundExpr = { kind: 'case', whens: [{ when: condition, then: input }], type: input.type, pos: node.filter.pos };
    return { ...bound, arg: filtered };
  }
  const fn = findScalarFunction(node.name) ?? ctx.catalogFunction?.(node.name);
  if (!fn && isKnownTypeName(node.name) && node.args.length === 1 && !node.star && !node.distinct) {
    // PostgreSQL reads a type name called as a function as a cast: date(ts), int8(x), text(n).
    return bindNode({ kind: 'cast', expr: node.args[0]!, type: { name: node.name, args: [], pos: node.pos }, pos: node.pos }, ctx, insideAggregate);
  }
  if (!fn) {
    const hint = foreignSpellingHint(node.name) || suggestionSuffix(node.name, functionNames());
    throw new SqlError(`Unknown function ${node.name}${hint}`, ctx.sql, node.pos);
  }
  return bindScalarCall(node, fn, ctx, insideAggregate);
}

function bindAggregateCall(node: Extract<ExprNode, { kind: 'call' }>, aggregate: AggregateFunction, ctx: BindContext): Extract<BoundExpr, { kind: 'aggregate' }> {
  if (aggregate.orderedSet || node.withinGroup) return bindOrderedSet(node, aggregate, ctx);
  if (node.star) {
      if (!aggregate.allowsStar) throw new SqlError(`${aggregate.name}(*) is not allowed; name a column`, ctx.sql, node.pos);
      return { kind: 'aggregate', fn: aggregate, arg: null, distinct: false, type: aggregate.returnType(null), pos: node.pos };
    }
    const arity = 1 + (aggregate.constantArgs ?? 0);
    if (node.args.length !== arity) {
      throw new SqlError(`${aggregate.name} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${node.args.length}`, ctx.sql, node.pos);
    }
    const arg = fold(bindNode(node.args[0]!, ctx, true));
    const configured = aggregate.configure ? aggregate.configure(node.args.slice(1).map((a) => constantArgument(a, aggregate.name, ctx))) : aggregate;
    const typedFn = configured.forArgType ? configured.forArgType(arg.type) : configured;
    const fn = typedFn.withJsonArg ? typedFn.withJsonArg(isJsonValued(arg)) : typedFn;
    if (node.orderBy) return bindOrderedInput(node, node.orderBy, fn, arg, ctx);
    return { kind: 'aggregate', fn, arg, distinct: node.distinct, type: fn.returnType(arg.type), pos: node.pos };
}

/**
 * `string_agg(x, ',' ORDER BY y DESC)`: the aggregate reads its argument and the sort keys as
 * one array per row, and takes the arguments in the keys' order (functions/ordered-input.ts).
 */
function bindOrderedInput(
  node: Extract<ExprNode, { kind: 'call' }>, orderBy: OrderByItemNode[], fn: AggregateFunction, arg: BoundExpr, ctx: BindContext,
): Extract<BoundExpr, { kind: 'aggregate' }> {
  if (node.distinct) throw new SqlError(`${fn.name}(DISTINCT … ORDER BY …) is not supported; order a DISTINCT subquery instead`, ctx.sql, orderBy[0]!.pos);
  const keys = orderBy.map((item) => fold(bindNode(item.expr, { ...ctx, aggregates: 'an aggregate' }, true)));
  const packed: BoundExpr = { kind: 'call', fn: findScalarFunction('ARRAY[]')!, args: [arg, ...keys], type: 'Array', pos: arg.pos };
  const ordered = orderedInput(fn, orderBy.map((item) => ({ descending: item.direction === 'DESC', nullsFirst: item.nulls ? item.nulls === 'FIRST' : item.direction === 'DESC' })));
  return { kind: 'aggregate', fn: ordered, arg: packed, distinct: false, type: fn.returnType(arg.type), pos: node.pos };
}

/**
 * `percentile_cont(0.5) WITHIN GROUP (ORDER BY x DESC)`: the direct arguments are constants
 * (the fraction), the ORDER BY expression is what is aggregated, in that direction.
 */
function bindOrderedSet(node: Extract<ExprNode, { kind: 'call' }>, aggregate: AggregateFunction, ctx: BindContext): Extract<BoundExpr, { kind: 'aggregate' }> {
  if (!aggregate.orderedSet) throw new SqlError(`${aggregate.name} does not take WITHIN GROUP; write ${aggregate.name}(x)`, ctx.sql, node.pos);
  const order = node.withinGroup;
  if (!order) throw new SqlError(`${aggregate.name} needs WITHIN GROUP (ORDER BY …)`, ctx.sql, node.pos);
  if (order.length !== 1) throw new SqlError(`${aggregate.name} orders by exactly one expression`, ctx.sql, order[1]?.pos ?? node.pos);
  const arity = aggregate.constantArgs ?? 0;
  if (node.star || node.distinct || node.args.length !== arity) {
    throw new SqlError(`${aggregate.name} takes ${arity} argument${arity === 1 ? '' : 's'} before WITHIN GROUP, got ${node.args.length}`, ctx.sql, node.pos);
  }
  const item = order[0]!;
  const arg = fold(bindNode(item.expr, ctx, true));
  const constants = node.args.map((a) => constantArgument(a, aggregate.name, ctx));
  const fn = aggregate.configure!([...constants, item.direction === 'DESC']);
  return { kind: 'aggregate', fn, arg, distinct: false, type: fn.returnType(arg.type), pos: node.pos };
}

function bindScalarCall(node: Extract<ExprNode, { kind: 'call' }>, fn: ScalarFunction, ctx: BindContext, insideAggregate: boolean): BoundExpr {
  if (node.filter || node.withinGroup) {
    throw new SqlError(`${node.filter ? 'FILTER' : 'WITHIN GROUP'} applies to aggregates only, and ${fn.name} is not one`, ctx.sql, node.pos);
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
  if (fn.statementValue === 'now') return { kind: 'const', value: ctx.now ?? new Date(), type: 'Datetime', pos: node.pos };
  if (fn.statementValue === 'today') return { kind: 'const', value: startOfUtcDay(ctx.now ?? new Date()), type: 'Date', pos: node.pos };
  if (fn.statementValue === 'lastInsertId') return { kind: 'const', value: ctx.lastInsertId ?? null, type: 'String', pos: node.pos };
  let args = node.args.map((arg, i) => fold(bindNode(keywordArgument(arg, fn.keywordArgs?.includes(i)), ctx, insideAggregate)));
  if (ARGUMENTS_ALIKE.has(fn.name)) args = typedAlike(args, ctx);
  const timed = fn.withNow ? fn.withNow(ctx.now ?? new Date()) : fn;
  let chosen = timed.withJsonArgs ? timed.withJsonArgs(args.map(isJsonValued)) : timed;
  if (chosen.specialize) {
    const described = args.map((a) => (a.kind === 'const' && a.param === undefined ? { type: a.type, constant: a.value } : { type: a.type }));
    chosen = chosen.specialize(described, (message) => {
      throw new SqlError(message, ctx.sql, node.pos);
    });
  }
  return { kind: 'call', fn: chosen, args, type: chosen.typeOf?.(args) ?? chosen.returnType(args.map((a) => a.type)), pos: node.pos };
}

/** `DATEADD(day, …)`: a bare word where a function takes a date part is that word as text. */
function keywordArgument(arg: ExprNode, isKeywordPosition: boolean | undefined): ExprNode {
  if (!isKeywordPosition || arg.kind !== 'column' || arg.table !== undefined) return arg;
  return { kind: 'literal', value: arg.name, pos: arg.pos };
}

function bindColumn(node: Extract<ExprNode, { kind: 'column' }>, ctx: BindContext): BoundExpr {
  const scope = ctx.scope;
  if (!scope) {
    const where = ctx.aggregates === 'INSERT' ? 'INSERT values must be constants or parameters' : 'there is no FROM clause';
    throw new SqlError(`Column ${node.name} cannot be used here: ${where}`, ctx.sql, node.pos);
  }
  const found = scope.resolve(node.table, node.name);
  switch (found.kind) {
    case 'found':
      if (found.depth === 0) {
        const bound: BoundExpr = { kind: 'column', index: found.index, column: found.column, type: found.column.type, pos: node.pos };
        if (scope.sources.length > 1) bound.qualifier = found.source.alias ?? found.source.name;
        return bound;
      }
      if (found.scope.frozen) {
        return { kind: 'const', value: found.scope.outerRow.row[found.index] ?? null, type: found.column.type, pos: node.pos };
      }
      return { kind: 'outer', holder: found.scope.outerRow, index: found.index, column: found.column, type: found.column.type, pos: node.pos };
    case 'ambiguous':
      throw new SqlError(
        `Column ${node.name} is ambiguous: it is in ${found.sources.map((s) => s.alias ?? s.name).join(' and ')}; qualify it (${found.sources[0]!.alias ?? found.sources[0]!.name}.${node.name})`,
        ctx.sql,
        node.pos,
      );
    case 'unknownQualifier': {
      const names = allSources(scope).map((s) => s.alias ?? s.name);
      const hidden = scope.aliasedSourcesOf(node.table!)[0];
      if (hidden) {
        throw new SqlError(`${node.table} is aliased ${hidden.alias} in FROM and can only be named by its alias: write ${hidden.alias}.${node.name}`, ctx.sql, node.pos);
      }
      throw new SqlError(`Unknown table or alias ${node.table}${suggestionSuffix(node.table!, names)}`, ctx.sql, node.pos);
    }
    case 'unknownColumn': {
      const names = found.sources.flatMap((s) => s.columns.map((c) => c.name));
      const where = found.sources.length === 1 ? found.sources[0]!.name : found.sources.map((s) => s.alias ?? s.name).join(', ');
      throw new SqlError(`Unknown column ${node.name} in ${where}${suggestionSuffix(node.name, names)}`, ctx.sql, node.pos);
    }
  }
}

function allSources(scope: Scope): Scope['sources'] {
  const out: Scope['sources'] = [];
  for (let s: Scope | null = scope; s; s = s.outer) out.push(...s.sources);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parameters

function bindParameter(node: Extract<ExprNode, { kind: 'parameter' }>, ctx: BindContext): BoundExpr {
  const params = ctx.params;
  if (!params) {
    const label = node.name !== undefined ? `@${node.name}` : node.numbered ? `$${node.index! + 1}` : `?${node.index! + 1}`;
    throw new SqlError(`No value given for parameter ${label}`, ctx.sql, node.pos);
  }
  const slot = params.slotOf(node);
  if (params.valueless) return { kind: 'const', value: null, type: params.typeOf(slot), param: slot, pos: node.pos };
  const value = params.valueOf(slot);
  return { kind: 'const', value, type: params.typeOf(slot) ?? typeOfValue(value), pos: node.pos };
}

/** Functions whose arguments share one type (their result is one of them): a parameter among them takes the others' type. */
const ARGUMENTS_ALIKE: ReadonlySet<string> = new Set(['COALESCE', 'ISNULL', 'NULLIF']);

/** A parameter placeholder standing where `type` is expected takes that type (while types are inferred). */
function typed(expr: BoundExpr, type: DataType | null, ctx: BindContext): BoundExpr {
  if (type === null || expr.kind !== 'const' || expr.param === undefined || !ctx.params) return expr;
  ctx.params.learn(expr.param, type);
  const learned = ctx.params.typeOf(expr.param);
  return learned === expr.type ? expr : { ...expr, type: learned };
}

/** Values compared or combined with each other (IN lists, BETWEEN, CASE branches): a parameter takes the others' common type. */
function typedAlike(exprs: BoundExpr[], ctx: BindContext): BoundExpr[] {
  if (!exprs.some((e) => e.kind === 'const' && e.param !== undefined)) return exprs;
  const type = unifyTypes(exprs.map((e) => (e.kind === 'const' && e.param !== undefined ? null : e.type)));
  return exprs.map((e) => typed(e, type, ctx));
}

/** `a op b`: a comparison types a parameter like the other side, arithmetic like a numeric other side, `||` as String. */
function operandsTyped(op: string, left: BoundExpr, right: BoundExpr, ctx: BindContext): [BoundExpr, BoundExpr] {
  if (op === '||') return [dateAsText(typed(left, 'String', ctx), ctx), dateAsText(typed(right, 'String', ctx), ctx)];
  const arithmetic = op === '+' || op === '-' || op === '*' || op === '/' || op === '%';
  const hint = (type: DataType | null): DataType | null => (arithmetic && !isNumericType(type) ? null : type);
  if (!arithmetic) [left, right] = [textAsDate(left, right), textAsDate(right, left)];
  [left, right] = [textAsNumber(left, right, ctx), textAsNumber(right, left, ctx)];
  return [typed(left, hint(right.type), ctx), typed(right, hint(left.type), ctx)];
}

/** PostgreSQL's names of the number types, for an input error in its words. */
const NUMBER_TYPE_NAMES: Partial<Record<DataType, string>> = { Integer: 'integer', Long: 'bigint', Decimal: 'numeric', Double: 'double precision' };

/**
 * A string constant beside a number is read as that number's type, as PostgreSQL reads an
 * untyped literal: `2 * '3'` is the integer 6, and `1 + 'abc'` an input error at 'abc' (not NULL).
 */
function textAsNumber(expr: BoundExpr, other: BoundExpr, ctx: BindContext): BoundExpr {
  const typeName = other.type === null ? undefined : NUMBER_TYPE_NAMES[other.type];
  if (typeName === undefined || expr.kind !== 'const' || expr.param !== undefined || typeof expr.value !== 'string') return expr;
  const value = castValue(expr.value, { type: other.type!, text: typeName }, 'String');
  if (value === undefined) throw new SqlError(castFailure(expr.value, { type: other.type!, text: typeName }), ctx.sql, expr.pos);
  return { ...expr, value, type: other.type };
}

/**
 * A string constant compared with a date is a date, as PostgreSQL reads an untyped literal as
 * the other side's type: `created::date = '2024-03-05 10:00'` compares with 2024-03-05.
 */
function textAsDate(expr: BoundExpr, other: BoundExpr): BoundExpr {
  if (other.type !== 'Date' || expr.kind !== 'const' || typeof expr.value !== 'string') return expr;
  const day = coerceToType(expr.value, 'Date', 'compare');
  return day instanceof Date ? { ...expr, value: day, type: 'Date' } : expr;
}

/** A Date operand of `||` as its text (`2024-03-01`), which only its type tells from a Datetime's. */
function dateAsText(expr: BoundExpr, ctx: BindContext): BoundExpr {
  if (expr.type !== 'Date') return expr;
  return fold({ kind: 'cast', expr, target: { type: 'String', text: 'TEXT' }, type: 'String', nullOnFailure: false, sql: ctx.sql, pos: expr.pos });
}

// ---------------------------------------------------------------------------------------------
// Types and folding

function numericResult(type: DataType | null): DataType | null {
  return type === null ? null : type === 'String' ? 'Double' : type;
}

function requireNumeric(op: string, operand: BoundExpr, ctx: BindContext): void {
  if (operand.type === 'Datetime' || operand.type === 'Date' || operand.type === 'Boolean') {
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
  const typeName = declaredTypeName(expr);
  return { kind: 'const', value, type, pos: expr.pos, ...(isJsonValued(expr) ? { json: true } : {}), ...(typeName !== undefined ? { typeName } : {}) };
}

function foldable(expr: BoundExpr): boolean {
  switch (expr.kind) {
    case 'unary':
      return expr.operand.kind === 'const';
    case 'binary':
      return expr.left.kind === 'const' && expr.right.kind === 'const';
    case 'chain':
      return expr.operands.every((e) => e.kind === 'const');
    case 'in':
      return expr.expr.kind === 'const' && expr.list.every((e) => e.kind === 'const');
    case 'between':
      return expr.expr.kind === 'const' && expr.low.kind === 'const' && expr.high.kind === 'const';
    case 'like':
      return expr.expr.kind === 'const' && expr.pattern.kind === 'const' && (!expr.escape || expr.escape.kind === 'const');
    case 'isNull':
      return expr.expr.kind === 'const';
    case 'call':
      // A set-returning call stays a call: its rows are made where the select list is projected.
      return expr.fn.volatile !== true && expr.fn.setReturning !== true && expr.args.every((e) => e.kind === 'const');
    case 'case':
      return (!expr.operand || expr.operand.kind === 'const') && expr.whens.every((w) => w.when.kind === 'const' && w.then.kind === 'const') && (!expr.else || expr.else.kind === 'const');
    case 'cast':
      return expr.expr.kind === 'const';
    default:
      return false;
  }
}
