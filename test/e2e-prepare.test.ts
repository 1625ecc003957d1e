// Prepared statements against the emulator: parameter and result types before any value or
// request, each run's values pushed down like literals (the request log shows `customer=…`),
// and bad values refused before anything is sent.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError, PreparedStatement, SqlError } from '../src/index.js';
import { useEmulator, requestLines, ids, type StripeObject } from './e2e-helpers.js';

const e2e = useEmulator();
const LIST = '/v1/checkout/sessions';

beforeEach(() => e2e.emulator.clearLog());

function sessions(): StripeObject[] {
  return e2e.emulator.objects('checkout.session');
}

/** Two customers that have checkout sessions. */
function twoCustomers(): [string, string] {
  const customers = [...new Set(sessions().map((s) => s.customer).filter((c): c is string => typeof c === 'string'))];
  assert.ok(customers.length >= 2, 'the seed has sessions of two customers');
  return [customers[0]!, customers[1]!];
}

/** Asserts `run` rejects with a SqlError with this reason at this column, and that nothing was sent. */
async function refusedWithoutRequest(run: Promise<unknown>, reason: string | RegExp, column: number): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof SqlError, String(error));
    if (typeof reason === 'string') assert.equal(error.reason, reason);
    else assert.match(error.reason, reason);
    assert.equal(error.line, 1);
    assert.equal(error.column, column, `column of: ${error.reason}`);
    return true;
  });
  assert.deepEqual(requestLines(e2e.emulator.requestLog), []);
}

const BY_CUSTOMER = 'SELECT Id, AmountTotal, Created FROM CheckoutSession WHERE CustomerId = $1 AND AmountTotal >= $2 ORDER BY Created DESC LIMIT $3';

/** The 1-based column where `text` first appears in `sql`. */
function columnOf(sql: string, text: string): number {
  return sql.indexOf(text) + 1;
}

test('parameter and result types are known before any value, and preparing sends nothing', () => {
  const statement = e2e.db.prepare(BY_CUSTOMER);
  assert.ok(statement instanceof PreparedStatement);
  assert.deepEqual(statement.parameters, [
    { index: 1, type: 'String' },
    { index: 2, type: 'Integer' },
    { index: 3, type: 'Integer' },
  ]);
  assert.deepEqual(statement.columns, [
    { name: 'Id', type: 'String' },
    { name: 'AmountTotal', type: 'Integer' },
    { name: 'Created', type: 'Datetime' },
  ]);
  assert.deepEqual(e2e.emulator.requestLog, []);
});

test('each run pushes its values down like literals: the request carries customer=…', async () => {
  const statement = e2e.db.prepare(BY_CUSTOMER);
  for (const customer of twoCustomers()) {
    e2e.emulator.clearLog();
    // Values as a PostgreSQL client sends them, text: converted to each parameter's type.
    const { columns, rows } = await statement.query([customer, '0', '100']);
    const expected = sessions()
      .filter((s) => s.customer === customer && typeof s.amount_total === 'number')
      .sort((a, b) => Number(b.created) - Number(a.created));
    assert.deepEqual(rows.map((r) => r.Id), ids(expected));
    assert.deepEqual(columns, statement.columns);
    const withParameters = requestLines(e2e.emulator.requestLog);
    assert.deepEqual(withParameters, [`GET ${LIST}?customer=${customer}&limit=100`]);

    e2e.emulator.clearLog();
    await e2e.db.query(BY_CUSTOMER.replace('$1', `'${customer}'`).replace('$2', '0').replace('$3', '100'));
    assert.deepEqual(requestLines(e2e.emulator.requestLog), withParameters);
  }
});

test('Id = $1 is one retrieve; a table that lists only by id can be prepared before its id is known', async () => {
  const [session] = sessions();
  const byId = e2e.db.prepare('SELECT Id, Status FROM CheckoutSession WHERE Id = $1');
  assert.deepEqual((await byId.query([session!.id])).rows, [{ Id: session!.id, Status: session!.status }]);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET ${LIST}/${String(session!.id)}`]);

  // Mandates has no list endpoint: without its Id the query is refused, with a parameter it is not.
  const mandate = e2e.db.prepare('SELECT Id, Status FROM Mandates WHERE Id = $1');
  assert.deepEqual(mandate.parameters, [{ index: 1, type: 'String' }]);
  assert.deepEqual(mandate.columns.map((c) => c.name), ['Id', 'Status']);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`GET ${LIST}/${String(session!.id)}`]);
});

test('a value of the wrong type is refused before any request, naming the parameter', async () => {
  const [customer] = twoCustomers();
  const statement = e2e.db.prepare(BY_CUSTOMER);
  await refusedWithoutRequest(statement.query([customer, 'lots', 10]), "Parameter $2 must be an Integer, not 'lots'", columnOf(BY_CUSTOMER, '$2'));
  await refusedWithoutRequest(statement.query([customer, 0, 2.5]), 'Parameter $3 must be an Integer, not 2.5', columnOf(BY_CUSTOMER, '$3'));
  await refusedWithoutRequest(statement.execute([customer, 0, { n: 1 }]), 'Parameter $3 has an unsupported type (object)', columnOf(BY_CUSTOMER, '$3'));
  await refusedWithoutRequest(statement.stream([customer, 'x', 1]).next(), "Parameter $2 must be an Integer, not 'x'", columnOf(BY_CUSTOMER, '$2'));
});

test('more values than parameters, or fewer, is refused before any request', async () => {
  const statement = e2e.db.prepare(BY_CUSTOMER);
  await refusedWithoutRequest(statement.query(['cus_1', 0, 10, 'extra']), '4 values given but the statement has 3 ($1, $2, $3)', columnOf(BY_CUSTOMER, '$3'));
  await refusedWithoutRequest(statement.query(['cus_1']), 'No value given for parameters $2, $3', columnOf(BY_CUSTOMER, '$2'));
  await refusedWithoutRequest(statement.query(), 'No value given for parameters $1, $2, $3', columnOf(BY_CUSTOMER, '$1'));
  // The same checks hold without prepare().
  await refusedWithoutRequest(e2e.db.query('SELECT Id FROM CheckoutSession WHERE CustomerId = ?', ['cus_1', 'cus_2']), '2 values given but the statement has 1 (?1)', 51);
  await refusedWithoutRequest(e2e.db.query('SELECT Id FROM CheckoutSession WHERE CustomerId = $1 AND Status = ?', ['cus_1', 'open']), /^Cannot mix \? with \$n parameters/, 67);
});

test('INSERT takes each parameter as its column\'s type; execute() and RETURNING with values', async () => {
  const insert = e2e.db.prepare('INSERT INTO Customers (Email, Name, Balance) VALUES ($1, $2, $3)');
  assert.deepEqual(insert.parameters.map((p) => p.type), ['String', 'String', 'Integer']);
  assert.deepEqual(insert.columns, []);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), []);

  const { rowsAffected, lastInsertId } = await insert.execute(['prep1@x.test', 'Ada', '250']);
  assert.equal(rowsAffected, 1);
  assert.deepEqual(requestLines(e2e.emulator.requestLog), ['POST /v1/customers']);
  assert.equal(e2e.emulator.requestLog[0]!.body, 'email=prep1%40x.test&name=Ada&balance=250');
  const created = e2e.emulator.objects('customer').find((c) => c.id === lastInsertId);
  assert.equal(created?.balance, 250);

  const returning = e2e.db.prepare('INSERT INTO Customers (Email) VALUES (@email) RETURNING Id, Email');
  assert.deepEqual(returning.parameters, [{ name: 'email', type: 'String' }]);
  assert.deepEqual(returning.columns, [
    { name: 'Id', type: 'String' },
    { name: 'Email', type: 'String' },
  ]);
  const { rows } = await returning.query({ email: 'prep2@x.test' }, { rowMode: 'array' });
  assert.equal(rows.length, 1);
  assert.equal(rows[0]![1], 'prep2@x.test');
  e2e.emulator.clearLog();
  await refusedWithoutRequest(e2e.db.prepare('INSERT INTO Customers (Balance) VALUES (?)').execute(['lots']), "Parameter ?1 must be an Integer, not 'lots'", 41);
});

test('UPDATE and EXEC prepared: SET and procedure parameters typed, required arguments awaited', async () => {
  const update = e2e.db.prepare('UPDATE Customers SET Balance = $1, Description = $2 WHERE Id = $3');
  assert.deepEqual(update.parameters.map((p) => p.type), ['Integer', 'String', 'String']);
  const expire = e2e.db.prepare('EXEC ExpireCheckoutSession @CheckoutSessionId = @id');
  assert.deepEqual(expire.parameters, [{ name: 'id', type: 'String' }]);
  assert.equal(expire.columns[0]?.name, 'Success');
  assert.deepEqual(e2e.emulator.requestLog, []);

  const open = sessions().find((s) => s.status === 'open');
  assert.ok(open, 'the seed has an open session');
  const { rows } = await expire.query({ id: open.id });
  assert.equal(rows[0]!.Status, 'expired');
  assert.deepEqual(requestLines(e2e.emulator.requestLog), [`POST ${LIST}/${String(open.id)}/expire`]);
});

test('stream() runs with values; ? is described by position; explain() shows what the values pushed', async () => {
  const [customer] = twoCustomers();
  const statement = e2e.db.prepare('SELECT Id FROM CheckoutSession WHERE CustomerId = ?');
  assert.deepEqual(statement.parameters, [{ index: 1, type: 'String' }]);
  const streamed: unknown[] = [];
  for await (const row of statement.stream([customer])) streamed.push(row.Id);
  assert.deepEqual(streamed, ids(sessions().filter((s) => s.customer === customer)));
  assert.match(statement.explain([customer]).join('\n'), new RegExp(`customer=${customer}`));
});

test('a statement with no parameters is prepared too; close() refuses later runs', async () => {
  const statement = e2e.db.prepare("SELECT COUNT(*) AS n FROM CheckoutSession WHERE Status = 'open'");
  assert.deepEqual(statement.parameters, []);
  assert.deepEqual(statement.columns, [{ name: 'n', type: 'Long' }]);
  const { rows } = await statement.query();
  assert.equal(rows[0]!.n, sessions().filter((s) => s.status === 'open').length);
  e2e.emulator.clearLog();
  await refusedWithoutRequest(statement.query(['extra']), '1 values given but the statement has no positional parameters', 1);
  statement.close();
  assert.equal(statement.closed, true);
  await assert.rejects(statement.query(), (error: unknown) => error instanceof ConnectionError && /Prepared statement is closed/.test(error.message));
});
