import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generateEmulatorMetadata, OUTPUT_PATH } from '../tools/gen-emulator.js';

// The committed metadata must be exactly what the generator makes from the spec today.

describe('emulator: generated metadata', () => {
  it('matches a fresh run of tools/gen-emulator.ts', () => {
    const committed = readFileSync(new URL(`../${OUTPUT_PATH}`, import.meta.url), 'utf8');
    const fresh = generateEmulatorMetadata();
    assert.ok(fresh === committed, 'emulator/generated/resources.ts is stale: run node --import tsx tools/gen-emulator.ts');
  });

  it('is deterministic', () => {
    assert.equal(generateEmulatorMetadata(), generateEmulatorMetadata());
  });
});
