// Typed parameters. A statement's placeholders (`?`, `$n`, `@name`) are slots with a type the
// binder infers from where each stands (`CustomerId = $1` → String, `LIMIT $1` → Integer,
// `INSERT … VALUES ($1)` → the column's type); a slot no context types is "unknown".
//
// Planning a statement with parameters happens in two steps:
//   1. infer: plan once with no values. Each placeholder binds as a typed NULL constant marked
//      with its slot (BoundConst.param); contexts teach the slot its type, the first one wins.
//   2. bind: each run matches the given values to the slots, converts each to its slot's type
//      (a value that cannot be is a SqlError naming the parameter) and plans again with the
//      values as constants, so `WHERE CustomerId = $1` is pushed down exactly like a literal.
// Why re-plan per run rather than plan once with open slots: pushdown decides which requests
// a scan makes from constant values (an id → one retrieve, a contradiction → no request), and
// planning does no I/O, so planning again is cheap and keeps a single, value-driven planner.
// Why NULL while inferring: it is the one value every plan-time check accepts (a required
// filter, a procedure argument, a key lookup), so the inferring plan has the run's shape; that
// plan only yields types and result columns and is never run.

import type { ExprNode, ParameterNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { namedKey, statementParameters, type ParameterSlot, type StatementParameters } from '../sql/parameters.js';
import type { StatementNode } from '../sql/ast.js';
import type { DataType, SqlValue } from './table.js';
import { coerceToType, formatSqlValue, integerValue } from './values.js';
import { Numeric } from './numeric.js';

/** Values for a statement's parameters: an array by position (`?`, `$n`) or an object by name (`@name`). */
export type ParamValues = readonly unknown[] | Readonly<Record<string, unknown>>;

/** A parameter as a prepared statement describes it. */
export interface ParameterDescription {
  /** `$n`: n; `?`: its position, from 1 (the value is at `index - 1` of a values array). */
  index?: number;
  /** `@name`: the name without `@`. */
  name?: string;
  /** Unknown from the context: String (PostgreSQL's "unknown" is text). */
  type: DataType;
}

export interface BindOptions {
  /**
   * The type of a parameter the statement leaves untyped: 'String' (a prepared statement,
   * whose types are announced before any value) or 'value' (the type of the value given).
   */
  untyped?: 'String' | 'value';
  /** More positional values than parameters: an error (default), or ignored (a script shares one values array). */
  extraValues?: 'error' | 'ignore';
}

/** How the placeholders of one planning of a statement bind. */
export class ParameterBinding {
  private constructor(
    readonly parameters: StatementParameters,
    private readonly types: (DataType | null)[],
    /** One per slot; absent while inferring or describing. */
    private readonly values: readonly SqlValue[] | undefined,
    /** Types still being learned (step 1). */
    private readonly learning: boolean,
  ) {}

  /** Step 1: no values; slot types are learned from their contexts. */
  static inferring(parameters: StatementParameters): ParameterBinding {
    return new ParameterBinding(parameters, parameters.slots.map(() => null), undefined, true);
  }

  /** No values, types known: a prepared statement's result columns. */
  static describing(parameters: StatementParameters, types: readonly DataType[]): ParameterBinding {
    return new ParameterBinding(parameters, [...types], undefined, false);
  }

  /** Values (already converted) and their types. */
  static withValues(parameters: StatementParameters, types: readonly (DataType | null)[], values: readonly SqlValue[]): ParameterBinding {
    return new ParameterBinding(parameters, [...types], values, false);
  }

  /** True when placeholders stand for no value (steps 1 and describe). */
  get valueless(): boolean {
    return this.values === undefined;
  }

  slotOf(node: ParameterNode): number {
    return this.parameters.slotOf(node);
  }

  typeOf(slot: number): DataType | null {
    return this.types[slot] ?? null;
  }

  valueOf(slot: number): SqlValue {
    return this.values?.[slot] ?? null;
  }

  /** A context says what type `slot` is; the first context to say wins (as in PostgreSQL). */
  learn(slot: number, type: DataType): void {
    if (this.learning && this.types[slot] === null) this.types[slot] = type;
  }

  learnedTypes(): (DataType | null)[] {
    return [...this.types];
  }
}

/**
 * A placeholder written where the statement fixes the type (an INSERT value, a SET value, a
 * procedure argument, a LIMIT): the slot takes that type. Call before binding the expression.
 */
export function declareParameterType(node: ExprNode, type: DataType, params: ParameterBinding | undefined): void {
  if (node.kind === 'parameter' && params) params.learn(params.slotOf(node), type);
}

/** What a statement's parameters are and how values bind to them, once their types are inferred. */
export class StatementParameterTypes {
  /** Per slot: the inferred type, null when no context gave one. */
  readonly inferred: readonly (DataType | null)[];

  constructor(
    readonly statement: StatementNode,
    readonly sql: string,
    readonly parameters: StatementParameters,
    /** Plans the statement with a binding (no I/O); step 1 runs it once here. */
    plan: (binding: ParameterBinding | undefined) => unknown,
  ) {
    if (parameters.slots.length === 0) {
      this.inferred = [];
      return;
    }
    const learning = ParameterBinding.inferring(parameters);
    plan(learning);
    this.inferred = learning.learnedTypes();
  }

  static of(statement: StatementNode, sql: string, plan: (binding: ParameterBinding | undefined) => unknown): StatementParameterTypes {
    return new StatementParameterTypes(statement, sql, statementParameters(statement), plan);
  }

  /** Every parameter with its type (unknown → String), in slot order. */
  describe(): ParameterDescription[] {
    return this.parameters.slots.map((slot, i) => ({
      ...(slot.name !== undefined ? { name: slot.name } : { index: slot.index! + 1 }),
      type: this.inferred[i] ?? 'String',
    }));
  }

  /** Matches `values` to the slots and converts each to its type. Throws SqlError naming the parameter. */
  bind(values: ParamValues | undefined, options: BindOptions = {}): ParameterBinding | undefined {
    const { slots } = this.parameters;
    this.checkExtraValues(values, options);
    if (slots.length === 0) return undefined;
    const raw = slots.map((slot) => lookup(slot, values));
    const missing = slots.filter((_, i) => raw[i] === undefined);
    if (missing.length > 0) {
      const names = missing.map((slot) => slot.label).join(', ');
      throw new SqlError(`No value given for parameter${missing.length === 1 ? '' : 's'} ${names}`, this.sql, missing[0]!.pos);
    }
    const types = slots.map((_, i) => this.inferred[i] ?? (options.untyped === 'value' ? null : 'String'));
    const converted = slots.map((slot, i) => convert(slot, raw[i], types[i]!, this.sql));
    return ParameterBinding.withValues(this.parameters, types, converted);
  }

  private checkExtraValues(values: ParamValues | undefined, options: BindOptions): void {
    if (values === undefined || options.extraValues === 'ignore') return;
    const { slots, positionalCount } = this.parameters;
    const where = slots.at(-1)?.pos ?? this.statement.pos;
    const has = `the statement has ${positionalCount === 0 ? 'no positional parameters' : `${positionalCount} (${slots.slice(0, positionalCount).map((s) => s.label).join(', ')})`}`;
    if (Array.isArray(values)) {
      if (values.length > positionalCount) {
        throw new SqlError(`${values.length} values given but ${has}`, this.sql, where);
      }
      return;
    }
    for (const key of Object.keys(values)) {
      const position = positionalKey(key, slots);
      if (position !== undefined && position >= positionalCount) {
        throw new SqlError(`A value is given for parameter ${key} but ${has}`, this.sql, where);
      }
    }
  }
}

/**
 * A script's statements share one values array, each numbering its `?` from the first value:
 * more values than the statement that takes the most is an error.
 */
export function checkScriptValues(statements: readonly StatementNode[], sql: string, values: ParamValues | undefined): void {
  if (!Array.isArray(values) || statements.length === 0) return;
  const counts = statements.map((statement) => statementParameters(statement).positionalCount);
  const most = Math.max(...counts);
  if (values.length > most) {
    const at = statements[counts.indexOf(most)]!.pos;
    throw new SqlError(`${values.length} values given but no statement of the script takes more than ${most}`, sql, at);
  }
}

/** The 0-based position a record key names (`0` for `?1`, `$2` or `2` for `$2`); undefined for a name. */
function positionalKey(key: string, slots: readonly ParameterSlot[]): number | undefined {
  const numbered = slots.some((s) => s.numbered);
  if (/^\$\d+$/.test(key)) return Number(key.slice(1)) - 1;
  if (/^\d+$/.test(key)) return numbered ? Number(key) - 1 : Number(key);
  return undefined;
}

function lookup(slot: ParameterSlot, values: ParamValues | undefined): unknown {
  if (values === undefined) return undefined;
  if (Array.isArray(values)) return slot.index !== undefined ? values[slot.index] : undefined;
  const record = values as Readonly<Record<string, unknown>>;
  if (slot.index !== undefined) {
    // An object gives `?` values by 0-based position ("0") and `$n` values by "$n" (or "n").
    const keys = slot.numbered ? [`$${slot.index + 1}`, String(slot.index + 1)] : [String(slot.index)];
    const key = keys.find((k) => Object.hasOwn(record, k));
    return key === undefined ? undefined : record[key];
  }
  const bare = slot.name!.replace(/^@/, '');
  for (const key of [bare, `@${bare}`]) {
    if (Object.hasOwn(record, key)) return record[key];
  }
  const wanted = namedKey(bare);
  const match = Object.keys(record).find((key) => namedKey(key) === wanted);
  return match === undefined ? undefined : record[match];
}

/** A JS value as the slot's type; SqlError when it is not one. */
function convert(slot: ParameterSlot, raw: unknown, type: DataType | null, sql: string): SqlValue {
  const value = toSqlValue(raw);
  if (value === undefined) throw new SqlError(`Parameter ${slot.label} has an unsupported type (${describeType(raw)})`, sql, slot.pos);
  if (type === null) return value;
  const converted = coerceToType(value, type, 'store');
  if (converted === undefined) {
    throw new SqlError(`Parameter ${slot.label} must be ${articled(type)}, not ${describeValue(raw, value)}`, sql, slot.pos);
  }
  return converted;
}

/** JS value → engine value; undefined when the JS value has no SQL meaning. */
export function toSqlValue(raw: unknown): SqlValue | undefined {
  if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'bigint') return integerValue(raw);
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw;
  if (raw instanceof Numeric) return raw;
  return undefined;
}

function describeType(raw: unknown): string {
  if (raw instanceof Date) return 'invalid Date';
  if (typeof raw === 'number') return String(raw);
  return Array.isArray(raw) ? 'array' : typeof raw;
}

function describeValue(raw: unknown, value: SqlValue): string {
  const text = formatSqlValue(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? shown : `${shown} (${raw instanceof Date ? 'a Date' : typeof raw})`;
}

function articled(type: DataType): string {
  return /^[AEIOU]/.test(type) ? `an ${type}` : `a ${type}`;
}
