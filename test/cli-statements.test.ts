// Cutting a script into statements: at `;` outside quotes, brackets and comments, never throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasContent, splitStatements } from '../src/cli/statements.js';

const texts = (script: string, final = true) => splitStatements(script, final).statements.map((s) => s.text);

test('statements end at ; and the last may go without one', () => {
  assert.deepEqual(texts('SELECT 1; SELECT 2;\nSELECT 3'), ['SELECT 1', ' SELECT 2', '\nSELECT 3']);
  assert.deepEqual(texts(';;SELECT 1;;'), ['SELECT 1']);
  assert.deepEqual(texts(''), []);
});

test("a ; inside a string, a quoted or bracketed name or a comment does not end the statement", () => {
  assert.deepEqual(texts(`SELECT 'a;b', 'it''s;' AS "x;""y", [a;b] FROM t; SELECT 2`), [
    `SELECT 'a;b', 'it''s;' AS "x;""y", [a;b] FROM t`,
    ' SELECT 2',
  ]);
  assert.deepEqual(texts('SELECT 1 -- no; cut\n, 2; /* nor ; here */ SELECT 3'), ['SELECT 1 -- no; cut\n, 2', ' /* nor ; here */ SELECT 3']);
});

test('offsets point into the script, so positions map back to it', () => {
  const script = 'SELECT 1;\n  SELECT Nope';
  const [, second] = splitStatements(script).statements;
  assert.equal(script.slice(second!.offset, second!.offset + second!.text.length), '\n  SELECT Nope');
});

test('a statement that is only comments is no statement; a comment after ; leaves nothing open', () => {
  assert.deepEqual(texts('SELECT 1; -- note'), ['SELECT 1']);
  assert.deepEqual(texts('/* a */ -- b\n;'), []);
  assert.deepEqual(splitStatements('SELECT 1; -- note', false), { statements: [{ text: 'SELECT 1', offset: 0 }], rest: '', restOffset: 17 });
  assert.equal(hasContent("-- x\n/* y */ '--'"), true);
});

test('for a prompt, an unfinished statement is returned as the rest, quotes and comments left open', () => {
  assert.deepEqual(splitStatements('SELECT 1; SELECT', false), { statements: [{ text: 'SELECT 1', offset: 0 }], rest: ' SELECT', restOffset: 9 });
  assert.deepEqual(splitStatements("SELECT 'a;", false).statements, []);
  assert.equal(splitStatements("SELECT 'a;", false).rest, "SELECT 'a;");
  assert.equal(splitStatements('SELECT 1 /* ;', false).rest, 'SELECT 1 /* ;');
});
