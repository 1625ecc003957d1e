import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFormatter, formatResult } from '../src/cli/format.js';
import { parseCommandLine, UsageError } from '../src/cli/args.js';
import { Numeric } from '../src/engine/numeric.js';

const result = {
  columns: [
    { name: 'Id', type: 'String' as const },
    { name: 'AmountTotal', type: 'Integer' as const },
    { name: 'Created', type: 'Datetime' as const },
    { name: 'Note', type: 'String' as const },
  ],
  rows: [
    ['cs_1', 1500, new Date('2024-01-18T02:16:47Z'), 'say "hi", then\nleave'],
    ['cs_2', null, null, null],
  ],
  rowCount: 2,
};

test('json: one line per statement, an array of row objects, Datetime as ISO-8601 UTC, NULL as null', () => {
  const text = formatResult(result, 'json');
  assert.equal(text.split('\n').length, 2, 'one line, then the newline');
  assert.deepEqual(JSON.parse(text), [
    { Id: 'cs_1', AmountTotal: 1500, Created: '2024-01-18T02:16:47.000Z', Note: 'say "hi", then\nleave' },
    { Id: 'cs_2', AmountTotal: null, Created: null, Note: null },
  ]);
  assert.equal(formatResult({ ...result, rows: [], rowCount: 0 }, 'json'), '[]\n');
});

test('json and ndjson nest JSON columns; other text stays text, even when it looks like JSON', () => {
  const withJson = {
    columns: [
      { name: 'Metadata', type: 'String' as const, json: true },
      { name: 'Description', type: 'String' as const },
    ],
    rows: [['{"order":"42"}', '{"not":"nested"}'], [null, null]],
    rowCount: 2,
  };
  assert.equal(formatResult(withJson, 'json'), '[{"Metadata":{"order":"42"},"Description":"{\\"not\\":\\"nested\\"}"},{"Metadata":null,"Description":null}]\n');
  assert.equal(
    formatResult(withJson, 'ndjson'),
    '{"Metadata":{"order":"42"},"Description":"{\\"not\\":\\"nested\\"}"}\n{"Metadata":null,"Description":null}\n',
  );
});

test('ndjson: one object per line; tsv: tab-separated with escapes; markdown: a GitHub table', () => {
  assert.equal(
    formatResult(result, 'ndjson'),
    '{"Id":"cs_1","AmountTotal":1500,"Created":"2024-01-18T02:16:47.000Z","Note":"say \\"hi\\", then\\nleave"}\n' +
      '{"Id":"cs_2","AmountTotal":null,"Created":null,"Note":null}\n',
  );
  assert.equal(
    formatResult(result, 'tsv'),
    'Id\tAmountTotal\tCreated\tNote\ncs_1\t1500\t2024-01-18T02:16:47.000Z\tsay "hi", then\\nleave\ncs_2\t\t\t\n',
  );
  assert.equal(
    formatResult(result, 'markdown'),
    [
      '| Id   | AmountTotal | Created                  | Note                 |',
      '|------|------------:|--------------------------|----------------------|',
      '| cs_1 |        1500 | 2024-01-18T02:16:47.000Z | say "hi", then leave |',
      '| cs_2 |             |                          |                      |',
      '',
    ].join('\n'),
  );
});

test('a statement after the first: text formats start with a blank line, JSON and NDJSON do not', () => {
  const one = { columns: [{ name: 'x', type: 'Integer' as const }], rows: [[1]], rowCount: 1 };
  assert.equal(formatResult(one, 'csv', 1), '\r\nx\r\n1\r\n');
  assert.equal(formatResult(one, 'tsv', 1), '\nx\n1\n');
  assert.equal(formatResult(one, 'table', 1), '\nx\n-\n1\n(1 row)\n');
  assert.equal(formatResult(one, 'json', 1), '[{"x":1}]\n');
  assert.equal(formatResult(one, 'ndjson', 1), '{"x":1}\n');
});

test('json: NaN and the infinities, numeric or double, are quoted as row_to_json writes them; finite numerics stay numbers', () => {
  const specials = {
    columns: [{ name: 'n', type: 'Decimal' as const }, { name: 'f', type: 'Double' as const }],
    rows: [[Numeric.NaN, -Infinity], [Numeric.parse('1.50')!, NaN]],
    rowCount: 2,
  };
  assert.equal(formatResult(specials, 'json'), '[{"n":"NaN","f":"-Infinity"},{"n":1.50,"f":"NaN"}]\n');
});

test('a formatter hands out streaming formats row by row, and table only at the end', () => {
  const columns = [{ name: 'x', type: 'Integer' as const }];
  const csv = createFormatter('csv');
  assert.equal(csv.begin(columns), 'x\r\n');
  assert.equal(csv.row([1]), '1\r\n');
  assert.equal(csv.end({ rowCount: 1 }), '');
  const json = createFormatter('json');
  assert.equal(json.begin(columns) + json.row([1]) + json.row([2]), '[{"x":1},{"x":2}');
  assert.equal(json.end({ rowCount: 2 }), ']\n');
  const table = createFormatter('table');
  assert.equal(table.begin(columns) + table.row([1]), '');
  assert.equal(table.end({ rowCount: 1 }), 'x\n-\n1\n(1 row)\n');
});

test('csv: RFC 4180 quoting, CRLF, NULL as empty', () => {
  assert.equal(
    formatResult(result, 'csv'),
    'Id,AmountTotal,Created,Note\r\ncs_1,1500,2024-01-18T02:16:47.000Z,"say ""hi"", then\nleave"\r\ncs_2,,,\r\n',
  );
});

test('table: aligned columns, numbers right-aligned, NULL spelled out, row count', () => {
  assert.equal(
    formatResult(result, 'table'),
    [
      'Id   | AmountTotal | Created                  | Note',
      '-----+-------------+--------------------------+---------------------',
      'cs_1 |        1500 | 2024-01-18T02:16:47.000Z | say "hi", then leave',
      'cs_2 |        NULL | NULL                     | NULL',
      '(2 rows)',
      '',
    ].join('\n'),
  );
});

test('write results: rowsAffected and lastInsertId in each format', () => {
  const write = { columns: [], rows: [], rowCount: 0, rowsAffected: 1, lastInsertId: 'cs_9' };
  assert.equal(formatResult(write, 'json'), '{"rowsAffected":1,"lastInsertId":"cs_9"}\n');
  assert.equal(formatResult(write, 'ndjson'), '{"rowsAffected":1,"lastInsertId":"cs_9"}\n');
  assert.equal(formatResult(write, 'table'), '1 row affected; lastInsertId: cs_9\n');
  assert.equal(formatResult(write, 'csv'), 'rowsAffected,lastInsertId\r\n1,cs_9\r\n');
  assert.equal(formatResult(write, 'tsv'), 'rowsAffected\tlastInsertId\n1\tcs_9\n');
  assert.equal(formatResult(write, 'markdown'), '| rowsAffected | lastInsertId |\n|-------------:|--------------|\n|            1 | cs_9         |\n');
});

test('a write that returns rows (RETURNING, EXEC) prints them as a result set', () => {
  const returning = { columns: [{ name: 'Id', type: 'String' as const }], rows: [['cus_1']], rowCount: 1, rowsAffected: 1, lastInsertId: 'cus_1' };
  assert.equal(formatResult(returning, 'json'), '[{"Id":"cus_1"}]\n');
  assert.equal(formatResult(returning, 'csv'), 'Id\r\ncus_1\r\n');
});

test('command line: query options, emulator options and usage errors', () => {
  assert.deepEqual(parseCommandLine(['--demo', '--format', 'json', 'SELECT 1']), {
    kind: 'query', sources: [{ kind: 'text', sql: 'SELECT 1' }], apiKey: undefined, accountId: undefined, baseUrl: undefined,
    demo: true, explain: false, format: 'json',
  });
  assert.deepEqual(parseCommandLine(['--api-key', 'sk_test_x', '--account', 'acct_1', '--base-url', 'http://127.0.0.1:1']), {
    kind: 'query', sources: [], apiKey: 'sk_test_x', accountId: 'acct_1', baseUrl: 'http://127.0.0.1:1',
    demo: false, explain: false, format: 'table',
  });
  assert.deepEqual(parseCommandLine(['emulator', '--port', '4000']), { kind: 'emulator', port: 4000, latencyMs: 0, seed: true });
  assert.deepEqual(parseCommandLine(['--help']), { kind: 'help' });
  for (const [argv, message] of [
    [['--format', 'xml', 'SELECT 1'], /--format must be one of table, csv, tsv, json, ndjson, markdown, got 'xml'/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['SELECT 1', 'SELECT 2'], /expected one SQL statement/],
    [['-c', 'SELECT 1', 'SELECT 2'], /either as an argument or with -c\/-f/],
    [['--demo', '--api-key', 'k', 'SELECT 1'], /--demo uses the built-in emulator/],
    [['emulator', '--port', '70000'], /--port must be 0–65535/],
    [['--idempotency-key', 'has space', 'SELECT 1'], /--idempotency-key takes 1 to 200 visible ASCII characters/],
  ] as const) {
    assert.throws(() => parseCommandLine([...argv]), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(' '));
  }
});

test('command line: -c and -f run in the order given; -o and --idempotency-key', () => {
  assert.deepEqual(
    parseCommandLine(['--demo', '-c', 'SELECT 1', '-f', 'a.sql', '--command', 'SELECT 2', '--file=-', '-o', 'out.csv', '--idempotency-key', 'import-42']),
    {
      kind: 'query',
      sources: [
        { kind: 'text', sql: 'SELECT 1' },
        { kind: 'file', path: 'a.sql' },
        { kind: 'text', sql: 'SELECT 2' },
        { kind: 'file', path: '-' },
      ],
      apiKey: undefined, accountId: undefined, baseUrl: undefined, demo: true, explain: false, format: 'table',
      output: 'out.csv', idempotencyKey: 'import-42',
    },
  );
});

test('a rejected value that may be a key is not repeated', () => {
  for (const argv of [
    ['--format', 'sk_live_51AbCdEfGhIjKlMnOpQrStUv', 'SELECT 1'],
    ['--format', 'a-rather-long-value-that-could-be-a-secret', 'SELECT 1'],
    ['--sk_live_51AbCdEfGhIjKlMnOpQrStUv'],
  ]) {
    assert.throws(
      () => parseCommandLine(argv),
      (e: unknown) => e instanceof UsageError && !/sk_live|secret/.test(e.message) && /not shown/.test(e.message),
      argv.join(' '),
    );
  }
});

test('table display: expanded records, auto when wider than the terminal, the NULL text', () => {
  const two = { columns: [{ name: 'Id', type: 'String' as const }, { name: 'Note', type: 'String' as const }], rows: [['cs_1', null], ['cs_2', 'hi']], rowCount: 2 };
  const expanded = ['-[ RECORD 1 ]+-----', 'Id   | cs_1', 'Note | -', '-[ RECORD 2 ]+-----', 'Id   | cs_2', 'Note | hi', '(2 rows)', ''].join('\n');
  assert.equal(formatResult(two, 'table', 0, { expanded: 'on', nullText: '-' }), expanded);
  assert.equal(formatResult(two, 'table', 0, { expanded: 'auto', width: 10, nullText: '-' }), expanded);
  assert.equal(formatResult(two, 'table', 0, { expanded: 'auto', width: 80, nullText: '-' }), 'Id   | Note\n-----+-----\ncs_1 | -\ncs_2 | hi\n(2 rows)\n');
  assert.equal(formatResult({ ...two, rows: [], rowCount: 0 }, 'table', 0, { expanded: 'on' }), '(0 rows)\n');
});

test('table fit: the widest columns give way, one character at a time, until the table fits; nothing is cut otherwise', async () => {
  const wide = {
    columns: [{ name: 'Id', type: 'String' as const }, { name: 'Description', type: 'String' as const }],
    rows: [['cus_1', 'a description far longer than the terminal is wide']],
    rowCount: 1,
  };
  const fitted = formatResult(wide, 'table', 0, { width: 30, fit: true });
  assert.equal(fitted, 'Id    | Description\n------+-----------------------\ncus_1 | a description far lon…\n(1 row)\n');
  assert.ok(fitted.split('\n').every((l) => l.length <= 30));
  assert.match(formatResult(wide, 'table', 0, { width: 30 }), /far longer than the terminal is wide/);
  const { needsPager } = await import('../src/cli/pager.js');
  assert.equal(needsPager('a\nb\nc\n', { rows: 4, columns: 80 }), false);
  assert.equal(needsPager('a\nb\nc\nd\n', { rows: 4, columns: 80 }), true);
  assert.equal(needsPager('a'.repeat(81), { rows: 40, columns: 80 }), true);
  assert.equal(needsPager('a\nb\nc\nd\n', {}), false);
});

test('a Date column prints as the day alone in every format; a Datetime beside it keeps its time', () => {
  const days = {
    columns: [
      { name: 'Day', type: 'Date' as const },
      { name: 'At', type: 'Datetime' as const },
    ],
    rows: [[new Date('2024-03-01T00:00:00Z'), new Date('2024-03-01T00:00:00Z')], [null, null]],
    rowCount: 2,
  };
  assert.equal(formatResult(days, 'json'), '[{"Day":"2024-03-01","At":"2024-03-01T00:00:00.000Z"},{"Day":null,"At":null}]\n');
  assert.equal(formatResult(days, 'ndjson'), '{"Day":"2024-03-01","At":"2024-03-01T00:00:00.000Z"}\n{"Day":null,"At":null}\n');
  assert.equal(formatResult(days, 'csv'), 'Day,At\r\n2024-03-01,2024-03-01T00:00:00.000Z\r\n,\r\n');
  assert.equal(formatResult(days, 'tsv'), 'Day\tAt\n2024-03-01\t2024-03-01T00:00:00.000Z\n\t\n');
  assert.match(formatResult(days, 'markdown'), /\n\| 2024-03-01 \| 2024-03-01T00:00:00\.000Z \|\n/);
  assert.equal(formatResult(days, 'table'), 'Day        | At\n-----------+-------------------------\n2024-03-01 | 2024-03-01T00:00:00.000Z\nNULL       | NULL\n(2 rows)\n');
});
