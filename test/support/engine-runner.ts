// Runs SQL text through our parser and engine over in-memory tables: the side of the
// differential test (and of the function tests) that is ours.

import { MemoryTable, planStatement, type ParamValues, type QueryPlan } from '../../src/engine/index.js';
import type { Catalog, Column, Row, SqlValue, Table } from '../../src/engine/table.js';
import { parse } from '../../src/sql/parser.js';

export function catalogOf(...tables: Table[]): Catalog {
  return {
    getTable: (name) => tables.find((t) => t.name.toLowerCase() === name.toLowerCase()),
    tableNames: () => tables.map((t) => t.name),
  };
}

export function memoryTable(name: string, columns: Column[], rows: readonly (readonly SqlValue[])[]): MemoryTable {
  return new MemoryTable(name, columns, rows);
}

export function planQuery(sql: string, catalog: Catalog, params?: ParamValues): QueryPlan {
  const plan = planStatement(parse(sql), sql, catalog, params);
  if (plan.kind !== 'query') throw new Error(`expected a query: ${sql}`);
  return plan;
}

export async function runQuery(sql: string, catalog: Catalog, params?: ParamValues): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of planQuery(sql, catalog, params).rows({})) rows.push(row);
  return rows;
}

const noTables = catalogOf();

/** The single value of a one-row, one-column query without FROM (`SELECT UPPER('a')`). */
export async function scalar(expression: string, params?: ParamValues): Promise<SqlValue> {
  const rows = await runQuery(`SELECT ${expression}`, noTables, params);
  if (rows.length !== 1 || rows[0]!.length !== 1) throw new Error(`expected one value from ${expression}`);
  return rows[0]![0]!;
}
