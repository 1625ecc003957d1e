// Dates against the emulator: a WHERE on a timestamp's day (`created::date = DATE '…'`, BETWEEN
// two days, `created >= DATE '…'`) still sends Stripe a `created` range, and the library hands
// a date out as a Date at UTC midnight with column type Date.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { requestLines, useEmulator } from './e2e-helpers.js';

const e2e = useEmulator();

beforeEach(() => e2e.emulator.clearLog());

const seconds = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;
type Charge = { id: string; created: number };
const charges = (): Charge[] => e2e.emulator.objects('charge') as unknown as Charge[];
const dayOf = (c: Charge): string => new Date(c.created * 1000).toISOString().slice(0, 10);

/** A day that some charges fall on. */
function busyDay(): string {
  const counts = new Map<string, number>();
  for (const c of charges()) counts.set(dayOf(c), (counts.get(dayOf(c)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

test("created::date = DATE '…' asks Stripe for that day's created range and returns its charges", async () => {
  const day = busyDay();
  const { rows } = await e2e.db.query(`SELECT Id FROM Charges WHERE Created::date = DATE '${day}' ORDER BY Id`);
  assert.deepEqual(rows.map((r) => r.Id), charges().filter((c) => dayOf(c) === day).map((c) => c.id).sort());
  assert.ok(rows.length > 0);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET /v1/charges?created[gte]=${seconds(day)}&created[lt]=${seconds(day) + 86_400}&limit=100`]);
});

test("a day range, BETWEEN on days and >= DATE '…' are created ranges too", async () => {
  const cases: [string, string, (c: Charge) => boolean][] = [
    ["Created::date BETWEEN '2024-03-01' AND '2024-03-31'", `created[gte]=${seconds('2024-03-01')}&created[lt]=${seconds('2024-04-01')}`, (c) => dayOf(c) >= '2024-03-01' && dayOf(c) <= '2024-03-31'],
    ["Created::date > DATE '2024-05-31'", `created[gte]=${seconds('2024-06-01')}`, (c) => dayOf(c) > '2024-05-31'],
    ["Created::date <= DATE '2024-02-15'", `created[lt]=${seconds('2024-02-16')}`, (c) => dayOf(c) <= '2024-02-15'],
    ["Created >= DATE '2024-06-01'", `created[gte]=${seconds('2024-06-01')}`, (c) => dayOf(c) >= '2024-06-01'],
  ];
  for (const [where, range, expected] of cases) {
    e2e.emulator.clearLog();
    const { rows } = await e2e.db.query(`SELECT COUNT(*) AS n FROM Charges WHERE ${where}`);
    assert.equal(rows[0]!.n, charges().filter(expected).length, where);
    const lines = requestLines(e2e.emulator.requestLog);
    assert.ok(lines.length > 0 && lines.every((l) => l.startsWith(`GET /v1/charges?${range}&limit=100`)), `${where}: ${lines.join(', ')}`);
  }
});

test('the library gives a date as a Date at UTC midnight, its column typed Date', async () => {
  const result = await e2e.db.query("SELECT date_trunc('month', Created)::date AS m, COUNT(*) AS n FROM Charges GROUP BY 1 ORDER BY 1");
  assert.deepEqual(result.columns.map((c) => [c.name, c.type]), [['m', 'Date'], ['n', 'Long']]);
  const months = [...new Set(charges().map((c) => `${dayOf(c).slice(0, 7)}-01`))].sort();
  assert.deepEqual(result.rows.map((r) => r.m), months.map((m) => new Date(`${m}T00:00:00Z`)));
});
