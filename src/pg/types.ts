// The connection's column types as PostgreSQL types: which OID a result column or a parameter
// is announced with, and how a parameter's text is read for the connection.
import type { ResultColumn } from '../index.js';
import { OID, typeSize } from './protocol/types.js';
import type { FieldDescription } from './protocol/backend.js';
import type { InputKind } from './protocol/values.js';

/** OID for a connection type name. Unknown names (a type added later) are announced as text. */
export function oidOfType(type: string, json = false): number {
  if (json) return OID.json;
  switch (type) {
    case 'String':
      return OID.text;
    case 'Integer':
      return OID.int4;
    case 'Long':
      return OID.int8;
    case 'Double':
      return OID.float8;
    case 'Decimal':
      return OID.numeric;
    case 'Boolean':
      return OID.bool;
    case 'Datetime':
      return OID.timestamptz;
    case 'Date':
      return OID.date;
    case 'Timestamp':
      return OID.timestamp;
    case 'Interval':
      return OID.interval;
    case 'Json':
    case 'JSON':
      return OID.json;
    default:
      return OID.text;
  }
}

/** How a parameter's text is read so the connection gets a value of its type. */
export function inputKindOf(type: string): InputKind {
  switch (type) {
    case 'Integer':
    case 'Long':
      return 'integer';
    case 'Double':
      return 'number';
    case 'Decimal':
      return 'numeric';
    case 'Boolean':
      return 'boolean';
    case 'Datetime':
    case 'Date':
    case 'Timestamp':
      return 'timestamp';
    default:
      return 'string';
  }
}

/** A parameter the client declared with an OID: how its text is read. */
export function inputKindOfOid(oid: number): InputKind | undefined {
  switch (oid) {
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
      return 'integer';
    case OID.float4:
    case OID.float8:
      return 'number';
    case OID.numeric:
      return 'numeric';
    case OID.bool:
      return 'boolean';
    case OID.date:
    case OID.timestamp:
    case OID.timestamptz:
      return 'timestamp';
    case OID.text:
    case OID.varchar:
    case OID.bpchar:
    case OID.name:
    case OID.json:
    case OID.jsonb:
      return 'string';
    default:
      return undefined;
  }
}

/** A column of a result, as RowDescription describes it. */
export interface ResultField {
  name: string;
  typeOid: number;
  tableOid?: number;
  columnNumber?: number;
}

export function fieldsOfColumns(columns: readonly ResultColumn[]): ResultField[] {
  return columns.map((c) => ({ name: c.name, typeOid: declaredOid(c.typeName) ?? oidOfType(c.type, c.json === true) }));
}

/** The OID of a type a column declares beyond its engine type ('int2', 'jsonb', or a catalog column's OID as digits). */
function declaredOid(typeName: string | undefined): number | undefined {
  if (typeName === undefined) return undefined;
  if (/^\d+$/.test(typeName)) return Number(typeName);
  return (OID as Record<string, number>)[typeName];
}

export function describeFields(fields: readonly ResultField[], formats: readonly number[]): FieldDescription[] {
  return fields.map((f, i) => ({
    name: f.name,
    tableOid: f.tableOid ?? 0,
    columnNumber: f.columnNumber ?? 0,
    typeOid: f.typeOid,
    typeSize: typeSize(f.typeOid),
    typeModifier: -1,
    format: formatOf(formats, i),
  }));
}

/** Bind's format codes: none = all text, one = all the same, else one per column. */
export function formatOf(formats: readonly number[], index: number): number {
  if (formats.length === 0) return 0;
  if (formats.length === 1) return formats[0]!;
  return formats[index] ?? 0;
}
