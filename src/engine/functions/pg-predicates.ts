// PostgreSQL's null-safe comparisons: `a IS [NOT] DISTINCT FROM b` treats NULL as a value (two
// NULLs are not distinct), and `x IS [NOT] TRUE | FALSE` is never NULL.

import type { ScalarFunction } from '../functions.js';
import type { SqlValue } from '../table.js';
import { compareValues } from '../values.js';

function distinct(a: SqlValue, b: SqlValue): boolean {
  if (a === null || b === null) return a !== b;
  return compareValues(a, b) !== 0;
}

function truth(value: SqlValue): boolean | null {
  if (value === null) return null;
  return value === true || value === 1 || value === 't' || value === 'true';
}

export const pgPredicates: ScalarFunction[] = [
  { name: 'IS DISTINCT FROM', infix: 'IS DISTINCT FROM', minArgs: 2, maxArgs: 2, returnType: () => 'Boolean', call: ([a, b]) => distinct(a ?? null, b ?? null) },
  { name: 'IS NOT DISTINCT FROM', infix: 'IS NOT DISTINCT FROM', minArgs: 2, maxArgs: 2, returnType: () => 'Boolean', call: ([a, b]) => !distinct(a ?? null, b ?? null) },
  { name: 'IS TRUE', postfix: 'IS TRUE', minArgs: 1, maxArgs: 1, returnType: () => 'Boolean', call: ([v]) => truth(v ?? null) === true },
  { name: 'IS NOT TRUE', postfix: 'IS NOT TRUE', minArgs: 1, maxArgs: 1, returnType: () => 'Boolean', call: ([v]) => truth(v ?? null) !== true },
  { name: 'IS FALSE', postfix: 'IS FALSE', minArgs: 1, maxArgs: 1, returnType: () => 'Boolean', call: ([v]) => truth(v ?? null) === false },
  { name: 'IS NOT FALSE', postfix: 'IS NOT FALSE', minArgs: 1, maxArgs: 1, returnType: () => 'Boolean', call: ([v]) => truth(v ?? null) !== false },
];
