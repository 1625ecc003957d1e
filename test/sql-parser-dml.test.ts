// UPDATE, DELETE, EXEC[UTE], RETURNING and EXPLAIN of writes: trees, positions, scripts, errors.
// (test/sql-parser-writes.test.ts holds the first cases; these go further into each statement.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseScript, SqlError } from '../src/sql/index.js';
import type { DeleteNode, ExecNode, InsertNode, StatementNode, UpdateNode } from '../src/sql/index.js';
import { shape } from './support/ast-shape.js';


function parseAs<K extends StatementNode['kind']>(sql: string, kind: K): Extract<StatementNode, { kind: K }> {
  const statement = parse(sql);
  assert.equal(statement.kind, kind);
  return statement as Extract<StatementNode, { kind: K }>;
}

const pos = (offset: number, line: number, column: number) => ({ offset, line, column });
const col = (name: string, table?: string) => (table ? { kind: 'column', table, name } : { kind: 'column', name });
const lit = (value: string | number | boolean | null) => ({ kind: 'literal', value });
const named = (name: string) => ({ kind: 'parameter', name });
const positional = (index: number) => ({ kind: 'parameter', index });
const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'binary', op, left, right });
const table = (name: string, alias?: string) => (alias ? { kind: 'table', name, alias } : { kind: 'table', name });
const item = (expr: unknown, alias?: string) => (alias ? { kind: 'expr', expr, alias } : { kind: 'expr', expr });
const star = (tableName?: string) => (tableName ? { kind: 'star', table: tableName } : { kind: 'star' });

// ---------------------------------------------------------------------------------------------
// UPDATE

test('UPDATE: the whole tree, positions included', () => {
  const sql = "UPDATE Customers SET Name = 'x', Email = ? WHERE Id = @id";
  assert.deepEqual(parse(sql), {
    kind: 'update',
    table: { kind: 'table', name: 'Customers', pos: pos(7, 1, 8) },
    assignments: [
      { column: 'Name', value: { kind: 'literal', value: 'x', pos: pos(28, 1, 29) }, pos: pos(21, 1, 22) },
      { column: 'Email', value: { kind: 'parameter', index: 0, pos: pos(41, 1, 42) }, pos: pos(33, 1, 34) },
    ],
    where: {
      kind: 'binary',
      op: '=',
      left: { kind: 'column', name: 'Id', pos: pos(49, 1, 50) },
      right: { kind: 'parameter', name: 'id', pos: pos(54, 1, 55) },
      pos: pos(49, 1, 50),
      operatorPos: pos(52, 1, 53),
    },
    pos: pos(0, 1, 1),
  });
});

test('UPDATE: keywords in any case, bracketed and quoted names', () => {
  const statement = parseAs('uPdAtE [Customer Table] sEt [Name] = "Other", "Email" = 1 wHeRe [Id] = 2', 'update');
  assert.deepEqual(shape(statement), {
    kind: 'update',
    table: table('Customer Table'),
    assignments: [
      { column: 'Name', value: col('Other') },
      { column: 'Email', value: lit(1) },
    ],
    where: bin('=', col('Id'), lit(2)),
  });
});

test('UPDATE: SET values are full expressions (arithmetic, CASE, function calls, subqueries)', () => {
  const statement = parseAs(
    "UPDATE Prices SET UnitAmount = UnitAmount * 2 + 1, Nickname = UPPER(Nickname), Active = CASE WHEN Active THEN FALSE ELSE TRUE END, Product = (SELECT Id FROM Products WHERE Name = 'p')",
    'update',
  );
  assert.deepEqual(
    statement.assignments.map((a) => a.column),
    ['UnitAmount', 'Nickname', 'Active', 'Product'],
  );
  assert.deepEqual(shape(statement.assignments[0]!.value), bin('+', bin('*', col('UnitAmount'), lit(2)), lit(1)));
  assert.equal(statement.assignments[1]!.value.kind, 'call');
  assert.equal(statement.assignments[2]!.value.kind, 'case');
  assert.equal(statement.assignments[3]!.value.kind, 'subquery');
  assert.equal(statement.where, undefined);
  assert.equal(statement.returning, undefined);
});

test('UPDATE: a column qualified by the table name or its alias loses the qualifier', () => {
  assert.deepEqual(shape(parseAs("UPDATE Customers SET Customers.Name = 'x'", 'update').assignments), [{ column: 'Name', value: lit('x') }]);
  assert.deepEqual(shape(parseAs("UPDATE Customers AS c SET C.Name = 'x'", 'update')), {
    kind: 'update',
    table: table('Customers', 'c'),
    assignments: [{ column: 'Name', value: lit('x') }],
  });
  // The assignment's position is where its column is written, qualifier included.
  assert.deepEqual(parseAs("UPDATE Customers c SET c.Name = 'x'", 'update').assignments[0]!.pos, pos(23, 1, 24));
});

test('UPDATE … RETURNING *, t.*, and expressions with and without AS (an unquoted alias folded to lower case)', () => {
  assert.deepEqual(shape(parseAs("UPDATE Customers SET Name = 'x' RETURNING *", 'update').returning), [star()]);
  const statement = parseAs(
    "UPDATE Customers c SET Name = 'x' WHERE Id = 'cus_1' RETURNING c.*, Id AS CustomerId, UPPER(Name) n, Balance + 1",
    'update',
  );
  assert.deepEqual(shape(statement.where), bin('=', col('Id'), lit('cus_1')));
  assert.deepEqual(shape(statement.returning), [
    star('c'),
    item(col('Id'), 'customerid'),
    item({ kind: 'call', name: 'UPPER', args: [col('Name')], star: false, distinct: false }, 'n'),
    item(bin('+', col('Balance'), lit(1))),
  ]);
});

test('UPDATE: positional parameters are numbered across SET, WHERE and RETURNING', () => {
  const statement = parseAs('UPDATE t SET a = ?, b = ? WHERE c = ? RETURNING ? AS d', 'update');
  assert.deepEqual(shape(statement.assignments.map((a) => a.value)), [positional(0), positional(1)]);
  assert.deepEqual(shape(statement.where), bin('=', col('c'), positional(2)));
  assert.deepEqual(shape(statement.returning), [item(positional(3), 'd')]);
});

// ---------------------------------------------------------------------------------------------
// DELETE

test('DELETE: the whole tree, positions included', () => {
  assert.deepEqual(parse('DELETE FROM Customers WHERE Id = ?'), {
    kind: 'delete',
    table: { kind: 'table', name: 'Customers', pos: pos(12, 1, 13) },
    where: {
      kind: 'binary',
      op: '=',
      left: { kind: 'column', name: 'Id', pos: pos(28, 1, 29) },
      right: { kind: 'parameter', index: 0, pos: pos(33, 1, 34) },
      pos: pos(28, 1, 29),
      operatorPos: pos(31, 1, 32),
    },
    pos: pos(0, 1, 1),
  });
});

test('DELETE: FROM optional, any case, bracketed name, alias, no WHERE', () => {
  assert.deepEqual(shape(parse('delete from [Customers]')), { kind: 'delete', table: table('Customers') });
  assert.deepEqual(shape(parse('Delete Customers;')), { kind: 'delete', table: table('Customers') });
  const statement: DeleteNode = parseAs("DELETE FROM Customers AS c WHERE c.Email LIKE '%@x.test' AND c.Id IN (?, ?)", 'delete');
  assert.deepEqual(shape(statement), {
    kind: 'delete',
    table: table('Customers', 'c'),
    where: bin(
      'AND',
      { kind: 'like', expr: col('Email', 'c'), pattern: lit('%@x.test'), negated: false },
      { kind: 'in', expr: col('Id', 'c'), list: [positional(0), positional(1)], negated: false },
    ),
  });
});

// ---------------------------------------------------------------------------------------------
// INSERT … RETURNING

test('INSERT … VALUES … RETURNING *', () => {
  const statement: InsertNode = parseAs("INSERT INTO Customers (Email, Name) VALUES ('a@x.test', 'A'), (?, @n) RETURNING *", 'insert');
  assert.deepEqual(shape(statement), {
    kind: 'insert',
    table: table('Customers'),
    columns: [{ name: 'Email' }, { name: 'Name' }],
    rows: [
      [lit('a@x.test'), lit('A')],
      [positional(0), named('n')],
    ],
    returning: [star()],
  });
  assert.deepEqual(statement.returning![0]!.pos, pos(80, 1, 81));
});

test('INSERT … VALUES … RETURNING expressions with aliases', () => {
  const statement = parseAs("insert into Customers (Email) values ('a@x.test') returning Id AS [Customer Id], Email e, Created", 'insert');
  assert.deepEqual(shape(statement.returning), [item(col('Id'), 'Customer Id'), item(col('Email'), 'e'), item(col('Created'))]);
  assert.equal(statement.query, undefined);
});

test('INSERT without RETURNING has no returning property', () => {
  const statement = parseAs("INSERT INTO Customers (Email) VALUES ('a@x.test')", 'insert');
  assert.equal('returning' in statement, false);
  const query = parseAs('INSERT INTO Customers (Email) SELECT Email FROM #t', 'insert');
  assert.equal('returning' in query, false);
});

test('INSERT … SELECT … RETURNING: the query stops before RETURNING', () => {
  const statement = parseAs('INSERT INTO Customers (Email) SELECT Email FROM #new n WHERE n.ok = 1 RETURNING *', 'insert');
  assert.ok(statement.query?.kind === 'select');
  assert.deepEqual(shape(statement.query.from), table('#new', 'n'));
  assert.deepEqual(shape(statement.query.where), bin('=', col('ok', 'n'), lit(1)));
  assert.deepEqual(shape(statement.returning), [star()]);
  assert.deepEqual(statement.rows, []);

  // Without WHERE the table must not take RETURNING as its alias.
  const bare = parseAs('INSERT INTO Customers SELECT * FROM #new RETURNING Id AS i, Email', 'insert');
  assert.ok(bare.query?.kind === 'select');
  assert.deepEqual(shape(bare.query.from), table('#new'));
  assert.deepEqual(shape(bare.returning), [item(col('Id'), 'i'), item(col('Email'))]);

  // Nor a selected column.
  const noFrom = parseAs("INSERT INTO Customers (Email) SELECT 'a@x.test' RETURNING Id", 'insert');
  assert.ok(noFrom.query?.kind === 'select');
  assert.deepEqual(shape(noFrom.query.columns), [item(lit('a@x.test'))]);
  assert.deepEqual(shape(noFrom.returning), [item(col('Id'))]);
});

test('INSERT … set operation with ORDER BY / LIMIT … RETURNING', () => {
  const statement = parseAs('INSERT INTO t SELECT a FROM u UNION ALL SELECT b FROM v ORDER BY 1 LIMIT 5 RETURNING *', 'insert');
  assert.ok(statement.query?.kind === 'setOp');
  assert.equal(statement.query.op, 'UNION ALL');
  assert.deepEqual(shape(statement.query.limit), lit(5));
  assert.deepEqual(shape(statement.returning), [star()]);
});

test('RETURNING is reserved: no alias in a plain SELECT either', () => {
  assert.throws(() => parse('SELECT a FROM t RETURNING'), /Expected WHERE, GROUP BY, ORDER BY, LIMIT or end of statement but found 'RETURNING'/);
  assert.deepEqual(shape(parseAs('SELECT a AS [Returning] FROM t', 'select').columns), [item(col('a'), 'Returning')]);
});

// ---------------------------------------------------------------------------------------------
// EXEC / EXECUTE

test('EXEC: the whole tree, positions included', () => {
  assert.deepEqual(parse("EXEC ExpireCheckoutSession @CheckoutSessionId = 'cs_1', Reason = ?"), {
    kind: 'exec',
    procedure: 'ExpireCheckoutSession',
    procedurePos: pos(5, 1, 6),
    args: [
      { name: 'CheckoutSessionId', value: { kind: 'literal', value: 'cs_1', pos: pos(48, 1, 49) }, pos: pos(27, 1, 28) },
      { name: 'Reason', value: { kind: 'parameter', index: 0, pos: pos(65, 1, 66) }, pos: pos(56, 1, 57) },
    ],
    pos: pos(0, 1, 1),
  });
});

test('EXEC and EXECUTE in any case, bracketed procedure names, @ and bare argument names', () => {
  const expected = {
    kind: 'exec',
    procedure: 'CancelSubscription',
    args: [
      { name: 'SubscriptionId', value: named('sub') },
      { name: 'InvoiceNow', value: lit(true) },
      { name: 'Prorate', value: lit(false) },
    ],
  };
  for (const sql of [
    'EXEC CancelSubscription @SubscriptionId = @sub, @InvoiceNow = TRUE, Prorate = FALSE',
    'exec [CancelSubscription] SubscriptionId = @sub, InvoiceNow = true, @Prorate = false',
    'Execute "CancelSubscription" @SubscriptionId = @sub, InvoiceNow = TRUE, [Prorate] = FALSE',
    'EXECUTE CancelSubscription\n  @SubscriptionId = @sub,\n  @InvoiceNow = TRUE,\n  @Prorate = FALSE;',
  ]) {
    assert.deepEqual(shape(parse(sql)), expected, sql);
  }
});

test('EXEC: argument values are expressions; parameters keep their kind', () => {
  const statement: ExecNode = parseAs("EXEC P @A = @A, @B = ?, @C = -1.5, @D = 'x' || ?, @E = NULL", 'exec');
  assert.deepEqual(shape(statement.args), [
    { name: 'A', value: named('A') },
    { name: 'B', value: positional(0) },
    { name: 'C', value: { kind: 'literal', value: -1.5, isDecimal: true } },
    { name: 'D', value: bin('||', lit('x'), positional(1)) },
    { name: 'E', value: lit(null) },
  ]);
});

test('EXEC with no arguments, at the end or before ;', () => {
  for (const sql of ['EXEC Ping', 'EXEC Ping;', 'execute [Ping] ;']) {
    assert.deepEqual(shape(parse(sql)), { kind: 'exec', procedure: 'Ping', args: [] }, sql);
  }
});

test('EXEC on a later line: positions of the procedure and its arguments', () => {
  const statement = parseAs('\n  EXEC\n    P @X = 1', 'exec');
  assert.deepEqual(statement.pos, pos(3, 2, 3));
  assert.deepEqual(statement.procedurePos, pos(12, 3, 5));
  assert.deepEqual(statement.args[0]!.pos, pos(14, 3, 7));
});

// ---------------------------------------------------------------------------------------------
// EXPLAIN and scripts

test('EXPLAIN [ANALYZE] UPDATE / DELETE', () => {
  const update = parseAs("EXPLAIN UPDATE Customers SET Name = 'x' WHERE Id = 'a' RETURNING Id", 'explain');
  assert.equal(update.analyze, false);
  assert.deepEqual(shape(update.statement), {
    kind: 'update',
    table: table('Customers'),
    assignments: [{ column: 'Name', value: lit('x') }],
    where: bin('=', col('Id'), lit('a')),
    returning: [item(col('Id'))],
  });
  const del = parseAs('explain analyze delete Customers where Id = ?', 'explain');
  assert.equal(del.analyze, true);
  assert.deepEqual(shape(del.statement), { kind: 'delete', table: table('Customers'), where: bin('=', col('Id'), positional(0)) });
  const insert = parseAs('EXPLAIN INSERT INTO t (a) VALUES (1) RETURNING *', 'explain');
  assert.equal(insert.statement.kind, 'insert');
});

test('a script of several writes, with and without a trailing ;', () => {
  const script = parseScript(`
    INSERT INTO #t (a) VALUES (?) RETURNING *;
    UPDATE #t SET a = ? WHERE a = ? RETURNING a AS b;;
    DELETE FROM #t WHERE a = ?;
    EXEC P @x = ?;
    EXECUTE Q
  `);
  assert.deepEqual(script.map((s) => s.kind), ['insert', 'update', 'delete', 'exec', 'exec']);
  // Positional parameters are numbered per statement.
  const update = script[1] as UpdateNode;
  assert.deepEqual(shape(update.assignments[0]!.value), positional(0));
  assert.deepEqual(shape(update.where), bin('=', col('a'), positional(1)));
  assert.deepEqual(shape((script[2] as DeleteNode).where), bin('=', col('a'), positional(0)));
  assert.deepEqual(shape((script[3] as ExecNode).args), [{ name: 'x', value: positional(0) }]);
  assert.deepEqual(shape(script[4]), { kind: 'exec', procedure: 'Q', args: [] });
  assert.equal(script[2]!.pos.line, 4);
});

test('a script: EXEC needs a ; before the next statement', () => {
  assert.throws(
    () => parseScript('EXEC P\nSELECT 1'),
    (error: unknown) => {
      assert.ok(error instanceof SqlError);
      assert.equal(error.reason, "Expected a parameter name (@Name = value) but found 'SELECT'");
      assert.equal(error.line, 2);
      assert.equal(error.column, 1);
      return true;
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Syntax errors: message and position

const syntaxErrors: [sql: string, reason: string, line: number, column: number][] = [
  ["UPDATE Customers Description = 'x'", "Expected SET but found '='", 1, 30],
  ["UPDATE Customers c Description = 'x'", "Expected SET but found 'Description'", 1, 20],
  ['UPDATE', 'Expected a table name but found end of input', 1, 7],
  ["UPDATE Customers SET Name = 'x',", 'Expected a column name to SET but found end of input', 1, 33],
  ["UPDATE Customers SET Name = 'x' WHERE", 'Expected an expression but found end of input', 1, 38],
  ["UPDATE Customers SET Name = 'x' WHERE Id = 1 LIMIT 1", "Expected RETURNING or end of statement but found 'LIMIT'", 1, 46],
  ["UPDATE Customers SET Name = 'x' RETURNING Id Name Email", "Expected ',' or end of statement but found 'Email'", 1, 51],
  ["UPDATE Customers SET Other.Name = 'x'", 'Other is not the table being updated (Customers)', 1, 22],
  [
    "UPDATE t SET Order = 1",
    "Expected a column name to SET but found 'Order'; Order is a reserved word: write [Order] or \"Order\" to use it as a name",
    1,
    14,
  ],
  ['update t set a = 1\nwhere', 'Expected an expression but found end of input', 2, 6],
  ['DELETE Customers WHERE', 'Expected an expression but found end of input', 1, 23],
  ['DELETE', 'Expected a table name but found end of input', 1, 7],
  ['DELETE FROM', 'Expected a table name but found end of input', 1, 12],
  ['DELETE FROM Customers RETURNING *', "Expected WHERE or end of statement but found 'RETURNING'", 1, 23],
  ['DELETE FROM Customers c x', "Expected WHERE or end of statement but found 'x'", 1, 25],
  ['EXEC', 'Expected a procedure name after EXEC but found end of input', 1, 5],
  ['EXECUTE;', "Expected a procedure name after EXEC but found ';'", 1, 8],
  ['EXEC @A = 1', "Expected a procedure name after EXEC but found '@A'", 1, 6],
  ['EXEC P @A 1', "Expected '=' after the parameter name A but found '1'", 1, 11],
  ['EXEC P @A =', 'Expected an expression but found end of input', 1, 12],
  ['EXEC P @A = 1,', 'Expected a parameter name (@Name = value) but found end of input', 1, 15],
  ['EXEC P @A = 1 garbage', "Expected ',' or end of statement but found 'garbage'", 1, 15],
  ['EXEC P; EXEC Q', "Expected end of input but found 'EXEC'", 1, 9],
  ['EXPLAIN EXECUTE P', "Expected SELECT, WITH, INSERT, UPDATE or DELETE after EXPLAIN but found 'EXECUTE'", 1, 9],
  ['INSERT INTO t (a) VALUES (1) RETURNING', 'Expected an expression but found end of input', 1, 39],
  ['INSERT INTO t (a) VALUES (1) RETURNING * FROM u', "Expected ',' or end of statement but found 'FROM'", 1, 42],
  ['INSERT INTO t SELECT a FROM u x y', "Expected WHERE, GROUP BY, ORDER BY, LIMIT, RETURNING or end of statement but found 'y'", 1, 33],
  ['INSERT INTO t SELECT a FROM u ORDER BY a LIMIT 1 OFFSET 1 x', "Expected RETURNING or end of statement but found 'x'", 1, 59],
  ['INSERT INTO t SELECT a FROM u ORDER BY a x', "Expected LIMIT, RETURNING or end of statement but found 'x'", 1, 42],
];

for (const [sql, reason, line, column] of syntaxErrors) {
  test(`syntax error: ${JSON.stringify(sql)}`, () => {
    assert.throws(
      () => parse(sql),
      (error: unknown) => {
        assert.ok(error instanceof SqlError, String(error));
        assert.equal(error.reason, reason);
        assert.equal(error.line, line);
        assert.equal(error.column, column);
        return true;
      },
    );
  });
}
