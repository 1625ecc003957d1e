import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable, planStatement, Session } from '../src/engine/index.js';
import type { Catalog, Row } from '../src/engine/table.js';
import { parse } from '../src/sql/parser.js';
import { catalogOf, collect, sessions } from './engine-fixtures.js';

async function explain(sql: string, catalog: Catalog, session?: Session): Promise<string[]> {
  const plan = planStatement(parse(sql), sql, catalog, undefined, session);
  assert.equal(plan.kind, 'query');
  if (plan.kind !== 'query') return [];
  assert.deepEqual(plan.columns, [{ name: 'Plan', type: 'String' }]);
  const rows: Row[] = await collect(plan.rows({}));
  return rows.map((r) => {
    assert.equal(r.length, 1);
    return String(r[0]);
  });
}

test('EXPLAIN SELECT returns the plan as rows: operators, pushed and residual predicates, describe() lines', async () => {
  const table = sessions({ pushdown: { Status: ['='] } });
  const lines = await explain("EXPLAIN SELECT Id FROM Sessions WHERE Status = 'open' AND AmountTotal > 100 ORDER BY Id LIMIT 2", catalogOf(table));
  assert.deepEqual(lines, ['Limit 2', 'Sort Id ASC', 'Filter AmountTotal > 100', 'Scan Sessions', '  MemoryTable Sessions', "  pushed: Status = 'open'"]);
  assert.equal(table.scans.length, 0, 'EXPLAIN does not scan');
});

test('EXPLAIN shows joins, with each side and the chosen method', async () => {
  const other = new MemoryTable('Other', [{ name: 'SessionId', type: 'String' }], [], {
    pushdown: { SessionId: ['IN'] },
    estimateRequests: () => 5,
    lookupRequests: () => 1,
  });
  const lines = await explain('EXPLAIN SELECT s.Id FROM Sessions s JOIN Other o ON o.SessionId = s.Id', catalogOf(sessions(), other));
  assert.deepEqual(lines, [
    'Lookup Join INNER ON s.Id = o.SessionId (fetches Other by SessionId IN (batch of up to 100 keys), about 1 request per batch)',
    '  Scan Sessions',
    '    MemoryTable Sessions',
    '  Scan Other (per batch: SessionId IN (…))',
    '    MemoryTable Other',
    '    pushed: SessionId IN (…)',
  ]);
});

test('EXPLAIN ANALYZE runs the query and adds actual rows per operator and a total', async () => {
  const table = sessions();
  const lines = await explain("EXPLAIN ANALYZE SELECT Status, COUNT(*) FROM Sessions WHERE Status <> 'expired' GROUP BY Status ORDER BY 1", catalogOf(table));
  assert.equal(table.scans.length, 1);
  assert.match(lines[0]!, /^Sort Status ASC \(actual: 2 rows, [\d.]+ ms\)$/);
  assert.match(lines[1]!, /^Aggregate COUNT\(\*\) GROUP BY Status \(actual: 2 rows, [\d.]+ ms\)$/);
  assert.equal(lines[2], "Filter Status <> 'expired'");
  assert.equal(lines[3], 'Scan Sessions');
  assert.match(lines.find((l) => l.includes('actual: 5 rows'))!, /^ {2}actual: 5 rows, 0 requests, [\d.]+ ms$/);
  assert.match(lines.at(-1)!, /^Actual: 2 rows, [\d.]+ ms, 0 requests$/);
});

test('EXPLAIN ANALYZE counts requests tables report through ExecContext.onRequest', async () => {
  const table = sessions();
  // The memory table is read through its batches (Table.scanBatches).
  const scanBatches = table.scanBatches.bind(table);
  table.scanBatches = (plan, ctx) => {
    ctx.onRequest?.();
    ctx.onRequest?.();
    return scanBatches(plan, ctx);
  };
  const lines = await explain('EXPLAIN ANALYZE SELECT Id FROM Sessions', catalogOf(table));
  assert.ok(lines.some((l) => /^ {2}actual: 5 rows, 2 requests, /.test(l)), lines.join('\n'));
  assert.match(lines.at(-1)!, /^Actual: 5 rows, [\d.]+ ms, 2 requests$/);
});

test('EXPLAIN ANALYZE shows per table what its requests cost: retries, 429s, time waiting for the rate budget', async () => {
  // Memory tables are read through their batches (Table.scanBatches).
  const table = sessions();
  const scan = table.scanBatches.bind(table);
  table.scanBatches = (plan, ctx) => {
    ctx.onRequest?.({ retries: 2, throttled: 1, waitedMs: 1200 });
    ctx.onRequest?.({ retries: 0, throttled: 0, waitedMs: 350 });
    return scan(plan, ctx);
  };
  const other = new MemoryTable('Other', [{ name: 'SessionId', type: 'String' }], [['cs_1']]);
  const otherScan = other.scanBatches.bind(other);
  other.scanBatches = (plan, ctx) => {
    ctx.onRequest?.({ retries: 0, throttled: 0, waitedMs: 0.4 });
    return otherScan(plan, ctx);
  };
  const lines = await explain('EXPLAIN ANALYZE SELECT s.Id FROM Sessions s JOIN Other o ON o.SessionId = s.Id', catalogOf(table, other));
  const scanActuals = lines.filter((l) => /^ +actual: /.test(l));
  assert.equal(scanActuals.length, 2, lines.join('\n'));
  assert.match(scanActuals.find((l) => l.includes('5 rows'))!, /^ +actual: 5 rows, 2 requests \(2 retries, 1 after 429; 1\.6 s waiting for the rate budget\), [\d.]+ ms$/);
  // Under a millisecond of waiting is not worth a word.
  assert.match(scanActuals.find((l) => l.includes('1 row,'))!, /^ +actual: 1 row, 1 request, [\d.]+ ms$/);
  assert.match(lines.at(-1)!, /^Actual: 1 row, [\d.]+ ms, 3 requests \(2 retries, 1 after 429; 1\.6 s waiting for the rate budget\)$/);
});

test('EXPLAIN INSERT describes the write without executing it; EXPLAIN ANALYZE executes it', async () => {
  const table = sessions();
  const session = new Session();
  assert.deepEqual(await explain("EXPLAIN INSERT INTO Sessions (Status) VALUES ('open')", catalogOf(table), session), ['Insert into Sessions (Status): 1 row']);
  assert.equal(table.inserts.length, 0);
  const lines = await explain("EXPLAIN ANALYZE INSERT INTO Sessions (Status) VALUES ('open')", catalogOf(table), session);
  assert.equal(table.inserts.length, 1);
  assert.match(lines.at(-1)!, /^Actual: 1 row, /);
});

test('EXPLAIN lists each subquery with its plan and whether it is correlated', async () => {
  const customers = new MemoryTable('Customers', [{ name: 'SessionId', type: 'String' }], [['cs_1']]);
  const lines = await explain(
    'EXPLAIN SELECT Id FROM Sessions s WHERE EXISTS (SELECT 1 FROM Customers c WHERE c.SessionId = s.Id) AND Id IN (SELECT SessionId FROM Customers)',
    catalogOf(sessions(), customers),
  );
  assert.deepEqual(lines, [
    'Filter EXISTS (subquery) AND Id IN (subquery)',
    'Scan Sessions',
    '  MemoryTable Sessions',
    'Subquery 1 EXISTS (subquery) (correlated: planned again for each row, outer values as constants)',
    '  Filter SessionId = outer.Id',
    '  Scan Customers',
    '    MemoryTable Customers',
    'Subquery 2 Id IN (subquery) (runs once)',
    '  Scan Customers',
    '    MemoryTable Customers',
  ]);
});

test('EXPLAIN ANALYZE reports a join’s actual rows, and a lookup scan’s runs per batch', async () => {
  const other = new MemoryTable('Other', [{ name: 'SessionId', type: 'String' }], [['cs_1'], ['cs_2'], ['cs_1']]);
  const hash = await explain('EXPLAIN ANALYZE SELECT s.Id FROM Sessions s JOIN Other o ON o.SessionId = s.Id', catalogOf(sessions(), other));
  assert.match(hash[0]!, /^Hash Join INNER ON s.Id = o.SessionId \(actual: 3 rows, [\d.]+ ms\)$/);
  const remote = new MemoryTable('Other', [{ name: 'SessionId', type: 'String' }], [['cs_1'], ['cs_2'], ['cs_1']], {
    pushdown: { SessionId: ['IN'] },
    estimateRequests: () => 5,
    lookupRequests: () => 1,
  });
  const lookup = await explain('EXPLAIN ANALYZE SELECT s.Id FROM Sessions s JOIN Other o ON o.SessionId = s.Id', catalogOf(sessions(), remote));
  assert.match(lookup[0]!, /^Lookup Join INNER .* \(actual: 3 rows, [\d.]+ ms\)$/);
  assert.ok(lookup.includes('  Scan Other (per batch: SessionId IN (…))'), lookup.join('\n'));
  assert.ok(lookup.some((l) => /^ {4}actual: 3 rows, 0 requests, [\d.]+ ms$/.test(l)), lookup.join('\n'));
});
