// The interactive prompt, driven through streams as a terminal would drive it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runRepl } from '../src/cli/repl.js';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();

async function session(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk) => (text += chunk));
  const done = runRepl(e2e.db, 'table', { input, output }, (e) => `error: ${(e as Error).message.split('\n')[0]}`);
  input.end(lines.join('\n') + '\n');
  await done;
  return text;
}

test('statements may span lines and run at the ;', async () => {
  const text = await session(["SELECT COUNT(*) AS n", "FROM CheckoutSession WHERE Status = 'open';"]);
  assert.match(text, / n\n--\n50\n\(1 row\)/);
});

test('a failing statement prints its error and the session goes on', async () => {
  const text = await session(['SELECT Nope FROM CheckoutSession;', ".format json", "SELECT Id FROM CheckoutSession WHERE Id = 'cs_x';"]);
  assert.match(text, /error: Unknown column '?Nope'?.*\(line 1, column 8\)\n/);
  assert.match(text, /\[\]\n/);
});

test('dot-commands: .tables, .columns, .help, unknown ones', async () => {
  const text = await session(['.tables', '.columns CheckoutSession', '.columns Nothing', '.bogus', '.help', '.quit', 'SELECT 1;']);
  assert.match(text, /(^|> )CheckoutSession$/m);
  assert.match(text, /> Id String key read-only\n/);
  assert.match(text, /^AccountId String pseudo$/m);
  assert.match(text, /No table named 'Nothing'/);
  assert.match(text, /Unknown command \.bogus/);
  assert.match(text, /\.quit {16}leave/);
  assert.ok(!text.includes('(1 row)'), 'nothing runs after .quit');
});
