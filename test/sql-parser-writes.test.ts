// UPDATE, DELETE, EXEC[UTE] and RETURNING: the trees they parse to, and their syntax errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseScript, SqlError } from '../src/sql/index.js';
import { shape } from './support/ast-shape.js';


const col = (name: string) => ({ kind: 'column', name });
const lit = (value: string | number | boolean | null) => ({ kind: 'literal', value });
const param = (name: string) => ({ kind: 'parameter', name });
const table = (name: string, alias?: string) => (alias ? { kind: 'table', name, alias } : { kind: 'table', name });

test('UPDATE … SET … WHERE … RETURNING', () => {
  assert.deepEqual(shape(parse("update Customers set Description = 'VIP', [Name] = Name || '!' where Id = 'cus_1' returning Id, Name AS n")), {
    kind: 'update',
    table: table('Customers'),
    assignments: [
      { column: 'Description', value: lit('VIP') },
      { column: 'Name', value: { kind: 'binary', op: '||', left: col('Name'), right: lit('!') } },
    ],
    where: { kind: 'binary', op: '=', left: col('Id'), right: lit('cus_1') },
    returning: [
      { kind: 'expr', expr: col('Id') },
      { kind: 'expr', expr: col('Name'), alias: 'n' },
    ],
  });
});

test('UPDATE with an alias, and SET naming the column through it', () => {
  const statement = parse('UPDATE Customers c SET c.Email = @e WHERE c.Id = ?');
  assert.equal(statement.kind, 'update');
  assert.deepEqual(shape(statement), {
    kind: 'update',
    table: table('Customers', 'c'),
    assignments: [{ column: 'Email', value: param('e') }],
    where: { kind: 'binary', op: '=', left: { kind: 'column', table: 'c', name: 'Id' }, right: { kind: 'parameter', index: 0 } },
  });
});

test('DELETE with and without FROM and WHERE', () => {
  assert.deepEqual(shape(parse("DELETE FROM Customers WHERE Email LIKE '%@x.test'")), {
    kind: 'delete',
    table: table('Customers'),
    where: { kind: 'like', expr: col('Email'), pattern: lit('%@x.test'), negated: false },
  });
  assert.deepEqual(shape(parse('delete #t')), { kind: 'delete', table: table('#t') });
});

test('INSERT … RETURNING after VALUES and after a query', () => {
  const values = parse("INSERT INTO Customers (Email) VALUES ('a@x.test') RETURNING *");
  assert.ok(values.kind === 'insert');
  assert.deepEqual(shape(values.returning), [{ kind: 'star' }]);
  const query = parse('INSERT INTO Customers (Email) SELECT Email FROM #new RETURNING Id, UPPER(Email) e');
  assert.ok(query.kind === 'insert' && query.query?.kind === 'select');
  assert.deepEqual(shape(query.query.from), table('#new'), 'RETURNING is not an alias of #new');
  assert.deepEqual(shape(query.returning), [
    { kind: 'expr', expr: col('Id') },
    { kind: 'expr', expr: { kind: 'call', name: 'UPPER', args: [col('Email')], star: false, distinct: false }, alias: 'e' },
  ]);
});

test('EXEC and EXECUTE, with @names, bare names, parameters as values, or no arguments', () => {
  assert.deepEqual(shape(parse("EXEC ExpireCheckoutSession @CheckoutSessionId = 'cs_1'")), {
    kind: 'exec',
    procedure: 'ExpireCheckoutSession',
    args: [{ name: 'CheckoutSessionId', value: lit('cs_1') }],
  });
  assert.deepEqual(shape(parse('execute [CancelSubscription] SubscriptionId = @id, @InvoiceNow = TRUE')), {
    kind: 'exec',
    procedure: 'CancelSubscription',
    args: [
      { name: 'SubscriptionId', value: param('id') },
      { name: 'InvoiceNow', value: lit(true) },
    ],
  });
  assert.deepEqual(shape(parse('EXEC Ping;')), { kind: 'exec', procedure: 'Ping', args: [] });
  const statement = parse('EXEC  Ping');
  assert.ok(statement.kind === 'exec');
  assert.equal(statement.procedurePos.column, 7);
});

test('EXPLAIN UPDATE / DELETE; a script of writes', () => {
  const explain = parse("EXPLAIN UPDATE Customers SET Name = 'x' WHERE Id = 'a'");
  assert.ok(explain.kind === 'explain' && explain.statement.kind === 'update');
  assert.ok((() => {
    const e = parse('EXPLAIN ANALYZE DELETE FROM Customers WHERE Id = ?');
    return e.kind === 'explain' && e.analyze && e.statement.kind === 'delete';
  })());
  const kinds = parseScript("INSERT INTO #t (a) VALUES (1); UPDATE #t SET a = 2; DELETE FROM #t WHERE a = 2; EXEC P @x = 1;").map((s) => s.kind);
  assert.deepEqual(kinds, ['insert', 'update', 'delete', 'exec']);
});

test('positional parameters are numbered across SET and WHERE', () => {
  const statement = parse('UPDATE t SET a = ?, b = ? WHERE c = ?');
  assert.ok(statement.kind === 'update');
  const indexes = [...statement.assignments.map((a) => a.value), (statement.where as { right: unknown }).right].map((n) => (n as { index: number }).index);
  assert.deepEqual(indexes, [0, 1, 2]);
});

const syntaxErrors: [string, string, number][] = [
  ["UPDATE Customers Description = 'x'", "Expected SET but found '='", 30],
  ['UPDATE Customers', 'Expected an alias or SET after the table name but found end of input', 17],
  ['UPDATE Customers SET', 'Expected a column name to SET but found end of input', 21],
  ["UPDATE Customers SET Name 'x'", "Expected '=' after Name but found ''x''", 27],
  ["UPDATE Customers SET Name = 'x' Id = 1", "Expected ',', WHERE, RETURNING or end of statement but found 'Id'", 33],
  ["UPDATE Customers c SET d.Name = 'x'", 'd is not the table being updated (c)', 24],
  ['DELETE Customers WHERE', 'Expected an expression but found end of input', 23],
  ["DELETE FROM Customers WHERE Id = 'a' LIMIT 1", "Expected end of statement but found 'LIMIT'", 38],
  ['EXEC', 'Expected a procedure name after EXEC but found end of input', 5],
  ['EXEC P @A 1', "Expected '=' after the parameter name A but found '1'", 11],
  ['EXEC P @A = 1 @B = 2', "Expected ',' or end of statement but found '@B'", 15],
  ['EXEC P = 1', "Expected a parameter name (@Name = value) but found '='", 8],
  ['EXPLAIN EXEC P', "Expected SELECT, WITH, INSERT, UPDATE or DELETE after EXPLAIN but found 'EXEC'", 9],
  ["INSERT INTO t (a) VALUES (1) RETURNING", 'Expected an expression but found end of input', 39],
];

for (const [sql, reason, column] of syntaxErrors) {
  test(`syntax error: ${JSON.stringify(sql)}`, () => {
    assert.throws(() => parse(sql), (error: unknown) => {
      assert.ok(error instanceof SqlError, String(error));
      assert.equal(error.reason, reason);
      assert.equal(error.column, column);
      assert.equal(error.line, 1);
      return true;
    });
  });
}
