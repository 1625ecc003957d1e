// The JDBC driver itself against `stripe-sql serve`: Debian's pgjdbc (the driver under DBeaver,
// DataGrip, Metabase and Tableau's PostgreSQL connector), run as a single-file Java program
// (test/fixtures/jdbc/JdbcProbe.java) that makes the DatabaseMetaData calls those tools make on
// connect and browse, a prepared query and a plain one with typed getters. Every call must
// answer, and each answer is checked against what the connection says of its tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireProgram, run, usePgServer } from './pg-helpers.js';
import { connect } from '../src/index.js';
import { DEMO_API_KEY } from '../emulator/index.js';

const PROBE = fileURLToPath(new URL('./fixtures/jdbc/JdbcProbe.java', import.meta.url));
const DRIVER = '/usr/share/java/postgresql.jar';

type Answer = { rows: unknown[][] } | { error: string; message: string };

const pg = usePgServer();

async function probe(): Promise<Record<string, unknown>> {
  const java = requireProgram('/usr/bin/java', 'openjdk-17-jdk-headless');
  if (!existsSync(DRIVER)) throw new Error(`${DRIVER} is missing: install Debian's libpostgresql-jdbc-java (.ci/run does this)`);
  const result = await run(java, ['-cp', DRIVER, PROBE, String(pg.port)]);
  assert.equal(result.code, 0, result.stderr);
  return Object.assign({}, ...result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
}

test('pgjdbc: connects, browses and queries; every metadata call answers, with what the connection says of its tables', async () => {
  const answers = await probe();
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: pg.emulator.url });
  try {
    assert.deepEqual(answers.product, ['PostgreSQL', '16.0 (stripe-sql test)']);
    const call = (name: string) => answers[name] as Answer;

    // What it answers: the database, the columns of a table with their types and descriptions, the types.
    assert.deepEqual(call('getCatalogs'), { rows: [['stripe']] });
    const columns = (call('getColumns') as { rows: unknown[][] }).rows;
    // TABLE_NAME, COLUMN_NAME and ORDINAL_POSITION of getColumns: every column, pseudo-columns last and
    // REMARKS (the description) saying they are pseudo.
    const expected = db.columns('Customers')!;
    assert.deepEqual(columns.map((c) => [c[2], c[3], c[16]]), expected.map((c, i) => ['Customers', c.name, i + 1]));
    for (const [i, c] of expected.entries()) {
      assert.ok(String(columns[i]![11]).startsWith(c.description ?? ''), c.name);
      assert.equal(String(columns[i]![11]).includes('pseudo-column'), c.pseudo === true, c.name);
    }
    const typeOf = (name: string) => columns.find((c) => c[3] === name)?.[5];
    assert.deepEqual([typeOf('Id'), typeOf('Created'), typeOf('Balance'), typeOf('Delinquent'), typeOf('Metadata')], ['text', 'timestamptz', 'int4', 'bool', 'json']);
    const types = (call('getTypeInfo') as { rows: unknown[][] }).rows.map((t) => t[0]);
    for (const name of ['bool', 'int4', 'int8', 'numeric', 'text', 'timestamptz', 'date', 'json']) assert.ok(types.includes(name), name);

    // Foreign keys: Charges.CustomerId → Customers.Id, both ways (PKTABLE_CAT is NULL in this driver's query).
    const keyOf = (rows: unknown[][], fkTable: string, fkColumn: string) => rows.find((r) => r[6] === fkTable && r[7] === fkColumn)?.slice(0, 13);
    const imported = (call('getImportedKeys') as { rows: unknown[][] }).rows;
    const fk = [null, 'public', 'Customers', 'Id', null, 'public', 'Charges', 'CustomerId', 1, 3, 3, 'charges_customerid_fkey', 'customers_pkey'];
    assert.deepEqual(keyOf(imported, 'Charges', 'CustomerId'), fk);
    assert.ok(imported.every((r) => r[6] === 'Charges'));
    const exported = (call('getExportedKeys') as { rows: unknown[][] }).rows;
    assert.deepEqual(keyOf(exported, 'Charges', 'CustomerId'), fk);
    assert.ok(exported.every((r) => r[2] === 'Customers') && exported.some((r) => r[6] === 'CheckoutSession'));

    // Run by the SQL engine over the catalog tables (src/pg/catalog/engine.ts): the tables, then
    // the views, each with its description; the privileges the table takes (Customers takes
    // INSERT, UPDATE and DELETE) on it and its columns; no UDTs.
    const tables = (call('getTables') as { rows: unknown[][] }).rows;
    const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const named = (kind: string) => db.tables().filter((t) => t.kind === kind).sort((a, b) => byName(a.name, b.name));
    assert.deepEqual(
      tables.map((t) => [t[1], t[2], t[3], t[4]]),
      [...named('TABLE').map((t) => ['public', t.name, 'TABLE', t.description]), ...named('VIEW').map((t) => ['public', t.name, 'VIEW', t.description])],
    );
    const customers = db.tables().find((t) => t.name === 'Customers')!;
    assert.deepEqual([customers.insertable, customers.updatable, customers.deletable], [true, true, true]);
    const privileges = (call('getTablePrivileges') as { rows: unknown[][] }).rows;
    assert.deepEqual(privileges.map((p) => [p[2], p[5], p[6]]), ['DELETE', 'INSERT', 'SELECT', 'UPDATE'].map((p) => ['Customers', p, 'YES']));
    const columnPrivileges = (call('getColumnPrivileges') as { rows: unknown[][] }).rows;
    assert.deepEqual([...new Set(columnPrivileges.map((p) => String(p[3])))].sort(byName), db.columns('Customers')!.map((c) => c.name).sort(byName));
    assert.deepEqual(call('getUDTs'), { rows: [] });

    // The schemas; the primary key (Id), as a key, as the one unique index and as the best row identifier.
    assert.deepEqual(call('getSchemas'), { rows: [['information_schema', null], ['pg_catalog', null], ['public', null]] });
    assert.deepEqual(call('getPrimaryKeys'), { rows: [[null, 'public', 'Customers', 'Id', 1, 'customers_pkey']] });
    // TABLE_CAT … NON_UNIQUE, INDEX_QUALIFIER, INDEX_NAME, TYPE (3: other than hashed or clustered), ORDINAL_POSITION, COLUMN_NAME, ASC_OR_DESC, CARDINALITY, PAGES, FILTER_CONDITION.
    assert.deepEqual(call('getIndexInfo'), { rows: [[null, 'public', 'Customers', false, null, 'customers_pkey', 3, 1, 'Id', 'A', -1, 0, null]] });
    // SCOPE (2: session), COLUMN_NAME, DATA_TYPE (12: VARCHAR), TYPE_NAME, COLUMN_SIZE, BUFFER_LENGTH, DECIMAL_DIGITS, PSEUDO_COLUMN (1: not pseudo).
    assert.deepEqual(call('getBestRowIdentifier'), { rows: [[2, 'Id', 12, 'text', 2147483647, null, 0, 1]] });

    // The stored procedures, each with its description; there are no functions.
    const procedures = (await db.query<{ ProcedureName: string; Description: string | null }>('SELECT ProcedureName, Description FROM sys_procedures')).rows;
    assert.ok(procedures.length > 50);
    const listed = (call('getProcedures') as { rows: unknown[][] }).rows;
    // PROCEDURE_SCHEM, PROCEDURE_NAME, REMARKS, PROCEDURE_TYPE (2: returns a result); SPECIFIC_NAME is the name and its OID.
    assert.deepEqual(
      listed.map((p) => [p[1], p[2], p[6], p[7]]),
      procedures.sort((a, b) => byName(a.ProcedureName, b.ProcedureName)).map((p) => ['public', p.ProcedureName, p.Description || null, 2]),
    );
    assert.ok(listed.every((p) => new RegExp(`^${String(p[2])}_\\d+$`).test(String(p[8]))));
    assert.deepEqual(call('getFunctions'), { rows: [] });

    // Every other call answers.
    for (const [name, answer] of Object.entries(answers)) if (name.startsWith('get')) assert.ok('rows' in (answer as object), `${name} failed: ${JSON.stringify(answer)}`);

    // A prepared statement: parameter bound, result types described before it runs, rows as the library reads them.
    assert.deepEqual(answers.preparedColumns, [['Id', 'text'], ['Email', 'text'], ['Created', 'timestamptz'], ['Balance', 'int4']]);
    const library = await db.query<{ Id: string; Email: string; Created: Date; Balance: number }>(
      "SELECT Id, Email, Created, Balance FROM Customers WHERE Email LIKE '%@example.com' ORDER BY Id LIMIT 3",
    );
    assert.deepEqual(answers.preparedRows, library.rows.map((r) => [r.Id, r.Email, r.Created.getTime(), r.Balance]));
    // Dates and exact sums through getDate / getBigDecimal.
    const monthly = await db.query<{ m: Date; total: number; n: number }>(
      "SELECT date_trunc('month', created)::date AS m, sum(amount) AS total, count(*) AS n FROM charges GROUP BY 1 ORDER BY 1",
    );
    assert.ok(monthly.rows.length > 1);
    assert.deepEqual(answers.monthly, monthly.rows.map((r) => [r.m.toISOString().slice(0, 10), String(r.total), Number(r.n)]));
  } finally {
    await db.close();
  }
});
