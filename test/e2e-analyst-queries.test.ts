// Typical analyst questions, written the PostgreSQL way (snake_case names, ::casts, ->>,
// intervals, FILTER, DISTINCT ON, windows…), run unchanged on stripe-sql over the demo data and
// on PostgreSQL (PGlite) holding the same rows: the answers must agree.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlValue } from '../src/index.js';
import { useEmulator } from './e2e-helpers.js';
import { PgOracle } from './support/pg-oracle.js';
import { compareResults } from './support/result-compare.js';

const e2e = useEmulator();
let oracle: PgOracle;

/** Our table → PostgreSQL's name for it, as a Stripe replica in PostgreSQL names them. */
const TABLES: Record<string, string> = {
  Customers: 'customers',
  Charges: 'charges',
  Invoices: 'invoices',
  Subscriptions: 'subscriptions',
  CheckoutSession: 'checkout_sessions',
  Prices: 'prices',
  Products: 'products',
  PaymentIntent: 'payment_intents',
};

const PG_TYPES: Record<string, string> = {
  String: 'text',
  Integer: 'integer',
  Long: 'bigint',
  Double: 'float8',
  Decimal: 'numeric',
  Boolean: 'boolean',
  Datetime: 'timestamptz',
};

const DATE_OID = 1082;

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();

before(async () => {
  oracle = await PgOracle.start();
  for (const [table, pgName] of Object.entries(TABLES)) {
    const columns = e2e.db.columns(table)!.filter((c) => !c.pseudo);
    await oracle.exec(`CREATE TABLE ${pgName} (${columns.map((c) => `${snake(c.name)} ${c.json ? 'jsonb' : PG_TYPES[c.type]}`).join(', ')})`);
    const { rows } = await e2e.db.query(`SELECT ${columns.map((c) => c.name).join(', ')} FROM ${table}`, [], { rowMode: 'array' });
    await oracle.insertRows(pgName, columns.map((c) => snake(c.name)), rows as SqlValue[][]);
  }
});

after(async () => {
  await oracle.close();
});

const QUESTIONS: { sql: string; keys?: number[] }[] = [
  { sql: "SELECT date_trunc('month', created)::date AS m, sum(amount) FROM charges GROUP BY 1 ORDER BY 1", keys: [0] },
  { sql: 'SELECT status, count(*) FROM charges GROUP BY status ORDER BY status', keys: [0] },
  { sql: 'SELECT count(*) FILTER (WHERE paid), count(*) FILTER (WHERE NOT paid), count(*) FROM charges' },
  { sql: 'SELECT currency, sum(amount)::numeric / 100 AS total FROM charges GROUP BY currency ORDER BY total DESC, currency', keys: [1, 0] },
  { sql: "SELECT metadata->>'segment' AS segment, count(*) FROM customers GROUP BY 1" },
  { sql: "SELECT id, email FROM customers WHERE email ILIKE '%@EXAMPLE.com' ORDER BY created DESC, id LIMIT 5", keys: [] },
  { sql: "SELECT customer_id, count(*) AS n, sum(amount_total) FROM checkout_sessions WHERE status = 'complete' GROUP BY customer_id HAVING count(*) > 1 ORDER BY n DESC, customer_id NULLS FIRST", keys: [1, 0] },
  { sql: 'SELECT EXTRACT(dow FROM created) AS dow, count(*) FROM charges GROUP BY 1 ORDER BY 1', keys: [0] },
  { sql: "SELECT to_char(created, 'YYYY-MM') AS month, count(*) FROM invoices GROUP BY 1 ORDER BY 1", keys: [0] },
  { sql: 'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount), percentile_disc(0.9) WITHIN GROUP (ORDER BY amount) FROM charges' },
  { sql: 'SELECT customer_id, count(DISTINCT currency), max(amount) FROM charges GROUP BY customer_id' },
  { sql: 'SELECT id, amount, LAG(amount) OVER (PARTITION BY customer_id ORDER BY created, id) AS previous FROM charges' },
  { sql: 'SELECT DISTINCT ON (customer_id) customer_id, id, created FROM charges WHERE customer_id IS NOT NULL ORDER BY customer_id, created DESC, id', keys: [0] },
  { sql: 'SELECT c.email, sum(ch.amount) AS spent FROM customers c JOIN charges ch ON ch.customer_id = c.id GROUP BY c.email ORDER BY 2 DESC, 1 LIMIT 10' },
  { sql: "SELECT id FROM charges WHERE created > (SELECT max(created) FROM charges) - INTERVAL '30 days'" },
  { sql: 'SELECT status, avg(amount_due), count(*) FROM invoices GROUP BY status ORDER BY status', keys: [0] },
  { sql: 'SELECT bool_or(livemode), bool_and(paid), every(amount > 0) FROM charges' },
  { sql: 'SELECT id, amount_refunded IS DISTINCT FROM 0 AS refunded FROM charges' },
  { sql: "SELECT id, current_period_end - current_period_start AS period FROM subscriptions WHERE current_period_end - current_period_start > INTERVAL '20 days'", keys: [] },
  { sql: 'SELECT id, GREATEST(amount, amount_refunded), LEAST(amount, 1000) FROM charges' },
  { sql: 'SELECT p.name, count(pr.id) FROM products p LEFT JOIN prices pr ON pr.product_id = p.id GROUP BY p.name ORDER BY 2 DESC, 1', keys: [1, 0] },
  { sql: 'SELECT unit_amount::numeric / 100 AS dollars, currency, id FROM prices WHERE unit_amount IS NOT NULL ORDER BY 1 DESC, 3 FETCH FIRST 5 ROWS ONLY', keys: [0, 2] },
  { sql: "SELECT date_part('year', created) AS y, count(*) FROM customers GROUP BY 1 ORDER BY 1", keys: [0] },
  { sql: "SELECT status, count(*), sum(amount) FILTER (WHERE status = 'succeeded') FROM payment_intents GROUP BY status ORDER BY status", keys: [0] },
  { sql: 'SELECT id, ntile(4) OVER (ORDER BY amount, id) AS quartile FROM charges' },
  {
    sql: "WITH monthly AS (SELECT date_trunc('month', created) AS m, sum(amount) AS revenue FROM charges GROUP BY 1) SELECT m, revenue, revenue - LAG(revenue) OVER (ORDER BY m) AS growth FROM monthly ORDER BY m",
    keys: [0],
  },
  { sql: "SELECT m::date, count(c.id) FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2024-12-01', INTERVAL '1 month') AS g(m) LEFT JOIN customers c ON date_trunc('month', c.created) = m GROUP BY 1 ORDER BY 1", keys: [0] },
];

test(`${QUESTIONS.length} analyst questions, written the PostgreSQL way, answer as PostgreSQL does on the same rows`, async () => {
  const problems: string[] = [];
  for (const { sql, keys } of QUESTIONS) {
    try {
      const result = await e2e.db.query(sql, [], { rowMode: 'array' });
      const ours = result.rows as SqlValue[][];
      const theirs = await oracle.query(sql);
      const problem = compareResults(ours, theirs, { keys: keys ?? [], cut: false });
      if (problem) problems.push(`${sql}\n  ${problem}`);
      // Values compare by instant, so the types say whether a day is a date, as in PostgreSQL.
      const dates = (await oracle.columnTypes(sql)).map((oid) => oid === DATE_OID);
      const ourDates = result.columns.map((c) => c.type === 'Date');
      if (dates.join() !== ourDates.join()) problems.push(`${sql}\n  date columns: ours ${ourDates}, PostgreSQL ${dates}`);
    } catch (error) {
      problems.push(`${sql}\n  ${(error as Error).message.split('\n')[0]}`);
    }
  }
  assert.deepEqual(problems, []);
});
