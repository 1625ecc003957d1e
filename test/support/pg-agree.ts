// One check for the dialect tests: a query answers on our engine as on PostgreSQL (PGlite).

import assert from 'node:assert/strict';
import type { Catalog } from '../../src/engine/table.js';
import { runQuery } from './engine-runner.js';
import type { PgOracle } from './pg-oracle.js';
import { compareResults } from './result-compare.js';

export interface AgreeOptions {
  /** PostgreSQL's spelling, when it differs. */
  pg?: string;
  /** The ORDER BY columns, whose order must match. */
  keys?: number[];
}

/** Runs `ours` on our engine and `pg` (default: the same text) on PostgreSQL; both must return the same non-empty rows. */
export async function agreeWithPostgres(ours: string, catalog: Catalog, oracle: PgOracle, options: AgreeOptions = {}): Promise<void> {
  const mine = await runQuery(ours, catalog);
  const theirs = await oracle.query(options.pg ?? ours);
  const problem = compareResults(mine, theirs, { keys: options.keys ?? [], cut: false });
  assert.equal(problem, null, `${ours}\n${problem}`);
  assert.ok(mine.length > 0, 'the query returns rows');
}
