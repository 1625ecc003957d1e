// The function registry: scalar functions (evaluated per row) and aggregates (folded over all
// rows). Names are upper case, as the parser delivers them. Scalar functions return NULL for
// NULL input rather than throwing, so a bad row never aborts a scan.

import type { DataType, SqlValue } from './table.js';
import { compareValues, isIntegralType, isNumericType, sqlEquals, toNumber, valueToText } from './values.js';

export interface ScalarFunction {
  name: string;
  minArgs: number;
  maxArgs: number;
  returnType(argTypes: (DataType | null)[]): DataType | null;
  call(args: SqlValue[]): SqlValue;
}

export interface Accumulator {
  add(value: SqlValue): void;
  result(): SqlValue;
}

export interface AggregateFunction {
  name: string;
  /** COUNT alone accepts `*`. */
  allowsStar: boolean;
  returnType(argType: DataType | null): DataType;
  create(): Accumulator;
}

function textFunction(name: string, fn: (text: string) => SqlValue, type: DataType): ScalarFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    returnType: () => type,
    call: ([value]) => {
      const text = valueToText(value ?? null);
      return text === null ? null : fn(text);
    },
  };
}

/** Rounds half away from zero, as SQL does (Math.round rounds -2.5 to -2). */
function roundHalfAway(value: number, digits: number): number {
  const factor = 10 ** digits;
  const scaled = Math.abs(value) * factor;
  const rounded = Math.round(scaled + Number.EPSILON * scaled) / factor;
  return Math.sign(value) * rounded;
}

const scalarList: ScalarFunction[] = [
  textFunction('UPPER', (t) => t.toUpperCase(), 'String'),
  textFunction('LOWER', (t) => t.toLowerCase(), 'String'),
  textFunction('LENGTH', (t) => t.length, 'Integer'),
  textFunction('LEN', (t) => t.length, 'Integer'),
  textFunction('TRIM', (t) => t.trim(), 'String'),
  {
    name: 'COALESCE',
    minArgs: 1,
    maxArgs: Infinity,
    returnType: (types) => types.find((t) => t !== null) ?? null,
    call: (args) => args.find((v) => v !== null) ?? null,
  },
  {
    name: 'NULLIF',
    minArgs: 2,
    maxArgs: 2,
    returnType: ([t]) => t ?? null,
    call: ([a, b]) => (sqlEquals(a ?? null, b ?? null) === true ? null : (a ?? null)),
  },
  {
    name: 'ABS',
    minArgs: 1,
    maxArgs: 1,
    returnType: ([t]) => (isNumericType(t ?? null) ? t! : 'Double'),
    call: ([value]) => {
      const n = toNumber(value ?? null);
      return n === null ? null : Math.abs(n);
    },
  },
  {
    name: 'ROUND',
    minArgs: 1,
    maxArgs: 2,
    returnType: ([t]) => (isNumericType(t ?? null) ? t! : 'Double'),
    call: ([value, digits]) => {
      const n = toNumber(value ?? null);
      const d = digits === undefined ? 0 : toNumber(digits);
      if (n === null || d === null) return null;
      return roundHalfAway(n, Math.trunc(d));
    },
  },
];

const scalars = new Map(scalarList.map((f) => [f.name, f]));

export function findScalarFunction(name: string): ScalarFunction | undefined {
  return scalars.get(name.toUpperCase());
}

// ---------------------------------------------------------------------------------------------
// Aggregates: NULL inputs are skipped; over no rows COUNT is 0 and the others NULL.

function extremum(name: string, keep: (comparison: number) => boolean): AggregateFunction {
  return {
    name,
    allowsStar: false,
    returnType: (t) => t ?? 'String',
    create() {
      let best: SqlValue = null;
      return {
        add(value) {
          if (value === null) return;
          if (best === null) {
            best = value;
            return;
          }
          const c = compareValues(value, best);
          if (c !== null && keep(c)) best = value;
        },
        result: () => best,
      };
    },
  };
}

const aggregateList: AggregateFunction[] = [
  {
    name: 'COUNT',
    allowsStar: true,
    returnType: () => 'Long',
    create() {
      let count = 0;
      return {
        add(value) {
          if (value !== null) count++;
        },
        result: () => count,
      };
    },
  },
  {
    name: 'SUM',
    allowsStar: false,
    returnType: (t) => (isIntegralType(t) ? 'Long' : t === 'Decimal' ? 'Decimal' : 'Double'),
    create() {
      let sum: number | null = null;
      return {
        add(value) {
          const n = toNumber(value);
          if (n !== null) sum = (sum ?? 0) + n;
        },
        result: () => sum,
      };
    },
  },
  {
    name: 'AVG',
    allowsStar: false,
    returnType: (t) => (t === 'Decimal' ? 'Decimal' : 'Double'),
    create() {
      let sum = 0;
      let count = 0;
      return {
        add(value) {
          const n = toNumber(value);
          if (n === null) return;
          sum += n;
          count++;
        },
        result: () => (count === 0 ? null : sum / count),
      };
    },
  },
  extremum('MIN', (c) => c < 0),
  extremum('MAX', (c) => c > 0),
];

const aggregates = new Map(aggregateList.map((f) => [f.name, f]));

export function findAggregateFunction(name: string): AggregateFunction | undefined {
  return aggregates.get(name.toUpperCase());
}

/** Every function name, for "did you mean" suggestions. */
export function functionNames(): string[] {
  return [...scalars.keys(), ...aggregates.keys()];
}
