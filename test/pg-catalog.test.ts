// Introspection beyond psql: the plain catalog queries tools and people send (Grafana's
// table and column pickers over information_schema, pg_catalog lookups with ::regclass,
// pg_settings), answered from the connection's tables(); other catalog queries run on the SQL
// engine over the same catalog tables, and are refused with 0A000 when they use what it lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { connect } from '../src/index.js';
import { DEMO_API_KEY } from '../emulator/index.js';
import { usePgServer } from './pg-helpers.js';

const fx = usePgServer();

async function query(sql: string, values?: unknown[]) {
  const client = new pg.Client({ host: '127.0.0.1', port: fx.port, user: 'analyst', database: 'stripe' });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

test('information_schema.tables and .columns: the tables() metadata, with $n parameters and names matched case-insensitively', async () => {
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: fx.emulator.url });
  try {
    const tables = await query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
    const expected = db.tables().filter((t) => t.kind === 'TABLE').map((t) => t.name).sort((a, b) => a.localeCompare(b));
    assert.deepEqual(tables.rows.map((r) => r.table_name), expected);
    const columns = await query('SELECT column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', ['public', 'customers']);
    assert.deepEqual(columns.rows.map((r) => r.column_name), db.columns('Customers')!.map((c) => c.name));
    assert.deepEqual(columns.rows.slice(0, 2), [
      { column_name: 'Id', data_type: 'text', ordinal_position: 1 },
      { column_name: 'AddressCity', data_type: 'text', ordinal_position: 2 },
    ]);
    assert.deepEqual(columns.fields.map((f) => f.dataTypeID), [25, 25, 23]);
  } finally {
    await db.close();
  }
});

test('pg_catalog tables answer plain queries: pg_attribute by ::regclass, pg_class, pg_type, pg_settings, pg_description', async () => {
  // BETWEEN is not among the plain forms: the engine runs it, to the same rows.
  const between = await query("SELECT attname, atttypid, attnotnull FROM pg_catalog.pg_attribute WHERE attrelid = 'Customers'::regclass AND attnum BETWEEN 1 AND 2 ORDER BY attnum");
  const first = await query("SELECT attname, atttypid, attnotnull FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attnum <= 2 ORDER BY attnum");
  assert.deepEqual(first.rows, [
    { attname: 'Id', atttypid: 25, attnotnull: true },
    { attname: 'AddressCity', atttypid: 25, attnotnull: false },
  ]);
  assert.deepEqual(between.rows, first.rows);
  const classes = await query("SELECT relname, relkind FROM pg_class WHERE relname ILIKE 'checkout%' ORDER BY relname");
  // Tables and views, and the index behind each table's primary key.
  assert.deepEqual(classes.rows, [
    { relname: 'CheckoutSession', relkind: 'r' },
    { relname: 'checkoutsession_pkey', relkind: 'i' },
    { relname: 'CheckoutSessionLineItems', relkind: 'v' },
    { relname: 'checkoutsessionlineitems_pkey', relkind: 'i' },
  ]);
  assert.deepEqual((await query("SELECT oid, typname FROM pg_type WHERE typname IN ('int8', 'timestamptz')  ORDER BY oid")).rows, [
    { oid: 20, typname: 'int8' },
    { oid: 1184, typname: 'timestamptz' },
  ]);
  assert.deepEqual((await query("SELECT setting FROM pg_settings WHERE name = 'standard_conforming_strings'")).rows, [{ setting: 'on' }]);
  const described = await query("SELECT description FROM pg_description WHERE objoid = 'Customers'::regclass AND objsubid = 0");
  assert.equal(described.rows.length, 1);
});

test('catalog queries no recogniser knows run on the engine: joins of qualified and bare catalog tables, subqueries, regular expressions, names matched case-insensitively', async () => {
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: fx.emulator.url });
  try {
    const joined = await query("SELECT c.relname, n.nspname FROM pg_catalog.pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname IN ('customers', 'CHARGES') ORDER BY c.relname");
    assert.deepEqual(joined.rows, [{ relname: 'Charges', nspname: 'public' }, { relname: 'Customers', nspname: 'public' }]);
    const tables = await query("SELECT count(*) AS n FROM pg_catalog.pg_class c, pg_catalog.pg_namespace n WHERE c.relnamespace = n.oid AND c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'");
    assert.equal(Number(tables.rows[0].n), db.tables().filter((t) => t.kind === 'TABLE').length);
    // pgjdbc 42.5.5's getTablePrivileges, verbatim: the table, its owner (the session's user), and the privileges it grants: read, and the writes the table takes.
    const privileges = await query(
      "SELECT n.nspname,c.relname,r.rolname,c.relacl  FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c, pg_catalog.pg_roles r  WHERE c.relnamespace = n.oid  AND c.relowner = r.oid  AND c.relkind IN ('r','p','v','m','f')  AND n.nspname LIKE 'public' AND c.relname LIKE 'customers' ORDER BY nspname, relname ",
    );
    assert.deepEqual(privileges.rows, [{ nspname: 'public', relname: 'Customers', rolname: 'analyst', relacl: '{analyst=arwd/analyst}' }]);
    // pgjdbc's type-map query: a correlated subquery on pg_class.
    const types = await query("SELECT t.typname,t.oid FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON (t.typnamespace = n.oid)  WHERE n.nspname  != 'pg_toast' AND  (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid))");
    assert.ok(types.rows.some((r) => r.typname === 'int4' && r.oid === 23));
    assert.ok(types.rows.some((r) => r.typname === 'timestamptz' && r.oid === 1184));
    // Object-name casts and the catalog's functions: regclass both ways, format_type, obj_description.
    const named = await query("SELECT 'pg_class'::regclass AS pg_class, 'pg_class'::regclass::text AS text, c.oid::regclass AS name, pg_catalog.format_type(a.atttypid, NULL) AS type, obj_description(c.oid, 'pg_class') = d.description AS described FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid LEFT JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0 WHERE c.oid = 'customers'::regclass AND a.attname = 'created'");
    assert.deepEqual(named.rows, [{ pg_class: '1259', text: 'pg_class', name: 'Customers', type: 'timestamp with time zone', described: true }]);
    const parameterized = await query('SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname = $1 AND a.attnum < 3 ORDER BY a.attnum', ['customers']);
    assert.deepEqual(parameterized.rows, [{ attname: 'Id' }, { attname: 'AddressCity' }]);
  } finally {
    await db.close();
  }
});

test("pgjdbc 42.5.5's getTables, verbatim: every table, a TABLE with its description, system catalogs left out", async () => {
  const db = connect({ apiKey: DEMO_API_KEY, baseUrl: fx.emulator.url });
  try {
    const sql =
      "SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,  CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema'  WHEN true THEN CASE  WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TABLE'   WHEN 'v' THEN 'SYSTEM VIEW'   WHEN 'i' THEN 'SYSTEM INDEX'   ELSE NULL   END  WHEN n.nspname = 'pg_toast' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TOAST TABLE'   WHEN 'i' THEN 'SYSTEM TOAST INDEX'   ELSE NULL   END  ELSE CASE c.relkind   WHEN 'r' THEN 'TEMPORARY TABLE'   WHEN 'p' THEN 'TEMPORARY TABLE'   WHEN 'i' THEN 'TEMPORARY INDEX'   WHEN 'S' THEN 'TEMPORARY SEQUENCE'   WHEN 'v' THEN 'TEMPORARY VIEW'   ELSE NULL   END  END  WHEN false THEN CASE c.relkind  WHEN 'r' THEN 'TABLE'  WHEN 'p' THEN 'PARTITIONED TABLE'  WHEN 'i' THEN 'INDEX'  WHEN 'P' then 'PARTITIONED INDEX'  WHEN 'S' THEN 'SEQUENCE'  WHEN 'v' THEN 'VIEW'  WHEN 'c' THEN 'TYPE'  WHEN 'f' THEN 'FOREIGN TABLE'  WHEN 'm' THEN 'MATERIALIZED VIEW'  ELSE NULL  END  ELSE NULL  END  AS TABLE_TYPE, d.description AS REMARKS,  '' as TYPE_CAT, '' as TYPE_SCHEM, '' as TYPE_NAME, '' AS SELF_REFERENCING_COL_NAME, '' AS REF_GENERATION  FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c  LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0  and d.classoid = 'pg_class'::regclass)  WHERE c.relnamespace = n.oid  AND n.nspname LIKE 'public' AND c.relname LIKE '%' AND (false  OR ( c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )  OR ( c.relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' ) )  ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME ";
    const result = await query(sql);
    assert.equal(result.rows.length, db.tables().length);
    // Unquoted labels fold to lower case, as PostgreSQL folds them (pgjdbc reads them case-insensitively).
    const customers = result.rows.find((r) => r.table_name === 'Customers');
    assert.deepEqual(
      { schema: customers?.table_schem, type: customers?.table_type, remarks: customers?.remarks },
      { schema: 'public', type: 'TABLE', remarks: db.tables().find((t) => t.name === 'Customers')!.description },
    );
    // ORDER BY TABLE_TYPE, …, TABLE_NAME: the tables, then the views, each by name.
    const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const names = (kind: string) => db.tables().filter((t) => t.kind === kind).map((t) => t.name).sort(byName);
    assert.deepEqual(result.rows.map((r) => [r.table_type, r.table_name]), [...names('TABLE').map((n) => ['TABLE', n]), ...names('VIEW').map((n) => ['VIEW', n])]);
  } finally {
    await db.close();
  }
});

test('session functions tools call on connect; catalog queries using what the engine lacks are refused with 0A000', async () => {
  const client = new pg.Client({ host: '127.0.0.1', port: fx.port, user: 'analyst', database: 'stripe' });
  await client.connect();
  try {
    assert.deepEqual((await client.query('select current_schema(), session_user, current_database()')).rows, [{ current_schema: 'public', session_user: 'analyst', current_database: 'stripe' }]);
    // The search path as an array, and a subscript of it.
    const onPath = await client.query("SELECT current_schemas(true) AS path, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = (pg_catalog.current_schemas(true))[2] AND c.relname = 'customers'");
    assert.deepEqual(onPath.rows, [{ path: '{pg_catalog,public}', relname: 'Customers' }]);
    // Statistics views are not among the catalog tables.
    await assert.rejects(
      client.query('SELECT pid, state FROM pg_catalog.pg_stat_activity'),
      (e: pg.DatabaseError) => e.code === '0A000' && /sys_tables/.test(e.hint ?? '') && /pg_stat_activity/i.test(e.detail ?? ''),
    );
    await assert.rejects(client.query('SELECT nope FROM information_schema.tables'), (e: pg.DatabaseError) => e.code === '42703');
  } finally {
    await client.end();
  }
});
