// Shared fixtures for the engine tests: a small catalog over MemoryTables and helpers that
// run SQL text through the parser and planner.

import { MemoryTable, planStatement, type MemoryTableOptions, type ParamValues, type QueryPlan } from '../src/engine/index.js';
import type { Catalog, Column, Row, SqlValue, Table } from '../src/engine/table.js';
import { parse } from '../src/sql/parser.js';

export const sessionColumns: Column[] = [
  { name: 'Id', type: 'String', key: true, readOnly: true },
  { name: 'Status', type: 'String' },
  { name: 'AmountTotal', type: 'Integer' },
  { name: 'Created', type: 'Datetime', readOnly: true },
  { name: 'Livemode', type: 'Boolean' },
  { name: 'Email', type: 'String' },
  { name: 'Score', type: 'Double' },
  { name: 'AccountId', type: 'String', pseudo: true },
];

const d = (iso: string): Date => new Date(iso);

export function sessionRows(): SqlValue[][] {
  return [
    ['cs_1', 'open', 5000, d('2024-01-18T02:16:47Z'), false, 'a@x.com', 1.5, null],
    ['cs_2', 'complete', 12000, d('2024-01-19T00:00:00Z'), true, null, 2.5, null],
    ['cs_3', 'expired', null, d('2024-01-20T10:00:00Z'), false, 'c@x.com', null, null],
    ['cs_4', 'open', 700, d('2024-01-21T00:00:00Z'), false, 'D@x.com', 0.5, null],
    ['cs_5', 'complete', 12000, d('2024-01-22T00:00:00Z'), true, 'e@x.com', 3, null],
  ];
}

export function catalogOf(...tables: Table[]): Catalog {
  return {
    getTable: (name) => tables.find((t) => t.name.toLowerCase() === name.toLowerCase()),
    tableNames: () => tables.map((t) => t.name),
  };
}

export function sessions(options?: MemoryTableOptions): MemoryTable {
  return new MemoryTable('Sessions', sessionColumns, sessionRows(), options);
}

export function plan(sql: string, catalog: Catalog, params?: ParamValues) {
  return planStatement(parse(sql), sql, catalog, params);
}

export function planQuery(sql: string, catalog: Catalog, params?: ParamValues): QueryPlan {
  const p = plan(sql, catalog, params);
  if (p.kind !== 'query') throw new Error('expected a query plan');
  return p;
}

export async function collect(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** Runs a SELECT and returns its rows. */
export async function query(sql: string, catalog: Catalog, params?: ParamValues): Promise<Row[]> {
  return collect(planQuery(sql, catalog, params).rows({}));
}

/** Runs a SELECT over a fresh Sessions table (no pushdown) and returns its rows. */
export async function querySessions(sql: string, params?: ParamValues): Promise<Row[]> {
  return query(sql, catalogOf(sessions()), params);
}
