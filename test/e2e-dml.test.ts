// UPDATE, DELETE, EXEC, RETURNING and SCOPE_IDENTITY() through the whole stack against the
// emulator: the rows returned, the exact requests made, and — for every rule — that a refused
// statement sends nothing at all.
import { test, beforeEach, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError, PartialWriteError, SqlError, StripeApiError } from '../src/index.js';
import { useEmulator, requestLines, type StripeObject } from './e2e-helpers.js';

const e2e = useEmulator();

beforeEach(() => e2e.emulator.clearLog());

/** A fresh customer to change (the seed's stay as they are for other tests). */
async function newCustomer(email: string, extra = ''): Promise<string> {
  const { lastInsertId } = await e2e.db.execute(`INSERT INTO Customers (Email, Name${extra ? ', Metadata' : ''}) VALUES ('${email}', 'Ada'${extra ? `, '${extra}'` : ''})`);
  e2e.emulator.clearLog();
  return lastInsertId!;
}

function customer(id: string): StripeObject | undefined {
  return e2e.emulator.objects('customer').find((c) => c.id === id);
}

function bodies(): string[] {
  return e2e.emulator.requestLog.map((r) => r.body ?? '');
}

/** Asserts `promise` rejects with a SqlError matching `reason` and that no request was sent. */
async function refusedWithoutRequest(promise: Promise<unknown>, reason: RegExp, column?: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SqlError, String(error));
    assert.match(error.reason, reason);
    if (column !== undefined) assert.equal(error.column, column);
    return true;
  });
  assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
}

describe('UPDATE', () => {
  test('WHERE Id = … writes straight away: one POST, no read first', async () => {
    const id = await newCustomer('upd1@x.test');
    const result = await e2e.db.execute(`UPDATE Customers SET Description = 'VIP', Phone = '+15550100' WHERE Id = '${id}'`);
    assert.equal(result.rowsAffected, 1);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), [`POST /v1/customers/${id}`]);
    assert.deepEqual(bodies(), ['description=VIP&phone=%2B15550100']);
    assert.match(e2e.emulator.requestLog[0]!.headers['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(customer(id)?.description, 'VIP');
    assert.equal(customer(id)?.phone, '+15550100');
  });

  test('a WHERE on other columns selects the Ids through pushdown, then writes each', async () => {
    const a = await newCustomer('same@x.test');
    const b = await newCustomer('same@x.test');
    const result = await e2e.db.execute(`UPDATE Customers SET Description = 'twin' WHERE Email = 'same@x.test'`);
    assert.equal(result.rowsAffected, 2);
    const lines = requestLines(e2e.emulator.requestLog);
    assert.equal(lines[0], 'GET /v1/customers?email=same%40x.test&limit=100');
    assert.deepEqual(lines.slice(1).sort(), [`POST /v1/customers/${a}`, `POST /v1/customers/${b}`].sort());
    assert.deepEqual(bodies().slice(1), ['description=twin', 'description=twin']);
  });

  test('a new value computed from the row reads the row first', async () => {
    const id = await newCustomer('expr@x.test');
    await e2e.db.execute(`UPDATE Customers SET Description = UPPER(Name) || ' <' || Email || '>' WHERE Id = ?`, [id]);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET /v1/customers/${id}`, `POST /v1/customers/${id}`]);
    assert.equal(customer(id)?.description, 'ADA <expr@x.test>');
  });

  test('no matching row: the read happens, no write, 0 rows affected', async () => {
    const result = await e2e.db.execute(`UPDATE Customers SET Description = 'x' WHERE Email = 'nobody@x.test'`);
    assert.equal(result.rowsAffected, 0);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), ['GET /v1/customers?email=nobody%40x.test&limit=100']);
  });

  test('contradictory keys need no request at all', async () => {
    const result = await e2e.db.execute(`UPDATE Customers SET Description = 'x' WHERE Id = 'cus_a' AND Id = 'cus_b'`);
    assert.equal(result.rowsAffected, 0);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
  });

  test('Metadata merges: keys given are set, a NULL key is removed, others stay', async () => {
    const id = await newCustomer('meta@x.test', '{"a":"1","b":"2"}');
    await e2e.db.execute(`UPDATE Customers SET Metadata = '{"b":null,"c":"3"}' WHERE Id = '${id}'`);
    assert.deepEqual(bodies(), ['metadata[b]=&metadata[c]=3']);
    assert.deepEqual(customer(id)?.metadata, { a: '1', c: '3' });
  });

  test('RETURNING gives the object Stripe sent back, mapped to columns, with expressions and aliases', async () => {
    const id = await newCustomer('ret@x.test');
    const result = await e2e.db.query(`UPDATE Customers SET Name = 'Grace' WHERE Id = '${id}' RETURNING Id, Name, LOWER(Name) AS lower_name, Email`);
    assert.deepEqual(result.columns.map((c) => c.name), ['Id', 'Name', 'lower_name', 'Email']);
    assert.deepEqual(result.rows, [{ Id: id, Name: 'Grace', lower_name: 'grace', Email: 'ret@x.test' }]);
    assert.equal(result.rowsAffected, 1);
    assert.equal(e2e.emulator.requestLog.length, 1);
  });

  test('a row Stripe refuses among several: the error names each Id and what happened to it', async () => {
    const a = await newCustomer('part-a@x.test');
    const b = await newCustomer('part-b@x.test');
    e2e.emulator.injectFaults({ count: 1, status: 400, method: 'POST', pathPrefix: `/v1/customers/${b}` });
    try {
      await assert.rejects(
        e2e.db.execute(`UPDATE Customers SET Description = 'p' WHERE Id IN ('${a}', '${b}', 'cus_missing')`),
        (error: unknown) => {
          assert.ok(error instanceof PartialWriteError, String(error));
          assert.equal(error.rowsAffected, 1);
          assert.deepEqual(error.succeededIds, [a]);
          assert.deepEqual(error.rows.map((r) => [r.id, r.ok]), [[a, true], [b, false], ['cus_missing', false]]);
          assert.match(error.message, new RegExp(`^UPDATE Customers: 1 of 3 rows written \\(${a}\\); row 2 \\(${b}\\): .+; row 3 \\(cus_missing\\): not found, nothing changed$`));
          return true;
        },
      );
    } finally {
      e2e.emulator.clearFaults();
    }
    // The three were in flight together (a statement writes several rows at once).
    assert.deepEqual(requestLines(e2e.emulator.requestLog).sort(), [`POST /v1/customers/${a}`, `POST /v1/customers/${b}`, 'POST /v1/customers/cus_missing'].sort());
    assert.equal(customer(a)?.description, 'p');
    assert.notEqual(customer(b)?.description, 'p');
  });

  test('UPDATE or DELETE of an Id Stripe does not have changes nothing: 0 rows, no error', async () => {
    assert.equal((await e2e.db.execute(`UPDATE Customers SET Description = 'p' WHERE Id = 'cus_nope'`)).rowsAffected, 0);
    assert.equal((await e2e.db.execute(`DELETE FROM Customers WHERE Id IN ('cus_nope', 'cus_nope2')`)).rowsAffected, 0);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), ['POST /v1/customers/cus_nope', 'DELETE /v1/customers/cus_nope', 'DELETE /v1/customers/cus_nope2']);
  });

  test('executeBatch runs one UPDATE per parameter set', async () => {
    const a = await newCustomer('batch-a@x.test');
    const b = await newCustomer('batch-b@x.test');
    const result = await e2e.db.executeBatch('UPDATE Customers SET Description = ? WHERE Id = ?', [['first', a], ['second', b]]);
    assert.equal(result.rowsAffected, 2);
    assert.deepEqual(requestLines(e2e.emulator.requestLog).sort(), [`POST /v1/customers/${a}`, `POST /v1/customers/${b}`].sort());
    assert.equal(customer(a)?.description, 'first');
    assert.equal(customer(b)?.description, 'second');
  });

  test('a single row Stripe refuses throws Stripe\'s own error', async () => {
    const id = await newCustomer('single@x.test');
    e2e.emulator.injectFaults({ count: 1, status: 400, method: 'POST', pathPrefix: `/v1/customers/${id}` });
    try {
      await assert.rejects(e2e.db.execute(`UPDATE Customers SET Description = 'p' WHERE Id = '${id}'`), (error: unknown) => error instanceof StripeApiError && error.status === 400);
    } finally {
      e2e.emulator.clearFaults();
    }
  });

  test('stream() yields the rows of UPDATE … RETURNING once the write is done', async () => {
    const id = await newCustomer('stream@x.test');
    const rows = [];
    for await (const row of e2e.db.stream(`UPDATE Customers SET Name = 'S' WHERE Id = '${id}' RETURNING Id, Name`)) rows.push(row);
    assert.deepEqual(rows, [{ Id: id, Name: 'S' }]);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), [`POST /v1/customers/${id}`]);
  });

  test('EXPLAIN ANALYZE runs the UPDATE and counts its requests: the read and the write', async () => {
    await newCustomer('analyze@x.test');
    const { rows } = await e2e.db.query(`EXPLAIN ANALYZE UPDATE Customers SET Name = 'A' WHERE Email = 'analyze@x.test'`);
    const lines = rows.map((r) => String(Object.values(r)[0]));
    assert.equal(lines[0], 'Update Customers set Name');
    assert.match(lines.at(-1)!, /^Actual: 1 row, [\d.]+ ms, 2 requests$/);
    assert.deepEqual(requestLines(e2e.emulator.requestLog).map((l) => l.split(' ')[0]), ['GET', 'POST']);
  });

  test('EXPLAIN says whether the rows are read first', () => {
    assert.deepEqual(e2e.db.explain(`UPDATE Customers SET Name = 'x' WHERE Id IN ('cus_1', 'cus_2')`), [
      'Update Customers set Name',
      "  by key, no read first: Id IN ('cus_1', 'cus_2')",
    ]);
    const lines = e2e.db.explain(`UPDATE Customers SET Name = 'x' WHERE Email = 'a@b.c'`);
    assert.equal(lines[0], 'Update Customers set Name');
    assert.equal(lines[1], '  rows from:');
    assert.ok(lines.some((l) => /email/i.test(l)), lines.join('\n'));
  });
});

describe('DELETE', () => {
  test('WHERE Id = … sends one DELETE; the customer is gone', async () => {
    const id = await newCustomer('del@x.test');
    const result = await e2e.db.execute(`DELETE FROM Customers WHERE Id = '${id}'`);
    assert.equal(result.rowsAffected, 1);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), [`DELETE /v1/customers/${id}`]);
    assert.equal(customer(id), undefined);
  });

  test('DELETE without FROM, by a pushed-down filter, deletes each match', async () => {
    const a = await newCustomer('gone@x.test');
    const b = await newCustomer('gone@x.test');
    const result = await e2e.db.execute(`DELETE Customers WHERE Email = 'gone@x.test'`);
    assert.equal(result.rowsAffected, 2);
    const lines = requestLines(e2e.emulator.requestLog);
    assert.equal(lines[0], 'GET /v1/customers?email=gone%40x.test&limit=100');
    assert.deepEqual(lines.slice(1).sort(), [`DELETE /v1/customers/${a}`, `DELETE /v1/customers/${b}`].sort());
  });
});

describe('rules are checked before any request', () => {
  for (const name of ['Charges', 'Prices', 'Refunds']) {
    test(`no DELETE on ${name}, even with a WHERE that would need a read`, async () => {
      await refusedWithoutRequest(e2e.db.execute(`DELETE FROM ${name} WHERE Created > '2024-01-01'`), new RegExp(`^${name} does not support DELETE`), 13);
    });
  }

  test('no INSERT where Stripe has no create endpoint (Events)', async () => {
    await refusedWithoutRequest(e2e.db.execute(`INSERT INTO Events (Type) VALUES ('x')`), /^Events does not support INSERT: Stripe has no create endpoint for event$/, 13);
  });

  test('no UPDATE on Refunds, even with a WHERE that would need a read', async () => {
    await refusedWithoutRequest(e2e.db.execute(`UPDATE Refunds SET Metadata = '{}' WHERE Amount > 1`), /Refunds cannot be updated/, 8);
  });

  test('a read-only column', async () => {
    await refusedWithoutRequest(e2e.db.execute(`UPDATE Customers SET Created = '2024-01-01' WHERE Email = 'a@b.c'`), /Created is read-only/, 22);
  });

  test('an unknown column, with a suggestion', async () => {
    await refusedWithoutRequest(e2e.db.execute(`UPDATE Customers SET Descripton = 'x' WHERE Id = 'cus_1'`), /Unknown column Descripton in Customers \(did you mean Description\?\)/, 22);
  });

  test('the Id cannot be changed', async () => {
    await refusedWithoutRequest(e2e.db.execute(`UPDATE Customers SET Id = 'cus_2' WHERE Id = 'cus_1'`), /Id/, 22);
  });

  test('a value of the wrong type', async () => {
    await refusedWithoutRequest(e2e.db.execute(`UPDATE Customers SET Balance = 'lots' WHERE Id = 'cus_1'`), /'lots' is not a valid (Long|Integer) \(column Balance\)/);
  });

  test('invalid JSON in a JSON column', async () => {
    await refusedWithoutRequest(e2e.db.execute(`UPDATE Customers SET Metadata = '{oops' WHERE Id = 'cus_1'`), /Metadata/);
  });

  test('a child object without its parent id (Cards need CustomerId)', async () => {
    await refusedWithoutRequest(e2e.db.execute(`DELETE FROM Cards WHERE Id = 'card_1'`), /Cards rows belong to a parent: give CustomerId = '…' as well as Id in WHERE/);
  });

  test('a write to a system table', async () => {
    await refusedWithoutRequest(e2e.db.execute(`DELETE FROM sys_tables WHERE TableName = 'Customers'`), /does not support DELETE/);
  });

  test('Readonly=true refuses UPDATE, DELETE and EXEC; not even the WHERE is read', async () => {
    const db = e2e.connectWith({ readonly: true });
    try {
      for (const sql of [
        `UPDATE Customers SET Name = 'x' WHERE Email = 'a@b.c'`,
        `DELETE FROM Customers WHERE Email = 'a@b.c'`,
        `EXEC ExpireCheckoutSession @CheckoutSessionId = 'cs_1'`,
        `INSERT INTO Customers (Email) SELECT Email FROM Customers`,
      ]) {
        await assert.rejects(db.execute(sql), (error: unknown) => error instanceof ConnectionError && /read-only \(Readonly=true\).*nothing was sent/.test(error.message), sql);
      }
      assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
    } finally {
      await db.close();
    }
  });
});

describe('INSERT … RETURNING and SCOPE_IDENTITY()', () => {
  test('RETURNING * gives every column of the created object', async () => {
    const result = await e2e.db.query(`INSERT INTO Customers (Email, Name) VALUES ('r1@x.test', 'R One') RETURNING *`);
    assert.equal(result.rowCount, 1);
    const row = result.rows[0]!;
    assert.match(String(row.Id), /^cus_/);
    assert.equal(row.Email, 'r1@x.test');
    assert.equal(row.Name, 'R One');
    assert.ok(row.Created instanceof Date);
    assert.ok(!('AccountId' in row), 'pseudo-columns are not part of *');
    assert.deepEqual(requestLines(e2e.emulator.requestLog), ['POST /v1/customers']);
  });

  test('several rows return one row each, in order; SCOPE_IDENTITY() is the last created Id', async () => {
    const result = await e2e.db.query(`INSERT INTO Customers (Email) VALUES ('r2@x.test'), ('r3@x.test') RETURNING Id, Email`);
    assert.deepEqual(result.rows.map((r) => r.Email), ['r2@x.test', 'r3@x.test']);
    const { rows } = await e2e.db.query('SELECT SCOPE_IDENTITY() AS id, LAST_INSERT_ID() AS same');
    assert.deepEqual(rows, [{ id: result.rows[1]!.Id, same: result.rows[1]!.Id }]);
    assert.equal(result.lastInsertId, result.rows[1]!.Id);
  });

  test('SCOPE_IDENTITY() can feed the next statement', async () => {
    await e2e.db.execute(`INSERT INTO Customers (Email) VALUES ('r4@x.test')`);
    const { rows } = await e2e.db.query('SELECT Email FROM Customers WHERE Id = SCOPE_IDENTITY()');
    assert.deepEqual(rows, [{ Email: 'r4@x.test' }]);
  });

  test('RETURNING an unknown column is a SqlError before anything is sent', async () => {
    await refusedWithoutRequest(e2e.db.query(`INSERT INTO Customers (Email) VALUES ('r5@x.test') RETURNING Nope`), /Unknown column Nope/);
  });
});

describe('EXEC', () => {
  function openSession(): string {
    const open = e2e.emulator.objects('checkout.session').find((s) => s.status === 'open');
    assert.ok(open, 'the seed has open sessions');
    return String(open.id);
  }

  test('ExpireCheckoutSession returns Success and the expired session', async () => {
    const id = openSession();
    const result = await e2e.db.query(`EXEC ExpireCheckoutSession @CheckoutSessionId = '${id}'`);
    assert.deepEqual(requestLines(e2e.emulator.requestLog), [`POST /v1/checkout/sessions/${id}/expire`]);
    assert.equal(result.rows.length, 1);
    assert.equal(result.rows[0]!.Success, true);
    assert.equal(result.rows[0]!.Id, id);
    assert.equal(result.rows[0]!.Status, 'expired');
    assert.equal(result.columns[0]!.name, 'Success');
  });

  test('EXECUTE with a bare parameter name and a bound value', async () => {
    const id = openSession();
    const result = await e2e.db.query('EXECUTE ExpireCheckoutSession CheckoutSessionId = @id', { id });
    assert.equal(result.rows[0]!.Status, 'expired');
  });

  test('an unknown procedure, an unknown parameter, a missing required one: SqlError, nothing sent', async () => {
    await refusedWithoutRequest(e2e.db.query(`EXEC ExpireCheckoutSesion @CheckoutSessionId = 'cs_1'`), /Unknown stored procedure ExpireCheckoutSesion \(did you mean ExpireCheckoutSession\?\)/, 6);
    await refusedWithoutRequest(e2e.db.query(`EXEC ExpireCheckoutSession @SessionId = 'cs_1'`), /ExpireCheckoutSession has no parameter SessionId/, 28);
    await refusedWithoutRequest(e2e.db.query(`EXEC ExpireCheckoutSession`), /ExpireCheckoutSession requires CheckoutSessionId/, 6);
  });
});

describe('Aggregate columns from a temporary table', () => {
  test("LineItemsAggregate = 'LineItems#TEMP' sends the temp table's rows as line_items", async () => {
    const price = String(e2e.emulator.objects('price').find((p) => p.type === 'one_time' && p.active === true)!.id);
    await e2e.db.execute(`INSERT INTO LineItems#TEMP (Price, Quantity) VALUES ('${price}', 2), ('${price}', 1)`);
    const result = await e2e.db.query(
      `INSERT INTO CheckoutSession (Mode, SuccessUrl, LineItemsAggregate) VALUES ('payment', 'https://example.com/ok', 'LineItems#TEMP') RETURNING Id, Mode`,
    );
    assert.deepEqual(requestLines(e2e.emulator.requestLog), ['POST /v1/checkout/sessions']);
    assert.equal(
      bodies()[0],
      `mode=payment&success_url=https%3A%2F%2Fexample.com%2Fok&line_items[0][price]=${price}&line_items[0][quantity]=2&line_items[1][price]=${price}&line_items[1][quantity]=1`,
    );
    assert.equal(result.rows[0]!.Mode, 'payment');
    assert.match(String(result.rows[0]!.Id), /^cs_test_/);
  });

  test('a temporary table that does not exist is refused, nothing sent', async () => {
    await refusedWithoutRequest(
      e2e.db.execute(`INSERT INTO CheckoutSession (Mode, SuccessUrl, LineItemsAggregate) VALUES ('payment', 'https://example.com/ok', 'Nope#TEMP')`),
      /LineItemsAggregate: no temporary table Nope#TEMP/,
    );
  });
});

describe('RETURNING a column Stripe sends only when asked', () => {
  test('INSERT INTO CheckoutSession … RETURNING LineItemsAggregate expands line_items on the create itself', async () => {
    const price = String(e2e.emulator.objects('price').find((p) => p.type === 'one_time' && p.active === true)!.id);
    const result = await e2e.db.query(
      `INSERT INTO CheckoutSession (Mode, SuccessUrl, LineItemsAggregate) VALUES ('payment', 'https://example.com/ok', '[{"price":"${price}","quantity":3}]') RETURNING Id, LineItemsAggregate`,
    );
    assert.deepEqual(requestLines(e2e.emulator.requestLog), ['POST /v1/checkout/sessions']);
    assert.match(bodies()[0]!, /&expand\[0\]=line_items$/);
    const items = JSON.parse(String(result.rows[0]!.LineItemsAggregate));
    assert.equal(items.length, 1);
    assert.equal(items[0].quantity, 3);
    assert.equal(items[0].price.id, price);
  });

  test('without such a column in RETURNING, nothing is expanded', async () => {
    await e2e.db.query(`INSERT INTO Customers (Email) VALUES ('noexpand@x.test') RETURNING Id, Email`);
    assert.equal(bodies()[0], "email=noexpand%40x.test");
  });
});

describe('objects derived from the one they act on', () => {
  test('a credit reversal lists under the financial account of the credit it reverses', async () => {
    const credit = e2e.emulator.objects('treasury.received_credit')[0];
    assert.ok(credit, 'the emulator seeds received credits');
    const { lastInsertId } = await e2e.db.execute(`INSERT INTO TreasuryCreditReversals (ReceivedCredit) VALUES ('${String(credit.id)}')`);
    const { rows } = await e2e.db.query('SELECT Id, Amount, Currency FROM TreasuryCreditReversals WHERE FinancialAccountId = ?', [String(credit.financial_account)]);
    assert.deepEqual(rows.filter((r) => r.Id === lastInsertId), [{ Id: lastInsertId, Amount: credit.amount, Currency: credit.currency }]);
  });
});
