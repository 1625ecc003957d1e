// Run by replica-kill.test.ts as its own process: a sync that prints a line for each page it has
// stored, so the test can kill it (SIGKILL) right after a chosen page.
import { connect } from '../../src/index.js';

const [baseUrl, path, tables] = process.argv.slice(2) as [string, string, string];
const db = connect({ apiKey: 'sk_test_replica_kill', baseUrl, cache: path, maxRequestsPerSecond: 1000 });
await db.sync({
  tables: tables.split(','),
  onProgress: (p) => {
    if (p.phase === 'rows') process.stdout.write(`${p.table} ${p.rows}\n`);
  },
});
await db.close();
process.stdout.write('done\n');
