// Stripe object → engine row, aligned with the table's columns.

import type { Row, SqlValue } from '../engine/table.js';
import { Numeric } from '../engine/numeric.js';
import type { StripeObject } from '../stripe/types.js';
import type { ColumnDef } from './types.js';

export function readPath(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Where a row was read: what the object itself does not say. */
export interface RowSource {
  /** The parent object the row was listed under (child tables). */
  parentId?: string;
  /** The list parameters the row was read with (for `param` columns). */
  params?: Record<string, unknown>;
}

/** `accountId` is the account the object was read from (undefined for the platform). */
export function mapRow(columns: readonly ColumnDef[], object: StripeObject, accountId: string | undefined, source: RowSource = {}): Row {
  return columns.map((column) => mapValue(column, object, accountId, source));
}

function mapValue(column: ColumnDef, object: StripeObject, accountId: string | undefined, source: RowSource): SqlValue {
  if (column.encoding === 'account') return accountId ?? null;
  if (column.encoding === 'param') return paramValue(column, source.params?.[column.param ?? '']);
  const own = column.field === undefined ? undefined : readPath(object, column.field);
  const value = column.encoding === 'parent' && (own === undefined || own === null) ? source.parentId : own;
  if (value === undefined || value === null) return null;
  switch (column.encoding) {
    case 'json':
      return JSON.stringify(value);
    case 'parent':
    case 'id':
      if (typeof value === 'string') return value;
      return typeof value === 'object' ? (((value as { id?: unknown }).id as string | undefined) ?? null) : String(value);
    case 'time':
      return typeof value === 'number' ? new Date(value * 1000) : null;
    case 'decimal': {
      // Stripe sends decimals as strings ("1234.5678901234"): kept exact, every digit.
      const exact = typeof value === 'string' || typeof value === 'number' ? Numeric.parse(String(value)) : null;
      return exact ?? String(value);
    }
    case 'scalar':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
      // A scalar column that meets an object (API drift) still shows what came back.
      return JSON.stringify(value);
  }
}

function paramValue(column: ColumnDef, sent: unknown): SqlValue {
  if (sent === undefined || sent === null) return null;
  if (column.type === 'Datetime') return new Date(Number(sent) * 1000);
  if (column.type === 'Integer') return Number(sent);
  return String(sent);
}
