// Typed parameters in the engine: `$n`, `?` and `@name` are slots whose types come from their
// context; values are matched to the slots, converted to their types and planned as constants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStatement, Session, typeParameters, type ParamValues } from '../src/engine/index.js';
import type { Catalog } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { parse } from '../src/sql/parser.js';
import { catalogOf, collect, plan, planQuery, sessions } from './engine-fixtures.js';

const catalog = (): Catalog => catalogOf(sessions());

function describe(sql: string, on: Catalog = catalog(), session?: Session) {
  return describeStatement(parse(sql), sql, on, session);
}

/** `$1:Type, …` / `@name:Type` for the statement's parameters. */
function parameterTypes(sql: string, on?: Catalog): string[] {
  return describe(sql, on).parameters.map((p) => `${p.name !== undefined ? `@${p.name}` : `$${p.index}`}:${p.type}`);
}

/** Asserts a SqlError with this reason at this line and column. */
function assertSqlError(run: () => unknown, reason: string | RegExp, column: number, line = 1): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SqlError, `expected SqlError, got ${String(error)}`);
    if (typeof reason === 'string') assert.equal(error.reason, reason);
    else assert.match(error.reason, reason);
    assert.equal(error.line, line, `line of: ${error.reason}`);
    assert.equal(error.column, column, `column of: ${error.reason}`);
    return true;
  });
}

const planWith = (sql: string, params?: ParamValues) => () => plan(sql, catalog(), params);

test('a comparison types a parameter like the column; LIMIT and OFFSET as Integer', () => {
  assert.deepEqual(parameterTypes('SELECT Id FROM Sessions WHERE Status = $1 AND $2 < AmountTotal ORDER BY Id LIMIT $3 OFFSET $4'), [
    '$1:String',
    '$2:Integer',
    '$3:Integer',
    '$4:Integer',
  ]);
  assert.deepEqual(parameterTypes('SELECT TOP (?) Id FROM Sessions WHERE Created >= ? AND Livemode = ?'), ['$1:Integer', '$2:Datetime', '$3:Boolean']);
});

test('CAST, arithmetic with a typed operand, ||, LIKE, NOT, IN, BETWEEN, CASE and COALESCE type their parameters', () => {
  assert.deepEqual(parameterTypes('SELECT CAST($1 AS BIGINT), $2 * 2, Score + $3, $4 || Id, COALESCE($5, Created) FROM Sessions'), [
    '$1:Long',
    '$2:Integer',
    '$3:Double',
    '$4:String',
    '$5:Datetime',
  ]);
  assert.deepEqual(
    parameterTypes('SELECT Id FROM Sessions WHERE Email LIKE $1 OR NOT $2 OR Score BETWEEN $3 AND 2.5 OR Created IN ($4, $5)'),
    ['$1:String', '$2:Boolean', '$3:Double', '$4:Datetime', '$5:Datetime'],
  );
  assert.deepEqual(parameterTypes('SELECT CASE AmountTotal WHEN $1 THEN Created ELSE $2 END FROM Sessions'), ['$1:Integer', '$2:Datetime']);
  assert.deepEqual(parameterTypes('SELECT Id FROM Sessions WHERE $1 IN (SELECT Score FROM Sessions)'), ['$1:Double']);
});

test('a parameter no context types is String (PostgreSQL: unknown is text); a $n not written counts too', () => {
  assert.deepEqual(parameterTypes('SELECT $2, $3 IS NULL'), ['$1:String', '$2:String', '$3:String']);
  // The first context a parameter meets decides; every later use of $1 reads that type.
  assert.deepEqual(parameterTypes('SELECT Id FROM Sessions WHERE AmountTotal = $1 OR Status = $1'), ['$1:Integer']);
});

test('INSERT values and UPDATE SET values take their column\'s type; ? and @name are described alike', () => {
  assert.deepEqual(parameterTypes('INSERT INTO Sessions (Status, AmountTotal, Livemode, Score) VALUES (?, ?, ?, @score)'), [
    '$1:String',
    '$2:Integer',
    '$3:Boolean',
    '@score:Double',
  ]);
  assert.deepEqual(parameterTypes('UPDATE Sessions SET AmountTotal = $1, Score = $2 WHERE Created > $3'), ['$1:Integer', '$2:Double', '$3:Datetime']);
  assert.deepEqual(parameterTypes('SELECT Id FROM Sessions UNION SELECT Status FROM Sessions ORDER BY 1 LIMIT $1'), ['$1:Integer']);
});

test('result columns are known before any value: typed by the parameters; a write without RETURNING has none', () => {
  const select = describe('SELECT Id, $1 + AmountTotal AS Total, $2 AS "Label" FROM Sessions WHERE Status = $3');
  assert.deepEqual(select.columns, [
    { name: 'Id', type: 'String' },
    { name: 'total', type: 'Integer' },
    { name: 'Label', type: 'String' },
  ]);
  assert.deepEqual(describe('INSERT INTO Sessions (Status) VALUES ($1)').columns, []);
  assert.deepEqual(describe('INSERT INTO Sessions (Status) VALUES ($1) RETURNING Status, AmountTotal').columns, [
    { name: 'Status', type: 'String' },
    { name: 'AmountTotal', type: 'Integer' },
  ]);
});

test('describing plans without values and never scans: a parameter compared with a column is offered nothing yet', () => {
  const table = sessions();
  describe('SELECT Id FROM Sessions WHERE Status = $1', catalogOf(table));
  // The inferring plans saw `Status = NULL`, which no row matches: nothing was offered to scan.
  assert.ok(table.requests.every((r) => r.predicates.every((p) => p.value === null || p.value === undefined)));
});

test('values are converted to their parameter\'s type and pushed down like literals', async () => {
  const withParam = sessions();
  const rows = await collect(planQuery('SELECT Id FROM Sessions WHERE AmountTotal >= $1 AND Status = $2 ORDER BY Id', catalogOf(withParam), ['1000', 'open']).rows({}));
  assert.deepEqual(rows, [['cs_1']]);
  const withLiteral = sessions();
  await collect(planQuery("SELECT Id FROM Sessions WHERE AmountTotal >= 1000 AND Status = 'open' ORDER BY Id", catalogOf(withLiteral)).rows({}));
  const offered = (t: ReturnType<typeof sessions>) => t.requests.at(-1)!.predicates.map(({ column, op, value }) => ({ column, op, value }));
  assert.deepEqual(offered(withParam), offered(withLiteral));
  assert.deepEqual(offered(withParam), [
    { column: 'AmountTotal', op: '>=', value: 1000 },
    { column: 'Status', op: '=', value: 'open' },
  ]);
});

test('a prepared binding converts untyped parameters to String; plain values keep their own type', async () => {
  const sql = 'SELECT $1, $2 + 1';
  const types = typeParameters(parse(sql), sql, catalog());
  assert.deepEqual(types.inferred, [null, 'Integer']);
  const prepared = types.bind([5, '41'])!;
  assert.deepEqual([prepared.valueOf(0), prepared.valueOf(1)], ['5', 41]);
  assert.deepEqual(await collect(planQuery(sql, catalog(), [5, '41']).rows({})), [[5, 42]]);
});

test('$n values by array or object ("$1" or "1"); ? values by array or object ("0"); @name case-insensitively', async () => {
  const sql = 'SELECT Id FROM Sessions WHERE Status = $1 AND AmountTotal > $2 ORDER BY Id';
  const expected = [['cs_2'], ['cs_5']];
  for (const values of [['complete', 100], { $1: 'complete', $2: 100 }, { 1: 'complete', 2: 100 }] as ParamValues[]) {
    assert.deepEqual(await collect(planQuery(sql, catalog(), values).rows({})), expected);
  }
  assert.deepEqual(await collect(planQuery('SELECT Id FROM Sessions WHERE Status = ? AND Email = @EMAIL', catalog(), { 0: 'open', email: 'D@x.com' }).rows({})), [['cs_4']]);
});

test('mixing $n with ? is an error at the first placeholder of the other style', () => {
  assertSqlError(planWith('SELECT Id FROM Sessions\nWHERE Status = $1 AND Id = ?', ['a', 'b']), /^Cannot mix \? with \$n parameters in one statement/, 28, 2);
  assertSqlError(planWith('SELECT ?, $1', ['a']), /^Cannot mix \$n with \? parameters/, 11);
  assertSqlError(planWith('SELECT $0'), 'Parameter $0 is out of range: parameters are numbered $1 to $65535', 8);
  assertSqlError(planWith('SELECT $1abc'), "Invalid parameter '$1abc': write $ and a number, such as $1", 8);
});

test('more positional values than parameters is an error; so are missing values, each named', () => {
  assertSqlError(planWith('SELECT Id FROM Sessions WHERE Status = ?', ['open', 'extra']), '2 values given but the statement has 1 (?1)', 40);
  assertSqlError(planWith('SELECT Id FROM Sessions', ['open']), '1 values given but the statement has no positional parameters', 1);
  assertSqlError(planWith('SELECT $1 FROM Sessions', { $2: 'x', $1: 'y' }), 'A value is given for parameter $2 but the statement has 1 ($1)', 8);
  assertSqlError(planWith('SELECT Id FROM Sessions WHERE Status = $1 AND Id = $2 AND Email = $3', ['open']), 'No value given for parameters $2, $3', 52);
  assertSqlError(planWith('SELECT Id FROM Sessions WHERE Status = @status', {}), 'No value given for parameter @status', 40);
  // Names are not positions: an object may carry more names than the statement uses.
  assert.doesNotThrow(planWith('SELECT Id FROM Sessions WHERE Status = @status', { status: 'open', other: 1 }));
});

test('a value that is not of its parameter\'s type is an error naming the parameter, at its position', () => {
  assertSqlError(planWith('SELECT Id FROM Sessions WHERE AmountTotal > $1', ['many']), "Parameter $1 must be an Integer, not 'many'", 45);
  assertSqlError(planWith('SELECT Id FROM Sessions WHERE AmountTotal > ?', [1.5]), 'Parameter ?1 must be an Integer, not 1.5', 45);
  assertSqlError(planWith('SELECT Id FROM Sessions WHERE Created > @since', { since: 'yesterday' }), "Parameter @since must be a Datetime, not 'yesterday'", 41);
  assertSqlError(planWith('SELECT Id FROM Sessions WHERE Livemode = $1', [{ live: true }]), 'Parameter $1 has an unsupported type (object)', 42);
});
