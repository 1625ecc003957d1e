// Issue 12's "killed at random points": a sync in its own process, killed with SIGKILL after its
// 1st, 2nd, … 10th stored page, then run again, ends identical to a sync never interrupted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { useEmulator } from './e2e-helpers.js';
import { dumpReplica } from './support/replica-dump.js';

const CHILD = fileURLToPath(new URL('./support/replica-sync-child.ts', import.meta.url));
// 1 + 4 + 2 + 5 pages of the demo data: the kills land in every table.
const TABLES = 'Customers,CheckoutSession,Charges,CheckoutSessionLineItems';
const e2e = useEmulator();
const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-replica-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the child sync and kills it right after it reports its `page`-th stored page. */
function syncKilledAfter(path: string, page: number): Promise<{ signal: NodeJS.Signals | null; pages: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, e2e.emulator.url, path, TABLES], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pages: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      pages.push(line);
      if (pages.length === page) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ signal, pages }));
  });
}

describe('a sync killed and run again', () => {
  let reference: Record<string, string[]>;
  before(async () => {
    const path = join(dir, 'reference.db');
    const db = e2e.connectWith({ cache: path });
    await db.sync({ tables: TABLES.split(',') });
    await db.close();
    reference = dumpReplica(path);
  });

  for (let page = 1; page <= 10; page++) {
    test(`killed after page ${page}, then synced again: identical to an uninterrupted sync`, async () => {
      const path = join(dir, `killed-${page}.db`);
      const killed = await syncKilledAfter(path, page);
      assert.equal(killed.signal, 'SIGKILL', `the sync was still running at page ${page} (${killed.pages.join('; ')})`);
      assert.ok(!killed.pages.includes('done'));
      const db = e2e.connectWith({ cache: path });
      await db.sync({ tables: TABLES.split(',') });
      await db.close();
      assert.deepEqual(dumpReplica(path), reference);
    });
  }
});
