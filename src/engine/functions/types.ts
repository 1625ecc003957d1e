// Type tests and NULL handling: COALESCE, NULLIF, ISNULL (SQL Server's two-argument COALESCE),
// ISNUMERIC (SQL Server: 1 when the value is, or parses as, a number; 0 otherwise, NULL
// included) and TYPEOF (the engine type of the value at run time: 'Integer', 'Long', 'Double',
// 'String', 'Boolean', 'Datetime', or 'Null' — a Long or Decimal column holding a small whole
// number reports 'Integer', as only the value is seen).

import type { ScalarFunction } from '../functions.js';
import { parseNumber, sqlEquals, typeOfValue } from '../values.js';
import { Numeric } from '../numeric.js';

export const typeFunctions: ScalarFunction[] = [
  {
    name: 'COALESCE',
    minArgs: 1,
    maxArgs: Infinity,
    // A date beside a timestamp is promoted to one (its midnight), as in PostgreSQL.
    returnType: (types) => (types.includes('Date') && types.includes('Datetime') ? 'Datetime' : (types.find((t) => t !== null) ?? null)),
    call: (args) => args.find((v) => v !== null) ?? null,
  },
  {
    name: 'ISNULL',
    minArgs: 2,
    maxArgs: 2,
    returnType: (types) => types.find((t) => t !== null) ?? null,
    call: ([value, replacement]) => (value ?? null) ?? replacement ?? null,
  },
  {
    name: 'NULLIF',
    minArgs: 2,
    maxArgs: 2,
    returnType: ([t]) => t ?? null,
    call: ([a, b]) => (sqlEquals(a ?? null, b ?? null) === true ? null : (a ?? null)),
  },
  {
    name: 'ISNUMERIC',
    minArgs: 1,
    maxArgs: 1,
    returnType: () => 'Integer',
    call: ([value]) => {
      if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Numeric) return 1;
      return typeof value === 'string' && parseNumber(value) !== null ? 1 : 0;
    },
  },
  {
    name: 'TYPEOF',
    minArgs: 1,
    maxArgs: 1,
    returnType: () => 'String',
    call: ([value]) => typeOfValue(value ?? null) ?? 'Null',
  },
];
