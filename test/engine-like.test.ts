// LIKE matching: the same answers as SQL's definition, in time linear in the text even for
// patterns that make a backtracking matcher take exponential time.

import assert from 'node:assert/strict';
import test from 'node:test';
import { likeMatcher } from '../src/engine/like.js';
import { querySessions } from './engine-fixtures.js';

/** SQL's definition written as a RegExp: correct, and fast enough on short texts. */
function reference(pattern: string, escape?: string): RegExp {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (escape !== undefined && ch === escape && i + 1 < pattern.length) source += quote(pattern[++i]!);
    else if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += quote(ch);
  }
  return new RegExp(`${source}$`);
}

function quote(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

test('LIKE agrees with the definition on every short pattern and text over a small alphabet', () => {
  // Deterministic pseudo-random cases: a linear congruential generator, seeded.
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[next(alphabet.length)]).join('');
  for (let i = 0; i < 20000; i++) {
    const pattern = pick('ab%_!', next(7));
    const text = pick('ab%_!', next(9));
    const escape = next(2) === 0 ? '!' : undefined;
    assert.equal(likeMatcher(pattern, escape)(text), reference(pattern, escape).test(text), `${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)}${escape ? ' ESCAPE !' : ''}`);
  }
});

test('LIKE: the common shapes, escapes, a trailing escape character and newlines', () => {
  const cases: [string, string, boolean, string?][] = [
    ['abc', 'abc', true], ['abc', 'abd', false], ['abc', '', false], ['', '', true], ['', '%', true],
    ['abc', 'ab%', true], ['xabc', 'ab%', false], ['abc', '%bc', true], ['abcx', '%bc', false],
    ['abc', '%b%', true], ['ac', '%b%', false], ['abc', 'a%c', true], ['ac', 'a%c', true], ['a', 'a%a', false],
    ['aXbYc', 'a_b_c', true], ['aXbc', 'a_b_c', false], ['line1\nline2', 'line1%2', true], ['a\nb', 'a_b', true],
    ['100%', '100!%', true, '!'], ['1000', '100!%', false, '!'], ['a!', 'a!', true, '!'], ['a_b', 'a!_b', true, '!'],
    ['axb', 'a!_b', false, '!'], ['a!b', 'a!!b', true, '!'], ['abab', '%ab%ab', true], ['aab', '%ab%ab', false],
    ['xabx', '%a_b%', false], ['xaxbx', '%a_b%', true], ['xaxxbx', '%a__b%', true], ['aaa', '%a%a%a%', true], ['aa', '%a%a%a%', false],
  ];
  for (const [text, pattern, expected, escape] of cases) {
    assert.equal(likeMatcher(pattern, escape)(text), expected, `${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)}`);
  }
});

test('LIKE with many % on a long text that does not match finishes (a backtracking RegExp would not)', () => {
  const text = 'a'.repeat(100_000);
  assert.equal(likeMatcher('%%%%%%%%%%%%Z')(text), false);
  assert.equal(likeMatcher('%a%a%a%a%a%a%a%a%a%a%a%a%Z')(text), false);
  assert.equal(likeMatcher('%a_a%a_a%a_a%a_a%a_a%a_a%Z')(text), false);
  assert.equal(likeMatcher('%_%_%_%_%_%_%_%_%_%_%_%_%Z')(text), false);
  assert.equal(likeMatcher('%a%a%a%a%a%a%a%a%a%a%a%a%')(text), true);
});

test('LIKE in SQL: a pattern from the row, NULLs, and a pathological pattern over a long value', async () => {
  assert.deepEqual(
    await querySessions("SELECT Id FROM Sessions WHERE Email LIKE LEFT(Id, 0) || SUBSTRING(Email, 1, 1) || '%' ORDER BY Id"),
    [['cs_1'], ['cs_3'], ['cs_4'], ['cs_5']],
  );
  assert.deepEqual(await querySessions("SELECT Id FROM Sessions WHERE Email LIKE Status || '%'"), []);
  const long = 'a'.repeat(20_000);
  assert.deepEqual(await querySessions(`SELECT '${long}' LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%Z', '${long}' NOT LIKE '%%%%%%%%%%%%Z'`), [[false, true]]);
});
