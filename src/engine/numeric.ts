// Exact decimals: PostgreSQL's numeric, as the engine's value for a Decimal. A value is an
// integer coefficient (a JS bigint) and a scale, the digits after the point: 12.50 is 1250
// scale 2. The scale is kept as written, as PostgreSQL keeps its display scale, so 1.50 + 1
// prints 2.50 and 0.1 + 0.2 is 0.3 exactly.
//
// Why our own and not decimal.js / big.js: both normalise trailing zeros away (Big('1.50')
// prints 1.5) and decimal.js rounds every result to a configured number of significant
// digits, so neither carries PostgreSQL's display scale or its result-scale rules (sum: the
// larger scale; product: the sum of the scales; quotient: select_div_scale below). With the
// scale kept apart, + - * and comparisons are exact bigint operations in a few lines each,
// native to Node and with no dependency.
//
// Rules as in PostgreSQL's numeric.c: rounding is half away from zero; division rounds to
// select_div_scale's scale (at least 16 significant digits, never fewer digits after the point
// than either operand shows); mod takes the larger scale and the dividend's sign; a double
// becomes numeric through its 15 significant digits (float8_numeric's DBL_DIG).
//
// NaN, Infinity and -Infinity are numerics too (PostgreSQL 14): NaN equals NaN and sorts above
// every other value, Infinity above every finite one; arithmetic on them follows numeric.c
// (Infinity - Infinity and Infinity * 0 are NaN, a finite value / Infinity is 0).

/** numeric(p,s) allows at most this precision, as PostgreSQL does. */
export const NUMERIC_MAX_PRECISION = 1000;

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** PostgreSQL's special numerics. */
export type NumericSpecial = 'NaN' | 'Infinity' | '-Infinity';

const SPECIAL_TEXT = /^\s*([+-]?)(nan|infinity|inf)\s*$/i;

export class Numeric {
  /** The value is `coefficient / 10^scale`, scale ≥ 0, unless it is special (then 0 and 0). */
  constructor(
    readonly coefficient: bigint,
    readonly scale: number,
    readonly special: NumericSpecial | null = null,
  ) {}

  static readonly ZERO = new Numeric(0n, 0);
  static readonly NaN = new Numeric(0n, 0, 'NaN');
  static readonly INFINITY = new Numeric(0n, 0, 'Infinity');
  static readonly NEGATIVE_INFINITY = new Numeric(0n, 0, '-Infinity');

  /** PostgreSQL's numeric input: `[+-]digits[.digits][e[+-]digits]`, or NaN, [+-]Infinity, [+-]inf, spaces around; null when it is not one. */
  static parse(text: string): Numeric | null {
    const special = SPECIAL_TEXT.exec(text);
    if (special) {
      if (special[2]!.toLowerCase() === 'nan') return special[1] === '' ? Numeric.NaN : null;
      return special[1] === '-' ? Numeric.NEGATIVE_INFINITY : Numeric.INFINITY;
    }
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return null;
    const fraction = m[3] ?? '';
    let coefficient = BigInt((m[2] || '0') + fraction);
    let scale = fraction.length;
    if (m[4] !== undefined) {
      const exponent = Number(m[4]);
      if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > NUMERIC_MAX_PRECISION * 2) return null;
      scale -= exponent;
      if (scale < 0) {
        coefficient *= pow10(-scale);
        scale = 0;
      }
    }
    return new Numeric(m[1] === '-' ? -coefficient : coefficient, scale);
  }

  static fromInteger(value: number | bigint): Numeric {
    return new Numeric(BigInt(value), 0);
  }

  /** A double as PostgreSQL converts float8 to numeric: its 15 significant digits; NaN and ±Infinity as themselves. */
  static fromDouble(value: number): Numeric | null {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? Numeric.NaN : value > 0 ? Numeric.INFINITY : Numeric.NEGATIVE_INFINITY;
    if (Number.isSafeInteger(value)) return Numeric.fromInteger(value);
    const parsed = Numeric.parse(value.toPrecision(15))!;
    return parsed.trimmed();
  }

  /** A JS number or bigint as numeric: integers exactly, doubles as fromDouble. */
  static fromNumber(value: number | bigint): Numeric | null {
    return typeof value === 'bigint' ? Numeric.fromInteger(value) : Numeric.fromDouble(value);
  }

  /** -1, 0 or 1 (an infinity's sign); NaN for NaN. */
  get sign(): number {
    if (this.special !== null) return this.special === 'NaN' ? NaN : infinitySign(this);
    return this.coefficient > 0n ? 1 : this.coefficient < 0n ? -1 : 0;
  }

  get isFinite(): boolean {
    return this.special === null;
  }

  /** The coefficient at a scale at least this one's. */
  private at(scale: number): bigint {
    return scale === this.scale ? this.coefficient : this.coefficient * pow10(scale - this.scale);
  }

  plus(other: Numeric): Numeric {
    if (this.special !== null || other.special !== null) return specialSum(this, infinitySign(other), other);
    const scale = Math.max(this.scale, other.scale);
    return new Numeric(this.at(scale) + other.at(scale), scale);
  }

  minus(other: Numeric): Numeric {
    if (this.special !== null || other.special !== null) return specialSum(this, -infinitySign(other), other);
    const scale = Math.max(this.scale, other.scale);
    return new Numeric(this.at(scale) - other.at(scale), scale);
  }

  times(other: Numeric): Numeric {
    if (this.special !== null || other.special !== null) {
      // NaN, or an infinity times zero, is NaN; otherwise an infinity with the product's sign.
      const sign = this.sign * other.sign;
      return Number.isNaN(sign) || sign === 0 ? Numeric.NaN : infinity(sign);
    }
    return new Numeric(this.coefficient * other.coefficient, this.scale + other.scale);
  }

  negated(): Numeric {
    if (this.special !== null) return this.special === 'NaN' ? this : infinity(-infinitySign(this));
    return new Numeric(-this.coefficient, this.scale);
  }

  abs(): Numeric {
    if (this.special !== null) return this.special === 'NaN' ? this : Numeric.INFINITY;
    return this.coefficient < 0n ? this.negated() : this;
  }

  /** The quotient rounded to `scale` digits (default: PostgreSQL's select_div_scale); null when dividing by zero. */
  dividedBy(other: Numeric, scale?: number): Numeric | null {
    if (this.special !== null || other.special !== null) {
      // As numeric_div: NaN wins; infinity / infinity is NaN, infinity / 0 is a division by zero; finite / infinity is 0.
      if (this.special === 'NaN' || other.special === 'NaN') return Numeric.NaN;
      if (this.special === null) return Numeric.ZERO;
      if (other.special !== null) return Numeric.NaN;
      return other.sign === 0 ? null : infinity(this.sign * other.sign);
    }
    if (other.coefficient === 0n) return null;
    scale ??= divisionScale(this, other);
    // this / other = (c1 · 10^s2) / (c2 · 10^s1); times 10^scale for the result's coefficient.
    let numerator = this.coefficient * pow10(other.scale);
    let denominator = other.coefficient * pow10(this.scale);
    numerator *= pow10(scale);
    return new Numeric(divideRounded(numerator, denominator), scale);
  }

  /** PostgreSQL's numeric mod: the larger scale, the dividend's sign; null for mod by zero. */
  mod(other: Numeric): Numeric | null {
    if (this.special !== null || other.special !== null) {
      // As numeric_mod: NaN wins; infinity % 0 is a division by zero, infinity % x NaN; x % infinity is x.
      if (this.special === 'NaN' || other.special === 'NaN') return Numeric.NaN;
      if (this.special === null) return this;
      return other.special === null && other.sign === 0 ? null : Numeric.NaN;
    }
    if (other.coefficient === 0n) return null;
    const scale = Math.max(this.scale, other.scale);
    return new Numeric(this.at(scale) % other.at(scale), scale);
  }

  compareTo(other: Numeric): number {
    if (this.special !== null || other.special !== null) return Math.sign(specialRank(this) - specialRank(other));
    if (this.scale === other.scale) return this.coefficient < other.coefficient ? -1 : this.coefficient > other.coefficient ? 1 : 0;
    const scale = Math.max(this.scale, other.scale);
    const [a, b] = [this.at(scale), other.at(scale)];
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Rounded (half away from zero) to `scale` digits after the point; a negative scale rounds left of it. */
  round(scale: number): Numeric {
    if (this.special !== null) return this;
    if (scale >= this.scale) return new Numeric(this.at(scale), scale);
    const dropped = pow10(this.scale - scale);
    const rounded = divideRounded(this.coefficient, dropped);
    return scale >= 0 ? new Numeric(rounded, scale) : new Numeric(rounded * pow10(-scale), 0);
  }

  /** Truncated toward zero to `scale` digits. */
  truncate(scale: number): Numeric {
    if (this.special !== null) return this;
    if (scale >= this.scale) return new Numeric(this.at(scale), scale);
    const kept = this.coefficient / pow10(this.scale - scale);
    return scale >= 0 ? new Numeric(kept, scale) : new Numeric(kept * pow10(-scale), 0);
  }

  floor(): Numeric {
    if (this.special !== null) return this;
    const t = this.truncate(0);
    return t.compareTo(this) > 0 ? new Numeric(t.coefficient - 1n, 0) : t;
  }

  ceil(): Numeric {
    if (this.special !== null) return this;
    const t = this.truncate(0);
    return t.compareTo(this) < 0 ? new Numeric(t.coefficient + 1n, 0) : t;
  }

  /** The same value with trailing zeros after the point dropped, down to `minScale` digits. */
  trimmed(minScale = 0): Numeric {
    if (this.special !== null) return this;
    let { coefficient, scale } = this;
    while (scale > minScale && coefficient % TEN === 0n) {
      coefficient /= TEN;
      scale--;
    }
    return scale === this.scale ? this : new Numeric(coefficient, scale);
  }

  /** Digits left of the point (0 for a value below 1, and NaN, which any numeric(p,s) holds; an infinity none does), for numeric(p,s)'s overflow check. */
  integerDigits(): number {
    if (this.special !== null) return this.special === 'NaN' ? 0 : Infinity;
    const whole = this.coefficient < 0n ? -this.coefficient / pow10(this.scale) : this.coefficient / pow10(this.scale);
    return whole === 0n ? 0 : whole.toString().length;
  }

  isInteger(): boolean {
    if (this.special !== null) return false;
    return this.coefficient % pow10(this.scale) === 0n;
  }

  /** The integral value as a bigint, truncated toward zero. */
  toBigInt(): bigint {
    return this.coefficient / pow10(this.scale);
  }

  /** The nearest double (what a numeric becomes in arithmetic with a double). */
  toNumber(): number {
    return Number(this.toString());
  }

  /** PostgreSQL's text: every digit, exactly `scale` after the point, never an exponent; NaN, Infinity, -Infinity. */
  toString(): string {
    if (this.special !== null) return this.special;
    const negative = this.coefficient < 0n;
    const digits = (negative ? -this.coefficient : this.coefficient).toString();
    if (this.scale === 0) return negative ? `-${digits}` : digits;
    const padded = digits.padStart(this.scale + 1, '0');
    const point = padded.length - this.scale;
    return `${negative ? '-' : ''}${padded.slice(0, point)}.${padded.slice(point)}`;
  }

  /** JSON.stringify gives the exact text (a string, as Stripe and node-postgres give decimals). */
  toJSON(): string {
    return this.toString();
  }

  /** A text equal for equal values whatever their scale (1.0 and 1.00), for grouping and DISTINCT. */
  key(): string {
    return this.trimmed().toString();
  }
}

/** 1 for Infinity, -1 for -Infinity, 0 for anything else (NaN included). */
function infinitySign(value: Numeric): number {
  return value.special === 'Infinity' ? 1 : value.special === '-Infinity' ? -1 : 0;
}

function infinity(sign: number): Numeric {
  return sign > 0 ? Numeric.INFINITY : Numeric.NEGATIVE_INFINITY;
}

/** `a + b` (or `a - b`, with b's infinity sign flipped) where one is special: NaN wins, opposite infinities make NaN. */
function specialSum(a: Numeric, bInfinity: number, b: Numeric): Numeric {
  if (a.special === 'NaN' || b.special === 'NaN') return Numeric.NaN;
  const aInfinity = infinitySign(a);
  if (aInfinity !== 0 && bInfinity !== 0) return aInfinity === bInfinity ? a : Numeric.NaN;
  return infinity(aInfinity || bInfinity);
}

/** Order among specials and finite values: -Infinity < finite < Infinity < NaN (finite values tie here). */
function specialRank(value: Numeric): number {
  return value.special === 'NaN' ? 3 : infinitySign(value) * 2;
}

/** numerator / denominator, rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= denominator) return numerator < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
}

/** PostgreSQL's numeric digits are base 10000: the weight (position) and value of the first nonzero one. */
function leadingBase10000(value: Numeric): { weight: number; digit: number } {
  const magnitude = value.coefficient < 0n ? -value.coefficient : value.coefficient;
  if (magnitude === 0n) return { weight: 0, digit: 0 };
  // Decimal exponent of the leading digit: 12345 → 4, 0.05 → -2.
  const exponent = magnitude.toString().length - 1 - value.scale;
  const weight = Math.floor(exponent / 4);
  const shift = value.scale + 4 * weight;
  const digit = shift >= 0 ? magnitude / pow10(shift) : magnitude * pow10(-shift);
  return { weight, digit: Number(digit) };
}

/** The result scale PostgreSQL's select_div_scale picks for a / b. */
export function divisionScale(a: Numeric, b: Numeric): number {
  const NUMERIC_MIN_SIG_DIGITS = 16;
  const DEC_DIGITS = 4;
  const first = leadingBase10000(a);
  const second = leadingBase10000(b);
  let quotientWeight = first.weight - second.weight;
  if (first.digit <= second.digit) quotientWeight--;
  let scale = NUMERIC_MIN_SIG_DIGITS - quotientWeight * DEC_DIGITS;
  scale = Math.max(scale, a.scale, b.scale, 0);
  return Math.min(scale, NUMERIC_MAX_PRECISION);
}
