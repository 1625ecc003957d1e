// PostgreSQL's everyday aggregates beyond COUNT/SUM/AVG/MIN/MAX: string_agg, array_agg,
// bool_and / bool_or / every. NULL inputs are skipped, and over no (non-NULL) rows each gives
// NULL, as in PostgreSQL. Arguments after the first must be constants (string_agg's delimiter):
// the binder configures the function with them.

import type { AggregateFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { formatSqlValue, valueToText } from '../values.js';

const toText = (value: SqlValue): string => valueToText(value) ?? '';

function stringAgg(delimiter: SqlValue): AggregateFunction {
  const separator = delimiter === null ? '' : toText(delimiter);
  return {
    name: 'STRING_AGG',
    allowsStar: false,
    argsSuffix: `, ${formatSqlValue(delimiter)}`,
    returnType: () => 'String',
    create() {
      const parts: string[] = [];
      return {
        add(value) {
          if (value !== null) parts.push(toText(value));
        },
        result: () => (parts.length === 0 ? null : parts.join(separator)),
      };
    },
  };
}

/** PostgreSQL's text form of an array: `{a,"b c",NULL}`. */
function arrayLiteral(values: SqlValue[]): string {
  const element = (v: SqlValue): string => {
    if (v === null) return 'NULL';
    const text = toText(v);
    return text === '' || /[{},"\\\s]/.test(text) || text.toUpperCase() === 'NULL' ? `"${text.replace(/["\\]/g, '\\$&')}"` : text;
  };
  return `{${values.map(element).join(',')}}`;
}

function booleanFold(name: string, initial: boolean, combine: (a: boolean, b: boolean) => boolean): AggregateFunction {
  return {
    name,
    allowsStar: false,
    returnType: () => 'Boolean',
    create() {
      let result: boolean | null = null;
      return {
        add(value) {
          if (value === null) return;
          result = combine(result ?? initial, value === true || value === 1 || value === 't' || value === 'true');
        },
        result: () => result,
      };
    },
  };
}

export const pgAggregates: AggregateFunction[] = [
  {
    name: 'STRING_AGG',
    allowsStar: false,
    constantArgs: 1,
    configure: ([delimiter]) => stringAgg(delimiter ?? null),
    returnType: () => 'String',
    create: () => stringAgg(',').create(),
  },
  {
    name: 'ARRAY_AGG',
    allowsStar: false,
    returnType: () => 'String',
    create() {
      const values: SqlValue[] = [];
      let any = false;
      return {
        // array_agg keeps NULLs, unlike the other aggregates.
        add(value) {
          any = true;
          values.push(value);
        },
        result: () => (any ? arrayLiteral(values) : null),
      };
    },
  },
  booleanFold('BOOL_AND', true, (a, b) => a && b),
  booleanFold('EVERY', true, (a, b) => a && b),
  booleanFold('BOOL_OR', false, (a, b) => a || b),
];
