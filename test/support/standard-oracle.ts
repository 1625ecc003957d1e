// The set-up most PostgreSQL-differential test files share: the generated standard table `t`
// loaded into our engine (a memory table) and into PostgreSQL (PGlite) for the file's tests.

import { after, before } from 'node:test';
import type { Catalog } from '../../src/engine/table.js';
import { engineColumns, generateDataset, standardTable } from './dataset.js';
import { catalogOf, memoryTable } from './engine-runner.js';
import { PgOracle } from './pg-oracle.js';

export interface StandardOracle {
  catalog: Catalog;
  oracle: PgOracle;
}

/** `rows` generated rows from `seed`, the same in both engines; ready once the file's before() ran. */
export function useStandardOracle(seed: number, rows = 300): StandardOracle {
  const fixture = {} as StandardOracle;
  before(async () => {
    const table = standardTable('t');
    const dataset = generateDataset(table, rows, seed);
    fixture.catalog = catalogOf(memoryTable('t', engineColumns(table), dataset.rows));
    fixture.oracle = await PgOracle.start();
    await fixture.oracle.load(dataset);
  });
  after(async () => {
    await fixture.oracle.close();
  });
  return fixture;
}
