// Values on the wire, both formats: the text PostgreSQL prints for each type (booleans t/f,
// timestamptz in ISO style, numbers without exponents where PostgreSQL prints none) and the
// binary layouts of the types in BINARY_TYPES. Values are what the connection API gives:
// string, number, boolean, Date or null.
import { OID, TYPES } from './types.js';
import { formatDate, formatTimestamp, formatTimestamptz, parseTimestamp, type TimeZone } from './time.js';

/** What the connection gives (SqlValue: string, number, bigint, boolean, Date, an interval or a decimal object, null). */
export type WireValue = string | number | boolean | Date | bigint | IntervalLike | DecimalLike | CompositeLike | null;

/** The connection's arrays and row values (SqlArray, SqlRecord): toString() is PostgreSQL's text, `{1,2}` or `(1,2)`. */
export type CompositeLike = { readonly items: readonly unknown[]; toString(): string } | { readonly names: readonly string[]; toString(): string };

/** The connection's exact decimals (numeric): toString() is every digit, PostgreSQL's text. */
export interface DecimalLike {
  readonly coefficient: bigint;
  readonly scale: number;
  toString(): string;
}

/** The connection's interval values: months, days and milliseconds kept apart; toString() is PostgreSQL's text. */
export interface IntervalLike {
  readonly months: number;
  readonly days: number;
  readonly ms: number;
  toString(): string;
}

function isInterval(value: unknown): value is IntervalLike {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && 'months' in value && 'days' in value && 'ms' in value;
}

/** A value the client sent that its type cannot read: SQLSTATE 22P02 (or 22003 out of range). */
export class BadValue extends Error {
  override name = 'BadValue';
  constructor(message: string, readonly code = '22P02') {
    super(message);
  }
}

/** Milliseconds from the Unix epoch to PostgreSQL's, 2000-01-01. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

// ---------------------------------------------------------------------------- text output

export function encodeText(value: Exclude<WireValue, null>, oid: number, zone: TimeZone): string {
  switch (oid) {
    case OID.bool:
      return truthy(value) ? 't' : 'f';
    case OID.float4:
    case OID.float8:
      return typeof value === 'number' ? floatText(value) : String(value);
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
    case OID.numeric:
      return typeof value === 'number' ? plainNumber(value) : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    case OID.timestamptz:
      return value instanceof Date ? formatTimestamptz(value, zone) : String(value);
    case OID.timestamp:
      return value instanceof Date ? formatTimestamp(value) : String(value);
    case OID.date:
      return value instanceof Date ? formatDate(value) : String(value);
    case OID.bytea:
      return `\\x${Buffer.from(String(value), 'utf8').toString('hex')}`;
    default:
      return anyText(value, zone);
  }
}

/** A value shown as text whatever column type it came from. */
function anyText(value: Exclude<WireValue, null>, zone: TimeZone): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return Number.isInteger(value) ? plainNumber(value) : floatText(value);
  if (value instanceof Date) return formatTimestamptz(value, zone);
  return String(value);
}

function truthy(value: Exclude<WireValue, null>): boolean {
  if (typeof value === 'string') return /^(t|true|1|y|yes|on)$/i.test(value);
  return Boolean(value);
}

/** float8 output: shortest exact digits, exponent with at least two digits (`1e-07`), Infinity/NaN. */
export function floatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  return text.includes('e') ? text.replace(/e([+-])(\d)$/, 'e$10$2') : text;
}

/** A number written out in positional notation (numeric and integers never print exponents). */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const [mantissa, exponentText] = text.toLowerCase().split('e') as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digitsPart = negative ? mantissa.slice(1) : mantissa;
  const [whole, fraction = ''] = digitsPart.split('.') as [string, string?];
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + out;
}

// -------------------------------------------------------------------------- binary output

export function encodeBinary(value: Exclude<WireValue, null>, oid: number): Buffer {
  switch (oid) {
    case OID.bool:
      return Buffer.from([truthy(value) ? 1 : 0]);
    case OID.int2: {
      const b = Buffer.allocUnsafe(2);
      b.writeInt16BE(integerIn(value, -32768, 32767, 'smallint'));
      return b;
    }
    case OID.int4: {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(integerIn(value, -2147483648, 2147483647, 'integer'));
      return b;
    }
    case OID.oid: {
      const b = Buffer.allocUnsafe(4);
      b.writeUInt32BE(integerIn(value, 0, 4294967295, 'oid'));
      return b;
    }
    case OID.int8: {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value))));
      return b;
    }
    case OID.float4: {
      const b = Buffer.allocUnsafe(4);
      b.writeFloatBE(Number(value));
      return b;
    }
    case OID.float8: {
      const b = Buffer.allocUnsafe(8);
      b.writeDoubleBE(Number(value));
      return b;
    }
    case OID.numeric:
      return encodeNumeric(typeof value === 'number' ? plainNumber(value) : String(value));
    case OID.timestamp:
    case OID.timestamptz: {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(BigInt(Math.round((asDate(value).getTime() - PG_EPOCH_MS) * 1000)));
      return b;
    }
    case OID.date: {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(Math.floor((asDate(value).getTime() - PG_EPOCH_MS) / 86_400_000));
      return b;
    }
    case OID.jsonb:
      return Buffer.concat([Buffer.from([1]), Buffer.from(String(value), 'utf8')]);
    case OID.interval: {
      if (!isInterval(value)) throw new BadValue(`invalid input syntax for type interval: "${String(value)}"`);
      const b = Buffer.allocUnsafe(16);
      b.writeBigInt64BE(BigInt(Math.round(value.ms * 1000)), 0);
      b.writeInt32BE(value.days, 8);
      b.writeInt32BE(value.months, 12);
      return b;
    }
    default:
      return Buffer.from(typeof value === 'string' ? value : String(value), 'utf8');
  }
}

function integerIn(value: Exclude<WireValue, null>, min: number, max: number, type: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadValue(`value ${String(value)} is out of range for type ${type}`, '22003');
  return n;
}

function asDate(value: Exclude<WireValue, null>): Date {
  if (value instanceof Date) return value;
  const parsed = parseTimestamp(String(value), undefined);
  if (!parsed) throw new BadValue(`invalid input syntax for type timestamp: "${String(value)}"`);
  return parsed;
}

/** numeric's binary form: ndigits, weight, sign, dscale, then base-10000 digits. */
export function encodeNumeric(text: string): Buffer {
  if (/^nan$/i.test(text)) return Buffer.from([0, 0, 0, 0, 0xc0, 0, 0, 0]);
  // PostgreSQL's numeric_send reads an infinity's dscale out of its special header (0xD000 or
  // 0xF000 masked as a short numeric's scale bits): 32, which clients ignore; sent as PostgreSQL sends it.
  if (/^[+-]?infinity$/i.test(text)) return Buffer.from([0, 0, 0, 0, text.startsWith('-') ? 0xf0 : 0xd0, 0, 0, 0x20]);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new BadValue(`invalid input syntax for type numeric: "${text}"`);
  const negative = m[1] === '-';
  const whole = (m[2] ?? '').replace(/^0+/, '');
  const fraction = m[3] ?? '';
  const dscale = fraction.length;
  // Pad so both parts split into groups of four digits around the point.
  const wholePadded = whole.padStart(Math.ceil(whole.length / 4) * 4, '0');
  const fractionPadded = fraction.padEnd(Math.ceil(fraction.length / 4) * 4, '0');
  let digits: number[] = [];
  for (let i = 0; i < wholePadded.length; i += 4) digits.push(Number(wholePadded.slice(i, i + 4)));
  let weight = digits.length - 1;
  for (let i = 0; i < fractionPadded.length; i += 4) digits.push(Number(fractionPadded.slice(i, i + 4)));
  while (digits.length > 0 && digits[0] === 0) {
    digits.shift();
    weight--;
  }
  while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop();
  if (digits.length === 0) weight = 0;
  const b = Buffer.allocUnsafe(8 + digits.length * 2);
  b.writeInt16BE(digits.length, 0);
  b.writeInt16BE(weight, 2);
  b.writeUInt16BE(negative && digits.length > 0 ? 0x4000 : 0, 4);
  b.writeInt16BE(dscale, 6);
  digits.forEach((d, i) => b.writeInt16BE(d, 8 + i * 2));
  return b;
}

export function decodeNumeric(b: Buffer): string {
  if (b.length < 8) throw new BadValue('invalid numeric in binary format');
  const count = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  let whole = '';
  let fraction = '';
  for (let i = 0; i < count; i++) {
    const group = String(b.readInt16BE(8 + i * 2)).padStart(4, '0');
    if (i <= weight) whole += group;
    else fraction += group;
  }
  if (weight >= count) whole += '0000'.repeat(weight - count + 1);
  if (weight < -1) fraction = '0000'.repeat(-weight - 1) + fraction;
  whole = whole.replace(/^0+/, '') || '0';
  fraction = fraction.padEnd(dscale, '0').slice(0, dscale);
  return `${sign === 0x4000 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

// ----------------------------------------------------------------------------- input

/** What a parameter should become for the connection, as a JS value. */
export type InputKind = 'string' | 'integer' | 'number' | 'numeric' | 'boolean' | 'timestamp' | 'json';

/** A parameter sent as text, read as `kind`. */
export function decodeText(text: string, kind: InputKind, zone: TimeZone, typeName: string = kind): WireValue {
  switch (kind) {
    case 'integer': {
      if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new BadValue(`invalid input syntax for type ${typeName}: "${text}"`);
      const n = Number(text);
      if (Number.isSafeInteger(n)) return n;
      // Every digit of a bigint: past 2^53 a JS number would round it.
      const exact = BigInt(text.trim());
      if (exact < -(2n ** 63n) || exact >= 2n ** 63n) throw new BadValue(`value "${text.trim()}" is out of range for type bigint`, '22003');
      return exact;
    }
    case 'numeric': {
      // Exact: the text itself, which the connection reads digit for digit as a Decimal.
      const trimmed = text.trim();
      if (/^[+-]?(infinity|inf|nan)$/i.test(trimmed)) return decodeText(text, 'number', zone, typeName);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) throw new BadValue(`invalid input syntax for type ${typeName}: "${text}"`);
      return trimmed;
    }
    case 'number': {
      const trimmed = text.trim();
      if (/^[+-]?(infinity|inf)$/i.test(trimmed)) return trimmed.startsWith('-') ? -Infinity : Infinity;
      if (/^nan$/i.test(trimmed)) return NaN;
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) throw new BadValue(`invalid input syntax for type ${typeName}: "${text}"`);
      return Number(trimmed);
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1'].includes(t)) return true;
      if (['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0'].includes(t)) return false;
      throw new BadValue(`invalid input syntax for type boolean: "${text}"`);
    }
    case 'timestamp': {
      const parsed = parseTimestamp(text, zone);
      if (!parsed) throw new BadValue(`invalid input syntax for type ${typeName}: "${text}"`);
      return parsed;
    }
    default:
      return text;
  }
}

/** A parameter sent in binary, read by the type the client declared (or the one we announced). */
export function decodeBinary(b: Buffer, oid: number): WireValue {
  const need = (n: number) => {
    if (b.length !== n) throw new BadValue(`incorrect binary data format for type ${TYPES.get(oid)?.name ?? oid}`, '22P03');
  };
  switch (oid) {
    case OID.bool:
      need(1);
      return b[0] !== 0;
    case OID.int2:
      need(2);
      return b.readInt16BE(0);
    case OID.int4:
      need(4);
      return b.readInt32BE(0);
    case OID.oid:
      need(4);
      return b.readUInt32BE(0);
    case OID.int8: {
      need(8);
      const n = b.readBigInt64BE(0);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case OID.float4:
      need(4);
      return b.readFloatBE(0);
    case OID.float8:
      need(8);
      return b.readDoubleBE(0);
    case OID.numeric: {
      // Every digit, as text the connection reads exactly (NaN and ±Infinity as numbers).
      const text = decodeNumeric(b);
      return /^-?[0-9]/.test(text) ? text : Number(text);
    }
    case OID.timestamp:
    case OID.timestamptz: {
      need(8);
      return new Date(PG_EPOCH_MS + Number(b.readBigInt64BE(0) / 1000n));
    }
    case OID.date:
      need(4);
      return new Date(PG_EPOCH_MS + b.readInt32BE(0) * 86_400_000);
    case OID.jsonb:
      return b.subarray(1).toString('utf8');
    case OID.interval: {
      need(16);
      const seconds = Number(b.readBigInt64BE(0)) / 1e6;
      return `${b.readInt32BE(12)} months ${b.readInt32BE(8)} days ${seconds} seconds`;
    }
    default:
      return b.toString('utf8');
  }
}
