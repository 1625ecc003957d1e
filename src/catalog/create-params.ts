// INSERT rows → Stripe create requests. Every row is validated before any request is sent,
// so a bad statement changes nothing in Stripe.

import { ColumnValueError, type InsertRequest, type SqlValue } from '../engine/table.js';
import type { StripeParams } from '../stripe/types.js';
import { jsonShapeOf, parseJsonInput } from './json-input.js';
import { setParam } from './param-path.js';
import type { ColumnDef, TableDef } from './types.js';

export interface CreateCall {
  params: StripeParams;
  /** Stripe-Account for this row, from the account pseudo-column. */
  accountId?: string;
  /** The parent id of a child object (`{parent}` in the create path), from the parent column. */
  parentId?: string;
}

export function buildCreateCalls(def: TableDef, request: InsertRequest): CreateCall[] {
  const columns = request.columns.map((name) => resolveWritableColumn(def, name));
  return request.rows.map((row, rowIndex) => buildCreateCall(def, columns, row, rowIndex));
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

function buildCreateCall(def: TableDef, columns: ColumnDef[], row: SqlValue[], rowIndex: number): CreateCall {
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
  const problem = def.insert?.validate?.(values);
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
    setParam(call.params, column.createParam!, paramValue(def, column, value, rowIndex));
  });
  return call;
}

function paramValue(def: TableDef, column: ColumnDef, value: Exclude<SqlValue, null>, rowIndex: number): unknown {
  if (column.encoding === 'json') return jsonParamValue(column, value, rowIndex);
  if (value instanceof Date) {
    // Stripe takes whole seconds; a fraction cannot be sent, and the earlier second is the one the user is in.
    return Math.floor(value.getTime() / 1000);
  }
  if (column.type === 'Boolean' && typeof value !== 'boolean') {
    throw new ColumnValueError(column.name, `${column.name} must be true or false to create a ${def.name}`, rowIndex);
  }
  return value;
}

function jsonParamValue(column: ColumnDef, value: Exclude<SqlValue, null>, rowIndex: number): unknown {
  if (typeof value !== 'string') throw new ColumnValueError(column.name, `${column.name} must be JSON text`, rowIndex);
  const parsed = parseJsonInput(value);
  if (!parsed.ok) throw new ColumnValueError(column.name, `${column.name} is not valid JSON: ${parsed.error}`, rowIndex);
  const expected = column.jsonShape;
  if (expected && jsonShapeOf(parsed.value) !== expected) {
    throw new ColumnValueError(column.name, `${column.name} must be a JSON ${expected}`, rowIndex);
  }
  return parsed.value;
}
