// INSERT rows → Stripe create requests. Every row is validated before any request is sent,
// so a bad statement changes nothing in Stripe.

import { ColumnValueError, type InsertRequest, type SqlValue } from '../engine/table.js';
import { Numeric } from '../engine/numeric.js';
import type { StripeParams } from '../stripe/types.js';
import { jsonShapeOf, parseJsonInput } from './json-input.js';
import { setParam } from './param-path.js';
import type { ColumnDef, TableDef } from './types.js';
import { checkRequiredCreate } from './write-rules.js';

/** What value conversion may need from the statement's context. */
export interface WriteValueOptions {
  /** Temporary tables by name, for an Aggregate column given `'LineItems#TEMP'`. */
  resolveTempTable?(name: string): Record<string, SqlValue>[] | undefined;
}

export interface CreateCall {
  params: StripeParams;
  /** Stripe-Account for this row, from the account pseudo-column. */
  accountId?: string;
  /** The parent id of a child object (`{parent}` in the create path), from the parent column. */
  parentId?: string;
}

export function buildCreateCalls(def: TableDef, request: InsertRequest, options: WriteValueOptions = {}): CreateCall[] {
  const columns = request.columns.map((name) => resolveWritableColumn(def, name));
  return request.rows.map((row, rowIndex) => buildCreateCall(def, columns, row, rowIndex, options));
}

/**
 * INSERT's pre-flight while planning, before any request (an INSERT … SELECT's reads included):
 * each listed column settable on create, and every column a create requires listed. Columns
 * the table does not have or that are read-only are the engine's to report, with its own
 * messages; with such a column, or no column list yet, nothing is checked here.
 */
export function checkCreateColumns(def: TableDef, names: readonly string[]): void {
  const columns = names.map((name) => def.columns.find((c) => c.name.toLowerCase() === name.toLowerCase()));
  if (columns.length === 0 || columns.some((c) => c === undefined || c.readOnly)) return;
  const listed: Record<string, SqlValue> = {};
  for (const column of columns) listed[resolveWritableColumn(def, column!.name).name] = true;
  for (const required of def.insert?.required ?? []) {
    if (!(required in listed)) throw new ColumnValueError(required, `${required} is required to create a ${def.name}`);
  }
  // Whether one of several alternatives is given depends only on which are listed (values aside).
  const problem = checkRequiredCreate(def, listed);
  if (problem) throw new ColumnValueError(problem.column, problem.message);
}

function resolveWritableColumn(def: TableDef, name: string): ColumnDef {
  const column = def.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!column) throw new ColumnValueError(name, `${def.name} has no column ${name}`);
  if (column.encoding === 'account') return column;
  if (column.encoding === 'parent' && column.createParam === undefined && def.parent?.in === 'path' && def.paths.create?.includes('{parent}')) return column;
  if (column.readOnly) throw new ColumnValueError(column.name, `${column.name} is read-only and cannot be set when creating a ${def.name}`);
  if (column.createParam === undefined) {
    throw new ColumnValueError(column.name, `${column.name} cannot be set when creating a ${def.name}: Stripe's create endpoint has no parameter for it`);
  }
  return column;
}

function buildCreateCall(def: TableDef, columns: ColumnDef[], row: SqlValue[], rowIndex: number, options: WriteValueOptions): CreateCall {
  if (row.length !== columns.length) {
    throw new ColumnValueError(columns[0]?.name ?? def.name, `VALUES row ${rowIndex + 1} has ${row.length} values for ${columns.length} columns`, rowIndex);
  }
  const values: Record<string, SqlValue> = {};
  columns.forEach((column, i) => (values[column.name] = row[i] ?? null));

  for (const required of def.insert?.required ?? []) {
    if (values[required] === undefined || values[required] === null) {
      throw new ColumnValueError(required, `${required} is required to create a ${def.name}`, rowIndex);
    }
  }
  const problem = def.insert?.validate?.(values) ?? checkRequiredCreate(def, values);
  if (problem) throw new ColumnValueError(problem.column, problem.message, rowIndex);

  const call: CreateCall = { params: {} };
  columns.forEach((column, i) => {
    const value = row[i] ?? null;
    // NULL means "not given": Stripe reads an empty parameter as "unset", which a create has no use for.
    if (value === null) return;
    if (column.encoding === 'account') {
      call.accountId = String(value);
      return;
    }
    if (column.encoding === 'parent' && column.createParam === undefined) {
      call.parentId = String(value);
      return;
    }
    setParam(call.params, column.createParam!, writeParamValue(def, column, value, rowIndex, 'create', options));
  });
  return call;
}

/** A SQL value as the Stripe parameter takes it (JSON parsed, Datetime → Unix seconds). */
export function writeParamValue(
  def: TableDef, column: ColumnDef, value: Exclude<SqlValue, null>, rowIndex: number | undefined, verb: 'create' | 'update', options: WriteValueOptions = {},
): unknown {
  if (column.encoding === 'json') return jsonParamValue(column, value, rowIndex, options);
  // Every digit, as the decimal string Stripe's *_decimal parameters take.
  if (value instanceof Numeric) return value.toString();
  if (value instanceof Date) {
    // Stripe takes whole seconds; a fraction cannot be sent, and the earlier second is the one the user is in.
    return Math.floor(value.getTime() / 1000);
  }
  const doing = verb === 'create' ? 'create' : 'update';
  if (column.type === 'Boolean' && typeof value !== 'boolean') {
    throw new ColumnValueError(column.name, `${column.name} must be true or false to ${doing} a ${def.name}`, rowIndex);
  }
  if ((column.type === 'Integer' || column.type === 'Long') && typeof value === 'number' && !Number.isInteger(value)) {
    throw new ColumnValueError(column.name, `${column.name} must be a whole number to ${doing} a ${def.name}`, rowIndex);
  }
  return value;
}

/** An id or code as Stripe writes them: `SPRING25`, `price_1Ab`, `acct_1.x`. */
const BARE_ID = /^[\w.-]+$/;

/** A temporary table's name given where rows are expected (`'LineItems#TEMP'`). */
const TEMP_TABLE_NAME = /^[A-Za-z_][\w]*#TEMP$/i;

function jsonParamValue(column: ColumnDef, value: Exclude<SqlValue, null>, rowIndex: number | undefined, options: WriteValueOptions): unknown {
  if (typeof value !== 'string') throw new ColumnValueError(column.name, `${column.name} must be JSON text`, rowIndex);
  if (TEMP_TABLE_NAME.test(value.trim())) return tempTableParamValue(column, value.trim(), rowIndex, options);
  const parsed = parseJsonInput(value);
  // A JSON column whose parameter takes a plain value (PromotionCodes.Coupon shows the coupon,
  // creating one takes its id): a bare id is that value, no JSON quotes needed.
  if (!parsed.ok && column.jsonShape === undefined && BARE_ID.test(value.trim())) return value.trim();
  if (!parsed.ok) throw new ColumnValueError(column.name, `${column.name} is not valid JSON: ${parsed.error}`, rowIndex);
  const expected = column.jsonShape;
  if (expected && jsonShapeOf(parsed.value) !== expected) {
    throw new ColumnValueError(column.name, `${column.name} must be a JSON ${expected}`, rowIndex);
  }
  return parsed.value;
}

/**
 * The rows of a temporary table as an array parameter: each row an object whose keys are the
 * table's column names in snake_case (`Price` → `price`, `TaxRates` → `tax_rates`), NULLs left
 * out, Datetimes as Unix seconds, JSON text in a cell parsed.
 */
function tempTableParamValue(column: ColumnDef, name: string, rowIndex: number | undefined, options: WriteValueOptions): unknown {
  if (column.jsonShape === 'object') throw new ColumnValueError(column.name, `${column.name} takes a JSON object, not a table of rows`, rowIndex);
  const rows = options.resolveTempTable?.(name);
  if (!rows) throw new ColumnValueError(column.name, `${column.name}: no temporary table ${name}`, rowIndex);
  return rows.map((row) => {
    const item: Record<string, unknown> = {};
    for (const [key, cell] of Object.entries(row)) {
      if (cell === null) continue;
      item[snakeCase(key)] = cell instanceof Date ? Math.floor(cell.getTime() / 1000) : jsonCell(cell);
    }
    return item;
  });
}

function jsonCell(cell: Exclude<SqlValue, null | Date>): unknown {
  if (typeof cell !== 'string' || !/^\s*[[{]/.test(cell)) return cell;
  const parsed = parseJsonInput(cell);
  return parsed.ok ? parsed.value : cell;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}
