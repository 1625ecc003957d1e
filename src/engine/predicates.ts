// WHERE → conjuncts → Predicates the table can be offered, and detection of conjunctions that
// can never be true (so the table is not scanned at all).

import type { ComparisonOperator } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import type { BoundColumn, BoundConst, BoundExpr } from './bound.js';
import { dayRangeConjuncts } from './day-ranges.js';
import { compilePredicate } from './expressions.js';
import { formatExpr } from './format.js';
import { parseJsonPath } from './functions/json.js';
import { likeMatcher } from './like.js';
import type { Predicate, PredicateOp, PredicateTerm, Row, SqlValue } from './table.js';
import { coerceToType, compareValues, distinctKey, formatSqlValue, formatTimestamp, hashKeyOf, toTruth } from './values.js';
import { Numeric } from './numeric.js';

export interface AnalyzedWhere {
  /** Predicates to offer, each tied to the conjunct it came from. */
  predicates: Predicate[];
  /** Column index of each predicate, by predicate id (for evaluating a residual one). */
  columnIndex: Map<number, number>;
  /** Conjuncts that could not be expressed as predicates: always evaluated by the engine. */
  engineOnly: BoundExpr[];
  /** Why no row can qualify, when that is known before scanning. */
  contradiction?: string;
}

const flipped: Record<ComparisonOperator, ComparisonOperator> = {
  '=': '=',
  '<>': '<>',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

export function analyzeWhere(conjuncts: BoundExpr[], sql: string): AnalyzedWhere {
  const result: AnalyzedWhere = { predicates: [], columnIndex: new Map(), engineOnly: [] };
  let nextId = 1;
  const add = (column: BoundColumn, op: PredicateOp, value: SqlValue | undefined, values?: SqlValue[]): void => {
    const id = nextId++;
    const predicate: Predicate = { id, column: column.column.name, op, text: predicateText(column.column.name, op, value, values) };
    if (value !== undefined) predicate.value = value;
    if (values !== undefined) predicate.values = values;
    result.predicates.push(predicate);
    result.columnIndex.set(id, column.index);
  };
  const coerce = (constant: BoundConst, column: BoundColumn): SqlValue => {
    const value = coerceToType(constant.value, column.column.type, 'compare');
    if (value === undefined) {
      throw new SqlError(
        `${formatSqlValue(constant.value)} is not a valid ${column.column.type} (column ${column.column.name})`,
        sql,
        constant.pos,
      );
    }
    return value;
  };
  const never = (why: string): void => {
    result.contradiction ??= why;
  };

  // A timestamp's day compared with a date becomes a range on the timestamp (day-ranges.ts).
  for (const conjunct of conjuncts.flatMap(dayRangeConjuncts)) {
    if (conjunct.kind === 'const') {
      if (toTruth(conjunct.value) !== true) never(`WHERE is ${formatSqlValue(conjunct.value)}`);
      continue;
    }
    if (conjunct.kind === 'binary' && conjunct.op in flipped) {
      const op = conjunct.op as ComparisonOperator;
      const [column, constant, effectiveOp] =
        conjunct.left.kind === 'column' && conjunct.right.kind === 'const'
          ? [conjunct.left, conjunct.right, op]
          : conjunct.right.kind === 'column' && conjunct.left.kind === 'const'
            ? [conjunct.right, conjunct.left, flipped[op]]
            : [undefined, undefined, op];
      if (column && constant) {
        const value = coerce(constant, column);
        if (value === null) never(`${column.column.name} ${effectiveOp} NULL is never true`);
        else add(column, effectiveOp, value);
        continue;
      }
    }
    const membership = asMembership(conjunct);
    if (membership) {
      const column = membership.column;
      const values: SqlValue[] = [];
      const seen = new Set<string>();
      for (const item of membership.list) {
        const value = coerce(item, column);
        // A NULL in the list can only make the result UNKNOWN, never TRUE: WHERE ignores it.
        // Values share the column's type here, so their distinct keys decide equality.
        if (value === null) continue;
        const key = distinctKey(value);
        if (seen.has(key)) continue;
        seen.add(key);
        values.push(value);
      }
      if (values.length === 0) never(`${column.column.name} IN (NULL) is never true`);
      else add(column, 'IN', undefined, values);
      continue;
    }
    if (
      conjunct.kind === 'between' &&
      !conjunct.negated &&
      conjunct.expr.kind === 'column' &&
      conjunct.low.kind === 'const' &&
      conjunct.high.kind === 'const'
    ) {
      const column = conjunct.expr;
      const low = coerce(conjunct.low, column);
      const high = coerce(conjunct.high, column);
      if (low === null || high === null) {
        never(`${column.column.name} BETWEEN with a NULL bound is never true`);
      } else {
        add(column, '>=', low);
        add(column, '<=', high);
      }
      continue;
    }
    if (conjunct.kind === 'isNull' && conjunct.expr.kind === 'column') {
      add(conjunct.expr, conjunct.negated ? 'IS NOT NULL' : 'IS NULL', undefined);
      continue;
    }
    if (
      conjunct.kind === 'like' &&
      !conjunct.negated &&
      !conjunct.escape &&
      conjunct.expr.kind === 'column' &&
      conjunct.expr.column.type === 'String' &&
      conjunct.pattern.kind === 'const'
    ) {
      const value = coerce(conjunct.pattern, conjunct.expr);
      if (value === null) never(`${conjunct.expr.column.name} LIKE NULL is never true`);
      else add(conjunct.expr, 'LIKE', value);
      continue;
    }
    const alternatives = asAlternatives(conjunct);
    if (alternatives) {
      const predicate: Predicate = { id: nextId++, column: '', op: 'OR', alternatives, text: formatExpr(conjunct) };
      disjunctionSources.set(predicate, conjunct);
      result.predicates.push(predicate);
      continue;
    }
    result.engineOnly.push(conjunct);
  }
  if (!result.contradiction) {
    const why = findContradiction(result.predicates);
    if (why) result.contradiction = why;
  }
  return result;
}

function isConstNode(expr: BoundExpr): expr is BoundConst {
  return expr.kind === 'const';
}

/**
 * `col IN (constants)`, or an OR of `col = constant` / `col IN (…)` over one column, which
 * means the same and so is offered as IN.
 */
function asMembership(expr: BoundExpr): { column: BoundColumn; list: BoundConst[] } | undefined {
  if (expr.kind === 'in' && !expr.negated && expr.expr.kind === 'column' && expr.list.every(isConstNode)) {
    return { column: expr.expr, list: expr.list };
  }
  if (expr.kind === 'binary' && expr.op === '=') {
    if (expr.left.kind === 'column' && expr.right.kind === 'const') return { column: expr.left, list: [expr.right] };
    if (expr.right.kind === 'column' && expr.left.kind === 'const') return { column: expr.right, list: [expr.left] };
    return undefined;
  }
  if (expr.kind === 'binary' && expr.op === 'OR') {
    const left = asMembership(expr.left);
    const right = asMembership(expr.right);
    if (!left || !right || left.column.index !== right.column.index) return undefined;
    return { column: left.column, list: [...left.list, ...right.list] };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// ORs and JSON members, offered as OR predicates so a table can narrow what it fetches

/** The conjunct each OR predicate came from: what evaluates it, exactly as written. */
const disjunctionSources = new WeakMap<Predicate, BoundExpr>();

/**
 * An OR of conjunctions of `column op constant(s)` (or the same on a JSON member), or a lone
 * condition on a JSON member, as alternatives of terms; undefined for anything else.
 */
function asAlternatives(expr: BoundExpr): PredicateTerm[][] | undefined {
  const alternatives: PredicateTerm[][] = [];
  for (const branch of operands(expr, 'OR')) {
    const terms: PredicateTerm[] = [];
    for (const part of operands(branch, 'AND')) {
      const more = asTerms(part);
      if (!more) return undefined;
      terms.push(...more);
    }
    alternatives.push(terms);
  }
  // A lone condition on a plain column that reaches here is one the simple forms refused.
  const lone = alternatives.length === 1 && alternatives[0]!.length === 1 ? alternatives[0]![0]! : undefined;
  return lone && !lone.path ? undefined : alternatives;
}

function operands(expr: BoundExpr, op: 'AND' | 'OR'): BoundExpr[] {
  return expr.kind === 'binary' && expr.op === op ? [...operands(expr.left, op), ...operands(expr.right, op)] : [expr];
}

/** What a term tests: a column, or a member of a JSON column. */
interface TermSubject {
  column: BoundColumn;
  path?: string[];
}

function asTerms(expr: BoundExpr): PredicateTerm[] | undefined {
  if (expr.kind === 'binary' && expr.op in flipped) {
    const op = expr.op as ComparisonOperator;
    const leftSubject = subjectOf(expr.left);
    const [subject, constant, effectiveOp] =
      leftSubject && expr.right.kind === 'const'
        ? [leftSubject, expr.right, op]
        : expr.left.kind === 'const'
          ? [subjectOf(expr.right), expr.left, flipped[op]]
          : [undefined, undefined, op];
    const value = subject && constant ? termValue(subject, constant) : undefined;
    return value === undefined ? undefined : [term(subject!, effectiveOp, { value })];
  }
  if (expr.kind === 'in' && !expr.negated) {
    const subject = subjectOf(expr.expr);
    if (!subject || !expr.list.every(isConstNode)) return undefined;
    const values = expr.list.map((item) => termValue(subject, item));
    return values.includes(undefined) ? undefined : [term(subject, 'IN', { values: values as SqlValue[] })];
  }
  if (expr.kind === 'between' && !expr.negated && expr.low.kind === 'const' && expr.high.kind === 'const') {
    const subject = subjectOf(expr.expr);
    const low = subject && termValue(subject, expr.low);
    const high = subject && termValue(subject, expr.high);
    return low === undefined || high === undefined ? undefined : [term(subject!, '>=', { value: low }), term(subject!, '<=', { value: high })];
  }
  if (expr.kind === 'like' && !expr.negated && !expr.escape && expr.pattern.kind === 'const' && typeof expr.pattern.value === 'string') {
    const subject = subjectOf(expr.expr);
    if (!subject || (!subject.path && subject.column.column.type !== 'String')) return undefined;
    return [term(subject, 'LIKE', { value: expr.pattern.value })];
  }
  if (expr.kind === 'isNull') {
    const subject = subjectOf(expr.expr);
    return subject && [term(subject, expr.negated ? 'IS NOT NULL' : 'IS NULL', {})];
  }
  return undefined;
}

function term(subject: TermSubject, op: PredicateTerm['op'], operand: { value?: SqlValue; values?: SqlValue[] }): PredicateTerm {
  return { column: subject.column.column.name, ...(subject.path ? { path: subject.path } : {}), op, ...operand };
}

/** A column, `column->>'key'`, or `JSON_EXTRACT(column, '$.a.b')` with names only. */
function subjectOf(expr: BoundExpr): TermSubject | undefined {
  if (expr.kind === 'column') return { column: expr };
  if (expr.kind !== 'call' || expr.args.length !== 2) return undefined;
  const [json, key] = expr.args as [BoundExpr, BoundExpr];
  if (json.kind !== 'column' || key.kind !== 'const' || typeof key.value !== 'string') return undefined;
  if (expr.fn.name === '->>') return { column: json, path: [key.value] };
  if (expr.fn.name.toUpperCase() === 'JSON_EXTRACT') {
    const steps = parseJsonPath(key.value);
    if (!steps || steps.length === 0 || !steps.every((s): s is string => typeof s === 'string')) return undefined;
    return { column: json, path: steps };
  }
  return undefined;
}

/** The constant as the term compares it; undefined when it is NULL (never true) or does not fit the column. */
function termValue(subject: TermSubject, constant: BoundExpr): SqlValue | undefined {
  if (constant.kind !== 'const' || constant.value === null) return undefined;
  if (subject.path) return constant.value;
  return coerceToType(constant.value, subject.column.column.type, 'compare') ?? undefined;
}

function predicateText(column: string, op: PredicateOp, value: SqlValue | undefined, values: SqlValue[] | undefined): string {
  if (op === 'IS NULL' || op === 'IS NOT NULL') return `${column} ${op}`;
  if (op === 'IN') return `${column} IN (${(values ?? []).map(formatSqlValue).join(', ')})`;
  return `${column} ${op} ${formatSqlValue(value ?? null)}`;
}

// ---------------------------------------------------------------------------------------------
// Contradictions

interface Bound {
  value: SqlValue;
  inclusive: boolean;
  text: string;
}

/**
 * Per column, intersects `=`, IN and range predicates (and IS NULL against everything that
 * needs a value); returns a description of the first column whose conditions cannot all hold.
 */
export function findContradiction(predicates: Predicate[]): string | undefined {
  const byColumn = new Map<string, Predicate[]>();
  for (const p of predicates) {
    if (p.op === 'OR') continue;
    const key = p.column.toLowerCase();
    const group = byColumn.get(key);
    if (group) group.push(p);
    else byColumn.set(key, [p]);
  }
  for (const group of byColumn.values()) {
    if (group.length > 1 && !satisfiable(group)) return group.map((p) => p.text).join(' AND ');
  }
  return undefined;
}

function satisfiable(group: Predicate[]): boolean {
  const isNull = group.some((p) => p.op === 'IS NULL');
  if (isNull) return group.every((p) => p.op === 'IS NULL');
  let candidates: SqlValue[] | undefined;
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  const excluded: SqlValue[] = [];
  for (const p of group) {
    switch (p.op) {
      case '=':
      case 'IN': {
        const values = p.op === '=' ? [p.value ?? null] : (p.values ?? []);
        candidates = candidates === undefined ? values : candidates.filter((c) => values.some((v) => compareValues(c, v) === 0));
        break;
      }
      case '>':
      case '>=': {
        const bound = { value: p.value ?? null, inclusive: p.op === '>=', text: p.text };
        if (!lower || tighter(bound, lower, 1)) lower = bound;
        break;
      }
      case '<':
      case '<=': {
        const bound = { value: p.value ?? null, inclusive: p.op === '<=', text: p.text };
        if (!upper || tighter(bound, upper, -1)) upper = bound;
        break;
      }
      case '<>':
        excluded.push(p.value ?? null);
        break;
      default:
        break;
    }
  }
  const withinBounds = (v: SqlValue): boolean => {
    const lo = lower ? compareValues(v, lower.value) : 1;
    const hi = upper ? compareValues(v, upper.value) : -1;
    if (lo === null || hi === null) return true; // incomparable: let the scan decide
    return (lo > 0 || (lo === 0 && (lower?.inclusive ?? true))) && (hi < 0 || (hi === 0 && (upper?.inclusive ?? true)));
  };
  if (candidates !== undefined) {
    return candidates.some((c) => withinBounds(c) && !excluded.some((x) => compareValues(c, x) === 0));
  }
  if (lower && upper) {
    const c = compareValues(lower.value, upper.value);
    if (c === null) return true;
    return c < 0 || (c === 0 && lower.inclusive && upper.inclusive);
  }
  return true;
}

/** Whether `a` restricts more than `b`; direction 1 for lower bounds, -1 for upper. */
function tighter(a: Bound, b: Bound, direction: 1 | -1): boolean {
  const c = compareValues(a.value, b.value);
  if (c === null) return false;
  return c * direction > 0 || (c === 0 && !a.inclusive && b.inclusive);
}

// ---------------------------------------------------------------------------------------------
// Evaluating a predicate the table left residual

export function compileScanPredicate(predicate: Predicate, index: number): (row: Row) => boolean {
  const value = predicate.value ?? null;
  switch (predicate.op) {
    case 'OR': {
      const source = disjunctionSources.get(predicate);
      if (!source) throw new Error(`${predicate.text}: an OR predicate is evaluated from the WHERE conjunct it came from, and this one came from none`);
      return compilePredicate(source);
    }
    case 'IS NULL':
      return (row) => row[index] === null || row[index] === undefined;
    case 'IS NOT NULL':
      return (row) => row[index] !== null && row[index] !== undefined;
    case 'IN': {
      const values = predicate.values ?? [];
      const lookup = membershipSet(values);
      return (row) => {
        const v = row[index] ?? null;
        if (v === null) return false;
        const found = lookup.test(v);
        return found ?? values.some((candidate) => compareValues(v, candidate) === 0);
      };
    }
    case 'LIKE': {
      const matches = likeMatcher(String(value));
      return (row) => {
        const v = row[index];
        return v !== null && v !== undefined && matches(v instanceof Date ? formatTimestamp(v) : String(v));
      };
    }
    default:
      return compileComparisonPredicate(predicate.op, index, value);
  }
}

/**
 * `column op constant` over a row. A row value of the constant's own kind (number, string,
 * boolean, datetime) is compared inline, as compareValues would (numbers by their difference,
 * a NaN row value above a finite constant); any other mix, and a NaN or infinite constant,
 * takes compareValues. One
 * closure per operator, so the hot test is a single monomorphic function with nothing boxed.
 */
function compileComparisonPredicate(op: ComparisonOperator, index: number, value: SqlValue): (row: Row) => boolean {
  const test = comparison[op];
  const coerced = (v: SqlValue): boolean => {
    const c = compareValues(v, value);
    return c !== null && test(c);
  };
  // A NaN or infinite constant takes compareValues (NaN equals NaN; Infinity - Infinity is NaN).
  if (typeof value === 'number' && Number.isFinite(value)) {
    const n = value;
    switch (op) {
      case '=':
        return (row) => {
          const v = row[index];
          return typeof v === 'number' ? v - n === 0 : v != null && coerced(v);
        };
      case '<>':
        return (row) => {
          const v = row[index];
          return typeof v === 'number' ? v - n !== 0 : v != null && coerced(v);
        };
      case '<':
        return (row) => {
          const v = row[index];
          return typeof v === 'number' ? v - n < 0 : v != null && coerced(v);
        };
      case '<=':
        return (row) => {
          const v = row[index];
          return typeof v === 'number' ? v - n <= 0 : v != null && coerced(v);
        };
      case '>':
        return (row) => {
          const v = row[index];
          // A NaN row value is above every number, as PostgreSQL's float8 orders it.
          return typeof v === 'number' ? v - n > 0 || v !== v : v != null && coerced(v);
        };
      case '>=':
        return (row) => {
          const v = row[index];
          return typeof v === 'number' ? v - n >= 0 || v !== v : v != null && coerced(v);
        };
    }
  }
  if (typeof value === 'string') {
    const text = value;
    switch (op) {
      case '=':
        return (row) => {
          const v = row[index];
          return typeof v === 'string' ? v === text : v != null && coerced(v);
        };
      case '<>':
        return (row) => {
          const v = row[index];
          return typeof v === 'string' ? v !== text : v != null && coerced(v);
        };
      case '<':
        return (row) => {
          const v = row[index];
          return typeof v === 'string' ? v < text : v != null && coerced(v);
        };
      case '<=':
        return (row) => {
          const v = row[index];
          return typeof v === 'string' ? v <= text : v != null && coerced(v);
        };
      case '>':
        return (row) => {
          const v = row[index];
          return typeof v === 'string' ? v > text : v != null && coerced(v);
        };
      case '>=':
        return (row) => {
          const v = row[index];
          return typeof v === 'string' ? v >= text : v != null && coerced(v);
        };
    }
  }
  if (typeof value === 'boolean') {
    const flag = Number(value);
    return (row) => {
      const v = row[index];
      return typeof v === 'boolean' ? test(Number(v) - flag) : v != null && coerced(v);
    };
  }
  if (value instanceof Date) {
    const time = value.getTime();
    return (row) => {
      const v = row[index];
      return v instanceof Date ? test(v.getTime() - time) : v != null && coerced(v);
    };
  }
  return (row) => {
    const v = row[index];
    return v != null && coerced(v);
  };
}

const comparison: Record<ComparisonOperator, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/**
 * Set membership for IN lists: exact for a value of the list's own kind (all numbers, all
 * strings…); undefined for another kind, which then needs the comparison's coercion.
 */
export function membershipSet(values: readonly SqlValue[]): { test(value: SqlValue): boolean | undefined } {
  const kindOf = (v: SqlValue): string => (v instanceof Date ? 'date' : v instanceof Numeric ? 'number' : typeof v);
  const kinds = new Set(values.filter((v) => v !== null).map(kindOf));
  const kind = kinds.size === 1 ? [...kinds][0]! : undefined;
  const set = new Set(values.map(hashKeyOf));
  return {
    test(value) {
      if (kind === undefined || kindOf(value) !== kind) return undefined;
      return set.has(hashKeyOf(value));
    },
  };
}
