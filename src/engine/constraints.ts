// The constraints of a temporary table — NOT NULL, UNIQUE / PRIMARY KEY, CHECK, DEFAULT — bound
// once from CREATE TABLE (CREATE UNIQUE INDEX adds keys), and the checks of one row against them.
// Uniqueness across rows is staged-write.ts's job; this file says what a key is. Names follow
// PostgreSQL's (t_pkey, t_a_key, t_a_check, t_check, t_a_not_null) so messages read alike.

import type { ColumnConstraintNode, CreateTableNode, ExprNode, NameNode, Position } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, Scope } from './binder.js';
import { walk, type BoundExpr } from './bound.js';
import { compileExpr, type Evaluator } from './expressions.js';
import { formatExpr } from './format.js';
import { Numeric } from './numeric.js';
import { ColumnValueError, type Column, type Row } from './table.js';
import { coerceToType, distinctKey, formatSqlValue, toTruth } from './values.js';

export interface UniqueKey {
  name: string;
  /** Column positions, in key order. */
  columns: readonly number[];
  primary: boolean;
  /** The CREATE UNIQUE INDEX that made it (DROP INDEX takes it away); absent for a table constraint. */
  index?: string;
}

/** What a unique key is looked up by: see TableConstraints.keyOf. */
export type KeyValue = string | number | bigint | boolean;

export interface CheckConstraint {
  name: string;
  /** Columns the condition reads, in table order: the message shows their values. */
  columns: readonly number[];
  text: string;
  test: Evaluator;
}

/** A DEFAULT, bound by each INSERT that needs it, so NOW() is that statement's instant. */
export interface ColumnDefault {
  expr: ExprNode;
  /** The CREATE TABLE text the expression's positions point into. */
  sql: string;
}

export class TableConstraints {
  private readonly keys: UniqueKey[];
  private readonly notNullList: readonly number[];

  constructor(
    readonly table: string,
    readonly columns: readonly Column[],
    readonly notNull: ReadonlySet<number> = new Set(),
    readonly checks: readonly CheckConstraint[] = [],
    keys: readonly UniqueKey[] = [],
    readonly defaults: ReadonlyMap<number, ColumnDefault> = new Map(),
  ) {
    this.keys = [...keys];
    this.notNullList = [...notNull];
  }

  get uniqueKeys(): readonly UniqueKey[] {
    return this.keys;
  }

  addUniqueKey(key: UniqueKey): void {
    this.keys.push(key);
  }

  /** Takes away the key a CREATE UNIQUE INDEX added. */
  removeIndexKey(index: string): void {
    const at = this.keys.findIndex((k) => k.index !== undefined && k.index.toLowerCase() === index.toLowerCase());
    if (at >= 0) this.keys.splice(at, 1);
  }

  /** The key whose columns are exactly these (in any order): what `ON CONFLICT (cols)` names. */
  keyOnColumns(columns: readonly number[]): UniqueKey | undefined {
    const wanted = [...new Set(columns)].sort((a, b) => a - b).join(',');
    return this.keys.find((k) => [...k.columns].sort((a, b) => a - b).join(',') === wanted);
  }

  /** NOT NULL, then CHECK (a NULL result passes, as in SQL): throws on the first violation. */
  checkRow(row: Row, rowIndex: number): void {
    for (const index of this.notNullList) {
      if (row[index] === null || row[index] === undefined) {
        const column = this.columns[index]!.name;
        throw new ColumnValueError(column, `NULL violates NOT NULL constraint ${this.table}_${column}_not_null`, rowIndex);
      }
    }
    for (const check of this.checks) {
      if (toTruth(check.test(row)) !== false) continue;
      const column = check.columns.length > 0 ? this.columns[check.columns[0]!]!.name : '';
      const values = check.columns.length === 1 ? formatSqlValue(row[check.columns[0]!] ?? null) : this.valuesText(check.columns, row);
      throw new ColumnValueError(column, `${values} violates CHECK constraint ${check.name} (${check.text})`, rowIndex);
    }
  }

  /**
   * The key's value for lookups; undefined when one of its columns is NULL (NULLs never
   * collide). A one-column key is the value itself: a column holds values of one JS type only
   * (each is coerced to the column's type when written), and a date is its time.
   */
  keyOf(key: UniqueKey, row: Row): KeyValue | undefined {
    if (key.columns.length === 1) {
      const value = row[key.columns[0]!] ?? null;
      if (value === null) return undefined;
      return value instanceof Date ? value.getTime() : value instanceof Numeric ? value.key() : typeof value === 'object' ? value.toString() : value;
    }
    let text = '';
    for (const index of key.columns) {
      const value = row[index] ?? null;
      if (value === null) return undefined;
      // distinctKey starts with its kind's letter; the separator cannot appear in a number or date.
      text += `${distinctKey(value)}\u0000`;
    }
    return text;
  }

  duplicateError(key: UniqueKey, row: Row, rowIndex: number): ColumnValueError {
    const column = this.columns[key.columns[0]!]!.name;
    const kind = key.primary ? 'PRIMARY KEY' : 'UNIQUE';
    return new ColumnValueError(column, `duplicate key ${this.valuesText(key.columns, row)} violates ${kind} constraint ${key.name}`, rowIndex);
  }

  /** `x = 1` or `(a, b) = (1, 'x')`. */
  private valuesText(columns: readonly number[], row: Row): string {
    const names = columns.map((i) => this.columns[i]!.name);
    const values = columns.map((i) => formatSqlValue(row[i] ?? null));
    return columns.length === 1 ? `${names[0]} = ${values[0]}` : `(${names.join(', ')}) = (${values.join(', ')})`;
  }
}

/** The constraints CREATE TABLE declares, bound against its columns; every mistake is a SqlError where it is written. */
export function declaredConstraints(stmt: CreateTableNode, columns: readonly Column[], sql: string): TableConstraints {
  const table = stmt.name;
  const scope = Scope.single(table, undefined, columns);
  const notNull = new Set<number>();
  const defaults = new Map<number, ColumnDefault>();
  const keys: UniqueKey[] = [];
  const checks: CheckConstraint[] = [];
  const names = new Set<string>();
  // PostgreSQL's rule: a generated name that is taken gets 1, 2, … appended.
  const nameFor = (written: string | undefined, base: string, pos: Position): string => {
    if (written !== undefined) {
      if (names.has(written.toLowerCase())) throw new SqlError(`Constraint ${written} is declared more than once`, sql, pos);
      names.add(written.toLowerCase());
      return written;
    }
    let name = base;
    for (let n = 1; names.has(name.toLowerCase()); n++) name = `${base}${n}`;
    names.add(name.toLowerCase());
    return name;
  };
  const addKey = (primary: boolean, positions: number[], written: string | undefined, pos: Position): void => {
    if (primary && keys.some((k) => k.primary)) throw new SqlError(`Table ${table} has more than one PRIMARY KEY`, sql, pos);
    if (primary) for (const i of positions) notNull.add(i);
    const sameColumns = keys.find((k) => k.columns.join(',') === positions.join(','));
    if (sameColumns && written === undefined) {
      // UNIQUE on the primary key's columns (or twice) adds nothing, as in PostgreSQL.
      if (primary) Object.assign(sameColumns, { primary: true, name: nameFor(undefined, `${table}_pkey`, pos) });
      return;
    }
    const base = primary ? `${table}_pkey` : `${table}_${positions.map((i) => columns[i]!.name).join('_')}_key`;
    keys.push({ name: nameFor(written, base, pos), columns: positions, primary });
  };
  const addCheck = (expr: ExprNode, written: string | undefined, pos: Position): void => {
    const bound = bindCondition(expr, scope, sql);
    const read = columnsRead(bound);
    const base = read.length === 1 ? `${table}_${columns[read[0]!]!.name}_check` : `${table}_check`;
    checks.push({ name: nameFor(written, base, pos), columns: read, text: formatExpr(bound), test: compileExpr(bound) });
  };

  stmt.columns.forEach((def, index) => {
    const seen = new Map<ColumnConstraintNode['kind'], ColumnConstraintNode>();
    for (const constraint of def.constraints) {
      const clash = constraint.kind === 'null' ? seen.get('notNull') : constraint.kind === 'notNull' ? seen.get('null') : undefined;
      if (clash) throw new SqlError(`Column ${def.name} is declared both NULL and NOT NULL`, sql, constraint.pos);
      if (constraint.kind === 'default' && seen.has('default')) throw new SqlError(`Column ${def.name} has more than one DEFAULT`, sql, constraint.pos);
      seen.set(constraint.kind, constraint);
      switch (constraint.kind) {
        case 'notNull':
          notNull.add(index);
          break;
        case 'null':
          break;
        case 'unique':
        case 'primaryKey':
          addKey(constraint.kind === 'primaryKey', [index], constraint.name, constraint.pos);
          break;
        case 'check':
          addCheck(constraint.expr, constraint.name, constraint.pos);
          break;
        case 'default':
          checkDefault(constraint.expr, columns[index]!, scope, sql);
          defaults.set(index, { expr: constraint.expr, sql });
          break;
      }
    }
  });
  for (const constraint of stmt.constraints) {
    if (constraint.kind === 'check') addCheck(constraint.expr, constraint.name, constraint.pos);
    else addKey(constraint.kind === 'primaryKey', keyColumns(constraint.columns, columns, constraint.kind, sql), constraint.name, constraint.pos);
  }
  return new TableConstraints(table, columns, notNull, checks, keys, defaults);
}

/** The positions of a key's columns; unknown or repeated columns are refused. */
export function keyColumns(refs: readonly NameNode[], columns: readonly Column[], what: string, sql: string): number[] {
  const positions: number[] = [];
  for (const ref of refs) {
    const index = columns.findIndex((c) => c.name.toLowerCase() === ref.name.toLowerCase());
    if (index < 0) throw new SqlError(`Column ${ref.name} named in the ${what} does not exist`, sql, ref.pos);
    if (positions.includes(index)) throw new SqlError(`Column ${ref.name} appears twice in the ${what}`, sql, ref.pos);
    positions.push(index);
  }
  return positions;
}

/** A CHECK condition over one row of the table: no aggregates, windows or subqueries. */
function bindCondition(expr: ExprNode, scope: Scope, sql: string): BoundExpr {
  try {
    return bindExpr(expr, { sql, params: undefined, scope, aggregates: 'WHERE' });
  } catch (error) {
    // The binder names the clause it knows; here the clause is a CHECK constraint.
    if (error instanceof SqlError && error.reason.endsWith(' is not allowed in WHERE')) {
      throw new SqlError(error.reason.replace(/ in WHERE$/, ' in a CHECK constraint'), sql, { offset: error.offset, line: error.line, column: error.column });
    }
    throw error;
  }
}

/** A DEFAULT reads no column, and a constant one must fit the column's type. */
function checkDefault(expr: ExprNode, column: Column, scope: Scope, sql: string): void {
  const bound = bindExpr(expr, { sql, params: undefined, scope, aggregates: 'INSERT' });
  if (columnsRead(bound).length > 0) throw new SqlError(`The DEFAULT of ${column.name} cannot read a column`, sql, expr.pos);
  if (bound.kind === 'const' && coerceToType(bound.value, column.type, 'store') === undefined) {
    throw new SqlError(`DEFAULT ${formatSqlValue(bound.value)} is not a valid ${column.type} (column ${column.name})`, sql, expr.pos);
  }
}

function columnsRead(expr: BoundExpr): number[] {
  const read = new Set<number>();
  walk(expr, (e) => {
    if (e.kind === 'column') read.add(e.index);
  });
  return [...read].sort((a, b) => a - b);
}
