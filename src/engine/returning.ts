// `INSERT/UPDATE … RETURNING *|expr [AS a], …`: the RETURNING list is planned as a SELECT over
// a memory table that stands in for the written table and is filled, at execution, with the
// rows the source sent back. So RETURNING gets the full expression language (functions,
// aliases, qualified names, even subqueries over other tables) at no extra cost.

import type { SelectItemNode, TableRefNode } from '../sql/ast.js';
import { MemoryTable } from './memory-table.js';
import type { ResultColumn } from './plan-types.js';
import { planQuery, type PlanEnv } from './planner.js';
import type { ExecContext, Row, Table } from './table.js';

export interface ReturningPlan {
  columns: ResultColumn[];
  /** The written table's columns the list reads (for the table to fetch, if it must ask for them). */
  neededColumns: string[];
  /** The RETURNING list over the rows the write sent back. */
  project(written: readonly Row[], ctx: ExecContext): Promise<Row[]>;
}

export function planReturning(items: SelectItemNode[], table: Table, ref: TableRefNode, env: PlanEnv): ReturningPlan {
  const written = new MemoryTable(ref.name, table.columns);
  const catalog = {
    getTable: (name: string) => (name.toLowerCase() === ref.name.toLowerCase() ? written : env.catalog.getTable(name)),
    tableNames: () => env.catalog.tableNames(),
  };
  const query = planQuery(
    { kind: 'select', distinct: false, columns: items, from: { ...ref }, orderBy: [], pos: items[0]?.pos ?? ref.pos },
    { ...env, catalog },
    null,
  );
  return {
    columns: query.columns,
    neededColumns: [...new Set(written.requests.flatMap((request) => request.columns))],
    async project(rows, ctx) {
      written.rows.length = 0;
      // One at a time: spreading a few hundred thousand rows into push() overflows the stack.
      for (const row of rows) written.rows.push(row);
      written.rowsChanged();
      const out: Row[] = [];
      for await (const row of query.rows(ctx)) out.push(row);
      return out;
    },
  };
}
