// node-postgres (`pg`) against `stripe-sql serve`: parameterized and prepared queries through
// the extended protocol, the type OIDs it announces, text and binary results, a cursor read
// through Execute row limits (pg-cursor), errors with SQLSTATE and position, and a cancel of
// a slow scan (CancelRequest on its own connection, as pg sends it).
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { nextRequest, usePgServer } from './pg-helpers.js';
import { requestLines } from './e2e-helpers.js';

const fx = usePgServer();

beforeEach(() => {
  fx.emulator.setLatency(0);
  fx.emulator.clearLog();
});

async function withClient<T>(use: (client: pg.Client) => Promise<T>, config: pg.ClientConfig = {}): Promise<T> {
  const client = new pg.Client({ host: '127.0.0.1', port: fx.port, user: 'analyst', database: 'stripe', ...config });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

type Customer = { id: string; email: string; created: number };
const customers = () => fx.emulator.objects('customer') as unknown as Customer[];

test('a parameterized query runs as a prepared statement: $1 is pushed down to Stripe like a literal', async () => {
  const target = customers()[3]!;
  await withClient(async (client) => {
    const result = await client.query('SELECT Id, Email, Created, Balance, Delinquent FROM Customers WHERE Email = $1', [target.email]);
    assert.deepEqual(result.rows, [{ Id: target.id, Email: target.email, Created: new Date(target.created * 1000), Balance: 0, Delinquent: false }]);
    assert.deepEqual(
      result.fields.map((f) => [f.name, f.dataTypeID]),
      [['Id', 25], ['Email', 25], ['Created', 1184], ['Balance', 23], ['Delinquent', 16]],
    );
    assert.equal(result.command, 'SELECT');
    assert.equal(result.rowCount, 1);
  });
  assert.deepEqual(requestLines(fx.emulator.requestLog), [`GET /v1/customers?email=${encodeURIComponent(target.email)}&limit=100`]);
});

test('a named prepared statement is parsed once and run with new values each time', async () => {
  const [a, b] = customers();
  await withClient(async (client) => {
    const query = (id: string) => client.query({ name: 'customer-by-id', text: 'SELECT Id, Email FROM Customers WHERE Id = $1', values: [id] });
    assert.deepEqual((await query(a!.id)).rows, [{ Id: a!.id, Email: a!.email }]);
    assert.deepEqual((await query(b!.id)).rows, [{ Id: b!.id, Email: b!.email }]);
    // The server keeps it: a Describe of the statement by name answers its types.
    const again = await query('cus_missing');
    assert.deepEqual(again.rows, []);
    assert.deepEqual(again.fields.map((f) => f.dataTypeID), [25, 25]);
  });
  assert.deepEqual(requestLines(fx.emulator.requestLog), [
    `GET /v1/customers/${a!.id}`,
    `GET /v1/customers/${b!.id}`,
    'GET /v1/customers/cus_missing',
  ]);
});

test('type OIDs: int8 counts, numeric, float8, bool, timestamptz, json columns; typed parameters are converted', async () => {
  await withClient(async (client) => {
    const result = await client.query(
      'SELECT COUNT(*) AS n, CAST(2.5 AS Decimal) AS d, CAST(0.25 AS Double) AS f, true AS b, CAST($1 AS Datetime) AS t, $2 + 1 AS i',
      ['2024-01-18 02:16:47.5+00', 41],
    );
    assert.deepEqual(
      result.fields.map((f) => [f.name, f.dataTypeID]),
      [['n', 20], ['d', 1700], ['f', 701], ['b', 16], ['t', 1184], ['i', 23]],
    );
    // pg reads int8 and numeric as strings: the text is PostgreSQL's.
    assert.deepEqual(result.rows, [{ n: '1', d: '2.5', f: 0.25, b: true, t: new Date('2024-01-18T02:16:47.500Z'), i: 42 }]);
    const json = await client.query('SELECT Id, Metadata FROM Customers LIMIT 1');
    assert.equal(json.fields[1]!.dataTypeID, 114);
    assert.deepEqual(json.rows[0]!.Metadata, {});
  });
});

test('numerics and bigints reach the client with every digit, parameters too', async () => {
  await withClient(async (client) => {
    const result = await client.query(
      'SELECT 0.1 + 0.2 AS a, 12345678901234567890.123456789 * 1 AS b, 1 / 3.0 AS c, 9223372036854775807 AS big, $1::numeric + 0.5 AS p, $2::bigint - 1 AS q',
      ['98765432109876543210.987654321', '9223372036854775807'],
    );
    assert.deepEqual(
      result.fields.map((f) => f.dataTypeID),
      [1700, 1700, 1700, 20, 1700, 20],
    );
    assert.deepEqual(result.rows, [{
      a: '0.3', b: '12345678901234567890.123456789', c: '0.33333333333333333333', big: '9223372036854775807', p: '98765432109876543211.487654321', q: '9223372036854775806',
    }]);
    await assert.rejects(client.query('SELECT 9223372036854775807 + 1'), (e: pg.DatabaseError) => e.code === '22003' && e.message === 'bigint out of range');
    await assert.rejects(client.query('SELECT 123.456::numeric(4,2)'), (e: pg.DatabaseError) => e.code === '22003' && /^numeric field overflow/.test(e.message));
  });
});

test('binary results: node-postgres is answered in binary for every column it asks so', async () => {
  await withClient(async (client) => {
    const sql = 'SELECT Id, Balance, Created, Delinquent, COUNT(*) OVER () AS n FROM Customers ORDER BY Id LIMIT 5';
    const text = await client.query(sql);
    const binary = await client.query({ text: sql, binary: true, queryMode: 'extended' } as pg.QueryConfig & { binary: boolean });
    assert.deepEqual(binary.fields.map((f) => [f.name, f.format]), [['Id', 'binary'], ['Balance', 'binary'], ['Created', 'binary'], ['Delinquent', 'binary'], ['n', 'binary']]);
    // pg reads a binary field as UTF-8 text before its binary parser sees it, so only the
    // columns whose bytes survive that compare here (text, bool, small ints); every binary
    // encoding is compared byte for byte with PostgreSQL's in pg-binary-oracle.test.ts.
    const comparable = (rows: Record<string, unknown>[]) => rows.map((r) => [r.Id, r.Balance, r.Delinquent]);
    assert.deepEqual(comparable(binary.rows), comparable(text.rows));
    assert.equal(binary.rows.length, 5);
  });
});

test('a date column is announced as date (OID 1082) and its text is the day: 2024-03-01', async () => {
  const raw = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
  const sql = "SELECT date_trunc('month', created)::date AS m, sum(amount) AS total FROM charges GROUP BY 1 ORDER BY 1";
  await withClient(async (client) => {
    const text = await client.query({ text: sql, types: raw });
    assert.equal(text.fields[0]!.dataTypeID, 1082);
    const months = [...new Set((fx.emulator.objects('charge') as unknown as { created: number }[]).map((c) => new Date(c.created * 1000).toISOString().slice(0, 7) + '-01'))].sort();
    assert.deepEqual(text.rows.map((r) => r.m), months);
    // Binary results need the extended protocol (a simple query always answers in text). pg
    // reads a binary DataRow field as UTF-8 text, so the bytes themselves are checked in
    // pg-protocol.test.ts; here the format and type the server announces.
    const binary = await client.query({ text: sql, types: raw, binary: true, queryMode: 'extended' } as pg.QueryConfig & { binary: boolean });
    assert.deepEqual(binary.fields.map((f) => [f.dataTypeID, f.format]), [[1082, 'binary'], [20, 'binary']]);
    assert.equal(binary.rows.length, months.length);
  });
});

test('a cursor reads through Execute row limits: PortalSuspended between reads, the same rows as one query', async () => {
  await withClient(async (client) => {
    const all = (await client.query('SELECT Id, Amount FROM Charges ORDER BY Id')).rows;
    assert.equal(all.length, fx.emulator.objects('charge').length);
    const cursor = client.query(new Cursor('SELECT Id, Amount FROM Charges ORDER BY Id'));
    const read: unknown[] = [];
    for (let batch = await cursor.read(40); batch.length > 0; batch = await cursor.read(40)) {
      assert.ok(batch.length <= 40);
      read.push(...batch);
    }
    await cursor.close();
    assert.deepEqual(read, all);
    // The connection is in order afterwards.
    assert.deepEqual((await client.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
  });
});

test('errors carry SQLSTATE and the 1-based position of the offending text', async () => {
  await withClient(async (client) => {
    const failure = async (sql: string, values?: unknown[]) => {
      try {
        await client.query(sql, values);
      } catch (error) {
        const e = error as pg.DatabaseError;
        return { code: e.code, position: e.position, severity: e.severity };
      }
      assert.fail(`${sql} did not fail`);
    };
    assert.deepEqual(await failure('SELECT Nope FROM Customers'), { code: '42703', position: '8', severity: 'ERROR' });
    assert.deepEqual(await failure('SELECT * FROM Nowhere'), { code: '42P01', position: '15', severity: 'ERROR' });
    assert.deepEqual(await failure('SELECT Id FROM Customers WHERE'), { code: '42601', position: '31', severity: 'ERROR' });
    assert.equal((await failure('SELECT Id FROM Customers WHERE Balance = $1', ['lots']))!.code, '22P02');
    assert.deepEqual(await failure("SELECT 'abc'::int"), { code: '22P02', position: '8', severity: 'ERROR' });
    assert.deepEqual(await failure("SELECT '2024-13-01'::timestamptz"), { code: '22007', position: '8', severity: 'ERROR' });
    // After each error the session is usable.
    assert.deepEqual((await client.query('SELECT 2 AS two')).rows, [{ two: 2 }]);
  });
  assert.deepEqual(fx.emulator.requestLog, [], 'no request for statements that failed before running');
});

test('a read-only connection refuses writes with 25006', async () => {
  const { PgServer } = await import('../src/pg/server.js');
  const { connect } = await import('../src/index.js');
  const { DEMO_API_KEY } = await import('../emulator/index.js');
  const server = await PgServer.start({ connect: () => connect({ apiKey: DEMO_API_KEY, baseUrl: fx.emulator.url, readonly: true }), port: 0 });
  try {
    const client = new pg.Client({ host: '127.0.0.1', port: server.address.port, user: 'analyst' });
    await client.connect();
    await assert.rejects(client.query("UPDATE Customers SET Description = 'x' WHERE Id = 'cus_1'"), (e: pg.DatabaseError) => e.code === '25006');
    await client.end();
  } finally {
    await server.close();
  }
  assert.deepEqual(fx.emulator.requestLog, []);
});

test('cancel stops a scan waiting on Stripe, and its Stripe requests with it', async () => {
  await withClient(async (client) => {
    // Each answer waits 2 s on the emulator's clock, which this test never moves: only the
    // cancel can end the statement.
    fx.emulator.setLatency(2_000);
    const started = once(fx.server, 'statement');
    const firstPage = nextRequest(fx.emulator);
    const scan = client.query('SELECT COUNT(*) FROM Charges').then(
      () => assert.fail('the scan was not canceled'),
      (error: pg.DatabaseError) => error,
    );
    await started;
    const request = await firstPage; // the scan is waiting on Stripe now
    // node-postgres's CancelRequest: a second connection carrying the session's BackendKeyData.
    const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
    const canceller = new pg.Connection() as pg.Connection & { connect(port: number, host: string): void; cancel(processId: number, secretKey: number): void };
    canceller.on('connect', () => canceller.cancel(processID, secretKey));
    canceller.connect(fx.port, '127.0.0.1');
    const error = await scan;
    assert.equal(error.code, '57014');
    assert.equal(error.message, 'canceling statement due to user request');
    assert.equal(fx.clock.now(), 0, 'no answer came: the clock never moved');
    fx.emulator.setLatency(0);
    // The page in flight was abandoned (never answered) and no other was asked for.
    assert.deepEqual(requestLines(fx.emulator.requestLog), ['GET /v1/charges?limit=100']);
    assert.equal(request.status, 0);
    assert.deepEqual((await client.query('SELECT 3 AS three')).rows, [{ three: 3 }]);
  });
});

test('statement_timeout (a startup setting pg sends) cancels with 57014 too', async () => {
  await withClient(
    async (client) => {
      fx.emulator.setLatency(2_000); // on the emulator's clock, which never moves: the page is never answered
      await assert.rejects(client.query('SELECT COUNT(*) FROM Charges'), (e: pg.DatabaseError) => e.code === '57014' && /statement timeout/.test(e.message));
      // The timeout, not an answer, ended it: the one page asked for is still unanswered.
      assert.deepEqual(fx.emulator.requestLog.map((r) => [r.path, r.status]), [['/v1/charges', 0]]);
    },
    { statement_timeout: 200 },
  );
});

test('BEGIN / COMMIT / ROLLBACK are accepted; an error inside a block fails it until ROLLBACK', async () => {
  await withClient(async (client) => {
    assert.equal((await client.query('BEGIN')).command, 'BEGIN');
    await assert.rejects(client.query('SELECT Nope FROM Customers'), (e: pg.DatabaseError) => e.code === '42703');
    await assert.rejects(client.query('SELECT 1'), (e: pg.DatabaseError) => e.code === '25P02');
    assert.equal((await client.query('ROLLBACK')).command, 'ROLLBACK');
    assert.deepEqual((await client.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
    await client.query('BEGIN');
    assert.equal((await client.query('COMMIT')).command, 'COMMIT');
  });
});

test('sessions are apart: each has its own temporary tables', async () => {
  await withClient(async (a) => {
    await withClient(async (b) => {
      await a.query('CREATE TEMP TABLE picks (id VARCHAR, n INT)');
      const insert = await a.query('INSERT INTO picks (id, n) VALUES ($1, $2), ($3, $4)', ['x', 1, 'y', 2]);
      assert.equal(insert.command, 'INSERT');
      assert.equal(insert.rowCount, 2);
      assert.deepEqual((await a.query('SELECT id, n FROM picks ORDER BY n')).rows, [{ id: 'x', n: 1 }, { id: 'y', n: 2 }]);
      await assert.rejects(b.query('SELECT * FROM picks'), (e: pg.DatabaseError) => e.code === '42P01');
    });
  });
});

test('settings and session statements: SET/SHOW, current_setting, DISCARD ALL drops temp tables, an empty query', async () => {
  await withClient(async (client) => {
    await client.query("SET application_name = 'report'");
    assert.deepEqual((await client.query('SHOW application_name')).rows, [{ application_name: 'report' }]);
    assert.deepEqual((await client.query("SELECT current_setting('application_name') AS a, current_user AS u, pg_backend_pid() AS p")).rows[0]!.a, 'report');
    await client.query('CREATE TEMP TABLE scratch (n INT)');
    await client.query('INSERT INTO scratch (n) VALUES (1)');
    assert.equal((await client.query('DISCARD ALL')).command, 'DISCARD');
    assert.deepEqual((await client.query('SHOW application_name')).rows, [{ application_name: '' }]);
    await assert.rejects(client.query('SELECT n FROM scratch'), (e: pg.DatabaseError) => e.code === '42P01');
    const empty = await client.query('');
    assert.equal(empty.command, null);
    await assert.rejects(client.query('SHOW no_such_setting'), (e: pg.DatabaseError) => e.code === '42704');
  });
});

test('a script of several statements in one simple query stops at the first error, with its position in the whole string', async () => {
  await withClient(async (client) => {
    const sql = 'CREATE TEMP TABLE t1 (n INT); INSERT INTO t1 (n) VALUES (1); SELECT Nope FROM t1; INSERT INTO t1 (n) VALUES (2)';
    await assert.rejects(client.query(sql), (e: pg.DatabaseError) => e.code === '42703' && e.position === String(sql.indexOf('Nope') + 1));
    assert.deepEqual((await client.query('SELECT n FROM t1')).rows, [{ n: 1 }]);
  });
});
