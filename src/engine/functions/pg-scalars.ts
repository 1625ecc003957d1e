// GREATEST and LEAST, as PostgreSQL has them: any number of arguments, NULLs ignored, NULL only
// when every argument is NULL. Values of different types compare as the engine compares them.

import type { ScalarFunction } from '../functions.js';
import type { DataType, SqlValue } from '../table.js';
import { compareValues, isNumericType } from '../values.js';

const NUMERIC_RANK: readonly DataType[] = ['Integer', 'Long', 'Decimal', 'Double'];

/** The arguments' common type: the widest number when all are numbers, else the first known. */
function commonType(types: (DataType | null)[]): DataType | null {
  const known = types.filter((t): t is DataType => t !== null);
  if (known.length === 0) return null;
  if (known.every(isNumericType)) return known.reduce((a, b) => (NUMERIC_RANK.indexOf(b) > NUMERIC_RANK.indexOf(a) ? b : a));
  return known.find((t) => !isNumericType(t)) ?? known[0]!;
}

function extreme(name: string, keep: (comparison: number) => boolean): ScalarFunction {
  return {
    name,
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    returnType: commonType,
    call(args) {
      let best: SqlValue = null;
      for (const value of args) {
        if (value === null) continue;
        if (best === null) {
          best = value;
          continue;
        }
        const c = compareValues(value, best);
        if (c !== null && keep(c)) best = value;
      }
      return best;
    },
  };
}

export const pgScalars: ScalarFunction[] = [extreme('GREATEST', (c) => c > 0), extreme('LEAST', (c) => c < 0)];
