// How the wire server takes rows from the connection (src/pg/rows.ts): the connection hands
// them over one awaited callback per batch (a batch may be one row), the session takes all
// that are at hand at once (one DataRow buffer), and a consumer that stops reading stops the
// producer at the high-water mark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HIGH_WATER, pullRows, rowsAt, type WireRow } from '../src/pg/rows.js';

/** A producer like the connection's, one row per batch: each push awaited; reports when a push had to wait. */
function producer(count: number, onBlocked?: (produced: number) => void) {
  let produced = 0;
  const source = pullRows(async (push) => {
    for (let i = 0; i < count; i++) {
      const waiting = push([[i]]);
      produced++;
      if (waiting) {
        onBlocked?.(produced);
        await waiting;
      }
    }
    return { rowCount: count };
  }, () => {});
  return { source, produced: () => produced };
}

test('batches pushed by the connection come out whole, however many rows each has', async () => {
  const source = pullRows(async (push) => {
    for (let start = 0; start < 1000; start += 100) await push(Array.from({ length: 100 }, (_, i) => [start + i]));
    return { rowCount: 1000 };
  }, () => {});
  const batches: WireRow[][] = [];
  for (let batch = await source.nextBatch(100_000); batch; batch = await source.nextBatch(100_000)) batches.push(batch);
  assert.deepEqual(batches.flat().map((r) => r[0]), Array.from({ length: 1000 }, (_, i) => i));
  // Never split: each batch taken is one or more batches pushed.
  assert.ok(batches.every((b) => b.length % 100 === 0), batches.map((b) => b.length).join(' '));
});

test('rows pushed one callback at a time are taken in a few batches, in order', async () => {
  const { source } = producer(5000);
  const batches: WireRow[][] = [];
  for (let batch = await source.nextBatch(100_000); batch; batch = await source.nextBatch(100_000)) batches.push(batch);
  assert.deepEqual(batches.flat().map((r) => r[0]), Array.from({ length: 5000 }, (_, i) => i));
  // One wake-up per high-water mark (or per turn of the event loop), not one per row.
  assert.ok(batches.length <= Math.ceil(5000 / HIGH_WATER) + 2, `${batches.length} batches`);
  assert.deepEqual(source.outcome, { rowCount: 5000 });
});

test('a batch is at most what was asked for, and at least one row', async () => {
  const { source } = producer(10);
  assert.equal((await source.nextBatch(3))!.length, 3);
  assert.equal((await source.nextBatch(0))!.length, 1);
  assert.deepEqual((await source.nextBatch(100))!.map((r) => r[0]), [4, 5, 6, 7, 8, 9]);
  assert.equal(await source.nextBatch(100), undefined);
});

test('a consumer that stops reading stops the producer at the high-water mark; reading half resumes it', async () => {
  let blocked!: (produced: number) => void;
  const firstBlock = new Promise<number>((resolve) => (blocked = resolve));
  const { source, produced } = producer(100_000, (n) => blocked(n));
  const first = await source.nextBatch(10);
  assert.equal(first!.length, 10);
  // The buffer filled while nobody read: the producer waits there, it does not run ahead.
  assert.equal(await firstBlock, HIGH_WATER);
  const secondBlock = new Promise<number>((resolve) => (blocked = resolve));
  await source.nextBatch(HIGH_WATER / 2 - 11);
  assert.equal(produced(), HIGH_WATER, 'still more than half full: still waiting');
  await source.nextBatch(1);
  // Half the buffer free: it goes on until the buffer is full again.
  assert.equal(await secondBlock, HIGH_WATER + HIGH_WATER / 2);
  source.close();
  assert.equal(await source.nextBatch(10), undefined);
});

test('an error of the statement reaches the consumer after the rows before it', async () => {
  const source = pullRows(async (push) => {
    await push([['a']]);
    throw new Error('boom');
  }, () => {});
  assert.deepEqual(await source.nextBatch(10), [['a']]);
  await assert.rejects(source.nextBatch(10), /boom/);
});

test('rows at hand come out in batches of the size asked for', async () => {
  const source = rowsAt([[1], [2], [3]]);
  assert.deepEqual(await source.nextBatch(2), [[1], [2]]);
  assert.deepEqual(await source.next(), [3]);
  assert.equal(await source.nextBatch(2), undefined);
  assert.deepEqual(source.outcome, { rowCount: 3 });
});
