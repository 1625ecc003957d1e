import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseScript, SqlError } from '../src/sql/index.js';
import type { SelectNode, StatementNode } from '../src/sql/index.js';
import { shape } from './support/ast-shape.js';


const col = (name: string, table?: string) => (table ? { kind: 'column', table, name } : { kind: 'column', name });
const lit = (value: string | number | boolean | null) => ({ kind: 'literal', value });
const table = (name: string, alias?: string) => (alias ? { kind: 'table', name, alias } : { kind: 'table', name });
const star = { kind: 'star' };
const item = (expr: unknown, alias?: string) => (alias ? { kind: 'expr', expr, alias } : { kind: 'expr', expr });

function select(sql: string): SelectNode {
  const s = parse(sql);
  assert.equal(s.kind, 'select');
  return s as SelectNode;
}

function parseError(sql: string): SqlError {
  try {
    parse(sql);
  } catch (error) {
    assert.ok(error instanceof SqlError);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(sql)} to fail`);
}

test('GROUP BY and HAVING', () => {
  const s = select('SELECT Status, COUNT(*) FROM t GROUP BY Status, 2 HAVING COUNT(*) > 1 ORDER BY 1');
  assert.deepEqual(shape(s.groupBy), [col('Status'), lit(2)]);
  assert.deepEqual(shape(s.having), { kind: 'binary', op: '>', left: { kind: 'call', name: 'COUNT', args: [], star: true, distinct: false }, right: lit(1) });
  assert.equal(s.orderBy.length, 1);
});

test('joins nest left to right; comma is a CROSS join; OUTER is optional', () => {
  const s = select('SELECT * FROM a x JOIN b ON x.k = b.k LEFT OUTER JOIN c AS z ON z.k = b.k, d CROSS JOIN e');
  assert.deepEqual(shape(s.from), {
    kind: 'join',
    type: 'CROSS',
    left: {
      kind: 'join',
      type: 'CROSS',
      left: {
        kind: 'join',
        type: 'LEFT',
        left: { kind: 'join', type: 'INNER', left: table('a', 'x'), right: table('b'), on: { kind: 'binary', op: '=', left: col('k', 'x'), right: col('k', 'b') } },
        right: table('c', 'z'),
        on: { kind: 'binary', op: '=', left: col('k', 'z'), right: col('k', 'b') },
      },
      right: table('d'),
    },
    right: table('e'),
  });
  for (const [sql, type] of [['RIGHT JOIN', 'RIGHT'], ['FULL OUTER JOIN', 'FULL'], ['INNER JOIN', 'INNER']] as const) {
    assert.equal((select(`SELECT * FROM a ${sql} b ON a.k = b.k`).from as { type: string }).type, type);
  }
});

test('join syntax errors', () => {
  assert.equal(parseError('SELECT * FROM a JOIN b').reason, 'Expected ON or USING and a join condition but found end of input');
  assert.deepEqual((shape(select('SELECT * FROM a JOIN b USING (k, m)').from) as { using: unknown }).using, [{ name: 'k' }, { name: 'm' }]);
  assert.equal(parseError('SELECT * FROM a LEFT b ON 1 = 1').reason, "Expected JOIN after LEFT but found 'b'");
});

test('derived tables, scalar subqueries, EXISTS and IN (SELECT …)', () => {
  const s = select('SELECT (SELECT MAX(a) FROM t) m FROM (SELECT a FROM t) AS d WHERE EXISTS (SELECT 1 FROM u) AND a NOT IN (SELECT b FROM u)');
  assert.equal((s.columns[0] as { expr: { kind: string } }).expr.kind, 'subquery');
  assert.deepEqual(shape(s.from), {
    kind: 'derived',
    query: { kind: 'select', distinct: false, columns: [item(col('a'))], from: table('t'), orderBy: [] },
    alias: 'd',
  });
  const where = shape(s.where) as { left: { kind: string }; right: { kind: string; negated: boolean } };
  assert.equal(where.left.kind, 'exists');
  assert.equal(where.right.kind, 'inSubquery');
  assert.equal(where.right.negated, true);
  assert.equal(parseError('SELECT * FROM (SELECT 1)').reason, 'Expected an alias for the subquery in FROM (AS name) but found end of input');
});

test('WITH, set operations with INTERSECT binding tighter, ORDER BY / LIMIT on the whole', () => {
  const q = parse('WITH c (x) AS (SELECT 1) SELECT x FROM c UNION ALL SELECT 2 INTERSECT SELECT 3 ORDER BY 1 LIMIT 5');
  assert.equal(q.kind, 'setOp');
  const s = shape(q) as Record<string, unknown>;
  assert.equal(s.op, 'UNION ALL');
  assert.equal((s.right as { op: string }).op, 'INTERSECT');
  assert.deepEqual(s.limit, lit(5));
  assert.equal((s.orderBy as unknown[]).length, 1);
  assert.deepEqual(s.with, [{ name: 'c', columns: ['x'], query: { kind: 'select', distinct: false, columns: [item(lit(1))], orderBy: [] } }]);
  assert.equal((shape(parse('SELECT 1 EXCEPT SELECT 2')) as { op: string }).op, 'EXCEPT');
  assert.equal((shape(parse('SELECT 1 UNION SELECT 2')) as { op: string }).op, 'UNION');
});

test('a parenthesized query keeps its own ORDER BY / LIMIT', () => {
  const q = shape(parse('(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM t ORDER BY a DESC LIMIT 1)')) as Record<string, { limit: unknown }>;
  assert.deepEqual(q.left!.limit, lit(1));
  assert.deepEqual(q.right!.limit, lit(1));
});

test('CASE (searched and simple) and CAST with type arguments', () => {
  const s = select("SELECT CASE WHEN a > 1 THEN 'x' ELSE 'y' END, CASE a WHEN 1 THEN 2 END, CAST(a AS DECIMAL(10, 2)), CAST(b AS double precision)");
  assert.deepEqual(shape((s.columns[0] as { expr: unknown }).expr), {
    kind: 'case',
    whens: [{ when: { kind: 'binary', op: '>', left: col('a'), right: lit(1) }, then: lit('x') }],
    else: lit('y'),
  });
  assert.deepEqual(shape((s.columns[1] as { expr: unknown }).expr), { kind: 'case', operand: col('a'), whens: [{ when: lit(1), then: lit(2) }] });
  assert.deepEqual(shape((s.columns[2] as { expr: unknown }).expr), { kind: 'cast', expr: col('a'), type: { name: 'DECIMAL', args: [10, 2] } });
  assert.deepEqual(shape((s.columns[3] as { expr: unknown }).expr), { kind: 'cast', expr: col('b'), type: { name: 'DOUBLE PRECISION', args: [] } });
  assert.equal(parseError('SELECT CASE WHEN 1 THEN 2').reason, 'Expected WHEN, ELSE or END but found end of input');
  assert.equal(parseError('SELECT CAST(a INT)').reason, "Expected AS and a type but found 'INT'");
});

test('SELECT TOP n and TOP (n); a column named top still works', () => {
  assert.deepEqual(shape(select('SELECT TOP 5 a FROM t').top), lit(5));
  assert.deepEqual(shape(select('SELECT DISTINCT TOP (3) a FROM t').top), lit(3));
  const s = select('SELECT top FROM t');
  assert.equal(s.top, undefined);
  assert.deepEqual(shape(s.columns), [item(col('top'))]);
});

test('window functions: OVER (PARTITION BY … ORDER BY …)', () => {
  const s = select('SELECT ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC), SUM(x) OVER () FROM t');
  assert.deepEqual(shape((s.columns[0] as { expr: unknown }).expr), {
    kind: 'call',
    name: 'ROW_NUMBER',
    args: [],
    star: false,
    distinct: false,
    over: { partitionBy: [col('a'), col('b')], orderBy: [{ expr: col('c'), direction: 'DESC' }] },
  });
  assert.deepEqual((shape((s.columns[1] as { expr: unknown }).expr) as { over: unknown }).over, { partitionBy: [], orderBy: [] });
});

test('CREATE TABLE #t / TEMP / TEMPORARY, DROP TABLE [IF EXISTS]', () => {
  assert.deepEqual(shape(parse('CREATE TABLE #t (Id VARCHAR(20) NOT NULL, n INT)')), {
    kind: 'createTable',
    name: '#t',
    temporary: false,
    ifNotExists: false,
    columns: [
      { name: 'Id', type: { name: 'VARCHAR', args: [20] }, constraints: [{ kind: 'notNull' }] },
      { name: 'n', type: { name: 'INT', args: [] }, constraints: [] },
    ],
    constraints: [],
  });
  assert.equal((parse('CREATE TEMP TABLE x (a INT)') as { temporary: boolean }).temporary, true);
  assert.equal((parse('CREATE TEMPORARY TABLE x (a INT)') as { temporary: boolean }).temporary, true);
  assert.deepEqual(shape(parse('DROP TABLE IF EXISTS #t')), { kind: 'dropTable', name: '#t', ifExists: true });
  assert.deepEqual(shape(parse('DROP TABLE x')), { kind: 'dropTable', name: 'x', ifExists: false });
});

test('INSERT … SELECT, with or without a column list; INSERT INTO Name#TEMP', () => {
  const a = shape(parse('INSERT INTO #t (a, b) SELECT x, y FROM u')) as Record<string, unknown>;
  assert.deepEqual(a.columns, [{ name: 'a' }, { name: 'b' }]);
  assert.deepEqual(a.rows, []);
  assert.equal((a.query as { kind: string }).kind, 'select');
  const b = shape(parse('INSERT INTO #t SELECT * FROM u')) as Record<string, unknown>;
  assert.deepEqual(b.columns, []);
  assert.equal((parse('INSERT INTO LineItems#TEMP (Price) VALUES (1)') as { table: { name: string } }).table.name, 'LineItems#TEMP');
  assert.deepEqual((shape(parse('INSERT INTO t VALUES (1, 2), (3, 4)')) as { columns: unknown[]; rows: unknown[][] }).rows, [
    [lit(1), lit(2)],
    [lit(3), lit(4)],
  ]);
  assert.equal(parseError('INSERT INTO t x').reason, "Expected '(' and a column list, VALUES or SELECT after the table name but found 'x'");
});

test('EXPLAIN [ANALYZE] wraps a statement', () => {
  const e = parse('EXPLAIN ANALYZE SELECT 1') as Extract<StatementNode, { kind: 'explain' }>;
  assert.equal(e.kind, 'explain');
  assert.equal(e.analyze, true);
  assert.equal(e.statement.kind, 'select');
  assert.equal((parse('explain INSERT INTO t (a) VALUES (1)') as { analyze: boolean }).analyze, false);
  assert.equal(parseScript('EXPLAIN SELECT 1; SELECT 2').length, 2);
});

test('clause errors name what may still follow', () => {
  assert.equal(parseError('SELECT a FROM t GROUP BY a x').reason, "Expected HAVING, ORDER BY, LIMIT or end of statement but found 'x'");
  assert.equal(parseError('SELECT a FROM t UNION SELECT b FROM u x y').reason, "Expected WHERE, GROUP BY, ORDER BY, LIMIT or end of statement but found 'y'");
});

test('quantified comparisons: = ANY, > ALL, SOME as ANY', () => {
  const w = shape(select('SELECT * FROM t WHERE a > ALL (SELECT b FROM u) AND c = SOME (SELECT d FROM v)').where) as { left: unknown; right: { quantifier: string } };
  assert.deepEqual(w.left, {
    kind: 'quantified',
    op: '>',
    quantifier: 'ALL',
    expr: col('a'),
    query: { kind: 'select', distinct: false, columns: [item(col('b'))], from: table('u'), orderBy: [] },
  });
  assert.equal(w.right.quantifier, 'ANY');
});
