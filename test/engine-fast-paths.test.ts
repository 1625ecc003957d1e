import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileScanPredicate } from '../src/engine/predicates.js';
import { projector } from '../src/engine/operators/project.js';
import { combineTests } from '../src/engine/scan.js';
import type { Predicate, Row, SqlValue } from '../src/engine/table.js';
import { compareValues } from '../src/engine/values.js';

// The hot paths compare values of one kind inline instead of through compareValues. They must
// answer exactly as compareValues does, across kinds, NULL, NaN, infinities and coercion.

const values: SqlValue[] = [
  null, 0, -0, 1, -1, 2.5, -7.25, 1e300, Infinity, -Infinity, NaN, 42,
  '', 'a', 'A', 'abc', 'b', '42', ' 42 ', '2.5', 'true', 'FALSE', '2024-06-01', '2024-06-01T00:00:00Z', 'x%y',
  true, false,
  new Date(Date.UTC(2024, 5, 1)), new Date(Date.UTC(2023, 0, 1, 12, 30)), new Date(Number.NaN),
];
const ops = ['=', '<>', '<', '<=', '>', '>='] as const;
const truth: Record<(typeof ops)[number], (c: number) => boolean> = {
  '=': (c) => c === 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};
const show = (v: SqlValue | undefined): string => (v instanceof Date ? `Date(${v.getTime()})` : typeof v === 'string' ? `'${v}'` : String(v));

test('column op constant: the inline comparison answers as compareValues for every pair of kinds', () => {
  for (const constant of values) {
    if (constant === null) continue;
    for (const op of ops) {
      const predicate: Predicate = { id: 1, column: 'c', op, value: constant, text: 'c' };
      const compiled = compileScanPredicate(predicate, 1);
      for (const value of [...values, undefined]) {
        const c = compareValues(value ?? null, constant);
        const expected = c !== null && truth[op](c);
        assert.equal(compiled([0, value as SqlValue]), expected, `${show(value)} ${op} ${show(constant)}`);
      }
    }
  }
});

test('compareValues: numbers and strings (inline path) agree with the general rule', () => {
  for (const a of values) {
    for (const b of values) {
      const c = compareValues(a, b);
      if (a === null || b === null) assert.equal(c, null);
      else if (typeof a === 'number' && typeof b === 'number') {
        // Their difference; where that is NaN, PostgreSQL's float8 order: NaN equals NaN and is above every number, equal infinities are equal.
        const expected = !Number.isNaN(a - b) ? a - b : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : 0;
        assert.ok(Object.is(c, expected), `${show(a)} vs ${show(b)}`);
      }
      else if (typeof a === 'string' && typeof b === 'string') assert.equal(c, a < b ? -1 : a > b ? 1 : 0);
      else if (typeof a === 'boolean' && typeof b === 'boolean') assert.equal(c, Number(a) - Number(b));
      else if (a instanceof Date && b instanceof Date) assert.ok(Object.is(c, a.getTime() - b.getTime()));
    }
  }
  assert.equal(compareValues(42, '42'), 0);
  assert.equal(compareValues('2.5', 2.5), 0);
  assert.equal(compareValues(1, 'x'), null);
  assert.equal(compareValues(true, 'TRUE'), 0);
  assert.equal(compareValues(new Date(Date.UTC(2024, 5, 1)), '2024-06-01'), 0);
  assert.equal(compareValues(1, true), null);
});

test('projector builds each output in order, for any number of outputs', () => {
  const row: Row = [10, 'a', null, true, 2.5, new Date(0)];
  for (let width = 0; width <= 7; width++) {
    const calls: number[] = [];
    const outputs = Array.from({ length: width }, (_, i) => (r: Row): SqlValue => {
      calls.push(i);
      return r[i % r.length] ?? null;
    });
    const out = projector(outputs)(row);
    assert.deepEqual(out, Array.from({ length: width }, (_, i) => row[i % row.length] ?? null));
    assert.deepEqual(calls, Array.from({ length: width }, (_, i) => i));
  }
});

test('combineTests: every test must pass, and evaluation stops at the first that fails', () => {
  for (let count = 1; count <= 5; count++) {
    for (let failing = -1; failing < count; failing++) {
      const seen: number[] = [];
      const tests = Array.from({ length: count }, (_, i) => () => {
        seen.push(i);
        return i !== failing;
      });
      assert.equal(combineTests(tests)!([]), failing < 0);
      assert.deepEqual(seen, Array.from({ length: failing < 0 ? count : failing + 1 }, (_, i) => i));
    }
  }
  assert.equal(combineTests([]), undefined);
});
