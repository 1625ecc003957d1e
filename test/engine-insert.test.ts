import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryTable, planStatement } from '../src/engine/index.js';
import { parse } from '../src/sql/parser.js';
import { ColumnValueError, type Column, type InsertRequest } from '../src/engine/table.js';
import { SqlError } from '../src/sql/errors.js';
import { catalogOf, plan, query, sessionColumns } from './engine-fixtures.js';
import { numericText } from './support/numeric-text.js';

const columns: Column[] = [
  ...sessionColumns,
  { name: 'ExpiresAt', type: 'Datetime' },
  { name: 'Price', type: 'Decimal' },
  { name: 'Quantity', type: 'Long' },
];

function table(options?: ConstructorParameters<typeof MemoryTable>[3]): MemoryTable {
  return new MemoryTable('Sessions', columns, [], options);
}

async function execute(sql: string, target: MemoryTable, params?: unknown[] | Record<string, unknown>) {
  const p = plan(sql, catalogOf(target), params);
  assert.equal(p.kind, 'write');
  if (p.kind !== 'write') throw new Error('unreachable');
  return p.execute({});
}

/** `at` is the 1-based column, or the text the error must point at (its last occurrence). */
function assertPlanError(sql: string, reason: string, at: number | string, target = table(), params?: unknown[]): void {
  const column = typeof at === 'number' ? at : sql.lastIndexOf(at) + 1;
  assert.throws(
    () => plan(sql, catalogOf(target), params),
    (error: unknown) => {
      assert.ok(error instanceof SqlError, String(error));
      assert.equal(error.reason, reason);
      assert.equal(error.column, column, `column of ${reason}`);
      return true;
    },
  );
  assert.equal(target.inserts.length, 0);
}

test('INSERT coerces each value to its column type and hands the table resolved names', async () => {
  const target = table();
  const result = await execute(
    "INSERT INTO sessions (status, Livemode, AmountTotal, Score, ExpiresAt, Price, Quantity, Email, AccountId) VALUES ('open', 'true', '42', '2.5', '2024-01-18 02:16:47', 3, ?, 12, @acct), ('x', 0, 7, 1, ?, '1.25', 9, NULL, NULL)",
    target,
    { 0: 5n, 1: new Date('2024-02-01T00:00:00Z'), acct: 'acct_1' },
  );
  assert.deepEqual(result, { rowsAffected: 2 });
  assert.deepEqual(target.inserts.map((insert) => ({ ...insert, rows: numericText(insert.rows) })), [
    {
      columns: ['Status', 'Livemode', 'AmountTotal', 'Score', 'ExpiresAt', 'Price', 'Quantity', 'Email', 'AccountId'],
      rows: [
        // Price is a Decimal: exact, as the text PostgreSQL prints.
        ['open', true, 42, 2.5, new Date('2024-01-18T02:16:47Z'), '3', 5, '12', 'acct_1'],
        ['x', false, 7, 1, new Date('2024-02-01T00:00:00Z'), '1.25', 9, null, null],
      ],
    },
  ]);
  assert.deepEqual(await query("SELECT Status, AmountTotal, Created FROM Sessions WHERE Livemode = TRUE", catalogOf(target)), [['open', 42, null]]);
});

test('positional parameters bind in INSERT values', async () => {
  const target = table();
  await execute('INSERT INTO Sessions (Status, AmountTotal) VALUES (?, ? * 2)', target, ['open', 21]);
  assert.deepEqual(target.inserts[0]!.rows, [['open', 42]]);
});

test('INSERT rejects unknown, duplicate and read-only columns, bad widths and non-constants before inserting', () => {
  assertPlanError("INSERT INTO Sessions (Stats) VALUES ('x')", 'Unknown column Stats in Sessions (did you mean Status?)', 'Stats');
  assertPlanError("INSERT INTO Sessions (Status, status) VALUES ('x', 'y')", 'Column Status is listed more than once', 'status');
  assertPlanError("INSERT INTO Sessions (Status, Id) VALUES ('x', 'cs_1')", 'Column Id is read-only and cannot be inserted', 'Id');
  assertPlanError('INSERT INTO Sessions (Status) VALUES (Email)', 'Column Email cannot be used here: INSERT values must be constants or parameters', 'Email');
  assertPlanError("INSERT INTO Sesions (Status) VALUES ('x')", 'Unknown table Sesions (did you mean Sessions?)', 'Sesions');
  assertPlanError('INSERT INTO Sessions (Status) VALUES (?)', 'No value given for parameter ?1', '?');
});

test('a value that cannot be coerced is an error at the value naming the column', () => {
  assertPlanError("INSERT INTO Sessions (Status, AmountTotal) VALUES ('x', 'many')", "'many' is not a valid Integer (column AmountTotal)", "'many'");
  assertPlanError('INSERT INTO Sessions (AmountTotal) VALUES (4.5)', '4.5 is not a valid Integer (column AmountTotal)', '4.5');
  assertPlanError("INSERT INTO Sessions (Livemode) VALUES ('yes')", "'yes' is not a valid Boolean (column Livemode)", "'yes'");
  assertPlanError('INSERT INTO Sessions (Livemode) VALUES (2)', '2 is not a valid Boolean (column Livemode)', '2');
  assertPlanError("INSERT INTO Sessions (ExpiresAt) VALUES ('tomorrow')", "'tomorrow' is not a valid Datetime (column ExpiresAt)", "'tomorrow'");
  assertPlanError('INSERT INTO Sessions (ExpiresAt) VALUES (1705544207)', '1705544207 is not a valid Datetime (column ExpiresAt)', '1705544207');
  assertPlanError("INSERT INTO Sessions (Price) VALUES ('1.2.3')", "'1.2.3' is not a valid Decimal (column Price)", "'1.2.3'");
});

test('a VALUES row whose width differs from the column list is rejected (AST built past the parser)', () => {
  const sql = "INSERT INTO Sessions (Status, Email) VALUES ('x', 'y'), ('z', 'w')";
  const stmt = parse(sql);
  assert.equal(stmt.kind, 'insert');
  if (stmt.kind !== 'insert') return;
  stmt.rows[1]!.pop();
  const target = table();
  assert.throws(
    () => planStatement(stmt, sql, catalogOf(target)),
    (error: unknown) =>
      error instanceof SqlError && error.reason === 'VALUES row 2 has 1 value but 2 columns are listed' && error.column === sql.indexOf("'z'") + 1,
  );
});

test('a table without insert() rejects INSERT', () => {
  assertPlanError("INSERT INTO Sessions (Status) VALUES ('x')", 'Table Sessions does not support INSERT', 13, table({ readOnly: true }));
});

test('ColumnValueError from the table becomes a SqlError at the column, sync or async', async () => {
  for (const mode of ['sync', 'async'] as const) {
    const target = table();
    target.insert = (request: InsertRequest) => {
      const error = new ColumnValueError('Email', 'must contain @', request.rows.length > 1 ? 1 : undefined);
      if (mode === 'sync') throw error;
      return Promise.reject(error);
    };
    await assert.rejects(
      execute("INSERT INTO Sessions (Status, email) VALUES ('a', 'b'), ('c', 'd')", target),
      (error: unknown) => {
        assert.ok(error instanceof SqlError, String(error));
        assert.equal(error.reason, 'Column Email: must contain @ (row 2)');
        assert.equal(error.column, 31);
        return true;
      },
    );
    await assert.rejects(execute("INSERT INTO Sessions (Email) VALUES ('b')", target), (error: unknown) => {
      assert.ok(error instanceof SqlError);
      assert.equal(error.reason, 'Column Email: must contain @');
      return true;
    });
  }
  const failing = table();
  failing.insert = () => Promise.reject(new Error('network down'));
  await assert.rejects(execute("INSERT INTO Sessions (Status) VALUES ('a')", failing), /network down/);
});

test('INSERT explain names the table, columns and row count', () => {
  const p = plan("INSERT INTO Sessions (Status, Email) VALUES ('a', 'b'), ('c', 'd')", catalogOf(table()));
  assert.deepEqual(p.explain(), ['Insert into Sessions (Status, Email): 2 rows']);
});
