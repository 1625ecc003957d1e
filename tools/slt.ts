// npm run slt — every sqllogictest record in test/slt/data/ against our engine, identifying as
// `postgresql`. Prints the pass rate per file and overall, and each failure that is not in
// test/slt/known-failures.ts. Options: a substring to pick files (`npm run slt -- evidence`),
// --max N records per file, --show N failures printed per file (default 5).

import { performance } from 'node:perf_hooks';
import { readSlt, runSlt, sltFiles, type SltFailure } from '../test/slt/runner.js';
import { knownFailure } from '../test/slt/known-failures.js';

function option(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : undefined;
}

const maxRecords = option('max');
const show = option('show') ?? 5;
const filter = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const files = sltFiles().filter((f) => filter === undefined || f.includes(filter));

let passed = 0;
let failed = 0;
let known = 0;
const started = performance.now();
for (const file of files) {
  const fileStart = performance.now();
  const result = await runSlt(file, readSlt(file), maxRecords !== undefined ? { maxRecords } : {});
  const unexpected: SltFailure[] = result.failures.filter((f) => !knownFailure(f));
  passed += result.passed;
  failed += result.failed;
  known += result.failed - unexpected.length;
  const total = result.passed + result.failed;
  const rate = total === 0 ? 100 : (100 * result.passed) / total;
  const seconds = ((performance.now() - fileStart) / 1000).toFixed(1);
  console.log(`${rate.toFixed(2).padStart(6)} %  ${String(result.passed).padStart(6)}/${String(total).padEnd(6)} ${file}  (${result.skipped} skipped as not for postgresql, ${seconds} s)`);
  for (const failure of unexpected.slice(0, show)) {
    console.log(`    line ${failure.line}: ${failure.problem}\n      ${failure.sql.replace(/\n/g, '\n      ').slice(0, 400)}`);
  }
  if (unexpected.length > show) console.log(`    … ${unexpected.length - show} more`);
}
const total = passed + failed;
console.log(`\noverall: ${((100 * passed) / Math.max(1, total)).toFixed(3)} % (${passed} of ${total} records; ${known} known failures listed with their reasons, ${failed - known} unexpected) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failed - known > 0 ? 1 : 0;
