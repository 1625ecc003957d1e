// The library as a TypeScript or CommonJS user meets it: `stripe-sql/emulator` for the demo
// data, typed rows from query<T>() and stream<T>(), package.json's exports and engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connect, type QueryResult, type SqlValue } from '../src/index.js';
import { startEmulator, DEMO_API_KEY } from '../src/emulator.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
};

interface Session {
  Id: string;
  Status: string | null;
  AmountTotal: number | null;
}

test('stripe-sql/emulator: startEmulator() gives { url, apiKey, close } with the demo data', async () => {
  const { url, apiKey, close } = await startEmulator();
  assert.equal(apiKey, DEMO_API_KEY);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const db = connect({ apiKey, baseUrl: url });
  try {
    const { rows, rowCount } = await db.query<Session>("SELECT Id, Status, AmountTotal FROM CheckoutSession WHERE Status = 'complete' LIMIT 3");
    assert.equal(rowCount, 3);
    const first: Session = rows[0]!;
    assert.match(first.Id, /^cs_test_/);
    assert.equal(first.Status, 'complete');

    const ids: string[] = [];
    for await (const row of db.stream<Pick<Session, 'Id'>>('SELECT Id FROM Customers')) {
      ids.push(row.Id);
      if (ids.length === 2) break;
    }
    assert.equal(ids.length, 2);

    const arrays: QueryResult<[string, number | null]> = await db.query<[string, number | null]>(
      'SELECT Id, AmountTotal FROM CheckoutSession LIMIT 1', undefined, { rowMode: 'array' });
    assert.equal(typeof arrays.rows[0]![0], 'string');
  } finally {
    await db.close();
    await close();
  }
});

test('query<T>() and stream<T>() type the rows; without T they stay Record<string, SqlValue>', async () => {
  // Compile-time checks (npm test runs tsc first); the function is never called.
  const typed = async () => {
    const db = connect({ apiKey: DEMO_API_KEY });
    const { rows } = await db.query<Session>('SELECT Id, Status, AmountTotal FROM CheckoutSession');
    const id: string = rows[0]!.Id;
    // @ts-expect-error: not a column of Session
    void rows[0]!.Nope;
    const plain = await db.query('SELECT Id FROM CheckoutSession');
    const value: SqlValue | undefined = plain.rows[0]!['Anything'];
    for await (const row of db.stream<Session>('SELECT Id, Status, AmountTotal FROM CheckoutSession')) {
      const amount: number | null = row.AmountTotal;
      // @ts-expect-error: AmountTotal is number | null, not string
      const wrong: string = row.AmountTotal;
      void amount, wrong;
    }
    const arrays = await db.query('SELECT Id FROM CheckoutSession', undefined, { rowMode: 'array' });
    const cell: SqlValue | undefined = arrays.rows[0]![0];
    return [id, value, cell];
  };
  assert.equal(typeof typed, 'function');
});

test('package.json: exports . and ./emulator from the build, the bin, engines that require() can meet', () => {
  assert.deepEqual(pkg.exports['.'], { types: './dist/src/index.d.ts', default: './dist/src/index.js' });
  assert.deepEqual(pkg.exports['./emulator'], { types: './dist/src/emulator.d.ts', default: './dist/src/emulator.js' });
  // Each built file comes from the source file of the same path.
  for (const entry of ['.', './emulator']) {
    const built = (pkg.exports[entry] as { default: string }).default;
    assert.ok(existsSync(new URL(`../${built.replace('./dist/', '').replace(/\.js$/, '.ts')}`, import.meta.url)), built);
  }
  assert.equal(pkg.bin['stripe-sql'], './dist/src/cli/main.js');
  // ESM only: require('stripe-sql') works where Node can require ES modules without a flag,
  // from 20.19; a CommonJS twin would give each module system its own copy of the shared
  // request budget and of the error classes (instanceof would fail across them).
  assert.equal(pkg.engines.node, '>=20.19');
  const [major, minor] = process.versions.node.split('.').map(Number);
  assert.ok(major! > 20 || (major === 20 && minor! >= 19), `running on ${process.versions.node}`);
});

test('the package ships the table reference (docs/tables.md) beside the build and the README', () => {
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const wanted of ['docs/tables.md', 'README.md', 'package.json']) assert.ok(files.includes(wanted), `${wanted} in ${files.filter((f) => !f.startsWith('dist/')).join(', ')}`);
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('src/')), 'no sources or tests');
});

test("require('stripe-sql') from CommonJS gives the same exports as import", () => {
  // The package refers to itself by name through its exports (the build that npm install makes).
  const script = "const m = require('stripe-sql'); console.log(JSON.stringify(Object.keys(m).sort()))";
  const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const names = JSON.parse(result.stdout) as string[];
  for (const name of ['connect', 'Connection', 'SqlError', 'StripeApiError', 'ConnectionError', 'PartialWriteError', 'BatchError']) {
    assert.ok(names.includes(name), name);
  }
});
