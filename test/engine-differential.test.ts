// Differential testing: generated queries run on our engine (over MemoryTables) and on
// PostgreSQL (PGlite) over the same generated data; every disagreement is reported with both
// SQL texts. The grammar lives in test/support/sql-generator.ts (see its header for where the
// PG side is written to mean what our documented rules mean, and which constructs are left out
// and why); extend it there.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, SqlValue } from '../src/engine/table.js';
import { engineColumns, generateDataset, standardTable, type Dataset, type TableSpec } from './support/dataset.js';
import { catalogOf, memoryTable, runQuery } from './support/engine-runner.js';
import { PgOracle } from './support/pg-oracle.js';
import { compareResults } from './support/result-compare.js';
import { generateQueries, joinShape, type GeneratedQuery } from './support/sql-generator.js';

const DATA_SEED = 20_241_126;
const QUERY_SEED = 7;

interface Mismatch {
  query: GeneratedQuery;
  problem: string;
}

interface RunSummary {
  mismatches: Mismatch[];
  shapes: Map<string, number>;
  nonEmpty: number;
}

function sparse(table: TableSpec, name: string): TableSpec {
  return { name, columns: table.columns.map((c) => ({ ...c, nullRate: 0.5 })) };
}

async function runAll(queries: GeneratedQuery[], catalog: Catalog, oracle: PgOracle): Promise<RunSummary> {
  const summary: RunSummary = { mismatches: [], shapes: new Map(), nonEmpty: 0 };
  for (const query of queries) {
    summary.shapes.set(query.shape, (summary.shapes.get(query.shape) ?? 0) + 1);
    let ours: SqlValue[][] | undefined;
    let theirs: SqlValue[][] | undefined;
    let problem: string | null = null;
    try {
      ours = await runQuery(query.ours, catalog);
    } catch (error) {
      problem = `our engine failed: ${(error as Error).message}`;
    }
    try {
      theirs = await oracle.query(query.pg);
    } catch (error) {
      problem = `${problem ? `${problem}; ` : ''}PostgreSQL failed: ${(error as Error).message}`;
    }
    if (!problem && ours && theirs) {
      problem = compareResults(ours, theirs, { keys: query.orderKeys, cut: query.cut });
      if (ours.length > 0 && ours.some((row) => row.some((v) => v !== null))) summary.nonEmpty++;
    }
    if (problem) summary.mismatches.push({ query, problem });
  }
  return summary;
}

function report(mismatches: Mismatch[]): string {
  const shown = mismatches.slice(0, 15).map(
    (m, i) => `#${i + 1} [${m.query.shape}] ${m.problem}\n  ours: ${m.query.ours}\n  pg:   ${m.query.pg}`,
  );
  return `${mismatches.length} of the generated queries disagree with PostgreSQL:\n${shown.join('\n')}`;
}

describe('differential: our engine against PostgreSQL (PGlite)', () => {
  let oracle: PgOracle;
  const datasets: Dataset[] = [
    generateDataset(standardTable('t'), 300, DATA_SEED),
    generateDataset(sparse(standardTable(), 'sparse'), 12, DATA_SEED + 1),
  ];
  const catalog = catalogOf(...datasets.map((d) => memoryTable(d.table.name, engineColumns(d.table), d.rows)));

  before(async () => {
    oracle = await PgOracle.start();
    for (const dataset of datasets) await oracle.load(dataset);
  });

  after(async () => {
    await oracle?.close();
  });

  it('loads the same rows into both engines', async () => {
    for (const dataset of datasets) {
      const sql = `SELECT * FROM ${dataset.table.name} ORDER BY id`;
      const [ours, theirs] = [await runQuery(sql, catalog), await oracle.query(sql)];
      assert.equal(ours.length, dataset.rows.length);
      assert.equal(compareResults(ours, theirs, { keys: [0], cut: false }), null);
    }
  });

  it('agrees on 1,500 generated queries over a 300-row table', async () => {
    const queries = generateQueries(datasets[0]!.table, QUERY_SEED, 1500);
    const summary = await runAll(queries, catalog, oracle);
    assert.equal(summary.mismatches.length, 0, report(summary.mismatches));
    // Guard against a generator that only produces trivial queries.
    for (const shape of ['filter', 'ordered', 'distinct', 'aggregate', 'star page', 'group by']) {
      assert.ok((summary.shapes.get(shape) ?? 0) >= 40, `shape ${shape} generated ${summary.shapes.get(shape) ?? 0} times`);
    }
    assert.ok(summary.nonEmpty >= queries.length * 0.5, `only ${summary.nonEmpty} queries returned non-NULL rows`);
  });

  it('agrees on 300 generated queries over a small table that is half NULLs', async () => {
    const queries = generateQueries(datasets[1]!.table, QUERY_SEED + 1, 300);
    const summary = await runAll(queries, catalog, oracle);
    assert.equal(summary.mismatches.length, 0, report(summary.mismatches));
  });

  it('agrees on 400 generated joins of the two tables', async () => {
    const queries = generateQueries(datasets[0]!.table, QUERY_SEED + 2, 400, [joinShape(datasets[1]!.table)]);
    const summary = await runAll(queries, catalog, oracle);
    assert.equal(summary.mismatches.length, 0, report(summary.mismatches));
    assert.ok(summary.nonEmpty >= queries.length * 0.3, `only ${summary.nonEmpty} joins returned non-NULL rows`);
  });

  it('generates the same queries from the same seed', () => {
    const table = datasets[0]!.table;
    assert.deepEqual(generateQueries(table, 99, 20), generateQueries(table, 99, 20));
    assert.notDeepEqual(generateQueries(table, 99, 20), generateQueries(table, 100, 20));
  });
});

describe('differential result comparison', () => {
  const d = (iso: string): Date => new Date(iso);

  it('compares unordered results as multisets, doubles with a tolerance', () => {
    assert.equal(compareResults([[1, 'a'], [2, 'b']], [[2, 'b'], [1, 'a']], { keys: [], cut: false }), null);
    assert.equal(compareResults([[0.1 + 0.2]], [[0.3]], { keys: [], cut: false }), null);
    assert.equal(compareResults([[d('2024-01-01T00:00:00Z')]], [[d('2024-01-01T00:00:00Z')]], { keys: [], cut: false }), null);
    assert.match(compareResults([[1], [1]], [[1], [2]], { keys: [], cut: false }) ?? '', /rows differ/);
    assert.match(compareResults([[1]], [[1], [1]], { keys: [], cut: false }) ?? '', /row counts differ: ours 1, PostgreSQL 2/);
    assert.match(compareResults([['1']], [[1]], { keys: [], cut: false }) ?? '', /rows differ/);
    assert.match(compareResults([[null]], [['']], { keys: [], cut: false }) ?? '', /rows differ/);
    assert.match(compareResults([[1.0001]], [[1]], { keys: [], cut: false }) ?? '', /rows differ/);
  });

  it('requires the ORDER BY keys in order but lets tied rows come in any order', () => {
    const ordering = { keys: [0], cut: false };
    assert.equal(compareResults([[1, 'x'], [1, 'y'], [2, 'z']], [[1, 'y'], [1, 'x'], [2, 'z']], ordering), null);
    assert.match(compareResults([[1, 'x'], [2, 'z']], [[2, 'z'], [1, 'x']], ordering) ?? '', /order differs at row #0/);
    assert.match(compareResults([[1, 'x'], [1, 'x'], [2, 'z']], [[1, 'x'], [1, 'y'], [2, 'z']], ordering) ?? '', /tie group at rows #0–#1/);
  });

  it('lets LIMIT/OFFSET cut tie groups at either edge differently, but not in the middle', () => {
    const ordering = { keys: [0], cut: true };
    assert.equal(compareResults([[1, 'a'], [2, 'b'], [3, 'c']], [[1, 'z'], [2, 'b'], [3, 'y']], ordering), null);
    assert.match(compareResults([[1, 'a'], [2, 'b'], [3, 'c']], [[1, 'a'], [2, 'x'], [3, 'c']], ordering) ?? '', /tie group at rows #1–#1/);
  });
});
