import assert from 'node:assert/strict';
import { test } from 'node:test';
import { likeMatcher } from '../src/engine/like.js';
import { and3, coerceToType, compareValues, not3, or3, parseDatetime, parseNumber } from '../src/engine/values.js';
import { querySessions } from './engine-fixtures.js';
import { numericText } from './support/numeric-text.js';

test('AND / OR / NOT follow the SQL truth tables', () => {
  const values = [true, false, null] as const;
  const andTable = [
    [true, false, null],
    [false, false, false],
    [null, false, null],
  ];
  const orTable = [
    [true, true, true],
    [true, false, null],
    [true, null, null],
  ];
  values.forEach((a, i) =>
    values.forEach((b, j) => {
      assert.equal(and3(a, b), andTable[i]![j], `${a} AND ${b}`);
      assert.equal(or3(a, b), orTable[i]![j], `${a} OR ${b}`);
    }),
  );
  assert.deepEqual(values.map(not3), [false, true, null]);
});

test('3VL through SQL: comparisons with NULL are NULL, WHERE keeps only TRUE', async () => {
  const rows = await querySessions(
    'SELECT 1 = NULL, NULL AND FALSE, NULL OR TRUE, NOT (NULL = 1), 2 IN (1, NULL), 1 IN (1, NULL), 3 NOT IN (1, NULL), 1 NOT IN (2, 3)',
  );
  assert.deepEqual(rows, [[null, false, true, null, null, true, null, true]]);
  // AmountTotal is NULL for cs_3: neither `> 0` nor `NOT (> 0)` keeps it.
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions WHERE NOT (AmountTotal > 1000)'), [['cs_4']]);
  assert.deepEqual(await querySessions('SELECT Id FROM Sessions WHERE AmountTotal NOT IN (5000, NULL)'), []);
});

test('datetime literals parse as UTC in every accepted format', () => {
  const expected = Date.UTC(2024, 0, 18, 2, 16, 47);
  assert.equal(parseDatetime('2024-01-18')?.getTime(), Date.UTC(2024, 0, 18));
  assert.equal(parseDatetime('2024-01-18 02:16:47')?.getTime(), expected);
  assert.equal(parseDatetime('2024-01-18 02:16:47.0')?.getTime(), expected);
  assert.equal(parseDatetime('2024-01-18T02:16:47Z')?.getTime(), expected);
  assert.equal(parseDatetime('2024-01-18T02:16:47.250Z')?.getTime(), expected + 250);
  assert.equal(parseDatetime('2024-01-18T04:16:47+02:00')?.getTime(), expected);
  for (const bad of ['yesterday', '2024-02-30', '2024-13-01', '2024-1-1', '']) assert.equal(parseDatetime(bad), null, bad);
});

test('comparison coercion: the string side is parsed as the other side; failures are NULL', () => {
  assert.equal(compareValues(new Date('2024-01-18T00:00:00Z'), '2024-01-18'), 0);
  assert.ok(compareValues('2024-01-17', new Date('2024-01-18T00:00:00Z'))! < 0);
  assert.equal(compareValues(10, '10.0'), 0);
  assert.ok(compareValues('9', 10)! < 0);
  assert.equal(compareValues(true, 'TRUE'), 0);
  assert.equal(compareValues(5, 'five'), null);
  assert.equal(compareValues(new Date(0), 'soon'), null);
  assert.equal(compareValues(5, true), null);
  assert.equal(compareValues(null, null), null);
  // Case-sensitive, by code unit: 'B' (66) < 'a' (97).
  assert.ok(compareValues('B', 'a')! < 0);
  assert.equal(parseNumber(' 1e3 '), 1000);
  assert.equal(parseNumber('1,000'), null);
});

test('coercion to column types for storing and comparing', () => {
  assert.equal(coerceToType('true', 'Boolean', 'store'), true);
  assert.equal(coerceToType(0, 'Boolean', 'store'), false);
  assert.equal(coerceToType(2, 'Boolean', 'store'), undefined);
  assert.equal(coerceToType('42', 'Integer', 'store'), 42);
  assert.equal(coerceToType(4.5, 'Integer', 'store'), undefined);
  assert.equal(coerceToType(4.5, 'Integer', 'compare'), 4.5);
  assert.equal(coerceToType('4.5', 'Double', 'store'), 4.5);
  assert.equal(coerceToType('x', 'Decimal', 'store'), undefined);
  assert.equal(coerceToType(12, 'String', 'store'), '12');
  assert.equal((coerceToType('2024-01-18', 'Datetime', 'store') as Date).toISOString(), '2024-01-18T00:00:00.000Z');
  assert.equal(coerceToType(1705544207, 'Datetime', 'store'), undefined);
  assert.equal(coerceToType(null, 'Integer', 'store'), null);
});

test('LIKE: % and _, case-sensitive, with ESCAPE', async () => {
  assert.equal(likeMatcher('a%c')('abbbc'), true);
  assert.equal(likeMatcher('a_c')('abbc'), false);
  assert.equal(likeMatcher('A%')('abc'), false);
  assert.equal(likeMatcher('100!%', '!')('100%'), true);
  assert.equal(likeMatcher('100!%', '!')('1000'), false);
  assert.equal(likeMatcher('a.c')('abc'), false);
  const rows = await querySessions(
    "SELECT 'a_b' LIKE 'a!_b' ESCAPE '!', 'axb' LIKE 'a!_b' ESCAPE '!', 'x' NOT LIKE 'y%', NULL LIKE '%'",
  );
  assert.deepEqual(rows, [[true, false, true, null]]);
  assert.deepEqual(await querySessions("SELECT Id FROM Sessions WHERE Email LIKE '%@x.com' AND Email NOT LIKE 'D%'"), [
    ['cs_1'],
    ['cs_3'],
    ['cs_5'],
  ]);
});

test('arithmetic: integers stay integral, division by zero is NULL, || concatenates', async () => {
  const rows = await querySessions("SELECT 7 / 2, -7 / 2, 7.5 / 2, 7 % 3, 1 / 0, 5 % 0, 'a' || 'b', 'a' || NULL, 2 + '3', -(4)");
  assert.deepEqual(numericText(rows), [[3, -3, '3.7500000000000000', 1, null, null, 'ab', null, 5, -4]]);
});
