// CAST of text that does not spell a value of the target type is an error, as in PostgreSQL,
// whether the text is a constant (raised while planning, before any request, at the constant)
// or read from a row (raised while rows are read, at the CAST); TRY_CAST gives NULL instead.

import assert from 'node:assert/strict';
import test from 'node:test';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, planQuery, querySessions, sessions } from './engine-fixtures.js';

const noTables = catalogOf();

async function one(expression: string): Promise<unknown> {
  const rows = await querySessions(`SELECT ${expression}`);
  return rows[0]![0];
}

/** Asserts that running `sql` raises a SqlError with `reason` at `column`: the CAST, or as PostgreSQL the constant it could not convert. */
async function castError(sql: string, reason: string | RegExp, column: number): Promise<void> {
  await assert.rejects(querySessions(sql), (e: unknown) => {
    assert.ok(e instanceof SqlError, `expected a SqlError, got ${String(e)}`);
    if (typeof reason === 'string') assert.equal(e.reason, reason);
    else assert.match(e.reason, reason);
    assert.equal(e.line, 1);
    assert.equal(e.column, column);
    assert.equal(e.excerpt, `${sql}\n${' '.repeat(column - 1)}^`);
    return true;
  });
}

test('text that is not a number, boolean or datetime is an error at the constant, not NULL', async () => {
  // The columns are PostgreSQL's error positions for the same statements: the literal's.
  await castError("SELECT CAST('abc' AS INTEGER)", 'Invalid input syntax for type INTEGER: "abc"', 13);
  await castError("SELECT 1, CAST('abc' AS BIGINT)", 'Invalid input syntax for type BIGINT: "abc"', 16);
  await castError("SELECT CAST('1.5' AS INT)", 'Invalid input syntax for type INT: "1.5"', 13);
  await castError("SELECT CAST('' AS INT)", 'Invalid input syntax for type INT: ""', 13);
  await castError("SELECT CAST('12x' AS DECIMAL(10, 2))", 'Invalid input syntax for type DECIMAL(10, 2): "12x"', 13);
  await castError("SELECT CAST('x' AS FLOAT)", 'Invalid input syntax for type FLOAT: "x"', 13);
  await castError("SELECT CAST('maybe' AS BOOLEAN)", 'Invalid input syntax for type BOOLEAN: "maybe"', 13);
  await castError("SELECT CAST('2024-13-01' AS DATETIME)", 'Invalid input syntax for type DATETIME: "2024-13-01"', 13);
  await castError("SELECT CAST('soon' AS DATE)", 'Invalid input syntax for type DATE: "soon"', 13);
  await castError("SELECT CAST('3000000000' AS INTEGER)", 'Value 3000000000 is out of range for type INTEGER', 13);
  await castError('SELECT CAST(3000000000.0 AS INT)', 'Value 3000000000.0 is out of range for type INT', 13);
  // SMALLINT is an Integer in the engine, cast within PostgreSQL's int2 range.
  await castError('SELECT CAST(32768 AS SMALLINT)', 'Value 32768 is out of range for type SMALLINT', 13);
  await castError("SELECT '-32769'::int2", 'Value -32769 is out of range for type INT2', 8);
});

test('a value read from a row that does not convert stops the query at the CAST', async () => {
  await castError('SELECT Id, CAST(Status AS INTEGER) FROM Sessions', 'Invalid input syntax for type INTEGER: "open"', 12);
  await castError("SELECT Id FROM Sessions WHERE CAST(Email AS BOOLEAN) OR Id = 'x'", 'Invalid input syntax for type BOOLEAN: "a@x.com"', 31);
  // Only rows that reach the CAST count: the one with a number passes.
  assert.deepEqual(await querySessions("SELECT CAST(Id AS INT) FROM Sessions WHERE Id = 'cs_1' AND 1 = 0"), []);
  assert.deepEqual(await querySessions("SELECT CAST(SUBSTRING(Id, 4, 1) AS INT) FROM Sessions WHERE Id IN ('cs_1', 'cs_4')"), [[1], [4]]);
});

test('TRY_CAST gives NULL where CAST fails, and the value where it converts', async () => {
  assert.equal(await one("TRY_CAST('abc' AS INTEGER)"), null);
  assert.equal(await one("TRY_CAST('3000000000' AS INT)"), null);
  assert.equal(await one("try_cast(' 12 ' AS INT)"), 12);
  assert.deepEqual(await querySessions('SELECT TRY_CAST(Status AS INTEGER) FROM Sessions WHERE AmountTotal > 10000'), [[null], [null]]);
  assert.deepEqual(
    planQuery("SELECT Id FROM Sessions WHERE TRY_CAST(Status AS INT) IS NULL", catalogOf(sessions())).explain()[0],
    'Filter TRY_CAST(Status AS INT) IS NULL',
  );
});

test('what PostgreSQL reads as a number or boolean still converts', async () => {
  assert.equal(await one("CAST(' -12 ' AS INTEGER)"), -12);
  assert.equal(await one("CAST('+7' AS BIGINT)"), 7);
  assert.equal(await one("CAST('1e3' AS FLOAT)"), 1000);
  assert.equal(String(await one("CAST('2.345' AS DECIMAL(10, 2))")), '2.35');
  for (const [text, value] of [['t', true], ['YES', true], ['on', true], ['1', true], [' false ', false], ['n', false], ['off', false], ['0', false]] as const) {
    assert.equal(await one(`CAST('${text}' AS BOOLEAN)`), value, text);
  }
  assert.equal(await one('CAST(2.5 AS INTEGER)'), 3);
  assert.equal(await one('CAST(TRUE AS INT)'), 1);
});

test('a cast no value could pass is refused while planning', () => {
  for (const [sql, reason, column] of [
    ['SELECT CAST(Created AS INTEGER) FROM Sessions', 'Cannot cast Datetime to INTEGER', 8],
    ['SELECT CAST(Created AS BOOLEAN) FROM Sessions', 'Cannot cast Datetime to BOOLEAN', 8],
    ['SELECT CAST(AmountTotal AS DATETIME) FROM Sessions', 'Cannot cast Integer to DATETIME', 8],
    ['SELECT TRY_CAST(Livemode AS DATE) FROM Sessions', 'Cannot cast Boolean to DATE', 8],
  ] as const) {
    assert.throws(() => planQuery(sql, catalogOf(sessions())), (e: unknown) => e instanceof SqlError && e.reason === reason && e.column === column, sql);
  }
  assert.throws(() => planQuery("SELECT CAST('abc' AS INT)", noTables), (e: unknown) => e instanceof SqlError && e.column === 13);
});
