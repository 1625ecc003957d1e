// Ordered-set aggregates, as PostgreSQL has them: `percentile_cont(f) WITHIN GROUP (ORDER BY x)`
// interpolates between the two nearest values, `percentile_disc(f)` takes the first value whose
// position reaches the fraction, `mode()` the most frequent value (the first in order on a tie).
// NULL inputs are skipped; over no rows each gives NULL.

import type { AggregateFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { compareValues, distinctKey, toNumber } from '../values.js';

/** The non-NULL values collected, sorted in the WITHIN GROUP order. */
function collector(descending: boolean, finish: (sorted: SqlValue[]) => SqlValue) {
  return () => {
    const values: SqlValue[] = [];
    return {
      add(value: SqlValue) {
        if (value !== null) values.push(value);
      },
      result() {
        if (values.length === 0) return null;
        const sorted = [...values].sort((a, b) => (descending ? -1 : 1) * (compareValues(a, b) ?? 0));
        return finish(sorted);
      },
    };
  };
}

function fractionOf(value: SqlValue | undefined): number {
  const f = toNumber(value ?? null);
  // The binder only passes constants; a fraction outside [0, 1] is PostgreSQL's error, here NULL.
  return f === null || f < 0 || f > 1 ? Number.NaN : f;
}

function percentileCont(fraction: number, descending: boolean): AggregateFunction {
  return {
    name: 'PERCENTILE_CONT',
    allowsStar: false,
    orderedSet: true,
    argsSuffix: ` ${fraction} WITHIN GROUP${descending ? ' DESC' : ''}`,
    returnType: () => 'Double',
    create: collector(descending, (sorted) => {
      if (Number.isNaN(fraction)) return null;
      const position = fraction * (sorted.length - 1);
      const below = Math.floor(position);
      const low = toNumber(sorted[below]!);
      const high = toNumber(sorted[Math.ceil(position)]!);
      if (low === null || high === null) return null;
      return low + (high - low) * (position - below);
    }),
  };
}

function percentileDisc(fraction: number, descending: boolean): AggregateFunction {
  return {
    name: 'PERCENTILE_DISC',
    allowsStar: false,
    orderedSet: true,
    argsSuffix: ` ${fraction} WITHIN GROUP${descending ? ' DESC' : ''}`,
    returnType: (t) => t ?? 'String',
    create: collector(descending, (sorted) => {
      if (Number.isNaN(fraction)) return null;
      const index = Math.max(0, Math.ceil(fraction * sorted.length) - 1);
      return sorted[index]!;
    }),
  };
}

function mode(descending: boolean): AggregateFunction {
  return {
    name: 'MODE',
    allowsStar: false,
    orderedSet: true,
    argsSuffix: ` WITHIN GROUP${descending ? ' DESC' : ''}`,
    returnType: (t) => t ?? 'String',
    create: collector(descending, (sorted) => {
      let best: SqlValue = null;
      let bestCount = 0;
      let run = 0;
      for (let i = 0; i < sorted.length; i++) {
        run = i > 0 && distinctKey(sorted[i]!) === distinctKey(sorted[i - 1]!) ? run + 1 : 1;
        if (run > bestCount) {
          bestCount = run;
          best = sorted[i]!;
        }
      }
      return best;
    }),
  };
}

function orderedSet(name: string, constantArgs: number, configure: (constants: SqlValue[]) => AggregateFunction): AggregateFunction {
  return {
    name,
    allowsStar: false,
    orderedSet: true,
    constantArgs,
    configure,
    returnType: () => 'Double',
    create: () => configure([0.5, false]).create(),
  };
}

export const orderedSetAggregates: AggregateFunction[] = [
  orderedSet('PERCENTILE_CONT', 1, ([f, desc]) => percentileCont(fractionOf(f), desc === true)),
  orderedSet('PERCENTILE_DISC', 1, ([f, desc]) => percentileDisc(fractionOf(f), desc === true)),
  orderedSet('MODE', 0, ([desc]) => mode(desc === true)),
];
