// UPDATE and DELETE rows → Stripe requests. Every row is validated before any request is sent,
// so a bad statement changes nothing in Stripe.

import { ColumnValueError, TableRefusal, type DeleteRequest, type SqlValue, type UpdateRequest } from '../engine/table.js';
import type { StripeParams } from '../stripe/types.js';
import { writeParamValue, type WriteValueOptions } from './create-params.js';
import { parseJsonInput } from './json-input.js';
import { setParam } from './param-path.js';
import type { ColumnDef, TableDef } from './types.js';
import { writeRules } from './write-rules.js';

/** The object one row of UPDATE or DELETE names. */
export interface RowTarget {
  id: string;
  /** The parent's id for a child object (`{parent}` in the path). */
  parentId?: string;
  /** Stripe-Account, from the account pseudo-column in the key. */
  accountId?: string;
}

export interface UpdateCall extends RowTarget {
  params: StripeParams;
}

/** Refuses UPDATE before anything else when the table has no way to do it. */
export function updatePathOf(def: TableDef): string {
  const refused = writeRules[def.name]?.noUpdate;
  if (refused) throw new TableRefusal(refused);
  if (!def.paths.update) throw new TableRefusal(`${def.name} does not support UPDATE: Stripe has no update endpoint for ${def.resource}`);
  return def.paths.update;
}

export function deletePathOf(def: TableDef): string {
  const refused = writeRules[def.name]?.noDelete;
  if (refused) throw new TableRefusal(refused);
  if (!def.paths.delete) throw new TableRefusal(`${def.name} does not support DELETE: Stripe has no delete endpoint for ${def.resource}`);
  return def.paths.delete;
}

/** UPDATE's pre-flight, before any read: the endpoint exists and every column can be set. */
export function checkUpdateColumns(def: TableDef, columns: readonly string[]): void {
  updatePathOf(def);
  for (const name of columns) updatableColumn(def, name, undefined);
}

export function buildUpdateCalls(def: TableDef, request: UpdateRequest, options: WriteValueOptions = {}): UpdateCall[] {
  const path = updatePathOf(def);
  return request.rows.map(({ key, set }, rowIndex) => {
    const target = rowTarget(def, path, key, rowIndex);
    if (Object.keys(set).length === 0) throw new ColumnValueError(def.name, `UPDATE of ${def.name} sets no column`, rowIndex);
    return { ...target, params: updateParams(def, set, rowIndex, options) };
  });
}

/**
 * UPDATE's pre-flight for the values known while planning (constant SET values): each checked
 * as every row's will be, so a bad one is refused before the rows of the WHERE are read.
 */
export function checkUpdateValues(def: TableDef, values: Readonly<Record<string, SqlValue>>, options: WriteValueOptions = {}): void {
  updateParams(def, values, undefined, options);
}

/** The parameters that set `set`'s columns; a value the column cannot take is a ColumnValueError. */
function updateParams(def: TableDef, set: Readonly<Record<string, SqlValue>>, rowIndex: number | undefined, options: WriteValueOptions): StripeParams {
  const params: StripeParams = {};
  for (const [name, value] of Object.entries(set)) {
    const column = updatableColumn(def, name, rowIndex);
    if (value === null) {
      // Stripe reads an empty value as "unset this field".
      setParam(params, column.updateParam!, '');
    } else if (column.field === 'metadata' && column.encoding === 'json') {
      mergeMetadata(params, column, value, rowIndex);
    } else {
      setParam(params, column.updateParam!, writeParamValue(def, column, value, rowIndex, 'update', options));
    }
  }
  return params;
}

export function buildDeleteTargets(def: TableDef, request: DeleteRequest): RowTarget[] {
  const path = deletePathOf(def);
  return request.keys.map((key, rowIndex) => rowTarget(def, path, key, rowIndex));
}

/** `{id}` and `{parent}` of `path` filled in (encoded). */
export function targetPath(path: string, target: RowTarget): string {
  const withId = path.replace('{id}', encodeURIComponent(target.id));
  return target.parentId === undefined ? withId : withId.replace('{parent}', encodeURIComponent(target.parentId));
}

function rowTarget(def: TableDef, path: string, key: Record<string, SqlValue>, rowIndex: number): RowTarget {
  const keyColumn = def.columns.find((c) => c.key) ?? def.columns.find((c) => c.name === 'Id');
  const keyName = keyColumn?.name ?? 'Id';
  const id = valueOf(key, keyName);
  if (typeof id !== 'string' || id === '') {
    throw new ColumnValueError(keyName, `${def.name} rows are changed by ${keyName}: give ${keyName} = '…' in WHERE`, rowIndex);
  }
  const target: RowTarget = { id };
  if (path.includes('{parent}')) {
    const parentColumn = def.parent?.column ?? 'ParentId';
    const parentId = valueOf(key, parentColumn);
    if (typeof parentId !== 'string' || parentId === '') {
      throw new ColumnValueError(parentColumn, `${def.name} rows belong to a parent: give ${parentColumn} = '…' as well as ${keyName} in WHERE`, rowIndex);
    }
    target.parentId = parentId;
  }
  const account = def.columns.find((c) => c.encoding === 'account');
  const accountId = account ? valueOf(key, account.name) : undefined;
  if (typeof accountId === 'string') target.accountId = accountId;
  return target;
}

function valueOf(record: Record<string, SqlValue>, name: string): SqlValue | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function updatableColumn(def: TableDef, name: string, rowIndex: number | undefined): ColumnDef {
  const column = def.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!column) throw new ColumnValueError(name, `${def.name} has no column ${name}`, rowIndex);
  if (column.key) throw new ColumnValueError(column.name, `${column.name} identifies the row and cannot be changed`, rowIndex);
  if (column.updateParam === undefined) {
    const why = column.readOnly ? 'is read-only' : `cannot be changed: Stripe's update endpoint has no parameter for it`;
    throw new ColumnValueError(column.name, `${column.name} ${why} (UPDATE of ${def.name})`, rowIndex);
  }
  return column;
}

/**
 * Stripe merges metadata on update: keys sent are set, keys not sent stay. A key set to NULL or
 * '' is sent empty (`metadata[k]=`), which Stripe reads as "remove k".
 */
function mergeMetadata(params: StripeParams, column: ColumnDef, value: Exclude<SqlValue, null>, rowIndex: number | undefined): void {
  if (typeof value !== 'string') throw new ColumnValueError(column.name, `${column.name} must be a JSON object`, rowIndex);
  const parsed = parseJsonInput(value);
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    throw new ColumnValueError(column.name, `${column.name} must be a JSON object of keys and string values`, rowIndex);
  }
  const changes: Record<string, string> = {};
  for (const [key, item] of Object.entries(parsed.value as Record<string, unknown>)) {
    changes[key] = item === null ? '' : typeof item === 'object' ? JSON.stringify(item) : String(item);
  }
  // An object, not bracket paths built from the keys, so a key holding `[` stays one key.
  setParam(params, column.updateParam!, changes);
}
