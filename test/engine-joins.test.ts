import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable, type MemoryTableOptions } from '../src/engine/index.js';
import type { Column, Row, SqlValue } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, collect, planQuery, query, sessions } from './engine-fixtures.js';

const customerColumns: Column[] = [
  { name: 'Id', type: 'String', key: true },
  { name: 'Name', type: 'String' },
  { name: 'SessionId', type: 'String' },
];
const customerRows: SqlValue[][] = [
  ['c1', 'Ann', 'cs_1'],
  ['c2', 'Bob', 'cs_2'],
  ['c3', 'Cy', 'cs_9'],
  ['c4', 'Di', 'cs_1'],
  ['c5', 'Ed', null],
];
const customers = (options?: MemoryTableOptions): MemoryTable => new MemoryTable('Customers', customerColumns, customerRows, options);

test('INNER JOIN on an equality hashes; columns resolve by alias, qualified or not', async () => {
  const rows = await query('SELECT s.Id, Name, c.Id FROM Sessions s JOIN Customers AS c ON c.SessionId = s.Id ORDER BY Name', catalogOf(sessions(), customers()));
  assert.deepEqual(rows, [
    ['cs_1', 'Ann', 'c1'],
    ['cs_2', 'Bob', 'c2'],
    ['cs_1', 'Di', 'c4'],
  ]);
  const p = planQuery('SELECT s.Id FROM Sessions s INNER JOIN Customers c ON s.Id = c.SessionId', catalogOf(sessions(), customers()));
  assert.deepEqual(p.explain(), [
    'Hash Join INNER ON s.Id = c.SessionId',
    '  Scan Sessions',
    '    MemoryTable Sessions',
    '  Scan Customers',
    '    MemoryTable Customers',
  ]);
});

test('LEFT, RIGHT and FULL OUTER JOIN pad the missing side with NULLs', async () => {
  const catalog = catalogOf(sessions(), customers());
  assert.deepEqual(await query('SELECT s.Id, c.Name FROM Sessions s LEFT OUTER JOIN Customers c ON c.SessionId = s.Id', catalog), [
    ['cs_1', 'Ann'],
    ['cs_1', 'Di'],
    ['cs_2', 'Bob'],
    ['cs_3', null],
    ['cs_4', null],
    ['cs_5', null],
  ]);
  assert.deepEqual(await query('SELECT s.Id, c.Name FROM Sessions s RIGHT JOIN Customers c ON c.SessionId = s.Id ORDER BY s.Id NULLS LAST, c.Name', catalog), [
    ['cs_1', 'Ann'],
    ['cs_1', 'Di'],
    ['cs_2', 'Bob'],
    [null, 'Cy'],
    [null, 'Ed'],
  ]);
  const full = await query('SELECT s.Id, c.Name FROM Sessions s FULL JOIN Customers c ON c.SessionId = s.Id', catalog);
  assert.equal(full.length, 8);
  assert.deepEqual(full.slice(-2), [
    [null, 'Cy'],
    [null, 'Ed'],
  ]);
});

test('CROSS JOIN and comma joins; a WHERE equality between them becomes the join condition', async () => {
  const catalog = catalogOf(sessions(), customers());
  assert.deepEqual(await query('SELECT COUNT(*) FROM Sessions CROSS JOIN Customers', catalog), [[25]]);
  assert.deepEqual(await query("SELECT s.Id, c.Name FROM Sessions s, Customers c WHERE c.SessionId = s.Id AND s.Status = 'open'", catalog), [
    ['cs_1', 'Ann'],
    ['cs_1', 'Di'],
  ]);
  assert.equal(planQuery('SELECT 1 FROM Sessions s, Customers c WHERE c.SessionId = s.Id', catalog).explain()[0], 'Hash Join INNER ON s.Id = c.SessionId');
});

test('a non-equi join condition runs as a nested loop', async () => {
  const catalog = catalogOf(sessions(), customers());
  const sql = "SELECT s.Id, c.Id FROM Sessions s JOIN Customers c ON c.SessionId < s.Id AND c.Name <> 'Ann' WHERE s.Id = 'cs_2'";
  assert.deepEqual(await query(sql, catalog), [['cs_2', 'c4']]);
  assert.match(planQuery(sql, catalog).explain()[0]!, /^Nested Loop Join INNER ON/);
});

test('WHERE conjuncts on one table are offered to it; on the null-supplying side they are not', async () => {
  const s = sessions({ pushdown: { '*': ['=', 'IN'] } });
  const c = customers({ pushdown: { '*': ['=', 'IN'] } });
  const rows = await query(
    "SELECT s.Id, c.Name FROM Sessions s LEFT JOIN Customers c ON c.SessionId = s.Id AND c.Name <> 'Di' WHERE s.Status = 'open' AND c.Name IS NULL",
    catalogOf(s, c),
  );
  assert.deepEqual(rows, [['cs_4', null]]);
  assert.deepEqual(s.requests[0]!.predicates.map((p) => p.text), ["Status = 'open'"]);
  // The ON condition on the inner side filters that side; the WHERE test on it runs after the join.
  assert.deepEqual(c.requests[0]!.predicates.map((p) => p.text), ["Name <> 'Di'"]);
  assert.equal(s.scans[0]!.pushed.length, 1);
});

test('a join condition on the inner side of a LEFT JOIN is offered to that table', async () => {
  const c = customers({ pushdown: { Name: ['='] } });
  const rows = await query("SELECT s.Id, c.Name FROM Sessions s LEFT JOIN Customers c ON c.SessionId = s.Id AND c.Name = 'Bob' WHERE s.Id IN ('cs_1', 'cs_2')", catalogOf(sessions(), c));
  assert.deepEqual(rows, [
    ['cs_1', null],
    ['cs_2', 'Bob'],
  ]);
  assert.deepEqual(c.requests[0]!.predicates.map((p) => p.text), ["Name = 'Bob'"]);
  assert.deepEqual(c.scans[0]!.pushed.map((p) => p.text), ["Name = 'Bob'"]);
});

test('only the columns each table needs are requested', async () => {
  const s = sessions();
  const c = customers();
  await query('SELECT c.Name FROM Sessions s JOIN Customers c ON c.SessionId = s.Id', catalogOf(s, c));
  assert.deepEqual(s.requests[0]!.columns, ['Id']);
  assert.deepEqual(c.requests[0]!.columns, ['Name', 'SessionId']);
});

test('lookup join: the inner table is fetched by batches of outer keys through its IN pushdown', async () => {
  const s = sessions({ pushdown: { Status: ['='] } });
  // A remote-looking table: a full scan costs 10 requests, a lookup 1 per batch.
  const c = customers({
    pushdown: { SessionId: ['IN', '='] },
    estimateRequests: () => 10,
    lookupRequests: (column, op) => (column === 'SessionId' && op === 'IN' ? 1 : 10),
  });
  const sql = "SELECT s.Id, c.Name FROM Sessions s JOIN Customers c ON c.SessionId = s.Id WHERE s.Status = 'open' ORDER BY c.Name";
  const p = planQuery(sql, catalogOf(s, c));
  assert.match(p.explain().join('\n'), /Lookup Join INNER ON s.Id = c.SessionId \(fetches Customers by SessionId IN \(batch of up to 100 keys\), about 1 request per batch\)/);
  const rows = await collect(p.rows({}));
  assert.deepEqual(rows, [
    ['cs_1', 'Ann'],
    ['cs_1', 'Di'],
  ]);
  assert.equal(c.scans.length, 1);
  assert.deepEqual(c.scans[0]!.pushed.map((p) => p.text), ["SessionId IN ('cs_1', 'cs_4')"]);
  assert.equal(c.rowsPulled, 2);
  // The fetch is the scan's own request plus the keys, numbered after its predicates.
  const fetch = c.requests.at(-1)!;
  assert.deepEqual(fetch.predicates.map((p) => [p.id, p.text]), [[1, "SessionId IN ('cs_1', 'cs_4')"]]);
  assert.deepEqual(fetch.columns, ['Name', 'SessionId']);
});

test('lookup join batches at most 100 keys per fetch, and LEFT JOIN keeps unmatched rows', async () => {
  const many = new MemoryTable(
    'Many',
    [{ name: 'K', type: 'String' }],
    Array.from({ length: 250 }, (_, i) => [`k${i}`]),
  );
  const c = new MemoryTable('Lookup', [{ name: 'K', type: 'String' }, { name: 'V', type: 'Integer' }], [['k0', 0], ['k150', 150], ['k249', 249]], {
    pushdown: { K: ['IN'] },
    estimateRequests: () => undefined,
    lookupRequests: () => undefined,
  });
  const rows = await query('SELECT m.K, l.V FROM Many m LEFT JOIN Lookup l ON l.K = m.K WHERE l.V IS NOT NULL OR m.K = ?', catalogOf(many, c), ['k7']);
  assert.deepEqual(rows, [
    ['k0', 0],
    ['k7', null],
    ['k150', 150],
    ['k249', 249],
  ]);
  assert.deepEqual(c.scans.map((scan) => scan.pushed[0]!.values!.length), [100, 100, 50]);
});

test('a table whose full scan is free (in memory) is hash joined even when it could be looked up', () => {
  const c = customers({ pushdown: { SessionId: ['IN'] } });
  assert.match(planQuery('SELECT 1 FROM Sessions s JOIN Customers c ON c.SessionId = s.Id', catalogOf(sessions(), c)).explain()[0]!, /^Hash Join/);
});

test('three tables join left to right', async () => {
  const orders = new MemoryTable('Orders', [{ name: 'CustomerId', type: 'String' }, { name: 'Total', type: 'Integer' }], [['c1', 10], ['c1', 20], ['c2', 5]]);
  const rows = await query(
    'SELECT s.Id, c.Name, SUM(o.Total) FROM Sessions s JOIN Customers c ON c.SessionId = s.Id JOIN Orders o ON o.CustomerId = c.Id GROUP BY s.Id, c.Name ORDER BY 3 DESC',
    catalogOf(sessions(), customers(), orders),
  );
  assert.deepEqual(rows, [
    ['cs_1', 'Ann', 30],
    ['cs_2', 'Bob', 5],
  ]);
});

test('SELECT t.* and * over a join', async () => {
  const catalog = catalogOf(sessions(), customers());
  const p = planQuery("SELECT c.*, s.Status FROM Sessions s JOIN Customers c ON c.SessionId = s.Id WHERE c.Id = 'c2'", catalog);
  assert.deepEqual(p.columns.map((col) => col.name), ['Id', 'Name', 'SessionId', 'Status']);
  assert.deepEqual(await collect(p.rows({})), [['c2', 'Bob', 'cs_2', 'complete']]);
  assert.equal(planQuery('SELECT * FROM Sessions s JOIN Customers c ON c.SessionId = s.Id', catalog).columns.length, 10);
});

test('name errors across tables: ambiguous, unknown qualifier, unknown column', () => {
  const catalog = catalogOf(sessions(), customers());
  const check = (sql: string, reason: RegExp, column: number): void => {
    assert.throws(() => planQuery(sql, catalog), (e: unknown) => e instanceof SqlError && reason.test(e.reason) && e.column === column);
  };
  check('SELECT Id FROM Sessions s JOIN Customers c ON c.SessionId = s.Id', /Column Id is ambiguous: it is in s and c; qualify it \(s\.Id\)/, 8);
  check('SELECT x.Id FROM Sessions s JOIN Customers c ON c.SessionId = s.Id', /Unknown table or alias x/, 8);
  check('SELECT s.Nme FROM Sessions s JOIN Customers c ON c.SessionId = s.Id', /Unknown column Nme in Sessions \(did you mean Name\?\)|Unknown column Nme in Sessions/, 8);
  check('SELECT 1 FROM Sessions s JOIN Customers c ON c.SessionId = s.Idd', /Unknown column Idd in Sessions \(did you mean Id\?\)/, 60);
  check('SELECT 1 FROM Sessions s JOIN Customers c ON COUNT(*) > 1', /Aggregate COUNT is not allowed in ON/, 46);
});

test('lookup join fetches once per distinct key with `=` when the table pushes = but not IN', async () => {
  const c = customers({
    pushdown: { SessionId: ['='] },
    estimateRequests: () => 1000,
    lookupRequests: (_column, op) => (op === '=' ? 1 : undefined),
  });
  const sql = "SELECT s.Id, c.Name FROM Sessions s JOIN Customers c ON c.SessionId = s.Id WHERE s.Status IN ('open', 'complete') ORDER BY c.Name";
  const p = planQuery(sql, catalogOf(sessions(), c));
  assert.match(p.explain()[1]!, /^Lookup Join INNER ON s.Id = c.SessionId \(fetches Customers by SessionId = key, once per distinct key, up to 16 at once, about 100 requests per batch\)$/);
  assert.deepEqual(await collect(p.rows({})), [
    ['cs_1', 'Ann'],
    ['cs_2', 'Bob'],
    ['cs_1', 'Di'],
  ]);
  assert.deepEqual(c.scans.map((scan) => scan.pushed.map((x) => x.text)), [["SessionId = 'cs_1'"], ["SessionId = 'cs_2'"], ["SessionId = 'cs_4'"], ["SessionId = 'cs_5'"]]);
});

test('a table that cannot be fetched by the key (no keyLookup answer) is hash joined, however dear its scan', () => {
  const c = customers({ pushdown: { Name: ['IN', '='] }, estimateRequests: () => 1000 });
  assert.match(planQuery("SELECT 1 FROM Sessions s JOIN Customers c ON c.SessionId = s.Id WHERE s.Id = 'cs_1'", catalogOf(sessions(), c)).explain()[0]!, /^Hash Join/);
});

test('a lookup by `=` reads its keys at once: every scan of the batch starts before the first one ends', async () => {
  // The inner scans wait at a gate the test opens only once it has seen them all start: read one
  // after another, the second would never start while the first one waits.
  let opened!: () => void;
  const gate = new Promise<void>((resolve) => (opened = resolve));
  const started: string[] = [];
  let finished = 0;
  const c = customers({ pushdown: { SessionId: ['='] }, estimateRequests: (_request, pushed) => (pushed.length > 0 ? 1 : 1000) });
  // Memory tables are read through their batches (Table.scanBatches).
  const scan = c.scanBatches.bind(c);
  c.scanBatches = (plan, ctx) => (async function* () {
    started.push(String(plan.pushed[0]!.value));
    await gate;
    yield* scan(plan, ctx);
    finished++;
  })();
  const p = planQuery('SELECT s.Id, c.Name FROM Sessions s JOIN Customers c ON c.SessionId = s.Id ORDER BY c.Name', catalogOf(sessions(), c));
  const rows = collect(p.rows({}));
  for (let turn = 0; turn < 100 && started.length < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual({ started, finished }, { started: ['cs_1', 'cs_2', 'cs_3', 'cs_4', 'cs_5'], finished: 0 });
  opened();
  assert.deepEqual(await rows, [['cs_1', 'Ann'], ['cs_2', 'Bob'], ['cs_1', 'Di']]);
  assert.equal(finished, 5);
});

test('a lookup scan that fails stops the others of its batch and fails the query', async () => {
  const c = customers({ pushdown: { SessionId: ['='] }, estimateRequests: (_request, pushed) => (pushed.length > 0 ? 1 : 1000) });
  const aborted: string[] = [];
  c.scanBatches = (plan, ctx) => (async function* (): AsyncGenerator<Row[]> {
    const key = String(plan.pushed[0]!.value);
    if (key === 'cs_2') throw new Error('cs_2 could not be read');
    await new Promise<void>((resolve) => ctx.signal!.addEventListener('abort', () => resolve(), { once: true }));
    aborted.push(key);
  })();
  const p = planQuery('SELECT s.Id FROM Sessions s JOIN Customers c ON c.SessionId = s.Id', catalogOf(sessions(), c));
  await assert.rejects(collect(p.rows({})), /cs_2 could not be read/);
  assert.deepEqual(aborted.sort(), ['cs_1', 'cs_3', 'cs_4', 'cs_5'], 'the scans still waiting were aborted');
});

test('a full scan no dearer than one lookup batch is hash joined', () => {
  const c = customers({ pushdown: { SessionId: ['IN'] }, estimateRequests: () => 1, lookupRequests: () => 1 });
  assert.match(planQuery('SELECT 1 FROM Sessions s JOIN Customers c ON c.SessionId = s.Id', catalogOf(sessions(), c)).explain()[0]!, /^Hash Join/);
});

test('JOIN … USING (col): equality of the same-named columns; the unqualified name means the preserved side', async () => {
  const a = new MemoryTable('A', [{ name: 'K', type: 'Integer' }, { name: 'X', type: 'String' }], [[1, 'a1'], [2, 'a2'], [3, 'a3']]);
  const b = new MemoryTable('B', [{ name: 'K', type: 'Integer' }, { name: 'Y', type: 'String' }], [[2, 'b2'], [3, 'b3'], [4, 'b4']]);
  const catalog = catalogOf(a, b);
  assert.deepEqual(await query('SELECT K, X, Y FROM A JOIN B USING (K) ORDER BY K', catalog), [
    [2, 'a2', 'b2'],
    [3, 'a3', 'b3'],
  ]);
  assert.deepEqual(await query('SELECT K, Y FROM A RIGHT JOIN B USING (K) ORDER BY K', catalog), [
    [2, 'b2'],
    [3, 'b3'],
    [4, 'b4'],
  ]);
  assert.match(planQuery('SELECT 1 FROM A JOIN B USING (K)', catalog).explain()[0]!, /^Hash Join INNER ON A.K = B.K$/);
  assert.throws(() => planQuery('SELECT 1 FROM A JOIN B USING (X)', catalog), (e: unknown) => e instanceof SqlError && /USING column X is not a column of B/.test(e.reason));
});
