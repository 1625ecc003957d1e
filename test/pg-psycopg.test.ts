// psycopg2 (Debian's python3-psycopg2) against `stripe-sql serve`: %s parameters (psycopg2
// interpolates them client-side and sends simple queries), its implicit BEGIN, a server-side
// (named) cursor read with DECLARE / FETCH / CLOSE, errors as psycopg2 exceptions with
// pgcode, and SCRAM: the right password connects, a wrong one is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireProgram, run, usePgServer, type PgFixture } from './pg-helpers.js';

const open = usePgServer();
const locked = usePgServer({ password: 'correct horse' });

/** Runs a Python snippet with `dsn` defined; it prints one JSON document. */
async function python(fixture: PgFixture, body: string, dsn = fixture.dsn): Promise<unknown> {
  const bin = requireProgram('/usr/bin/python3', 'python3');
  const script = `import json, sys, datetime\ntry:\n    import psycopg2\nexcept ImportError:\n    sys.exit("psycopg2 is missing: install Debian's python3-psycopg2 (apt-get install -y python3-psycopg2; .ci/run does this)")\ndsn = ${JSON.stringify(dsn)}\n${body}\n`;
  const result = await run(bin, ['-c', script]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

type Customer = { id: string; email: string; created: number };

test('%s parameters: the query and its values; timestamptz arrives as an aware datetime', async () => {
  const target = (open.emulator.objects('customer') as unknown as Customer[])[2]!;
  const out = await python(
    open,
    `conn = psycopg2.connect(dsn)
cur = conn.cursor()
cur.execute("SELECT Id, Email, Created, Balance, Delinquent FROM Customers WHERE Email = %s AND Balance >= %s", (${JSON.stringify(target.email)}, 0))
row = cur.fetchone()
types = [d.type_code for d in cur.description]
status = conn.get_transaction_status()
conn.rollback()
print(json.dumps({"row": [row[0], row[1], row[2].isoformat(), row[3], row[4]], "types": types, "status": status}))`,
  );
  assert.deepEqual(out, {
    row: [target.id, target.email, new Date(target.created * 1000).toISOString().replace('.000Z', '+00:00'), 0, false],
    types: [25, 25, 1184, 23, 16],
    status: 2, // psycopg2's TRANSACTION_STATUS_INTRANS: it sent BEGIN and the server reports 'T'
  });
});

test('a date column arrives as a datetime.date; a %s date parameter compares with created::date', async () => {
  const charges = open.emulator.objects('charge') as unknown as { created: number }[];
  const day = new Date(charges[0]!.created * 1000).toISOString().slice(0, 10);
  const out = await python(
    open,
    `conn = psycopg2.connect(dsn)
cur = conn.cursor()
cur.execute("SELECT created::date AS day, count(*) FROM charges WHERE created::date = %s GROUP BY 1", (datetime.date.fromisoformat(${JSON.stringify(day)}),))
rows = cur.fetchall()
conn.rollback()
print(json.dumps({"rows": [[type(r[0]).__name__, r[0].isoformat(), r[1]] for r in rows], "type": cur.description[0].type_code}))`,
  );
  const count = charges.filter((c) => new Date(c.created * 1000).toISOString().startsWith(day)).length;
  assert.deepEqual(out, { rows: [['date', day, count]], type: 1082 });
});

test('a server-side cursor: DECLARE … CURSOR, FETCH FORWARD n, CLOSE — the same rows as one query', async () => {
  const out = (await python(
    open,
    `conn = psycopg2.connect(dsn)
cur = conn.cursor()
cur.execute("SELECT Id FROM Charges ORDER BY Id")
everything = [r[0] for r in cur.fetchall()]
named = conn.cursor(name="charges_cursor")
named.itersize = 40
named.execute("SELECT Id FROM Charges ORDER BY Id")
first = [r[0] for r in named.fetchmany(7)]
rest = [r[0] for r in named]
named.close()
conn.commit()
print(json.dumps({"all": everything, "first": first, "rest": rest}))`,
  )) as { all: string[]; first: string[]; rest: string[] };
  assert.equal(out.all.length, open.emulator.objects('charge').length);
  assert.equal(out.first.length, 7);
  assert.deepEqual([...out.first, ...out.rest], out.all);
});

test('errors arrive as psycopg2 exceptions with the SQLSTATE; the transaction must be rolled back', async () => {
  const out = await python(
    open,
    `conn = psycopg2.connect(dsn)
cur = conn.cursor()
codes = []
for sql in ["SELECT * FROM Nowhere", "SELECT Nope FROM Customers", "SELECT FROM WHERE"]:
    try:
        cur.execute(sql)
    except psycopg2.Error as e:
        codes.append([type(e).__name__, e.pgcode])
        conn.rollback()
try:
    cur.execute("SELECT * FROM Nowhere")
except psycopg2.Error:
    pass
try:
    cur.execute("SELECT 1")
except psycopg2.Error as e:
    codes.append([type(e).__name__, e.pgcode])
conn.rollback()
cur.execute("SELECT 1")
print(json.dumps({"codes": codes, "after": cur.fetchone()[0]}))`,
  );
  assert.deepEqual(out, {
    codes: [
      ['UndefinedTable', '42P01'],
      ['UndefinedColumn', '42703'],
      ['SyntaxError', '42601'],
      ['InFailedSqlTransaction', '25P02'],
    ],
    after: 1,
  });
});

test("psycopg2's own statements: no SET DATESTYLE (the server reports ISO), BEGIN with the session's isolation and read-only flags, register_hstore's type lookup", async () => {
  // psycopg/connection_int.c sends SET DATESTYLE TO 'ISO' only when the DateStyle parameter does
  // not start with ISO; psycopg/pqpath.c pq_begin_locked builds BEGIN ISOLATION LEVEL … READ ONLY …;
  // lib/extras.py HstoreAdapter.get_oids reads pg_type by name and raises when hstore is missing.
  const out = await python(
    open,
    `import psycopg2.extras
conn = psycopg2.connect(dsn)
datestyle = conn.info.parameter_status("DateStyle")
conn.set_session(isolation_level="REPEATABLE READ", readonly=True, deferrable=False)
cur = conn.cursor()
cur.execute("SELECT COUNT(*) FROM Customers")
count = cur.fetchone()[0]
status = conn.get_transaction_status()
conn.rollback()
try:
    psycopg2.extras.register_hstore(conn)
    hstore = "registered"
except psycopg2.ProgrammingError as e:
    hstore = str(e)
cur = conn.cursor()
cur.execute("SELECT t.oid, typarray FROM pg_type t JOIN pg_namespace ns ON typnamespace = ns.oid WHERE typname = 'text'")
text = cur.fetchall()
conn.rollback()
print(json.dumps({"datestyle": datestyle, "count": count, "status": status, "hstore": hstore, "text": text}))`,
  );
  const { hstore, ...rest } = out as { hstore: string };
  assert.match(hstore, /^hstore type not found in the database/);
  assert.deepEqual(rest, { datestyle: 'ISO, MDY', count: open.emulator.objects('customer').length, status: 2, text: [[25, 1009]] });
});

test('with a password: SCRAM-SHA-256 lets the right one in and refuses a wrong one', async () => {
  const out = await python(
    locked,
    `results = {}
try:
    psycopg2.connect(dsn + " password=wrong")
    results["wrong"] = "connected"
except psycopg2.OperationalError as e:
    results["wrong"] = str(e).strip().split("failed: ", 1)[-1]
try:
    psycopg2.connect(dsn)
    results["none"] = "connected"
except psycopg2.OperationalError as e:
    results["none"] = str(e).strip().split("failed: ", 1)[-1]
conn = psycopg2.connect(dsn + " password='correct horse'")
cur = conn.cursor()
cur.execute("SELECT %s AS ok", ("yes",))
results["right"] = cur.fetchone()[0]
print(json.dumps(results))`,
  );
  assert.deepEqual(out, {
    wrong: 'FATAL:  password authentication failed for user "analyst"',
    none: 'fe_sendauth: no password supplied',
    right: 'yes',
  });
});
