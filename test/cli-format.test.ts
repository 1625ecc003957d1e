import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResult } from '../src/cli/format.js';
import { parseCommandLine, UsageError } from '../src/cli/args.js';

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

test('json: an array of row objects, Datetime as ISO-8601 UTC, NULL as null', () => {
  assert.deepEqual(JSON.parse(formatResult(result, 'json')), [
    { Id: 'cs_1', AmountTotal: 1500, Created: '2024-01-18T02:16:47.000Z', Note: 'say "hi", then\nleave' },
    { Id: 'cs_2', AmountTotal: null, Created: null, Note: null },
  ]);
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
  assert.equal(formatResult(write, 'table'), '1 row affected; lastInsertId: cs_9\n');
  assert.equal(formatResult(write, 'csv'), 'rowsAffected,lastInsertId\r\n1,cs_9\r\n');
});

test('a write that returns rows (RETURNING, EXEC) prints them as a result set', () => {
  const returning = { columns: [{ name: 'Id', type: 'String' as const }], rows: [['cus_1']], rowCount: 1, rowsAffected: 1, lastInsertId: 'cus_1' };
  assert.equal(formatResult(returning, 'json'), '[\n  {\n    "Id": "cus_1"\n  }\n]\n');
  assert.equal(formatResult(returning, 'csv'), 'Id\r\ncus_1\r\n');
});

test('command line: query options, emulator options and usage errors', () => {
  assert.deepEqual(parseCommandLine(['--demo', '--format', 'json', 'SELECT 1']), {
    kind: 'query', sql: 'SELECT 1', apiKey: undefined, accountId: undefined, baseUrl: undefined,
    demo: true, explain: false, format: 'json',
  });
  assert.deepEqual(parseCommandLine(['--api-key', 'sk_test_x', '--account', 'acct_1', '--base-url', 'http://127.0.0.1:1']), {
    kind: 'query', sql: undefined, apiKey: 'sk_test_x', accountId: 'acct_1', baseUrl: 'http://127.0.0.1:1',
    demo: false, explain: false, format: 'table',
  });
  assert.deepEqual(parseCommandLine(['emulator', '--port', '4000']), { kind: 'emulator', port: 4000, latencyMs: 0, seed: true });
  assert.deepEqual(parseCommandLine(['--help']), { kind: 'help' });
  for (const [argv, message] of [
    [['--format', 'xml', 'SELECT 1'], /--format must be one of table, json, csv, got 'xml'/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['SELECT 1', 'SELECT 2'], /expected one SQL statement/],
    [['--demo', '--api-key', 'k', 'SELECT 1'], /--demo uses the built-in emulator/],
    [['emulator', '--port', '70000'], /--port must be 0–65535/],
  ] as const) {
    assert.throws(() => parseCommandLine([...argv]), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(' '));
  }
});
