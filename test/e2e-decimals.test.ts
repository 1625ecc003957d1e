// Stripe's decimal fields end to end: a price's unit_amount_decimal (a string on the wire) is
// read back with every digit as a Numeric, computed with exactly, and written back to Stripe as
// the exact string, both from a literal and from a parameter.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Numeric } from '../src/index.js';
import { useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();

const product = (): string => String((e2e.emulator.objects('product')[0] as { id: string }).id);

test('a decimal literal is sent to Stripe as its exact text, and read back with every digit', async () => {
  e2e.emulator.clearLog();
  const inserted = await e2e.db.execute(`INSERT INTO Prices (Currency, ProductId, UnitAmountDecimal) VALUES ('usd', '${product()}', 1234.567890123456)`);
  const creates = e2e.emulator.requestLog.filter((r) => r.method === 'POST');
  assert.equal(creates.length, 1);
  assert.match(creates[0]!.body, /(^|&)unit_amount_decimal=1234\.567890123456(&|$)/);
  const id = String(inserted.lastInsertId);
  const { rows } = await e2e.db.query(`SELECT UnitAmountDecimal AS d, UnitAmountDecimal * 3 AS triple, UnitAmountDecimal + 0.000000000001 AS next FROM Prices WHERE Id = '${id}'`);
  assert.equal(rows.length, 1);
  assert.ok(rows[0]!.d instanceof Numeric);
  assert.deepEqual(Object.values(rows[0]!).map(String), ['1234.567890123456', '3703.703670370368', '1234.567890123457']);
});

test('a decimal parameter given as text keeps its digits on the way to Stripe', async () => {
  e2e.emulator.clearLog();
  await e2e.db.execute('INSERT INTO Prices (Currency, ProductId, UnitAmountDecimal) VALUES ($1, $2, $3)', ['usd', product(), '0.000000000001']);
  const create = e2e.emulator.requestLog.find((r) => r.method === 'POST')!;
  assert.match(create.body, /(^|&)unit_amount_decimal=0\.000000000001(&|$)/);
});

test('decimals compare and sum exactly across the prices Stripe lists', async () => {
  const { rows } = await e2e.db.query("SELECT SUM(UnitAmountDecimal) AS total, COUNT(*) AS n FROM Prices WHERE UnitAmountDecimal = UnitAmount * 1.0 AND Currency = 'usd'");
  const { total: sum, n: count } = rows[0]!;
  assert.ok(Number(count) > 0);
  assert.ok(sum instanceof Numeric);
  const prices = e2e.emulator.objects('price') as { currency: string; unit_amount: number | null; unit_amount_decimal: string | null }[];
  const expected = prices.filter((p) => p.currency === 'usd' && p.unit_amount_decimal !== null && Number(p.unit_amount_decimal) === p.unit_amount);
  assert.equal(Number(count), expected.length);
  assert.equal(String(sum), String(expected.reduce((total, p) => total + BigInt(p.unit_amount_decimal!), 0n)));
});
