// The README's --demo commands are examples people paste: each must run and succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** `stripe-sql --demo …` lines of the README, optionally fed by `echo "…" |`. */
const DEMO_LINE = /^(?:npm install && )?(?:echo "([^"]*)" \| )?(?:npx )?stripe-sql (--demo .*)$/;

function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/g)) words.push(match[1] ?? match[2]!);
  return words;
}

const examples = README.split('\n').map((line) => DEMO_LINE.exec(line.trim())).filter((m) => m !== null);

test('the README has --demo examples, the first command among them', () => {
  assert.ok(examples.length >= 4, `found ${examples.length}`);
  const firstBlock = /```sh\n([^`]*)```/.exec(README)![1]!.trim().split('\n');
  assert.match(firstBlock[0]!, DEMO_LINE);
  assert.equal(firstBlock[1], 'npm test');
});

for (const [line, stdin, args] of examples) {
  test(`README example runs: ${line.slice(0, 90)}`, () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...shellWords(args!)], {
      cwd: ROOT,
      input: stdin ?? '',
      encoding: 'utf8',
      env: { ...process.env, STRIPE_API_KEY: '', STRIPE_BASE_URL: '' },
    });
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.ok(result.stdout.length > 0);
  });
}
