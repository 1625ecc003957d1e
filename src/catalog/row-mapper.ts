// Stripe object → engine row, aligned with the table's columns.

import type { Row, SqlValue } from '../engine/table.js';
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

/** `accountId` is the account the object was read from (undefined for the platform). */
export function mapRow(columns: readonly ColumnDef[], object: StripeObject, accountId: string | undefined): Row {
  return columns.map((column) => mapValue(column, object, accountId));
}

function mapValue(column: ColumnDef, object: StripeObject, accountId: string | undefined): SqlValue {
  if (column.encoding === 'account') return accountId ?? null;
  const value = column.field === undefined ? undefined : readPath(object, column.field);
  if (value === undefined || value === null) return null;
  switch (column.encoding) {
    case 'json':
      return JSON.stringify(value);
    case 'id':
      if (typeof value === 'string') return value;
      return typeof value === 'object' ? (((value as { id?: unknown }).id as string | undefined) ?? null) : String(value);
    case 'time':
      return typeof value === 'number' ? new Date(value * 1000) : null;
    case 'scalar':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
      // A scalar column that meets an object (API drift) still shows what came back.
      return JSON.stringify(value);
  }
}
