// CAST: SQL type names (ours and the common spellings of other databases) mapped onto our
// DataTypes, and the conversion itself. As in PostgreSQL, text that does not spell a value of
// the target type ('abc' AS INTEGER, '1.5' AS INTEGER, 'maybe' AS BOOLEAN) and an integer out
// of the type's range are errors, not NULL; TRY_CAST (SQL Server's) gives NULL instead, for
// data where a bad row should not stop the query. Casts no value can pass (a Datetime to a
// number) are refused while binding.

import type { Position, TypeNameNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import type { DataType, SqlValue } from './table.js';
import { BIGINT_MAX, BIGINT_MIN, coerceToType, formatDate, formatSqlValue, formatTimestamp, integerValue, isIntegralType, toNumeric, typeOfValue, valueToText } from './values.js';
import { Numeric, NUMERIC_MAX_PRECISION } from './numeric.js';
import { jsonbText } from './functions/pg-json.js';

const TYPE_NAMES: Readonly<Record<string, DataType>> = {
  STRING: 'String', VARCHAR: 'String', NVARCHAR: 'String', CHAR: 'String', NCHAR: 'String', TEXT: 'String',
  NTEXT: 'String', CHARACTER: 'String', UUID: 'String', JSON: 'String', JSONB: 'String', NAME: 'String',
  BOOLEAN: 'Boolean', BOOL: 'Boolean', BIT: 'Boolean',
  INTEGER: 'Integer', INT: 'Integer', SMALLINT: 'Integer', TINYINT: 'Integer', INT4: 'Integer', INT2: 'Integer',
  LONG: 'Long', BIGINT: 'Long', INT8: 'Long', OID: 'Long',
  DECIMAL: 'Decimal', NUMERIC: 'Decimal', MONEY: 'Decimal',
  DOUBLE: 'Double', 'DOUBLE PRECISION': 'Double', FLOAT: 'Double', REAL: 'Double', FLOAT8: 'Double', FLOAT4: 'Double',
  DATETIME: 'Datetime', TIMESTAMP: 'Datetime', DATETIME2: 'Datetime', TIMESTAMPTZ: 'Datetime', DATE: 'Date',
  INTERVAL: 'Interval',
};

export interface ResolvedType {
  type: DataType;
  text: string;
  /** Characters kept, for VARCHAR(n). */
  length?: number;
  /** Digits after the point, for DECIMAL(p, s). */
  scale?: number;
  /** Digits in all, for DECIMAL(p, s): a value needing more left of the point is an overflow. */
  precision?: number;
  /** JSON / JSONB: text that must be JSON; jsonb is kept in its normal form (`{"a": 1}`). */
  json?: 'json' | 'jsonb';
  /** A narrower range than the type's, for SMALLINT (an Integer in the engine, checked as PostgreSQL's int2). */
  range?: readonly [bigint, bigint];
}

export function isKnownTypeName(name: string): boolean {
  return Object.hasOwn(TYPE_NAMES, name);
}

export function resolveTypeName(node: TypeNameNode, sql: string): ResolvedType {
  const type = TYPE_NAMES[node.name];
  if (!type) {
    throw new SqlError(`Unknown type ${node.name}; use one of String, Integer, Long, Decimal, Double, Boolean, Datetime, Date (or VARCHAR, INT, BIGINT, FLOAT, DECIMAL(p,s), DATETIME, TIMESTAMP, BOOLEAN, BIT)`, sql, node.pos);
  }
  const text = node.args.length > 0 ? `${node.name}(${node.args.map((a) => (a < 0 ? 'MAX' : a)).join(', ')})` : node.name;
  const resolved: ResolvedType = { type, text };
  if (node.name === 'SMALLINT' || node.name === 'INT2') resolved.range = SMALLINT_RANGE;
  if (type === 'String' && node.args.length === 1 && node.args[0]! > 0) resolved.length = node.args[0]!;
  if (node.name === 'JSON' || node.name === 'JSONB') resolved.json = node.name === 'JSON' ? 'json' : 'jsonb';
  if (type === 'Decimal' && node.args.length > 0) {
    const [precision, scale = 0] = node.args as [number, number?];
    if (precision < 1 || precision > NUMERIC_MAX_PRECISION || scale < 0 || scale > precision) {
      throw new SqlError(`NUMERIC precision ${precision} must be between 1 and ${NUMERIC_MAX_PRECISION}, and its scale ${scale} between 0 and the precision`, sql, node.pos);
    }
    resolved.precision = precision;
    resolved.scale = scale;
  }
  return resolved;
}

/** Kinds of value one may cast to each type; text casts to anything, parsed at run time. */
const CASTABLE: Readonly<Record<DataType, readonly DataType[]>> = {
  String: ['String', 'Boolean', 'Integer', 'Long', 'Decimal', 'Double', 'Datetime', 'Date', 'Interval'],
  Boolean: ['String', 'Boolean', 'Integer', 'Long', 'Decimal', 'Double'],
  Integer: ['String', 'Boolean', 'Integer', 'Long', 'Decimal', 'Double'],
  Long: ['String', 'Boolean', 'Integer', 'Long', 'Decimal', 'Double'],
  Decimal: ['String', 'Boolean', 'Integer', 'Long', 'Decimal', 'Double'],
  Double: ['String', 'Boolean', 'Integer', 'Long', 'Decimal', 'Double'],
  Datetime: ['String', 'Datetime', 'Date'],
  Date: ['String', 'Datetime', 'Date'],
  Interval: ['String', 'Interval'],
  Array: ['String', 'Array'],
  Record: ['String', 'Record'],
};

/** Refuses, while binding, a cast no value of the source type could pass. */
export function checkCastable(from: DataType | null, target: ResolvedType, sql: string, pos: Position): void {
  if (from !== null && !CASTABLE[from].includes(target.type)) {
    throw new SqlError(`Cannot cast ${from} to ${target.text}`, sql, pos);
  }
}

/** The value as the target type; undefined when it cannot be (CAST raises `castFailure`, TRY_CAST gives NULL). */
export function castValue(value: SqlValue, target: ResolvedType, from: DataType | null = null): SqlValue | undefined {
  if (value === null) return null;
  switch (target.type) {
    case 'String': {
      const text = value instanceof Date ? (from === 'Date' ? formatDate(value) : formatTimestamp(value)) : valueToText(value);
      if (target.json && text !== null) return jsonText(text, target.json);
      return text !== null && target.length !== undefined ? text.slice(0, target.length) : text;
    }
    case 'Integer':
    case 'Long': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const exact = exactInteger(value, from);
      if (exact === undefined) return undefined;
      const [min, max] = target.range ?? INTEGER_RANGE[target.type];
      return exact >= min && exact <= max ? integerValue(exact) : undefined;
    }
    case 'Decimal': {
      if (typeof value === 'boolean') return Numeric.fromInteger(value ? 1 : 0);
      const n = toNumeric(value);
      if (n === null) return undefined;
      if (target.scale === undefined) return n;
      const rounded = n.round(target.scale);
      return rounded.integerDigits() > target.precision! - target.scale ? undefined : rounded;
    }
    case 'Double': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const n = coerceToType(value, 'Double', 'compare');
      return typeof n === 'number' ? n : undefined;
    }
    case 'Boolean':
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'bigint') return value !== 0n;
      if (typeof value === 'string') return BOOLEAN_TEXT.get(value.trim().toLowerCase());
      return typeof value === 'boolean' ? value : undefined;
    case 'Interval':
      return coerceToType(value, 'Interval', 'compare');
    case 'Datetime':
    case 'Date': {
      const d = coerceToType(value, target.type, 'compare');
      return d instanceof Date ? d : undefined;
    }
  }
}

/**
 * A number as the integer a cast gives, exactly: as PostgreSQL, a double rounds half to even
 * (rint), an exact number half away from zero; integer text is read digit for digit.
 */
function exactInteger(value: SqlValue, from: DataType | null): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (value instanceof Numeric) return value.isFinite ? value.round(0).coefficient : undefined;
  if (typeof value === 'string') return INTEGER_TEXT.test(value) ? BigInt(value.trim()) : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return BigInt(from === 'Double' ? roundHalfEven(value) : roundHalfAway(value, 0));
}

/** Text cast to json (checked, kept as written) or jsonb (checked, in jsonb's form); undefined when it is not JSON. */
function jsonText(text: string, kind: 'json' | 'jsonb'): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return kind === 'json' ? text : jsonbText(parsed);
}

/** Why `value` does not cast to `target`, in PostgreSQL's words. */
export function castFailure(value: SqlValue, target: ResolvedType): string {
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (target.type === 'Decimal' && target.precision !== undefined && toNumeric(value) !== null) {
    const scale = target.scale ?? 0;
    return `numeric field overflow: a field with precision ${target.precision}, scale ${scale} must round to an absolute value less than ${scale === target.precision ? '1' : `10^${target.precision - scale}`}`;
  }
  if (isIntegralType(target.type) && value instanceof Numeric && !value.isFinite) return `cannot convert ${value.special === 'NaN' ? 'NaN' : 'infinity'} to ${target.text}`;
  const outOfRange = isIntegralType(target.type) && (typeof value === 'number' || typeof value === 'bigint' || value instanceof Numeric || (typeof value === 'string' && INTEGER_TEXT.test(value)));
  if (outOfRange) return `Value ${text} is out of range for type ${target.text}`;
  if (typeof value !== 'string') return `Cannot cast ${typeOfValue(value)} ${formatSqlValue(value)} to ${target.text}`;
  return `Invalid input syntax for type ${target.text}: "${text}"`;
}

/** Integer text as PostgreSQL reads it for an integer type: no point, no exponent. */
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** PostgreSQL's integer (32-bit) and bigint (64-bit). */
const INTEGER_RANGE: Readonly<Record<'Integer' | 'Long', [bigint, bigint]>> = {
  Integer: [-2147483648n, 2147483647n],
  Long: [BIGINT_MIN, BIGINT_MAX],
};

const SMALLINT_RANGE = [-32768n, 32767n] as const;

/** The spellings PostgreSQL reads as a boolean (trimmed, any case). */
const BOOLEAN_TEXT: ReadonlyMap<string, boolean> = new Map([
  ['true', true], ['t', true], ['yes', true], ['y', true], ['on', true], ['1', true],
  ['false', false], ['f', false], ['no', false], ['n', false], ['off', false], ['0', false],
]);

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff !== 0.5) return Math.round(value) || 0;
  return (floor % 2 === 0 ? floor : floor + 1) || 0;
}

function roundHalfAway(value: number, digits: number): number {
  const factor = 10 ** digits;
  const scaled = Math.abs(value) * factor;
  return (Math.sign(value) * Math.round(scaled + Number.EPSILON * scaled)) / factor || 0;
}
