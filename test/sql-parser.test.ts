import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseScript, SqlError } from '../src/sql/index.js';
import type { ExprNode, InsertNode, SelectNode } from '../src/sql/index.js';
import { shape } from './support/ast-shape.js';


function select(sql: string): SelectNode {
  const statement = parse(sql);
  assert.equal(statement.kind, 'select');
  return statement as SelectNode;
}

/** The WHERE expression of `SELECT * FROM t WHERE <expr>`, without positions. */
function where(expr: string): unknown {
  return shape(select(`SELECT * FROM t WHERE ${expr}`).where);
}

/** The single selected expression of `SELECT <expr>`, without positions. */
function expr(text: string): unknown {
  const item = select(`SELECT ${text}`).columns[0];
  assert.equal(item?.kind, 'expr');
  return shape((item as { expr: ExprNode }).expr);
}

const col = (name: string, table?: string) => (table ? { kind: 'column', table, name } : { kind: 'column', name });
const lit = (value: string | number | boolean | null) => ({ kind: 'literal', value });
const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'binary', op, left, right });

function parseError(sql: string): SqlError {
  try {
    parse(sql);
  } catch (error) {
    assert.ok(error instanceof SqlError, `expected SqlError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(sql)} to fail`);
}

// ---------------------------------------------------------------------------------------------
// The seed's statements

test('seed: SELECT * FROM CheckoutSession WHERE Id = ...', () => {
  const statement = parse("SELECT * FROM CheckoutSession WHERE Id = '123124'");
  assert.deepEqual(statement, {
    kind: 'select',
    distinct: false,
    columns: [{ kind: 'star', pos: { offset: 7, line: 1, column: 8 } }],
    from: { kind: 'table', name: 'CheckoutSession', pos: { offset: 14, line: 1, column: 15 } },
    where: {
      kind: 'binary',
      op: '=',
      left: { kind: 'column', name: 'Id', pos: { offset: 36, line: 1, column: 37 } },
      right: { kind: 'literal', value: '123124', pos: { offset: 41, line: 1, column: 42 } },
      pos: { offset: 36, line: 1, column: 37 },
      operatorPos: { offset: 39, line: 1, column: 40 },
    },
    orderBy: [],
    pos: { offset: 0, line: 1, column: 1 },
  });
});

test('seed: the other SELECTs filter one column by equality', () => {
  const cases: [string, string, string][] = [
    ["SELECT * FROM CheckoutSession WHERE CustomerId = 'cus_N8rO0qc7j1SJJ9'", 'CustomerId', 'cus_N8rO0qc7j1SJJ9'],
    ["SELECT * FROM CheckoutSession WHERE CustomerDetailsEmail = '[email protected]'", 'CustomerDetailsEmail', '[email protected]'],
    ["SELECT * FROM CheckoutSession WHERE PaymentIntentId = 'pi_sfuniew'", 'PaymentIntentId', 'pi_sfuniew'],
  ];
  for (const [sql, column, value] of cases) {
    assert.deepEqual(shape(parse(sql)), {
      kind: 'select',
      distinct: false,
      columns: [{ kind: 'star' }],
      from: { kind: 'table', name: 'CheckoutSession' },
      where: bin('=', col(column), lit(value)),
      orderBy: [],
    });
  }
});

test('seed: the first INSERT, with \\" inside the string and no space after "SuccessUrl,"', () => {
  const sql = String.raw`INSERT INTO CheckoutSession (Mode, SuccessUrl,LineItemsAggregate) VALUES ('payment', 'https://example.com/success','[{\"price\":\"price_1OPuMb2eZvKYlo2CVkxTmqYN\",\"quantity\":\"23\"}]')`;
  const statement = parse(sql) as InsertNode;
  assert.equal(statement.kind, 'insert');
  assert.deepEqual(statement.table, { kind: 'table', name: 'CheckoutSession', pos: { offset: 12, line: 1, column: 13 } });
  assert.deepEqual(statement.columns, [
    { name: 'Mode', pos: { offset: 29, line: 1, column: 30 } },
    { name: 'SuccessUrl', pos: { offset: 35, line: 1, column: 36 } },
    { name: 'LineItemsAggregate', pos: { offset: 46, line: 1, column: 47 } },
  ]);
  assert.deepEqual(shape(statement.rows), [
    [
      lit('payment'),
      lit('https://example.com/success'),
      lit(String.raw`[{\"price\":\"price_1OPuMb2eZvKYlo2CVkxTmqYN\",\"quantity\":\"23\"}]`),
    ],
  ]);
  assert.deepEqual(statement.pos, { offset: 0, line: 1, column: 1 });
});

test('seed: the second INSERT', () => {
  const sql =
    "INSERT INTO CheckoutSession (Mode, SuccessUrl, Currency, CustomerId) VALUES ('setup', 'https://example.com/success', 'usd', 'cus_N8rO0qc7j1SJJ9')";
  assert.deepEqual(shape(parse(sql)), {
    kind: 'insert',
    table: { kind: 'table', name: 'CheckoutSession' },
    columns: [{ name: 'Mode' }, { name: 'SuccessUrl' }, { name: 'Currency' }, { name: 'CustomerId' }],
    rows: [[lit('setup'), lit('https://example.com/success'), lit('usd'), lit('cus_N8rO0qc7j1SJJ9')]],
  });
});

// ---------------------------------------------------------------------------------------------
// SELECT clauses

test('SELECT DISTINCT, t.*, aliases with and without AS, quoted aliases', () => {
  const statement = select('SELECT DISTINCT s.*, Amount AS total, Currency cur, Id AS [Order], Status "st" FROM CheckoutSession s');
  assert.equal(statement.distinct, true);
  assert.deepEqual(shape(statement.columns), [
    { kind: 'star', table: 's' },
    { kind: 'expr', expr: col('Amount'), alias: 'total' },
    { kind: 'expr', expr: col('Currency'), alias: 'cur' },
    { kind: 'expr', expr: col('Id'), alias: 'Order' },
    { kind: 'expr', expr: col('Status'), alias: 'st' },
  ]);
  assert.deepEqual(shape(statement.from), { kind: 'table', name: 'CheckoutSession', alias: 's' });
  assert.deepEqual(select('SELECT ALL a FROM t').distinct, false);
});

test('a label after AS may be a reserved word when the select list goes on or ends after it; a function may be named in quotes', () => {
  assert.deepEqual(shape(select('SELECT a AS table, b AS select, c AS delete FROM t').columns), [
    { kind: 'expr', expr: col('a'), alias: 'table' },
    { kind: 'expr', expr: col('b'), alias: 'select' },
    { kind: 'expr', expr: col('c'), alias: 'delete' },
  ]);
  assert.deepEqual(shape(select('SELECT "substring"(a, 2) FROM t').columns), [
    { kind: 'expr', expr: { kind: 'call', name: 'SUBSTRING', args: [col('a'), { kind: 'literal', value: 2 }], star: false, distinct: false } },
  ]);
});

test('FROM with AS alias, and SELECT without FROM', () => {
  assert.deepEqual(shape(select('SELECT 1 FROM t AS x').from), { kind: 'table', name: 't', alias: 'x' });
  assert.deepEqual(shape(select('SELECT 1 + 1').columns), [{ kind: 'expr', expr: bin('+', lit(1), lit(1)) }]);
  assert.equal(select('SELECT 1').from, undefined);
});

test('qualified and quoted column references keep their spelling', () => {
  assert.deepEqual(expr('cs.CustomerId'), col('CustomerId', 'cs'));
  assert.deepEqual(expr('[my table].[My Col]'), col('My Col', 'my table'));
  assert.deepEqual(expr('"select"'), col('select'));
  assert.deepEqual(expr('LineItems#TEMP.Id'), col('Id', 'LineItems#TEMP'));
});

test('ORDER BY with directions and NULLS FIRST/LAST, any case', () => {
  const statement = select('SELECT * FROM t ORDER BY a, b DESC, c asc nulls first, d Nulls Last');
  assert.deepEqual(shape(statement.orderBy), [
    { expr: col('a'), direction: 'ASC' },
    { expr: col('b'), direction: 'DESC' },
    { expr: col('c'), direction: 'ASC', nulls: 'FIRST' },
    { expr: col('d'), direction: 'ASC', nulls: 'LAST' },
  ]);
  assert.deepEqual(statement.orderBy[1]?.pos, { offset: 28, line: 1, column: 29 });
});

test('LIMIT and OFFSET take a whole number or a parameter', () => {
  const a = select('SELECT * FROM t LIMIT 10 OFFSET 20');
  assert.deepEqual(shape([a.limit, a.offset]), [lit(10), lit(20)]);
  const b = select('SELECT * FROM t WHERE x = ? LIMIT ? OFFSET @skip');
  assert.deepEqual(shape([b.limit, b.offset]), [
    { kind: 'parameter', index: 1 },
    { kind: 'parameter', name: 'skip' },
  ]);
  const c = select('SELECT * FROM t LIMIT 5');
  assert.deepEqual(shape(c.limit), lit(5));
  assert.equal(c.offset, undefined);
});

test('all clauses together over several lines, with comments', () => {
  const sql = [
    'SELECT Id, AmountTotal -- what we want',
    '  FROM CheckoutSession',
    " WHERE Status = 'open' /* only open */ AND AmountTotal >= 100",
    ' ORDER BY Created DESC',
    ' LIMIT 5;',
  ].join('\n');
  const statement = select(sql);
  assert.deepEqual(shape(statement), {
    kind: 'select',
    distinct: false,
    columns: [
      { kind: 'expr', expr: col('Id') },
      { kind: 'expr', expr: col('AmountTotal') },
    ],
    from: { kind: 'table', name: 'CheckoutSession' },
    where: bin('AND', bin('=', col('Status'), lit('open')), bin('>=', col('AmountTotal'), lit(100))),
    orderBy: [{ expr: col('Created'), direction: 'DESC' }],
    limit: lit(5),
  });
  assert.deepEqual(statement.from?.pos, { offset: 46, line: 2, column: 8 });
  assert.deepEqual(statement.where?.pos, { offset: 69, line: 3, column: 8 });
  assert.deepEqual(statement.orderBy[0]?.pos, { offset: 134, line: 4, column: 11 });
});

// ---------------------------------------------------------------------------------------------
// Expressions

test('literals: strings, numbers, booleans, NULL', () => {
  assert.deepEqual(expr("'it''s'"), lit("it's"));
  assert.deepEqual(expr('12'), lit(12));
  assert.deepEqual(expr('12.5'), { ...lit(12.5), isDecimal: true });
  assert.deepEqual(expr('.5'), { ...lit(0.5), isDecimal: true });
  assert.deepEqual(expr('1e3'), { ...lit(1000), isDecimal: true });
  assert.deepEqual(expr('TRUE'), lit(true));
  assert.deepEqual(expr('false'), lit(false));
  assert.deepEqual(expr('Null'), lit(null));
});

test('a unary minus on a number literal folds into a negative literal at the minus', () => {
  const item = select('SELECT  -5').columns[0] as { expr: ExprNode };
  assert.deepEqual(item.expr, { kind: 'literal', value: -5, pos: { offset: 8, line: 1, column: 9 } });
  assert.deepEqual(expr('- 2.5'), { ...lit(-2.5), isDecimal: true });
  assert.deepEqual(expr('-a'), { kind: 'unary', op: '-', operand: col('a') });
  assert.deepEqual(expr('+a'), { kind: 'unary', op: '+', operand: col('a') });
  assert.deepEqual(expr('+3'), { kind: 'unary', op: '+', operand: lit(3) });
});

test('precedence: AND binds tighter than OR', () => {
  assert.deepEqual(where('a OR b AND c'), bin('OR', col('a'), bin('AND', col('b'), col('c'))));
  assert.deepEqual(where('a AND b OR c'), bin('OR', bin('AND', col('a'), col('b')), col('c')));
});

test('precedence: NOT applies to the whole comparison but not across AND', () => {
  assert.deepEqual(where('NOT a = b'), { kind: 'unary', op: 'NOT', operand: bin('=', col('a'), col('b')) });
  assert.deepEqual(
    where('NOT a AND b'),
    bin('AND', { kind: 'unary', op: 'NOT', operand: col('a') }, col('b')),
  );
  assert.deepEqual(where('NOT NOT a'), { kind: 'unary', op: 'NOT', operand: { kind: 'unary', op: 'NOT', operand: col('a') } });
});

test('precedence: unary minus binds tighter than *', () => {
  assert.deepEqual(expr('-2 * 3'), bin('*', lit(-2), lit(3)));
  assert.deepEqual(expr('-a * b'), bin('*', { kind: 'unary', op: '-', operand: col('a') }, col('b')));
});

test('precedence: || shares a level with + and -, left to right; * / % bind tighter', () => {
  assert.deepEqual(expr('a || b + c'), bin('+', bin('||', col('a'), col('b')), col('c')));
  assert.deepEqual(expr('a + b || c'), bin('||', bin('+', col('a'), col('b')), col('c')));
  assert.deepEqual(expr('a - b - c'), bin('-', bin('-', col('a'), col('b')), col('c')));
  assert.deepEqual(expr('a + b * c % d'), bin('+', col('a'), bin('%', bin('*', col('b'), col('c')), col('d'))));
  assert.deepEqual(expr('(a + b) * c'), bin('*', bin('+', col('a'), col('b')), col('c')));
  assert.deepEqual(expr('a / b'), bin('/', col('a'), col('b')));
});

test('comparisons, with != read as <>, binding looser than arithmetic', () => {
  for (const op of ['=', '<>', '<', '<=', '>', '>=']) {
    assert.deepEqual(where(`a ${op} b`), bin(op, col('a'), col('b')));
  }
  assert.deepEqual(where('a != b'), bin('<>', col('a'), col('b')));
  assert.deepEqual(where('a + 1 > b * 2'), bin('>', bin('+', col('a'), lit(1)), bin('*', col('b'), lit(2))));
});

test('[NOT] IN (list)', () => {
  assert.deepEqual(where("Status IN ('open', 'complete')"), {
    kind: 'in',
    expr: col('Status'),
    list: [lit('open'), lit('complete')],
    negated: false,
  });
  assert.deepEqual(where('a NOT IN (1)'), { kind: 'in', expr: col('a'), list: [lit(1)], negated: true });
});

test('[NOT] LIKE with and without ESCAPE', () => {
  assert.deepEqual(where("Email LIKE '%@example.com'"), {
    kind: 'like',
    expr: col('Email'),
    pattern: lit('%@example.com'),
    negated: false,
  });
  assert.deepEqual(where("a NOT LIKE 'x!%' ESCAPE '!'"), {
    kind: 'like',
    expr: col('a'),
    pattern: lit('x!%'),
    escape: lit('!'),
    negated: true,
  });
});

test('[NOT] BETWEEN keeps its AND apart from the logical AND', () => {
  assert.deepEqual(
    where('Amount BETWEEN 1 AND 10 AND b'),
    bin('AND', { kind: 'between', expr: col('Amount'), low: lit(1), high: lit(10), negated: false }, col('b')),
  );
  assert.deepEqual(where('a NOT BETWEEN b + 1 AND c'), {
    kind: 'between',
    expr: col('a'),
    low: bin('+', col('b'), lit(1)),
    high: col('c'),
    negated: true,
  });
});

test('IS [NOT] NULL', () => {
  assert.deepEqual(where('a IS NULL'), { kind: 'isNull', expr: col('a'), negated: false });
  assert.deepEqual(where('a IS NOT NULL OR b'), bin('OR', { kind: 'isNull', expr: col('a'), negated: true }, col('b')));
});

test('predicate nodes take the position of their left operand', () => {
  const w = select('SELECT * FROM t WHERE  x IN (1)').where;
  assert.deepEqual(w?.pos, { offset: 23, line: 1, column: 24 });
});

test('function calls: upper-cased name, *, DISTINCT, no arguments, several arguments', () => {
  assert.deepEqual(expr('count(*)'), { kind: 'call', name: 'COUNT', args: [], star: true, distinct: false });
  assert.deepEqual(expr('Count(DISTINCT CustomerId)'), {
    kind: 'call',
    name: 'COUNT',
    args: [col('CustomerId')],
    star: false,
    distinct: true,
  });
  assert.deepEqual(expr('now()'), { kind: 'call', name: 'NOW', args: [], star: false, distinct: false });
  assert.deepEqual(expr("coalesce(a, 'x', 1 + 2)"), {
    kind: 'call',
    name: 'COALESCE',
    args: [col('a'), lit('x'), bin('+', lit(1), lit(2))],
    star: false,
    distinct: false,
  });
  const call = (select('SELECT  lower(a)').columns[0] as { expr: ExprNode }).expr;
  assert.deepEqual(call.pos, { offset: 8, line: 1, column: 9 });
});

test('parameters: ? numbered in order across the statement, @name without the @', () => {
  const statement = select('SELECT ? FROM t WHERE a = ? AND b = @name AND c IN (?, ?)');
  assert.deepEqual(shape(statement.columns[0]), { kind: 'expr', expr: { kind: 'parameter', index: 0 } });
  assert.deepEqual(
    shape(statement.where),
    bin(
      'AND',
      bin('AND', bin('=', col('a'), { kind: 'parameter', index: 1 }), bin('=', col('b'), { kind: 'parameter', name: 'name' })),
      { kind: 'in', expr: col('c'), list: [{ kind: 'parameter', index: 2 }, { kind: 'parameter', index: 3 }], negated: false },
    ),
  );
});

// ---------------------------------------------------------------------------------------------
// INSERT and scripts

test('INSERT with several rows and expressions', () => {
  assert.deepEqual(shape(parse('insert into Customer ([Name], Balance) values (?, -5), (@n, 1 + 2);')), {
    kind: 'insert',
    table: { kind: 'table', name: 'Customer' },
    columns: [{ name: 'Name' }, { name: 'Balance' }],
    rows: [
      [{ kind: 'parameter', index: 0 }, lit(-5)],
      [{ kind: 'parameter', name: 'n' }, bin('+', lit(1), lit(2))],
    ],
  });
});

test('parseScript splits on ; skipping empty statements, and numbers ? per statement', () => {
  const statements = parseScript('SELECT ? FROM a;\n;\nSELECT ?, ? FROM b;  ');
  assert.equal(statements.length, 2);
  assert.deepEqual(shape((statements[1] as SelectNode).columns), [
    { kind: 'expr', expr: { kind: 'parameter', index: 0 } },
    { kind: 'expr', expr: { kind: 'parameter', index: 1 } },
  ]);
  assert.deepEqual(statements[1]?.pos, { offset: 19, line: 3, column: 1 });
  assert.deepEqual(parseScript(''), []);
  assert.deepEqual(parseScript(' -- nothing\n ; '), []);
});

test('parse accepts a trailing ; but not a second statement', () => {
  assert.equal(parse('SELECT 1;').kind, 'select');
  const error = parseError('x');
  assert.equal(error.reason, "Expected SELECT, WITH, INSERT, UPDATE, DELETE, EXEC, CREATE, DROP or EXPLAIN but found 'x'");
  assert.throws(() => parse('SELECT 1; SELECT 2'), (e: unknown) => {
    assert.ok(e instanceof SqlError);
    assert.equal(e.reason, "Expected end of input but found 'SELECT'");
    assert.equal(e.column, 11);
    return true;
  });
});

// ---------------------------------------------------------------------------------------------
// Errors

const syntaxErrors: [sql: string, reason: string, line: number, column: number][] = [
  ['SELECT * FORM CheckoutSession', "Expected FROM or end of statement but found 'FORM'", 1, 10],
  ['SELECT (a + b', "Expected ')' to close '(' at line 1, column 8 but found end of input", 1, 14],
  ['SELECT *\nFROM t\nWHERE a IN (1, 2', "Expected ',' or ')' to close '(' at line 3, column 12 but found end of input", 3, 17],
  ['SELECT count(a b) FROM t', "Expected ',' or ')' to close '(' at line 1, column 13 but found 'b'", 1, 16],
  ['', 'Expected SELECT, WITH, INSERT, UPDATE, DELETE, EXEC, CREATE, DROP or EXPLAIN but found end of input', 1, 1],
  ['SELCT * FROM t', "Expected SELECT, WITH, INSERT, UPDATE, DELETE, EXEC, CREATE, DROP or EXPLAIN but found 'SELCT'", 1, 1],
  ['SELECT FROM t', "Expected an expression but found 'FROM'", 1, 8],
  ['SELECT a,\n  FROM t', "Expected an expression but found 'FROM'", 2, 3],
  [
    'SELECT Order FROM t',
    `Expected an expression but found 'Order'; Order is a reserved word: write [Order] or "Order" to use it as a name`,
    1,
    8,
  ],
  [
    'SELECT * FROM limit',
    `Expected a table name but found 'limit'; limit is a reserved word: write [limit] or "limit" to use it as a name`,
    1,
    15,
  ],
  ['SELECT * FROM t x y', "Expected WHERE, GROUP BY, ORDER BY, LIMIT or end of statement but found 'y'", 1, 19],
  ['SELECT *\n  FROM t\n WHERE a = 1 b', "Expected GROUP BY, ORDER BY, LIMIT or end of statement but found 'b'", 3, 14],
  ['SELECT * FROM t ORDER a', "Expected BY but found 'a'", 1, 23],
  ['SELECT * FROM t ORDER BY a NULLS', 'Expected FIRST or LAST after NULLS but found end of input', 1, 33],
  ['SELECT * FROM t LIMIT 5 OFFSET 2 x', 'Expected end of statement but found \'x\'', 1, 34],
  ['SELECT * FROM t LIMIT a', "Expected a whole number or a parameter after LIMIT but found 'a'", 1, 23],
  ['SELECT * FROM t LIMIT 1.5', "Expected a whole number or a parameter after LIMIT but found '1.5'", 1, 23],
  ['SELECT * FROM t LIMIT 1 OFFSET -1', "Expected a whole number or a parameter after OFFSET but found '-'", 1, 32],
  ['SELECT * FROM t WHERE a NOT b', "Expected IN, LIKE, ILIKE or BETWEEN after NOT but found 'b'", 1, 29],
  ['SELECT * FROM t WHERE a IS 5', "Expected NULL, NOT NULL, TRUE, FALSE or DISTINCT FROM after IS but found '5'", 1, 28],
  ['SELECT * FROM t WHERE a IS NOT 5', "Expected NULL, TRUE, FALSE or DISTINCT FROM after IS NOT but found '5'", 1, 32],
  ['SELECT * FROM t WHERE a BETWEEN 1 OR 2', "Expected AND to complete BETWEEN at line 1, column 25 but found 'OR'", 1, 35],
  ['SELECT * FROM t WHERE a IN 1', "Expected '(' after IN but found '1'", 1, 28],
  ['SELECT * FROM t WHERE a IN (1,)', "Expected an expression but found ')'", 1, 31],
  ['SELECT * FROM t WHERE a =', 'Expected an expression but found end of input', 1, 26],
  ['SELECT t. FROM t', "Expected a column name after 't.' but found 'FROM'", 1, 11],
  ['SELECT a.b.c FROM t', 'A column name has at most two parts (table.column)', 1, 11],
  ['SELECT a AS FROM t', "Expected an alias after AS but found 'FROM'", 1, 13],
  ['INSERT CheckoutSession (Mode) VALUES (1)', "Expected INTO but found 'CheckoutSession'", 1, 8],
  ['INSERT INTO t x (1)', "Expected '(' and a column list, VALUES or SELECT after the table name but found 'x'", 1, 15],
  ['INSERT INTO t (a, b) VALUES (1)', 'This row has 1 value but the column list names 2 columns', 1, 29],
  ['INSERT INTO t (a) VALUES (1), 2', "Expected '(' to start a row of values but found '2'", 1, 31],
  ['INSERT INTO t (a) VALUES (1) (2)', "Expected ',', RETURNING or end of statement but found '('", 1, 30],
  ['INSERT INTO t (a,) VALUES (1)', "Expected a column name but found ')'", 1, 18],
  [
    'INSERT INTO t (Mode, Desc) VALUES (1, 2)',
    `Expected a column name but found 'Desc'; Desc is a reserved word: write [Desc] or "Desc" to use it as a name`,
    1,
    22,
  ],
  ["SELECT 'abc", 'Unterminated string literal', 1, 8],
];

for (const [sql, reason, line, column] of syntaxErrors) {
  test(`syntax error: ${JSON.stringify(sql)}`, () => {
    const error = parseError(sql);
    assert.equal(error.reason, reason);
    assert.equal(error.line, line);
    assert.equal(error.column, column);
    assert.equal(error.offset, sql.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1);
  });
}

test('a reserved word is fine as a name once quoted', () => {
  assert.deepEqual(shape(select('SELECT [Order], "Limit" FROM [Group]').columns), [
    { kind: 'expr', expr: col('Order') },
    { kind: 'expr', expr: col('Limit') },
  ]);
});

test('the error message carries the position and a caret excerpt', () => {
  const error = parseError('SELECT *\n  FORM t');
  assert.equal(error.message, "Expected FROM or end of statement but found 'FORM' (line 2, column 3)\n  FORM t\n  ^");
  assert.equal(error.excerpt, '  FORM t\n  ^');
});

test('very deep nesting is a SqlError, not a stack overflow', () => {
  for (const sql of [
    `SELECT ${'('.repeat(100000)}1${')'.repeat(100000)}`,
    `SELECT * FROM t WHERE ${'NOT '.repeat(50000)}a`,
    `SELECT ${'- '.repeat(50000)}1`,
  ]) {
    const error = parseError(sql);
    assert.equal(error.reason, 'Expression is nested more than 200 levels deep');
  }
  assert.deepEqual(expr(`${'('.repeat(150)}1${')'.repeat(150)}`), lit(1));
});

test('a long flat expression parses without deep recursion', () => {
  const sql = `SELECT * FROM t WHERE ${Array.from({ length: 20000 }, (_, i) => `a = ${i}`).join(' OR ')}`;
  const w = select(sql).where;
  assert.equal(w?.kind, 'binary');
});

// ---------------------------------------------------------------------------------------------
// Fuzzing: any input either parses or raises SqlError, never anything else.

function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUZZ_SEEDS = [
  "SELECT * FROM CheckoutSession WHERE Id = '123124'",
  "SELECT DISTINCT a.b AS x, count(*), sum(DISTINCT c) FROM t s WHERE NOT a = 1 OR b IN (1, 2) AND c LIKE 'x%' ESCAPE '!' ORDER BY 1 DESC NULLS LAST LIMIT ? OFFSET @o",
  String.raw`INSERT INTO CheckoutSession (Mode, SuccessUrl,LineItemsAggregate) VALUES ('payment', 'https://example.com/success','[{\"price\":\"p\"}]')`,
  'SELECT -2 * 3, a || b + c, x NOT BETWEEN 1 AND 2, y IS NOT NULL, [q]]x], "d""e" /* c */ -- e\nFROM t;',
];
const FUZZ_PIECES = [
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'BETWEEN', 'IS', 'NULL', 'ORDER BY',
  'LIMIT', 'OFFSET', 'INSERT INTO', 'VALUES', '(', ')', ',', ';', '.', '*', '-', '+', '=', '<>', '!=',
  '||', '?', '@p', "'", '"', '[', ']', '--', '/*', '*/', '\n', '1e', '.5', '12', 'x', 't.*', 'COUNT(',
  'DISTINCT', 'AS', 'ESCAPE', 'NULLS', '#', '$', '@', '|', '!', '\u0000', 'é',
];

test('fuzz: thousands of random and mutated inputs raise only SqlError', () => {
  const random = makeRandom(20240410);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let parsed = 0;
  let rejected = 0;
  for (let i = 0; i < 6000; i++) {
    let sql: string;
    if (i % 3 === 0) {
      sql = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(FUZZ_PIECES)).join(random() < 0.5 ? ' ' : '');
    } else {
      sql = pick(FUZZ_SEEDS);
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (sql.length + 1));
        const choice = random();
        if (choice < 0.35) sql = sql.slice(0, at) + sql.slice(at + 1 + Math.floor(random() * 6));
        else if (choice < 0.7) sql = sql.slice(0, at) + pick(FUZZ_PIECES) + sql.slice(at);
        else if (choice < 0.85) sql = sql.slice(0, at);
        else sql = sql.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + sql.slice(at);
      }
    }
    try {
      parseScript(sql);
      parse(sql);
      parsed++;
    } catch (error) {
      if (!(error instanceof SqlError)) assert.fail(`${String(error)} for input ${JSON.stringify(sql)}`);
      assert.ok(error.line >= 1 && error.column >= 1, `bad position for ${JSON.stringify(sql)}`);
      assert.ok(error.offset >= 0 && error.offset <= sql.length, `offset out of range for ${JSON.stringify(sql)}`);
      rejected++;
    }
  }
  // Both outcomes must occur, or the fuzzer is not exercising the parser.
  assert.ok(parsed > 100, `only ${parsed} inputs parsed`);
  assert.ok(rejected > 1000, `only ${rejected} inputs were rejected`);
});
