// Profiles (~/.config/stripe-sql/config.json or $STRIPE_SQL_CONFIG) and shell completion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { CLI_MAIN, runCli } from './support/cli-process.js';

const TEST_KEY = 'sk_test_PROFILEKEY0123456789abcd';
let emulator: Emulator;
let dir: string;
let config: string;

before(async () => {
  emulator = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'stripe-sql-profiles-'));
  config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      default: 'local',
      profiles: {
        local: { apiKey: TEST_KEY, baseUrl: emulator.url },
        fromCommand: { apiKeyCommand: `printf '%s\\n' ${TEST_KEY}`, baseUrl: emulator.url, readonly: true, maxRequestsPerSecond: 5 },
        broken: { apiKeyCommand: 'exit 3', baseUrl: emulator.url },
        connected: { apiKey: TEST_KEY, baseUrl: emulator.url, accountId: 'acct_1DemoConnected00' },
      },
    }),
  );
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const withConfig = (env: Record<string, string> = {}) => ({ env: { STRIPE_SQL_CONFIG: config, ...env } });

test('stripe-sql profiles lists them, keys redacted, the default marked; --names gives the names', async () => {
  const listed = await runCli(['profiles'], withConfig());
  assert.equal(listed.code, 0);
  assert.equal(
    listed.stdout,
    `${config} (* = default)\n` +
      `* local: key sk_test_…abcd, base URL ${emulator.url}\n` +
      `  fromCommand: key from \`printf '%s\\n' sk_test_…abcd\`, base URL ${emulator.url}, 5 requests/s, read-only\n` +
      `  broken: key from \`exit 3\`, base URL ${emulator.url}\n` +
      `  connected: key sk_test_…abcd, account acct_1DemoConnected00, base URL ${emulator.url}\n`,
  );
  assert.ok(!listed.stdout.includes('PROFILEKEY'));
  const names = await runCli(['profiles', '--names'], withConfig());
  assert.equal(names.stdout, 'local\nfromCommand\nbroken\nconnected\n');
  const none = await runCli(['profiles'], { env: { STRIPE_SQL_CONFIG: join(dir, 'absent.json') } });
  assert.match(none.stdout, /^No profiles/);
});

test('--profile takes the key (as written or from its command), the base URL, the account and read-only', async () => {
  const count = "SELECT COUNT(*) AS n FROM CheckoutSession";
  const local = await runCli(['--profile', 'local', '--format', 'csv', count], withConfig());
  assert.equal(local.stderr, '');
  assert.equal(local.stdout, `n\r\n${emulator.objects('checkout.session').length}\r\n`);
  const connected = await runCli(['--profile', 'connected', '--format', 'csv', count], withConfig());
  assert.equal(connected.stdout, `n\r\n${emulator.objects('checkout.session', 'acct_1DemoConnected00').length}\r\n`);
  const fromCommand = await runCli(['--profile', 'fromCommand', '--format', 'csv', count], withConfig());
  assert.equal(fromCommand.stdout, local.stdout);
  const refused = await runCli(['--profile', 'fromCommand', "INSERT INTO Customers (Email) VALUES ('p@example.com')"], withConfig());
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /read-only|Readonly/i);
});

test('which settings win: flags, then --profile, then the environment, then the default profile', async () => {
  // No --profile and no key in the environment: the default profile.
  const byDefault = await runCli(['--format', 'csv', 'SELECT COUNT(*) AS n FROM Customers'], withConfig());
  assert.equal(byDefault.code, 0, byDefault.stderr);
  // A key in the environment: the default profile is not read (its base URL neither).
  const byEnvironment = await runCli(['SELECT COUNT(*) AS n FROM Customers'], withConfig({ STRIPE_API_KEY: 'sk_test_invalid_env_key_0000', STRIPE_BASE_URL: emulator.url }));
  assert.equal(byEnvironment.code, 1);
  assert.match(byEnvironment.stderr, /rejected the API key sk_test_…0000/);
  // --profile beats the environment; --api-key beats the profile.
  const byProfile = await runCli(['--profile', 'local', 'SELECT 1'], withConfig({ STRIPE_API_KEY: 'sk_test_invalid_env_key_0000' }));
  assert.equal(byProfile.code, 0, byProfile.stderr);
  const byFlag = await runCli(['--profile', 'local', '--api-key', 'sk_test_invalid_flag_key_1111', 'SELECT COUNT(*) AS n FROM Customers'], withConfig());
  assert.match(byFlag.stderr, /rejected the API key sk_test_…1111/);
});

test('sync --profile NAME reads with the profile\'s key command and base URL', async () => {
  const replica = join(dir, 'connected.db');
  emulator.requestLog.length = 0;
  const synced = await runCli(['sync', '--profile', 'fromCommand', '--to', replica, '--tables', 'Customers'], withConfig());
  assert.equal(synced.code, 0, synced.stderr);
  assert.match(synced.stdout, new RegExp(`^Customers: ${emulator.objects('customer').length} rows`, 'm'));
  assert.ok(emulator.requestLog.length > 0);
  for (const request of emulator.requestLog) assert.match(request.headers.authorization!, /^Bearer sk_test_\*+abcd$/);
  const refused = await runCli(['sync', '--demo', '--profile', 'local', '--to', replica], withConfig());
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /--demo uses the built-in emulator; it takes no --api-key, --base-url or --profile/);
  assert.ok(!(synced.stdout + synced.stderr + refused.stderr).includes('PROFILEKEY'));
});

test('profile errors name the profile or field, never a value', async () => {
  const unknown = await runCli(['--profile', 'nope', 'SELECT 1'], withConfig());
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /ProfileError: no profile named 'nope' in .*config\.json; profiles: local, fromCommand, broken, connected/);
  const broken = await runCli(['--profile', 'broken', 'SELECT 1'], withConfig());
  assert.match(broken.stderr, /the key command of profile broken failed \(exit 3\)/);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, `{ "profiles": { "x": { "apiKey": ${TEST_KEY} } } }`);
  const invalid = await runCli(['--profile', 'x', 'SELECT 1'], { env: { STRIPE_SQL_CONFIG: bad } });
  assert.match(invalid.stderr, /bad\.json is not valid JSON/);
  writeFileSync(bad, JSON.stringify({ profiles: { x: { apikey: TEST_KEY } } }));
  const field = await runCli(['--profile', 'x', 'SELECT 1'], { env: { STRIPE_SQL_CONFIG: bad } });
  assert.match(field.stderr, /profile x has an unknown field 'apikey'; fields are apiKey, apiKeyCommand/);
  for (const run of [unknown, broken, invalid, field]) assert.ok(!(run.stdout + run.stderr).includes('PROFILEKEY'), run.stderr);
});

test('completion: bash completes options, formats and profile names; zsh gets a #compdef script', async () => {
  // A `stripe-sql` on the PATH, as after npm install -g, for the script to ask for profile names.
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'stripe-sql'), `#!/bin/sh\nexec "${process.execPath}" --import tsx "${CLI_MAIN}" "$@"\n`);
  chmodSync(join(bin, 'stripe-sql'), 0o755);
  const script = (await runCli(['completion', 'bash'])).stdout;
  const complete = (words: string[]) => {
    const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _stripe_sql; echo "\${COMPREPLY[*]}"`;
    const result = spawnSync('bash', ['-c', program], { encoding: 'utf8', cwd: process.cwd(), env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STRIPE_SQL_CONFIG: config } });
    return result.stdout.trim();
  };
  assert.equal(complete(['stripe-sql', '--for']), '--format');
  assert.equal(complete(['stripe-sql', '--format', 'nd']), 'ndjson');
  assert.equal(complete(['stripe-sql', '--profile', '']), 'local fromCommand broken connected');
  assert.equal(complete(['stripe-sql', 'comp']), 'completion');
  const zsh = await runCli(['completion', 'zsh']);
  assert.match(zsh.stdout, /^#compdef stripe-sql\n/);
  assert.match(zsh.stdout, /--format\[output format\]:format:\(table csv tsv json ndjson markdown\)/);
  const wrong = await runCli(['completion', 'fish']);
  assert.match(wrong.stderr, /completion takes one of bash, zsh/);
});
