import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqlError } from '../src/sql/errors.js';
import { findScalarFunction, functionNames } from '../src/engine/functions.js';
import { parseJsonPath } from '../src/engine/functions/json.js';
import type { Column, SqlValue } from '../src/engine/table.js';
import { catalogOf, memoryTable, planQuery, runQuery, scalar } from './support/engine-runner.js';
import { numericValue } from './support/numeric-text.js';

const utc = (iso: string): Date => new Date(iso);

async function expectValues(cases: [string, SqlValue][]): Promise<void> {
  for (const [expression, expected] of cases) {
    // An exact decimal (Numeric) is compared by its text, every digit as PostgreSQL prints it.
    assert.deepEqual(numericValue(await scalar(expression)), expected, expression);
  }
}

function call(name: string, ...args: SqlValue[]): SqlValue {
  const fn = findScalarFunction(name);
  assert.ok(fn, `function ${name} is registered`);
  return fn.call(args);
}

const columns: Column[] = [
  { name: 'Id', type: 'String' },
  { name: 'Name', type: 'String' },
  { name: 'Amount', type: 'Integer' },
  { name: 'Rate', type: 'Double' },
  { name: 'Created', type: 'Datetime' },
  { name: 'Meta', type: 'String' },
];
const rows: SqlValue[][] = [
  ['a', '  Alice ', 1250, 2.5, utc('2024-01-31T10:30:00Z'), '{"plan":{"tier":"gold","seats":[3,5]},"ok":true}'],
  ['b', 'bob', -7, -0.5, utc('2024-12-31T23:59:59Z'), '{"plan":null}'],
  ['c', null, null, null, null, 'not json'],
];
const catalog = () => catalogOf(memoryTable('T', columns, rows));

describe('string functions', () => {
  it('UPPER, LOWER, LENGTH and LEN', async () => {
    await expectValues([
      ["UPPER('aBc')", 'ABC'],
      ["LOWER('aBc')", 'abc'],
      ['UPPER(NULL)', null],
      ["LENGTH('ab  ')", 4],
      ["LEN('ab  ')", 2],
      ["LEN('  ab')", 4],
      ["LENGTH('')", 0],
      ["LENGTH('a😀b')", 3],
      ['LENGTH(NULL)', null],
      ['LENGTH(12345)', 5],
    ]);
  });

  it('TRIM, LTRIM and RTRIM remove spaces only, or the characters given', async () => {
    await expectValues([
      ["TRIM('  a b  ')", 'a b'],
      ["LTRIM('  a  ')", 'a  '],
      ["RTRIM('  a  ')", '  a'],
      ["TRIM('\ta\t')", '\ta\t'],
      ["TRIM('xxaxyx', 'xy')", 'a'],
      ["LTRIM('--a-', '-')", 'a-'],
      ["RTRIM('a]]', ']')", 'a'],
      ["TRIM('abc', '')", 'abc'],
      ['TRIM(NULL)', null],
      ["TRIM('a', NULL)", null],
    ]);
  });

  it('SUBSTRING counts from 1 and lets a start before 1 eat into the length', async () => {
    await expectValues([
      ["SUBSTRING('hello', 2, 3)", 'ell'],
      ["SUBSTRING('hello', 2)", 'ello'],
      ["SUBSTRING('hello', 0, 3)", 'he'],
      ["SUBSTRING('hello', -5, 3)", ''],
      ["SUBSTRING('hello', 4, 100)", 'lo'],
      ["SUBSTRING('hello', 9, 2)", ''],
      ["SUBSTRING('hello', 1, 0)", ''],
      ["SUBSTRING('hello', 1, -1)", null],
      ["SUBSTRING('a😀bc', 2, 2)", '😀b'],
      ["SUBSTR('hello', 2, 2)", 'el'],
      ['SUBSTRING(NULL, 1, 2)', null],
      ["SUBSTRING('hello', NULL, 2)", null],
      ["SUBSTRING('hello', 2, NULL)", null],
      ["SUBSTRING('hello', 2.9, 2)", 'el'],
    ]);
  });

  it('LEFT and RIGHT take characters from either end', () => {
    // LEFT and RIGHT are reserved words (joins), so the parser does not read `LEFT(` as a call
    // yet; the registry is tested directly.
    assert.equal(call('LEFT', 'hello', 2), 'he');
    assert.equal(call('RIGHT', 'hello', 2), 'lo');
    assert.equal(call('LEFT', 'hello', 0), '');
    assert.equal(call('RIGHT', 'hello', 10), 'hello');
    assert.equal(call('LEFT', 'a😀b', 2), 'a😀');
    assert.equal(call('RIGHT', 'a😀b', 2), '😀b');
    assert.equal(call('LEFT', 'hello', -1), null);
    assert.equal(call('RIGHT', null, 1), null);
    assert.equal(call('LEFT', 'hello', null), null);
  });

  it('REPLACE replaces every occurrence and leaves text alone for an empty search', async () => {
    await expectValues([
      ["REPLACE('a.b.c', '.', '::')", 'a::b::c'],
      ["REPLACE('aaa', 'aa', 'b')", 'ba'],
      ["REPLACE('abc', '', 'x')", 'abc'],
      ["REPLACE('abc', 'B', 'x')", 'abc'],
      ["REPLACE('a$b', '$', '$$')", 'a$$b'],
      ["REPLACE(NULL, 'a', 'b')", null],
      ["REPLACE('abc', 'a', NULL)", null],
    ]);
  });

  it('CONCAT treats NULL as empty text and converts other values', async () => {
    await expectValues([
      ["CONCAT('a', 'b', 'c')", 'abc'],
      ["CONCAT('a', NULL, 'c')", 'ac'],
      ['CONCAT(NULL, NULL)', ''],
      ["CONCAT('n', 42, 1.5, TRUE)", 'n421.5true'],
    ]);
  });

  it('CHARINDEX finds 1-based positions, from an optional start, case-sensitively', async () => {
    await expectValues([
      ["CHARINDEX('l', 'hello')", 3],
      ["CHARINDEX('l', 'hello', 4)", 4],
      ["CHARINDEX('l', 'hello', 5)", 0],
      ["CHARINDEX('L', 'hello')", 0],
      ["CHARINDEX('lo', 'hello', -3)", 4],
      ["CHARINDEX('', 'hello')", 0],
      ["CHARINDEX('b', '😀ab')", 3],
      ["CHARINDEX(NULL, 'hello')", null],
      ["CHARINDEX('h', NULL)", null],
    ]);
  });

  it('evaluates per row over a table, NULL rows included', async () => {
    const result = await runQuery("SELECT UPPER(TRIM(Name)), LENGTH(Name), CONCAT(Id, '-', Name) FROM T", catalog());
    assert.deepEqual(result, [
      ['ALICE', 8, 'a-  Alice '],
      ['BOB', 3, 'b-bob'],
      [null, null, 'c-'],
    ]);
  });
});

describe('math functions', () => {
  it('ABS, SIGN, FLOOR and CEILING', async () => {
    await expectValues([
      ['ABS(-3)', 3],
      ['ABS(2.5)', '2.5'],
      ["ABS('-4')", 4],
      ["ABS('x')", null],
      ['SIGN(-3.5)', '-1'],
      ['SIGN(0)', 0],
      ['SIGN(7)', 1],
      ['FLOOR(2.7)', '2'],
      ['FLOOR(-2.1)', '-3'],
      ['CEILING(2.1)', '3'],
      ['CEIL(-2.7)', '-2'],
      ['FLOOR(2.7::float8)', 2],
      ['FLOOR(NULL)', null],
    ]);
    assert.ok(Object.is(await scalar('CEILING(-0.5::float8)'), 0), 'no negative zero');
    assert.equal(String(await scalar('CEILING(-0.5)')), '0');
  });

  it('ROUND rounds half away from zero, to decimals or to tens', async () => {
    await expectValues([
      // Decimal literals are exact numerics: rounded exactly, to the scale asked for, as PostgreSQL does.
      ['ROUND(2.5)', '3'],
      ['ROUND(-2.5)', '-3'],
      ['ROUND(2.675, 2)', '2.68'],
      ['ROUND(1.005, 2)', '1.01'],
      ['ROUND(1234.5678, 1)', '1234.6'],
      ['ROUND(1250, -2)', 1300],
      ['ROUND(-1250, -2)', -1300],
      ['ROUND(0.000001234, 8)', '0.00000123'],
      ['ROUND(1.5, 4)', '1.5000'],
      ['ROUND(100000000000000000000, 2)', '100000000000000000000.00'],
      ['ROUND(123456789012345680000, -3)', '123456789012345680000'],
      ['ROUND(5, -400)', 0],
      ['ROUND(1e-300, 2)', '0.00'],
      // Doubles round on their decimal text, half away from zero.
      ['ROUND(2.675::float8, 2)', 2.68],
      ['ROUND(1.005::float8, 2)', 1.01],
      ['ROUND(1.5::float8, 400)', 1.5],
      ['ROUND(1e20::float8, 2)', 1e20],
      ['ROUND(1e-300::float8, 2)', 0],
      ['ROUND(NULL, 1)', null],
      ['ROUND(1.5, NULL)', null],
    ]);
  });

  it('POWER, SQRT, EXP, LN, LOG10 and PI give NULL where the result is not a number', async () => {
    await expectValues([
      ['POWER(2, 10)', 1024],
      ['POWER(2, -1)', 0.5],
      ['POWER(-8, 0.5)', null],
      ['POWER(0, -1)', null],
      ['POWER(10, 400)', null],
      ['SQRT(16)', 4],
      ['SQRT(-1)', null],
      ['EXP(0)', 1],
      ['LN(1)', 0],
      ['LN(0)', null],
      ['LOG10(1000)', 3],
      ['PI()', Math.PI],
    ]);
  });

  it('MOD follows the sign of the dividend and is NULL for a zero divisor', async () => {
    await expectValues([
      ['MOD(7, 3)', 1],
      ['MOD(-7, 3)', -1],
      ['MOD(7, -3)', 1],
      ['MOD(7.5, 2)', 1.5],
      ['MOD(7, 0)', null],
      ['MOD(NULL, 2)', null],
    ]);
  });

  it('keeps integer result types for integer arguments', () => {
    const plan = planQuery('SELECT ABS(Amount), ROUND(Amount, -1), FLOOR(Rate), MOD(Amount, 3), MOD(Rate, 2), SQRT(Amount), SIGN(Amount) FROM T', catalog());
    assert.deepEqual(
      plan.columns.map((c) => c.type),
      ['Integer', 'Integer', 'Double', 'Integer', 'Double', 'Double', 'Integer'],
    );
  });

  it('evaluates per row over a table', async () => {
    const result = await runQuery('SELECT ABS(Amount), ROUND(Rate), MOD(Amount, 5), POWER(Rate, 2) FROM T', catalog());
    assert.deepEqual(result, [
      [1250, 3, 0, 6.25],
      [7, -1, -2, 0.25],
      [null, null, null, null],
    ]);
  });
});

describe('date functions', () => {
  it('NOW, GETDATE and CURRENT_TIMESTAMP give the current instant, once per statement', async () => {
    const before = Date.now();
    const result = await runQuery('SELECT NOW(), GETDATE(), CURRENT_TIMESTAMP(), GETUTCDATE() FROM T', catalog());
    const after = Date.now();
    assert.equal(result.length, 3);
    const first = result[0]![0] as Date;
    assert.ok(first instanceof Date);
    assert.ok(first.getTime() >= before && first.getTime() <= after);
    for (const row of result) for (const value of row) assert.equal((value as Date).getTime(), first.getTime());
  });

  it('YEAR, MONTH and DAY read the UTC calendar', async () => {
    await expectValues([
      ["YEAR('2024-03-05T23:30:00-02:00')", 2024],
      ["MONTH('2024-03-05T23:30:00-02:00')", 3],
      ["DAY('2024-03-05T23:30:00-02:00')", 6],
      ['YEAR(NULL)', null],
      ["YEAR('not a date')", null],
      ['YEAR(42)', null],
    ]);
  });

  it('DATEADD adds parts, clamping to the end of the month', async () => {
    await expectValues([
      ["DATEADD('day', 1, '2024-02-28')", utc('2024-02-29T00:00:00Z')],
      ["DATEADD('month', 1, '2024-01-31 10:30:00')", utc('2024-02-29T10:30:00Z')],
      ["DATEADD('month', -1, '2024-03-31')", utc('2024-02-29T00:00:00Z')],
      ["DATEADD('year', 1, '2024-02-29')", utc('2025-02-28T00:00:00Z')],
      ["DATEADD('quarter', 1, '2024-11-15')", utc('2025-02-15T00:00:00Z')],
      ["DATEADD('week', -2, '2024-01-10')", utc('2023-12-27T00:00:00Z')],
      ["DATEADD('hh', 25, '2024-01-01')", utc('2024-01-02T01:00:00Z')],
      ["DATEADD('mi', 90, '2024-01-01')", utc('2024-01-01T01:30:00Z')],
      ["DATEADD('ss', -1, '2024-01-01')", utc('2023-12-31T23:59:59Z')],
      ["DATEADD('ms', 5, '2024-01-01')", utc('2024-01-01T00:00:00.005Z')],
      ["DATEADD('day', 1.9, '2024-01-01')", utc('2024-01-02T00:00:00Z')],
      ["DATEADD('fortnight', 1, '2024-01-01')", null],
      ["DATEADD('day', NULL, '2024-01-01')", null],
      ["DATEADD('day', 1, NULL)", null],
    ]);
  });

  it('DATEDIFF counts boundaries crossed, as SQL Server does', async () => {
    await expectValues([
      ["DATEDIFF('year', '2024-12-31', '2025-01-01')", 1],
      ["DATEDIFF('year', '2025-01-01', '2024-12-31')", -1],
      ["DATEDIFF('quarter', '2024-03-31', '2024-04-01')", 1],
      ["DATEDIFF('month', '2024-01-31', '2024-02-01')", 1],
      ["DATEDIFF('day', '2024-01-01 23:59', '2024-01-02 00:01')", 1],
      ["DATEDIFF('day', '2024-01-01', '2024-03-01')", 60],
      // 2024-01-06 is a Saturday, 2024-01-07 a Sunday: a new week starts.
      ["DATEDIFF('week', '2024-01-06', '2024-01-07')", 1],
      ["DATEDIFF('week', '2024-01-07', '2024-01-13')", 0],
      ["DATEDIFF('hour', '2024-01-01 10:59', '2024-01-01 11:00')", 1],
      ["DATEDIFF('minute', '2024-01-01 10:00:59', '2024-01-01 10:01:00')", 1],
      ["DATEDIFF('second', '2024-01-01 10:00:00', '2024-01-01 10:01:00')", 60],
      ["DATEDIFF('millisecond', '2024-01-01 10:00:00', '2024-01-01 10:00:01.250')", 1250],
      ["DATEDIFF('day', '1969-12-31 23:00', '1970-01-01 01:00')", 1],
      ["DATEDIFF('bogus', '2024-01-01', '2024-01-02')", null],
      ["DATEDIFF('day', NULL, '2024-01-02')", null],
    ]);
  });

  it('DATEPART reads every part', async () => {
    const d = "'2024-01-07 13:45:30.250'"; // a Sunday
    await expectValues([
      [`DATEPART('year', ${d})`, 2024],
      [`DATEPART('yy', ${d})`, 2024],
      [`DATEPART('quarter', ${d})`, 1],
      [`DATEPART('month', ${d})`, 1],
      [`DATEPART('dayofyear', ${d})`, 7],
      [`DATEPART('day', ${d})`, 7],
      [`DATEPART('week', ${d})`, 2],
      [`DATEPART('week', '2024-01-06')`, 1],
      [`DATEPART('iso_week', ${d})`, 1],
      [`DATEPART('iso_week', '2021-01-03')`, 53],
      [`DATEPART('weekday', ${d})`, 1],
      [`DATEPART('dw', '2024-01-06')`, 7],
      [`DATEPART('hour', ${d})`, 13],
      [`DATEPART('minute', ${d})`, 45],
      [`DATEPART('second', ${d})`, 30],
      [`DATEPART('millisecond', ${d})`, 250],
      [`DATEPART('DAY', ${d})`, 7],
      [`DATEPART('nope', ${d})`, null],
      // Names an object has but no part: not a part (once the object's own function).
      [`DATEPART('constructor', ${d})`, null],
      [`DATEPART('toString', ${d})`, null],
      ['DATEPART(NULL, NOW())', null],
    ]);
  });

  it('DATEPART on every row reads the part its row names', async () => {
    // The part is looked up once per name, not per row: rows alternating names must each get theirs.
    const rows = await runQuery(
      "SELECT DATEPART(v.p, '2024-03-05 10:20:30'), DATEPART('hour', '2024-03-05 10:20:30') FROM (VALUES ('month'), ('MINUTE'), ('month'), ('bogus'), (' dd ')) AS v(p)",
      catalogOf(),
    );
    assert.deepEqual(rows, [[3, 10], [20, 10], [3, 10], [null, 10], [5, 10]]);
  });

  it('DATE_TRUNC truncates to the start of the period (weeks from Monday); DATETRUNC from Sunday', async () => {
    const d = "'2024-05-19 13:45:30.250'"; // a Sunday
    await expectValues([
      [`DATE_TRUNC('year', ${d})`, utc('2024-01-01T00:00:00Z')],
      [`DATE_TRUNC('quarter', ${d})`, utc('2024-04-01T00:00:00Z')],
      [`DATE_TRUNC('month', ${d})`, utc('2024-05-01T00:00:00Z')],
      [`DATE_TRUNC('week', ${d})`, utc('2024-05-13T00:00:00Z')],
      [`DATETRUNC('week', ${d})`, utc('2024-05-19T00:00:00Z')],
      [`DATE_TRUNC('day', ${d})`, utc('2024-05-19T00:00:00Z')],
      [`DATE_TRUNC('hour', ${d})`, utc('2024-05-19T13:00:00Z')],
      [`DATE_TRUNC('minute', ${d})`, utc('2024-05-19T13:45:00Z')],
      [`DATE_TRUNC('second', ${d})`, utc('2024-05-19T13:45:30Z')],
      [`DATE_TRUNC('weekday', ${d})`, null],
      [`DATE_TRUNC('day', NULL)`, null],
      [`DATE_TRUNC('day', '1969-12-31 23:00')`, utc('1969-12-31T00:00:00Z')],
    ]);
  });

  it('declares date parts as keyword arguments so a bare part name can be bound as text', () => {
    for (const name of ['DATEADD', 'DATEDIFF', 'DATEPART', 'DATE_TRUNC', 'DATETRUNC']) {
      assert.deepEqual(findScalarFunction(name)?.keywordArgs, [0], name);
    }
    assert.equal(findScalarFunction('YEAR')?.keywordArgs, undefined);
  });

  it('evaluates per row over a Datetime column', async () => {
    const result = await runQuery("SELECT DATEADD('month', 1, Created), DATEDIFF('day', Created, '2025-01-01'), YEAR(Created) FROM T", catalog());
    assert.deepEqual(result, [
      [utc('2024-02-29T10:30:00Z'), 336, 2024],
      [utc('2025-01-31T23:59:59Z'), 1, 2024],
      [null, null, null],
    ]);
  });
});

describe('JSON_EXTRACT', () => {
  it('returns scalars as values and objects or arrays as JSON text', async () => {
    const result = await runQuery(
      "SELECT JSON_EXTRACT(Meta, '$.plan.tier'), JSON_EXTRACT(Meta, '$.plan.seats[1]'), JSON_EXTRACT(Meta, '$.ok'), JSON_EXTRACT(Meta, '$.plan.seats'), JSON_EXTRACT(Meta, '$.plan') FROM T",
      catalog(),
    );
    assert.deepEqual(result, [
      ['gold', 5, true, '[3,5]', '{"tier":"gold","seats":[3,5]}'],
      [null, null, null, null, null],
      [null, null, null, null, null],
    ]);
  });

  it('gives NULL for missing members, wrong kinds, bad paths and NULL input', async () => {
    const doc = `'{"a":{"b c":[10,{"d":"x"}]},"n":null,"s":"str"}'`;
    await expectValues([
      [`JSON_EXTRACT(${doc}, '$.a["b c"][1].d')`, 'x'],
      [`JSON_EXTRACT(${doc}, '$.a.\"b c\"[0]')`, 10],
      [`JSON_EXTRACT(${doc}, '$.a[''b c''][0]')`, 10],
      [`JSON_EXTRACT(${doc}, '$.missing')`, null],
      [`JSON_EXTRACT(${doc}, '$.a["b c"][5]')`, null],
      [`JSON_EXTRACT(${doc}, '$.n')`, null],
      [`JSON_EXTRACT(${doc}, '$.s.length')`, null],
      [`JSON_EXTRACT(${doc}, '$.a[0]')`, null],
      [`JSON_EXTRACT(${doc}, 'a.b')`, null],
      [`JSON_EXTRACT(${doc}, '$.a.')`, null],
      [`JSON_EXTRACT(${doc}, '$')`, '{"a":{"b c":[10,{"d":"x"}]},"n":null,"s":"str"}'],
      [`JSON_EXTRACT('[1,2]', '$[0]')`, 1],
      [`JSON_EXTRACT('{bad', '$.a')`, null],
      [`JSON_EXTRACT(NULL, '$.a')`, null],
      [`JSON_EXTRACT(${doc}, NULL)`, null],
    ]);
  });

  it('parses paths into steps', () => {
    assert.deepEqual(parseJsonPath("$.a[0]['b']"), ['a', 0, 'b']);
    assert.deepEqual(parseJsonPath('$'), []);
    assert.equal(parseJsonPath('$[x]'), null);
    assert.equal(parseJsonPath('.a'), null);
  });
});

describe('type and NULL functions', () => {
  it('ISNULL, COALESCE and NULLIF', async () => {
    await expectValues([
      ["ISNULL(NULL, 'x')", 'x'],
      ["ISNULL('a', 'x')", 'a'],
      ['ISNULL(NULL, NULL)', null],
      ['COALESCE(NULL, NULL, 3)', 3],
      ['COALESCE(NULL)', null],
      ['NULLIF(1, 1)', null],
      ['NULLIF(1, 2)', 1],
    ]);
  });

  it('ISNUMERIC is 1 for numbers and numeric text, else 0 (NULL included)', async () => {
    await expectValues([
      ['ISNUMERIC(12)', 1],
      ["ISNUMERIC(' -1.5e3 ')", 1],
      ["ISNUMERIC('12a')", 0],
      ["ISNUMERIC('')", 0],
      ['ISNUMERIC(NULL)', 0],
      ['ISNUMERIC(TRUE)', 0],
    ]);
  });

  it('TYPEOF names the run-time type of the value', async () => {
    await expectValues([
      ['TYPEOF(1)', 'Integer'],
      ['TYPEOF(1.5)', 'Decimal'],
      ['TYPEOF(1.5::float8)', 'Double'],
      ['TYPEOF(9223372036854775807)', 'Long'],
      ['TYPEOF(3000000000)', 'Long'],
      ["TYPEOF('a')", 'String'],
      ['TYPEOF(FALSE)', 'Boolean'],
      ['TYPEOF(NOW())', 'Datetime'],
      ['TYPEOF(NULL)', 'Null'],
    ]);
  });
});

describe('function calls the binder rejects', () => {
  const rejects = (sql: string, message: RegExp): void => {
    assert.throws(() => planQuery(sql, catalog()), (error: unknown) => {
      assert.ok(error instanceof SqlError, `SqlError for ${sql}`);
      assert.match(error.reason, message);
      return true;
    });
  };

  it('reports a wrong number of arguments at the call', () => {
    rejects('SELECT UPPER() FROM T', /^UPPER takes 1 argument, got 0$/);
    rejects("SELECT SUBSTRING('a') FROM T", /^SUBSTRING takes 2 to 3 arguments, got 1$/);
    rejects("SELECT DATEADD('day', 1) FROM T", /^DATEADD takes 3 arguments, got 2$/);
    rejects('SELECT NOW(1) FROM T', /^NOW takes 0 arguments, got 1$/);
    rejects("SELECT REPLACE('a', 'b') FROM T", /^REPLACE takes 3 arguments, got 2$/);
    rejects("SELECT JSON_EXTRACT('{}') FROM T", /^JSON_EXTRACT takes 2 arguments, got 1$/);
    rejects('SELECT CONCAT() FROM T', /^CONCAT takes at least 1 argument/);
  });

  it('reports an unknown function with a suggestion', () => {
    rejects("SELECT UPPPER('a') FROM T", /^Unknown function UPPPER \(did you mean UPPER\?\)$/);
    const sql = "SELECT Id FROM T WHERE DATEDIF('day', Created, NOW()) > 1";
    try {
      planQuery(sql, catalog());
      assert.fail('expected a SqlError');
    } catch (error) {
      assert.ok(error instanceof SqlError);
      assert.equal(error.column, sql.indexOf('DATEDIF') + 1);
    }
  });

  it('registers each name once, all upper case', () => {
    const names = functionNames();
    assert.equal(new Set(names).size, names.length);
    for (const name of names) assert.equal(name, name.toUpperCase());
    for (const name of ['LEN', 'CHARINDEX', 'CEILING', 'GETDATE', 'DATEDIFF', 'JSON_EXTRACT', 'ISNUMERIC', 'TYPEOF']) {
      assert.ok(names.includes(name), name);
    }
  });
});
