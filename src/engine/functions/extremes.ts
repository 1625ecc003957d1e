// MIN and MAX. NULLs are skipped; over no rows (or only NULLs) the result is NULL. Values that do
// not compare (compareValues gives null) leave the extreme as it is. NaN is the largest number.
//
// Each is a class with its extreme in a field rather than a closure over a variable: the field
// is read and written in place, and numbers and strings are compared inline. Both are on the
// hot path of every GROUP BY and join aggregate that uses them.

import type { Accumulator, AggregateFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { compareValues } from '../values.js';

class Maximum implements Accumulator {
  best: SqlValue = null;

  add(value: SqlValue): void {
    if (value === null) return;
    const best = this.best;
    if (typeof value === 'number' && typeof best === 'number') {
      // As compareValues: NaN is above every number (PostgreSQL's float8), so it replaces any
      // other maximum; strings by code unit and datetimes by instant, as compareValues compares them too.
      if (value > best || (value !== value && best === best)) this.best = value;
    } else if (typeof value === 'string' && typeof best === 'string') {
      if (value > best) this.best = value;
    } else if (value instanceof Date && best instanceof Date) {
      if (value.getTime() > best.getTime()) this.best = value;
    } else if (best === null) this.best = value;
    else {
      const c = compareValues(value, best);
      if (c !== null && c > 0) this.best = value;
    }
  }

  result(): SqlValue {
    return this.best;
  }
}

class Minimum implements Accumulator {
  best: SqlValue = null;

  add(value: SqlValue): void {
    if (value === null) return;
    const best = this.best;
    if (typeof value === 'number' && typeof best === 'number') {
      // A NaN minimum gives way to any number.
      if (value < best || (best !== best && value === value)) this.best = value;
    } else if (typeof value === 'string' && typeof best === 'string') {
      if (value < best) this.best = value;
    } else if (value instanceof Date && best instanceof Date) {
      if (value.getTime() < best.getTime()) this.best = value;
    } else if (best === null) this.best = value;
    else {
      const c = compareValues(value, best);
      if (c !== null && c < 0) this.best = value;
    }
  }

  result(): SqlValue {
    return this.best;
  }
}

function extremum(name: string, create: () => Accumulator, keep: (comparison: number) => boolean): AggregateFunction {
  const replaces = (candidate: SqlValue, best: SqlValue): boolean => {
    const c = compareValues(candidate, best);
    return c !== null && keep(c);
  };
  return { name, allowsStar: false, returnType: (t) => t ?? 'String', create, replaces };
}

export const MIN = extremum('MIN', () => new Minimum(), (c) => c < 0);
export const MAX = extremum('MAX', () => new Maximum(), (c) => c > 0);
