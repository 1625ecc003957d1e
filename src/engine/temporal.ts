// Date arithmetic as PostgreSQL has it: timestamp ± interval is a timestamp, timestamp −
// timestamp an interval, intervals add and scale; date − date is a number of days, date ±
// integer a date, date ± interval a timestamp (a date standing for its midnight, UTC). The binder turns such an operator into a call
// of one of these functions (written back as the operator in EXPLAIN); a NOW() − INTERVAL '30
// days' of constants folds to a constant, so `Created >= NOW() - INTERVAL '30 days'` is still
// pushed down to Stripe as a `created` filter.

import type { ScalarFunction } from './functions.js';
import { Interval, parseInterval } from './interval.js';
import type { BoundExpr } from './bound.js';
import type { DataType, SqlValue } from './table.js';
import { parseDatetime, startOfUtcDay, toNumber } from './values.js';

const DAY_MS = 86_400_000;

function op(name: string, infix: string, returns: DataType, apply: (a: SqlValue, b: SqlValue) => SqlValue): ScalarFunction {
  return { name, infix, minArgs: 2, maxArgs: 2, returnType: () => returns, call: ([a, b]) => (a == null || b == null ? null : apply(a, b)) };
}

const asInterval = (v: SqlValue): Interval | null => (v instanceof Interval ? v : typeof v === 'string' ? parseInterval(v) : null);
const asDate = (v: SqlValue): Date | null => (v instanceof Date ? v : typeof v === 'string' ? parseDatetime(v) : null);

const TEMPORAL = {
  datetimePlus: op('DATETIME + INTERVAL', '+', 'Datetime', (a, b) => {
    const [d, i] = a instanceof Interval ? [asDate(b), a] : [asDate(a), asInterval(b)];
    return d && i ? i.addTo(d) : null;
  }),
  datetimeMinus: op('DATETIME - INTERVAL', '-', 'Datetime', (a, b) => {
    const d = asDate(a);
    const i = asInterval(b);
    return d && i ? i.negate().addTo(d) : null;
  }),
  between: op('DATETIME - DATETIME', '-', 'Interval', (a, b) => {
    const [x, y] = [asDate(a), asDate(b)];
    return x && y ? Interval.between(x, y) : null;
  }),
  datePlusDays: op('DATE + INTEGER', '+', 'Date', (a, b) => {
    const [d, n] = a instanceof Date || typeof a === 'string' ? [asDate(a), toNumber(b)] : [asDate(b), toNumber(a)];
    return d && n !== null ? new Date(startOfUtcDay(d).getTime() + n * DAY_MS) : null;
  }),
  dateMinusDays: op('DATE - INTEGER', '-', 'Date', (a, b) => {
    const d = asDate(a);
    const n = toNumber(b);
    return d && n !== null ? new Date(startOfUtcDay(d).getTime() - n * DAY_MS) : null;
  }),
  daysBetween: op('DATE - DATE', '-', 'Integer', (a, b) => {
    const [x, y] = [asDate(a), asDate(b)];
    return x && y ? Math.round((startOfUtcDay(x).getTime() - startOfUtcDay(y).getTime()) / DAY_MS) : null;
  }),
  intervalPlus: op('INTERVAL + INTERVAL', '+', 'Interval', (a, b) => {
    const [x, y] = [asInterval(a), asInterval(b)];
    return x && y ? x.plus(y) : null;
  }),
  intervalMinus: op('INTERVAL - INTERVAL', '-', 'Interval', (a, b) => {
    const [x, y] = [asInterval(a), asInterval(b)];
    return x && y ? x.plus(y.negate()) : null;
  }),
  intervalTimes: op('INTERVAL * NUMBER', '*', 'Interval', (a, b) => {
    const [i, n] = a instanceof Interval ? [a, toNumber(b)] : [asInterval(b), toNumber(a)];
    return i && n !== null ? i.times(n) : null;
  }),
  intervalDivide: op('INTERVAL / NUMBER', '/', 'Interval', (a, b) => {
    const i = asInterval(a);
    const n = toNumber(b);
    return i && n !== null && n !== 0 ? i.times(1 / n) : null;
  }),
};

const isTemporal = (t: DataType | null): boolean => t === 'Datetime' || t === 'Date' || t === 'Interval';

/**
 * What an untyped string constant beside a timestamp or date means: an interval if it reads as
 * one, else the other side's type (PostgreSQL first tries an unknown literal as the other side's type).
 */
function kindOf(expr: BoundExpr, other: BoundExpr): DataType | null {
  if (isTemporal(expr.type)) return expr.type;
  if (expr.kind === 'const' && typeof expr.value === 'string' && isTemporal(other.type)) {
    if (parseInterval(expr.value)) return 'Interval';
    if (parseDatetime(expr.value)) return other.type === 'Date' ? 'Date' : 'Datetime';
  }
  return expr.type;
}

/** The call standing for `left op right` when the operands are timestamps or intervals; undefined otherwise. */
export function temporalOperator(op: string, left: BoundExpr, right: BoundExpr): ScalarFunction | undefined {
  const a = kindOf(left, right);
  const b = kindOf(right, left);
  if (!isTemporal(a) && !isTemporal(b)) return undefined;
  const key = `${a} ${op} ${b}`;
  switch (key) {
    case 'Datetime + Interval':
    case 'Interval + Datetime':
    case 'Date + Interval':
    case 'Interval + Date':
      return TEMPORAL.datetimePlus;
    case 'Datetime - Interval':
    case 'Date - Interval':
      return TEMPORAL.datetimeMinus;
    case 'Datetime - Datetime':
    case 'Datetime - Date':
    case 'Date - Datetime':
      return TEMPORAL.between;
    case 'Date - Date':
      return TEMPORAL.daysBetween;
    case 'Date + Integer':
    case 'Integer + Date':
      return TEMPORAL.datePlusDays;
    case 'Date - Integer':
      return TEMPORAL.dateMinusDays;
    case 'Interval + Interval':
      return TEMPORAL.intervalPlus;
    case 'Interval - Interval':
      return TEMPORAL.intervalMinus;
  }
  const numeric = (t: DataType | null): boolean => t === 'Integer' || t === 'Long' || t === 'Decimal' || t === 'Double';
  if (op === '*' && ((a === 'Interval' && numeric(b)) || (numeric(a) && b === 'Interval'))) return TEMPORAL.intervalTimes;
  if (op === '/' && a === 'Interval' && numeric(b)) return TEMPORAL.intervalDivide;
  return undefined;
}
