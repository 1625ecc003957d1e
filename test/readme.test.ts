// The README's --demo commands are examples people paste: each must run and succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** `stripe-sql --demo …` lines of the README, optionally fed by `echo "…" |` and read by `| head -N`. */
const DEMO_LINE = /^(?:npm install && )?(?:echo "([^"]*)" \| )?(?:npx )?stripe-sql (--demo .*?)( \| head -\d+)?$/;

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

for (const [line, stdin, args, head] of examples) {
  test(`README example runs: ${line.slice(0, 90)}`, () => {
    const env = { ...process.env, STRIPE_API_KEY: '', STRIPE_BASE_URL: '' };
    // A pipe into head runs as a real pipeline; the command's own status must be 0 too.
    const result = head
      ? spawnSync('bash', ['-c', `"$0" --import tsx "$1" "\${@:2}"${head}; exit \${PIPESTATUS[0]}`, process.execPath, MAIN, ...shellWords(args!)], {
          cwd: ROOT, input: stdin ?? '', encoding: 'utf8', env,
        })
      : spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...shellWords(args!)], { cwd: ROOT, input: stdin ?? '', encoding: 'utf8', env });
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.ok(result.stdout.length > 0);
  });
}

test('the README library example runs against the emulator as written', async () => {
  const { startEmulator, DEMO_API_KEY } = await import('../emulator/index.js');
  const { writeFileSync, rmSync } = await import('node:fs');
  const emulator = await startEmulator();
  const block = /```ts\n(import \{ connect[^`]*)```/.exec(README)![1]!;
  const program = block
    .replace(`from 'stripe-sql'`, `from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)}`)
    .replace(/connect\('AuthScheme=[^']*'\)/, `connect({ apiKey: '${DEMO_API_KEY}', baseUrl: '${emulator.url}' })`)
    + `\nconsole.log(JSON.stringify({ columns, rowCount, rowsAffected, lastInsertId }));\n`;
  const file = fileURLToPath(new URL(`./.readme-example-${process.pid}.mts`, import.meta.url));
  writeFileSync(file, program);
  try {
    // Asynchronous: the emulator answering the example lives in this process.
    const result = await runAsync(file);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    assert.equal(summary.rowCount, emulator.objects('checkout.session').filter((s) => s.customer === 'cus_N8rO0qc7j1SJJ9').length - 1);
    assert.equal(summary.rowsAffected, 1);
    assert.match(summary.lastInsertId, /^cs_test_/);
    assert.match(result.stdout, /Unknown column/);
    assert.match(result.stdout, /status=open/);
  } finally {
    rmSync(file, { force: true });
    await emulator.close();
  }
});

function runAsync(file: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
