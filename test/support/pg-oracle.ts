// PGlite (PostgreSQL compiled to WebAssembly) as the oracle: load generated tables with COPY
// (fast enough for a million rows) and run queries, returning rows as arrays of plain values.
// The session runs in UTC with the C collation (PGlite's default), matching our engine's rules.

import { PGlite } from '@electric-sql/pglite';
import type { SqlValue } from '../../src/engine/table.js';
import { Numeric } from '../../src/engine/numeric.js';
import { createTableSql, type Dataset, type TableSpec } from './dataset.js';

const NUMERIC_OID = 1700;
const COPY_CHUNK_ROWS = 50_000;

export class PgOracle {
  private constructor(private readonly db: PGlite) {}

  static async start(): Promise<PgOracle> {
    const db = await PGlite.create();
    await db.exec("SET TIME ZONE 'UTC'");
    return new PgOracle(db);
  }

  async load(dataset: Dataset): Promise<void> {
    await this.loadRows(dataset.table, dataset.rows);
  }

  /** Creates the table and COPYs the rows in, in chunks, so a streamed table never sits whole in memory. */
  async loadRows(table: TableSpec, rows: Iterable<readonly SqlValue[]>): Promise<void> {
    await this.db.exec(createTableSql(table));
    const copy = async (lines: string[]): Promise<void> => {
      const blob = new Blob([lines.join('\n') + '\n']);
      await this.db.query(`COPY ${table.name} FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob });
    };
    let lines: string[] = [];
    for (const row of rows) {
      lines.push(csvLine(row));
      if (lines.length === COPY_CHUNK_ROWS) {
        await copy(lines);
        lines = [];
      }
    }
    if (lines.length > 0) await copy(lines);
    await this.db.exec(`ANALYZE ${table.name}`);
  }

  /** Runs a query; NUMERIC results (which PGlite hands back as text) become Numeric, exact. */
  async query(sql: string): Promise<SqlValue[][]> {
    const result = await this.db.query<unknown[]>(sql, [], { rowMode: 'array' });
    const numeric = result.fields.map((f) => f.dataTypeID === NUMERIC_OID);
    return result.rows.map((row) => row.map((value, i) => toSqlValue(value, numeric[i]!)));
  }

  /** The name of each column of a query's result. */
  async columnNames(sql: string): Promise<string[]> {
    const result = await this.db.query(sql);
    return result.fields.map((f) => f.name);
  }

  /** The type OID of each column of a query's result. */
  async columnTypes(sql: string): Promise<number[]> {
    const result = await this.db.query(sql);
    return result.fields.map((f) => f.dataTypeID);
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  /** Inserts rows one statement each, the values passed as parameters (types as PostgreSQL infers them from the columns). */
  async insertRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void> {
    const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders})`;
    for (const row of rows) await this.db.query(sql, row.map((v) => (v instanceof Date ? v.toISOString() : typeof v === 'object' && v !== null ? String(v) : v)));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function toSqlValue(value: unknown, numeric: boolean): SqlValue {
  if (value === null || value === undefined) return null;
  // numeric kept exact (every digit, its scale), to compare with ours as text; bigint as our engine holds it.
  if (numeric && typeof value === 'string') return Numeric.parse(value) ?? value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  return JSON.stringify(value);
}

function csvLine(row: readonly SqlValue[]): string {
  return row.map(csvField).join(',');
}

/** CSV as COPY reads it: an unquoted empty field is NULL, a quoted one is ''. */
function csvField(value: SqlValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return `"${value.replace(/"/g, '""')}"`;
  return String(value);
}
