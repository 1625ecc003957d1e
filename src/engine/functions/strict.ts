// A function PostgreSQL declares STRICT: NULL in any argument gives NULL without calling it,
// and so does input it cannot read (the body gives undefined).

import type { ScalarFunction } from '../functions.js';
import type { DataType, SqlValue } from '../table.js';

export function strictFunction(name: string, minArgs: number, maxArgs: number, type: DataType, body: (args: SqlValue[]) => SqlValue | undefined): ScalarFunction {
  return {
    name,
    minArgs,
    maxArgs,
    returnType: () => type,
    call: (args) => (args.some((a) => a === null) ? null : (body(args) ?? null)),
  };
}
