// CAST: SQL type names (ours and the common spellings of other databases) mapped onto our
// DataTypes, and the conversion itself. A value that cannot be converted becomes NULL (like
// TRY_CAST), so one bad row never aborts a scan.

import type { TypeNameNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import type { DataType, SqlValue } from './table.js';
import { coerceToType, valueToText } from './values.js';

const TYPE_NAMES: Readonly<Record<string, DataType>> = {
  STRING: 'String', VARCHAR: 'String', NVARCHAR: 'String', CHAR: 'String', NCHAR: 'String', TEXT: 'String',
  NTEXT: 'String', CHARACTER: 'String', UUID: 'String',
  BOOLEAN: 'Boolean', BOOL: 'Boolean', BIT: 'Boolean',
  INTEGER: 'Integer', INT: 'Integer', SMALLINT: 'Integer', TINYINT: 'Integer', INT4: 'Integer',
  LONG: 'Long', BIGINT: 'Long', INT8: 'Long',
  DECIMAL: 'Decimal', NUMERIC: 'Decimal', MONEY: 'Decimal',
  DOUBLE: 'Double', 'DOUBLE PRECISION': 'Double', FLOAT: 'Double', REAL: 'Double', FLOAT8: 'Double',
  DATETIME: 'Datetime', TIMESTAMP: 'Datetime', DATETIME2: 'Datetime', DATE: 'Datetime', TIMESTAMPTZ: 'Datetime',
};

export interface ResolvedType {
  type: DataType;
  text: string;
  /** Characters kept, for VARCHAR(n). */
  length?: number;
  /** Digits after the point, for DECIMAL(p, s). */
  scale?: number;
  /** DATE: the time of day is dropped. */
  dateOnly?: boolean;
}

export function resolveTypeName(node: TypeNameNode, sql: string): ResolvedType {
  const type = TYPE_NAMES[node.name];
  if (!type) {
    throw new SqlError(`Unknown type ${node.name}; use one of String, Integer, Long, Decimal, Double, Boolean, Datetime (or VARCHAR, INT, BIGINT, FLOAT, DECIMAL(p,s), DATETIME, TIMESTAMP, BOOLEAN, BIT)`, sql, node.pos);
  }
  const text = node.args.length > 0 ? `${node.name}(${node.args.map((a) => (a < 0 ? 'MAX' : a)).join(', ')})` : node.name;
  const resolved: ResolvedType = { type, text };
  if (type === 'String' && node.args.length === 1 && node.args[0]! > 0) resolved.length = node.args[0]!;
  if (type === 'Decimal' && node.args.length === 2) resolved.scale = node.args[1]!;
  if (type === 'Decimal' && node.args.length === 1) resolved.scale = 0;
  if (node.name === 'DATE') resolved.dateOnly = true;
  return resolved;
}

export function castValue(value: SqlValue, target: ResolvedType): SqlValue {
  if (value === null) return null;
  switch (target.type) {
    case 'String': {
      const text = value instanceof Date ? value.toISOString() : valueToText(value);
      return text !== null && target.length !== undefined ? text.slice(0, target.length) : text;
    }
    case 'Integer':
    case 'Long': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const n = coerceToType(typeof value === 'string' ? value.trim() : value, 'Double', 'compare');
      return typeof n === 'number' ? roundHalfAway(n, 0) : null;
    }
    case 'Decimal':
    case 'Double': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const n = coerceToType(value, 'Double', 'compare');
      if (typeof n !== 'number') return null;
      return target.scale !== undefined ? roundHalfAway(n, target.scale) : n;
    }
    case 'Boolean':
      if (typeof value === 'number') return value !== 0;
      return (coerceToType(value, 'Boolean', 'compare') ?? null) as SqlValue;
    case 'Datetime': {
      const d = coerceToType(value, 'Datetime', 'compare');
      if (!(d instanceof Date)) return null;
      if (!target.dateOnly) return d;
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    }
  }
}

function roundHalfAway(value: number, digits: number): number {
  const factor = 10 ** digits;
  const scaled = Math.abs(value) * factor;
  return (Math.sign(value) * Math.round(scaled + Number.EPSILON * scaled)) / factor || 0;
}
