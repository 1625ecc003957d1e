// sqllogictest records we knowingly fail, each with its reason. `npm run slt` lists every other
// failure; test/slt.test.ts fails on any failure not listed here.

import type { SltFailure } from './runner.js';

interface KnownFailure {
  file: string;
  line: number;
  reason: string;
}

export const KNOWN_FAILURES: readonly KnownFailure[] = [];

export function knownFailure(failure: SltFailure): KnownFailure | undefined {
  return KNOWN_FAILURES.find((k) => k.file === failure.file && k.line === failure.line);
}
