// Compiles bound expressions into closures over a row, once per query, so that evaluating a
// row does no name lookups and no tree dispatch beyond the closures themselves.

import type { DataType, Row, SqlValue } from './table.js';
import type { BoundExpr } from './bound.js';
import { likeMatcher, type LikeMatcher } from './like.js';
import { castFailure, castValue } from './cast.js';
import { SqlError } from '../sql/errors.js';
import { membershipSet } from './predicates.js';
import { callOverSets, operandsOf, overOperands, returnsSet } from './value-sets.js';
import { arithmeticKind, arithmeticOperation, doubleArithmetic, negate, unaryPlus } from './arithmetic.js';
import type { Position } from '../sql/ast.js';
import {
  and3,
  compareValues,
  isIntegralType,
  not3,
  hashKeyOf,
  or3,
  toNumber,
  toTruth,
  valueToText,
  type Truth,
} from './values.js';

export type Evaluator = (row: Row) => SqlValue;

export function compileExpr(expr: BoundExpr): Evaluator {
  if (operandsOf(expr).some(returnsSet)) return compileOverSets(expr);
  switch (expr.kind) {
    case 'const': {
      const value = expr.value;
      return () => value;
    }
    case 'column':
    case 'slot': {
      const index = expr.index;
      return (row) => row[index] ?? null;
    }
    case 'unary':
      return compileUnary(expr.op, compileExpr(expr.operand), expr.operand.type, expr.pos);
    case 'binary':
      return compileBinary(expr);
    case 'chain':
      return compileChain(expr);
    case 'in':
      return compileIn(expr);
    case 'between': {
      const value = compileExpr(expr.expr);
      const low = compileExpr(expr.low);
      const high = compileExpr(expr.high);
      const negated = expr.negated;
      return (row) => {
        const v = value(row);
        const lo = compareValues(v, low(row));
        const hi = compareValues(v, high(row));
        const result = and3(lo === null ? null : lo >= 0, hi === null ? null : hi <= 0);
        return negated ? not3(result) : result;
      };
    }
    case 'like':
      return compileLike(expr);
    case 'isNull': {
      const value = compileExpr(expr.expr);
      return expr.negated ? (row) => value(row) !== null : (row) => value(row) === null;
    }
    case 'call':
      return compileCall(expr);
    case 'aggregate':
      throw new Error(`internal: aggregate ${expr.fn.name} must be planned, not compiled`);
    case 'outer': {
      const holder = expr.holder;
      const index = expr.index;
      return () => holder.row[index] ?? null;
    }
    case 'case':
      return compileCase(expr);
    case 'cast':
      return compileCast(expr);
    case 'subquery':
      return compileSubquery(expr);
  }
}

/** CAST raises a SqlError at its position for a value that does not convert; TRY_CAST gives NULL. */
function compileCast(expr: Extract<BoundExpr, { kind: 'cast' }>): Evaluator {
  const value = compileExpr(expr.expr);
  const target = expr.target;
  const from = expr.expr.type;
  if (expr.nullOnFailure) return (row) => castValue(value(row), target, from) ?? null;
  // As PostgreSQL, a constant that does not convert is pointed at itself, not at the cast.
  const pos = expr.expr.kind === 'const' ? expr.expr.pos : expr.pos;
  return (row) => {
    const input = value(row);
    const cast = castValue(input, target, from);
    if (cast === undefined) throw new SqlError(castFailure(input, target), expr.sql, pos);
    return cast;
  };
}

/** The arguments as an array literal for up to three (args.map per row costs several times more). */
/** An expression some operand of which is a set-returning call: applied to each of the set's values (value-sets.ts). */
function compileOverSets(expr: BoundExpr): Evaluator {
  const operands = operandsOf(expr).map(compileExpr);
  const apply = compileExpr(overOperands(expr));
  return (row) => callOverSets(apply, operands.map((operand) => operand(row)));
}

function compileCall(expr: Extract<BoundExpr, { kind: 'call' }>): Evaluator {
  const args = expr.args.map(compileExpr);
  const fn = expr.fn;
  switch (args.length) {
    case 0:
      return () => fn.call([]);
    case 1: {
      const [a] = args as [Evaluator];
      return (row) => fn.call([a(row)]);
    }
    case 2: {
      const [a, b] = args as [Evaluator, Evaluator];
      return (row) => fn.call([a(row), b(row)]);
    }
    case 3: {
      const [a, b, c] = args as [Evaluator, Evaluator, Evaluator];
      return (row) => fn.call([a(row), b(row), c(row)]);
    }
    default:
      return (row) => fn.call(args.map((arg) => arg(row)));
  }
}

function compileCase(expr: Extract<BoundExpr, { kind: 'case' }>): Evaluator {
  const whens = expr.whens.map((w) => compileExpr(w.when));
  const thens = expr.whens.map((w) => compileExpr(w.then));
  const otherwise = expr.else ? compileExpr(expr.else) : () => null;
  const count = whens.length;
  if (expr.operand) {
    const operand = compileExpr(expr.operand);
    return (row) => {
      const v = operand(row);
      for (let i = 0; i < count; i++) if (compareValues(v, whens[i]!(row)) === 0) return thens[i]!(row);
      return otherwise(row);
    };
  }
  return (row) => {
    for (let i = 0; i < count; i++) if (toTruth(whens[i]!(row)) === true) return thens[i]!(row);
    return otherwise(row);
  };
}

/** Reads the subquery's result for the current row, computed beforehand (see subqueries.ts). */
function compileSubquery(expr: Extract<BoundExpr, { kind: 'subquery' }>): Evaluator {
  const cell = expr.cell;
  if (expr.mode === 'scalar') return () => cell.value;
  if (expr.mode === 'exists') return expr.negated ? () => !cell.value : () => cell.value;
  const value = compileExpr(expr.expr!);
  const negated = expr.negated;
  if (expr.mode === 'quantified') {
    const test = comparisonTests[expr.quantified!.op]!;
    const all = expr.quantified!.quantifier === 'ALL';
    return (row) => {
      const v = value(row);
      // ANY: TRUE if one comparison is; ALL: FALSE if one is not; else UNKNOWN if a NULL took part.
      let result: Truth = all;
      for (const item of cell.list!) {
        const c = compareValues(v, item);
        const t: Truth = c === null ? null : test(c);
        result = all ? and3(result, t) : or3(result, t);
        if (result === !all) break;
      }
      return result;
    };
  }
  return (row) => {
    const v = value(row);
    let result: Truth;
    if (cell.values!.size === 0 && !cell.hasNull) result = false;
    else if (v === null) result = null;
    else if (cell.values!.has(membershipKey(v))) result = true;
    else result = cell.hasNull ? null : false;
    return negated ? not3(result) : result;
  };
}

/** Equality key for IN (subquery): numbers as numbers, datetimes by instant, others as they are (values.ts hashKeyOf). */
export function membershipKey(value: SqlValue): unknown {
  return hashKeyOf(value);
}

/** A condition as WHERE uses it: only TRUE keeps a row. */
export function compilePredicate(expr: BoundExpr): (row: Row) => boolean {
  const value = compileExpr(expr);
  return (row) => toTruth(value(row)) === true;
}

function compileUnary(op: '-' | '+' | 'NOT', operand: Evaluator, type: DataType | null, pos: Position): Evaluator {
  if (op === 'NOT') return (row) => not3(toTruth(operand(row)));
  if (op === '-') {
    return (row) => {
      const v = operand(row);
      return v === null ? null : negate(v, pos, type);
    };
  }
  return (row) => unaryPlus(operand(row));
}

function compileBinary(expr: Extract<BoundExpr, { kind: 'binary' }>): Evaluator {
  return binaryEvaluator(expr.op, compileExpr(expr.left), compileExpr(expr.right), expr.left.type, expr.right.type, expr.pos);
}

/**
 * A chain folds its operands left to right in a loop, so evaluating it recurses no deeper than
 * one operand. Each step is the binary operator's own evaluator, its left side reading the
 * result so far (evaluation is synchronous, so one variable per chain holds it).
 */
function compileChain(expr: Extract<BoundExpr, { kind: 'chain' }>): Evaluator {
  let result: SqlValue = null;
  const resultSoFar: Evaluator = () => result;
  const first = compileExpr(expr.operands[0]!);
  const steps = expr.ops.map((op, i) => {
    const leftType = i === 0 ? expr.operands[0]!.type : expr.types[i - 1]!;
    return binaryEvaluator(op, resultSoFar, compileExpr(expr.operands[i + 1]!), leftType, expr.operands[i + 1]!.type, expr.pos);
  });
  const count = steps.length;
  return (row) => {
    result = first(row);
    for (let i = 0; i < count; i++) result = steps[i]!(row);
    return result;
  };
}

function binaryEvaluator(op: string, left: Evaluator, right: Evaluator, leftType: DataType | null, rightType: DataType | null, pos: Position): Evaluator {
  switch (op) {
    case 'AND':
      return (row) => {
        const a = toTruth(left(row));
        if (a === false) return false;
        return and3(a, toTruth(right(row)));
      };
    case 'OR':
      return (row) => {
        const a = toTruth(left(row));
        if (a === true) return true;
        return or3(a, toTruth(right(row)));
      };
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compileComparison(op, left, right, plainNumbers(leftType, rightType) ? (leftType === 'Double' || rightType === 'Double' ? DOUBLE_TESTS : INTEGER_TESTS) : null);
    case '||':
      return (row) => {
        const a = valueToText(left(row));
        if (a === null) return null;
        const b = valueToText(right(row));
        return b === null ? null : a + b;
      };
    default:
      return compileArithmetic(op, left, right, leftType, rightType, pos);
  }
}

/**
 * Both sides are JS numbers compared as they are: integers with integers (a Long beyond 2^53
 * is a bigint, which compares exactly with a number), or Integer/Double. A Decimal (a Numeric)
 * or a Long against a Double takes compareValues.
 */
function plainNumbers(left: DataType | null, right: DataType | null): boolean {
  if (isIntegralType(left) && isIntegralType(right)) return true;
  const plain = (t: DataType | null): boolean => t === 'Integer' || t === 'Double';
  return plain(left) && plain(right);
}

const comparisonTests: Record<string, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/** Comparisons of integers (JS numbers or bigints), inline. */
const INTEGER_TESTS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<>': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** Comparisons where a side is a double, inline: as PostgreSQL's float8, NaN equals NaN and is above every other value. */
const DOUBLE_TESTS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b || (a !== a && b !== b),
  '<>': (a, b) => a !== b && (a === a || b === b),
  '<': (a, b) => a < b || (a === a && b !== b),
  '<=': (a, b) => a <= b || b !== b,
  '>': (a, b) => a > b || (a !== a && b === b),
  '>=': (a, b) => a >= b || a !== a,
};

function compileComparison(op: string, left: Evaluator, right: Evaluator, numberTests: Record<string, (a: number, b: number) => boolean> | null): Evaluator {
  if (numberTests) {
    // The common case (amounts, counts) without the generic coercion path.
    const test = numberTests[op]!;
    return (row) => {
      const a = left(row);
      if (a === null) return null;
      const b = right(row);
      if (b === null) return null;
      return test(a as number, b as number);
    };
  }
  const test = comparisonTests[op]!;
  return (row) => {
    const c = compareValues(left(row), right(row));
    return c === null ? null : test(c);
  };
}

/**
 * Arithmetic as arithmetic.ts chooses it from the operands' types; doubles keep their fast path
 * here, inline; integers take arithmetic.ts's one path (its own fast path on JS numbers).
 */
function compileArithmetic(op: string, left: Evaluator, right: Evaluator, leftType: DataType | null, rightType: DataType | null, pos: Position): Evaluator {
  const kind = arithmeticKind(leftType, rightType);
  const apply = arithmeticOperation(op, kind, pos);
  if (kind === 'double') {
    const double = doubleArithmetic(op);
    return (row) => {
      const a = toNumber(left(row));
      if (a === null) return null;
      const b = toNumber(right(row));
      return b === null ? null : double(a, b);
    };
  }
  return (row) => {
    const a = left(row);
    if (a === null) return null;
    const b = right(row);
    return b === null ? null : apply(a, b);
  };
}

function compileIn(expr: Extract<BoundExpr, { kind: 'in' }>): Evaluator {
  const value = compileExpr(expr.expr);
  if (expr.list.length > 8 && expr.list.every((e) => e.kind === 'const')) {
    // A long constant list: a set lookup, falling back to comparisons only across kinds.
    const constants = expr.list.map((e) => (e as Extract<BoundExpr, { kind: 'const' }>).value);
    const hasNull = constants.includes(null);
    const lookup = membershipSet(constants.filter((c) => c !== null));
    const negated = expr.negated;
    return (row) => {
      const v = value(row);
      if (v === null) return null;
      let result: Truth = lookup.test(v) ?? constants.some((c) => compareValues(v, c) === 0);
      if (!result && hasNull) result = null;
      return negated ? not3(result) : result;
    };
  }
  const list = expr.list.map(compileExpr);
  const negated = expr.negated;
  return (row) => {
    const v = value(row);
    if (v === null) return null;
    let result: Truth = false;
    for (const item of list) {
      const c = compareValues(v, item(row));
      if (c === 0) {
        result = true;
        break;
      }
      if (c === null) result = null;
    }
    return negated ? not3(result) : result;
  };
}

function compileLike(expr: Extract<BoundExpr, { kind: 'like' }>): Evaluator {
  const value = compileExpr(expr.expr);
  const negated = expr.negated;
  const finish = (text: string | null, matches: LikeMatcher | null): Truth => {
    if (text === null || matches === null) return null;
    const matched = matches(text);
    return negated ? !matched : matched;
  };
  if (expr.pattern.kind === 'const' && (!expr.escape || expr.escape.kind === 'const')) {
    const pattern = valueToText(expr.pattern.value);
    const escape = expr.escape?.kind === 'const' ? valueToText(expr.escape.value) : undefined;
    const matcher = pattern === null || escape === null ? null : likeMatcher(pattern, escape);
    return (row) => finish(valueToText(value(row)), matcher);
  }
  const pattern = compileExpr(expr.pattern);
  const escape = expr.escape ? compileExpr(expr.escape) : undefined;
  // A pattern read from the row is compiled again only when it changes.
  let lastPattern: string | null = null;
  let lastEscape: string | null | undefined;
  let lastMatcher: LikeMatcher | null = null;
  return (row) => {
    const p = valueToText(pattern(row));
    const e = escape ? valueToText(escape(row)) : undefined;
    if (p === null || e === null) return finish(valueToText(value(row)), null);
    if (p !== lastPattern || e !== lastEscape) {
      lastMatcher = likeMatcher(p, e);
      lastPattern = p;
      lastEscape = e;
    }
    return finish(valueToText(value(row)), lastMatcher);
  };
}
