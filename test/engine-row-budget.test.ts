// MaxIntermediateRows (ExecContext.maxIntermediateRows): a sort, an aggregate's groups, DISTINCT
// and a set operation stop with an error naming the operator and the cap once they would hold
// more rows than that, and not before (a top-N sort keeps only what it needs). Every such
// operator notices a cancel between rows or batches instead of reading its input to the end.

import assert from 'node:assert/strict';
import test from 'node:test';
import { IntermediateRowsExceeded } from '../src/engine/operators/row-budget.js';
import type { Column, ExecContext, Row, ScanPlan, ScanRequest, Table } from '../src/engine/table.js';
import { catalogOf, memoryTable, planQuery } from './support/engine-runner.js';

const ROWS = 5000;
const columns: Column[] = [{ name: 'n', type: 'Integer' }, { name: 'g', type: 'Integer' }];
const data = Array.from({ length: ROWS }, (_, i) => [i, i % 50]);

/** A table that hands out rows one at a time (no batches), counting how many were pulled. */
class RowTable implements Table {
  readonly name = 'r';
  readonly columns = columns;
  pulled = 0;
  constructor(private readonly onRow?: (index: number) => void) {}
  plan(request: ScanRequest): ScanPlan {
    return { pushed: [], residual: request.predicates, orderSatisfied: false, limitApplied: false, describe: () => ['RowTable'] };
  }
  async *scan(): AsyncIterable<Row> {
    for (const row of data) {
      this.onRow?.(this.pulled);
      this.pulled++;
      yield row;
    }
  }
}

async function run(sql: string, table: Table, ctx: ExecContext): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of planQuery(sql, catalogOf(table)).rows(ctx)) out.push(row);
  return out;
}

async function exceeds(sql: string, table: Table, cap: number, operator: string): Promise<void> {
  await assert.rejects(run(sql, table, { maxIntermediateRows: cap }), (error: unknown) => {
    assert.ok(error instanceof IntermediateRowsExceeded, `${sql}: ${String(error)}`);
    assert.equal(error.operator, operator, sql);
    assert.equal(error.limit, cap, sql);
    assert.match(error.message, new RegExp(`^${operator} would hold more than ${cap} rows \\(MaxIntermediateRows = ${cap}\\)`));
    return true;
  });
}

test('a sort, GROUP BY, DISTINCT and UNION past the cap stop, naming the operator and the cap', async () => {
  for (const table of [memoryTable('r', columns, data), new RowTable()]) {
    await exceeds('SELECT n FROM r ORDER BY n DESC', table, 1000, 'Sort');
    await exceeds('SELECT n, COUNT(*) FROM r GROUP BY n', table, 1000, 'Aggregate');
    await exceeds('SELECT DISTINCT n FROM r', table, 1000, 'Distinct');
    await exceeds('SELECT n FROM r UNION SELECT g FROM r', table, 1000, 'UNION');
    await exceeds('SELECT n FROM r EXCEPT SELECT n FROM r WHERE n > 10', table, 1000, 'EXCEPT');
  }
});

test('under the cap nothing changes: top-N keeps only its LIMIT, few groups, few distinct values', async () => {
  for (const table of [memoryTable('r', columns, data), new RowTable()]) {
    const ctx = { maxIntermediateRows: 100 };
    assert.deepEqual(await run('SELECT n FROM r ORDER BY n DESC LIMIT 3', table, ctx), [[4999], [4998], [4997]]);
    assert.equal((await run('SELECT g, COUNT(*) FROM r GROUP BY g', table, ctx)).length, 50);
    assert.equal((await run('SELECT DISTINCT g FROM r', table, ctx)).length, 50);
    assert.equal((await run('SELECT g FROM r UNION SELECT g FROM r', table, ctx)).length, 50);
    assert.deepEqual(await run('SELECT COUNT(*) FROM r', table, ctx), [[ROWS]]);
  }
  await exceeds('SELECT n FROM r ORDER BY n LIMIT 101', memoryTable('r', columns, data), 100, 'Sort');
});

test('a cancel stops a sort, an aggregate and DISTINCT reading rows one at a time', async () => {
  for (const sql of ['SELECT n FROM r ORDER BY n', 'SELECT n, COUNT(*) FROM r GROUP BY n', 'SELECT DISTINCT n FROM r', 'SELECT n FROM r UNION SELECT n FROM r']) {
    const controller = new AbortController();
    const table = new RowTable((index) => {
      if (index === 10) controller.abort(new Error('cancelled'));
    });
    await assert.rejects(run(sql, table, { signal: controller.signal }), /cancelled/, sql);
    assert.ok(table.pulled <= 12, `${sql}: read ${table.pulled} rows after the cancel`);
  }
});
