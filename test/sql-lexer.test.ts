import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize, isReservedWord, SqlError, type Token } from '../src/sql/index.js';

/** `kind:value@line:column` for each token, the end token included. */
function brief(sql: string): string[] {
  return tokenize(sql).map((t: Token) => `${t.kind}:${t.value}@${t.pos.line}:${t.pos.column}`);
}

function lexError(sql: string): SqlError {
  try {
    tokenize(sql);
  } catch (error) {
    assert.ok(error instanceof SqlError, `expected SqlError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(sql)} to fail`);
}

test('a simple SELECT splits into keywords, names, symbols and a string, with positions', () => {
  assert.deepEqual(brief("SELECT * FROM CheckoutSession WHERE Id = '123124'"), [
    'keyword:SELECT@1:1',
    'symbol:*@1:8',
    'keyword:FROM@1:10',
    'identifier:CheckoutSession@1:15',
    'keyword:WHERE@1:31',
    'identifier:Id@1:37',
    'symbol:=@1:40',
    "string:123124@1:42",
    'end:@1:50',
  ]);
});

test('token offsets and end offsets cover the source text', () => {
  const sql = "SELECT a,b FROM [t x]";
  const tokens = tokenize(sql);
  assert.deepEqual(
    tokens.map((t) => sql.slice(t.pos.offset, t.end)),
    ['SELECT', 'a', ',', 'b', 'FROM', '[t x]', ''],
  );
});

test('keywords are recognised in any case and upper-cased; names keep their spelling', () => {
  assert.deepEqual(brief('select Id fRoM checkoutSESSION'), [
    'keyword:SELECT@1:1',
    'identifier:Id@1:8',
    'keyword:FROM@1:11',
    'identifier:checkoutSESSION@1:16',
    'end:@1:31',
  ]);
});

test('bare identifiers may contain digits, _, # and $ after the first character', () => {
  assert.deepEqual(brief('LineItems#TEMP _x1 a$b Ünïcode'), [
    'identifier:LineItems#TEMP@1:1',
    'identifier:_x1@1:16',
    'identifier:a$b@1:20',
    'identifier:Ünïcode@1:24',
    'end:@1:31',
  ]);
});

test('bracketed and double-quoted identifiers undo their escapes and are never keywords', () => {
  assert.deepEqual(brief('[Order] [a]]b] "select" "x""y"'), [
    'quotedIdentifier:Order@1:1',
    'quotedIdentifier:a]b@1:9',
    'quotedIdentifier:select@1:16',
    'quotedIdentifier:x"y@1:25',
    'end:@1:31',
  ]);
});

test('[ right after a name or a closing bracket is a subscript, elsewhere a bracketed name; & and | are operators', () => {
  assert.deepEqual(brief('k[0] (f(x))[1] a [b] a&b|c'), [
    'identifier:k@1:1', 'symbol:[@1:2', 'number:0@1:3', 'symbol:]@1:4',
    'symbol:(@1:6', 'identifier:f@1:7', 'symbol:(@1:8', 'identifier:x@1:9', 'symbol:)@1:10', 'symbol:)@1:11', 'symbol:[@1:12', 'number:1@1:13', 'symbol:]@1:14',
    'identifier:a@1:16', 'quotedIdentifier:b@1:18',
    'identifier:a@1:22', 'symbol:&@1:23', 'identifier:b@1:24', 'symbol:|@1:25', 'identifier:c@1:26',
    'end:@1:27',
  ]);
});

test("strings use '' for a quote and treat backslash as an ordinary character", () => {
  const [first, second, third] = tokenize(String.raw`'it''s' 'a\"b' ''`);
  assert.equal(first?.kind, 'string');
  assert.equal(first?.value, "it's");
  assert.equal(second?.value, 'a\\"b');
  assert.equal(second?.value.length, 4);
  assert.equal(third?.kind, 'string');
  assert.equal(third?.value, '');
});

test('numbers: integers, decimals, leading dot, trailing dot and exponents', () => {
  assert.deepEqual(
    tokenize('12 12.5 .5 1e3 1.5E-3 2e+2 7.').slice(0, -1).map((t) => [t.kind, t.value]),
    [
      ['number', '12'],
      ['number', '12.5'],
      ['number', '.5'],
      ['number', '1e3'],
      ['number', '1.5E-3'],
      ['number', '2e+2'],
      ['number', '7.'],
    ],
  );
});

test('parameters: ? and @name', () => {
  assert.deepEqual(brief('? @customer_id ?'), [
    'positionalParameter:?@1:1',
    'namedParameter:customer_id@1:3',
    'positionalParameter:?@1:16',
    'end:@1:17',
  ]);
});

test("jsonb containment @> and <@, but a<@name is a comparison with parameter @name", () => {
  assert.deepEqual(tokenize("m @> '{}' AND '{}' <@ m").slice(0, -1).map((t) => t.value), ['m', '@>', '{}', 'AND', '{}', '<@', 'm']);
  assert.deepEqual(brief('Amount <@max'), ['identifier:Amount@1:1', 'symbol:<@1:8', 'namedParameter:max@1:9', 'end:@1:13']);
});

test('operators, with != normalised to <>', () => {
  assert.deepEqual(
    tokenize('= <> != < <= > >= + - * / % || ( ) , ; .').slice(0, -1).map((t) => t.value),
    ['=', '<>', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '||', '(', ')', ',', ';', '.'],
  );
  assert.deepEqual(brief('a<=b'), ['identifier:a@1:1', 'symbol:<=@1:2', 'identifier:b@1:4', 'end:@1:5']);
});

test('comments are skipped and line numbers stay right across them', () => {
  const sql = 'SELECT -- first line\n  a, /* spans\ntwo lines */ b\n\t-- last\nFROM t';
  assert.deepEqual(brief(sql), [
    'keyword:SELECT@1:1',
    'identifier:a@2:3',
    'symbol:,@2:4',
    'identifier:b@3:14',
    'keyword:FROM@5:1',
    'identifier:t@5:6',
    'end:@5:7',
  ]);
});

test('a string spanning lines moves the line count on', () => {
  assert.deepEqual(brief("'a\nb' x"), ['string:a\nb@1:1', 'identifier:x@2:4', 'end:@2:5']);
});

test('CRLF line endings count as one line each', () => {
  assert.deepEqual(brief('a\r\n  b'), ['identifier:a@1:1', 'identifier:b@2:3', 'end:@2:4']);
});

test('empty and blank input give just the end token', () => {
  assert.deepEqual(brief(''), ['end:@1:1']);
  assert.deepEqual(brief('  \n -- c\n'), ['end:@3:1']);
});

test('the reserved word list covers the words of this release and the next ones', () => {
  for (const word of ['SELECT', 'FROM', 'ORDER', 'LIMIT', 'JOIN', 'GROUP', 'UNION', 'CASE', 'OVER']) {
    assert.equal(isReservedWord(word), true, word);
  }
  for (const word of ['NULLS', 'FIRST', 'LAST', 'COUNT', 'ID', 'STATUS', 'TYPE', 'MODE']) {
    assert.equal(isReservedWord(word), false, word);
  }
});

const lexErrors: [sql: string, reason: string, line: number, column: number][] = [
  ["SELECT 'abc", 'Unterminated string literal', 1, 8],
  ["SELECT 'it''s", 'Unterminated string literal', 1, 8],
  ['SELECT [abc', 'Unterminated bracketed identifier', 1, 8],
  ['SELECT "abc', 'Unterminated quoted identifier', 1, 8],
  ['SELECT ""', 'Empty quoted identifier', 1, 8],
  ['SELECT a\n  /* never closed', 'Unterminated block comment', 2, 3],
  ['SELECT a ^ b', "Unexpected character '^'", 1, 10],
  ['SELECT a ! b', "Unexpected character '!'", 1, 10],
  ['SELECT @ x', "Expected a parameter name after '@'", 1, 8],
  ['SELECT 12abc', "Invalid number '12abc'", 1, 8],
  ['SELECT 1e+', "Invalid number '1e+': expected digits in the exponent", 1, 8],
  ['SELECT 1.2.3', "Invalid number '1.2.3'", 1, 8],
  ['SELECT 1e999', "Number out of range '1e999'", 1, 8],
  ['SELECT\n\n   \u0001', 'Unexpected character U+0001', 3, 4],
];

for (const [sql, reason, line, column] of lexErrors) {
  test(`lexical error: ${JSON.stringify(sql)}`, () => {
    const error = lexError(sql);
    assert.equal(error.reason, reason);
    assert.equal(error.line, line);
    assert.equal(error.column, column);
    assert.equal(error.message, `${reason} (line ${line}, column ${column})\n${error.excerpt}`);
  });
}

test('a long input lexes whole: 20,000 items, every token', () => {
  const sql = `SELECT ${Array.from({ length: 20000 }, (_, i) => `Col${i} + 'str''${i}' * 1.5`).join(', ')} FROM t`;
  const tokens = tokenize(sql);
  // Five tokens per item, a comma between items, then SELECT, FROM, t and the end token.
  assert.equal(tokens.length, 20000 * 5 + 19999 + 4);
  assert.equal(tokens.at(-2)!.value, 't');
});

test('#name is one identifier (a temporary table); a lone # is still an error', () => {
  assert.deepEqual(brief('#t #Temp_1'), ['identifier:#t@1:1', 'identifier:#Temp_1@1:4', 'end:@1:11']);
  assert.throws(() => brief('# x'), /Unexpected character/);
});
