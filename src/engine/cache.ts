// `CACHE table` and `CACHE SELECT … FROM table [WHERE …]`: rows read from the source (never the
// copy) and kept in the catalog's local replica (Catalog.cache). Planned like any statement:
// names resolved and the read's pushdown negotiated before anything is read, so a CACHE the
// source cannot answer (a filter it requires is missing) is refused before any request.

import type { CacheNode, SelectItemNode, SelectNode, TableRefNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import type { WritePlan } from './plan-types.js';
import { planQuery, type PlanEnv } from './planner.js';
import { resolveTable } from './resolve-table.js';
import type { Table } from './table.js';

export function planCache(stmt: CacheNode, env: PlanEnv): WritePlan {
  const { sql } = env;
  const target = env.catalog.cache;
  if (!target) {
    throw new SqlError('CACHE needs a local replica: connect with CacheLocation (--cache PATH), and without Offline=true', sql, stmt.pos);
  }
  if (stmt.table) {
    const table = resolveTable(stmt.table, sql, target.source);
    refuseEarly(table, stmt.table, sql);
    return {
      kind: 'write',
      execute: async (ctx) => ({ rowsAffected: await target.refresh(table, ctx) }),
      explain: () => [`Cache ${table.name} into ${target.location}: every row read again, rows the source no longer has removed`],
    };
  }
  const query = stmt.query!;
  if (query.kind !== 'select' || query.from?.kind !== 'table' || query.distinct || query.groupBy || query.having || query.with) {
    throw new SqlError('CACHE SELECT copies rows of one table: SELECT … FROM table [WHERE …] [ORDER BY …] [LIMIT …], without joins, grouping or DISTINCT', sql, query.pos);
  }
  const table = resolveTable(query.from, sql, target.source);
  // The copy keeps whole rows, whatever the select list names: every column, pseudo-columns too.
  const columns: SelectItemNode[] = table.columns.map((c) => ({ kind: 'expr', expr: { kind: 'column', name: c.name, pos: query.pos }, pos: query.pos }));
  const whole: SelectNode = { ...query, columns };
  const plan = planQuery(whole, { ...env, catalog: target.source, ctes: new Map() }, null);
  return {
    kind: 'write',
    execute: async (ctx) => ({ rowsAffected: await target.merge(table, plan.rows(ctx), ctx) }),
    explain: () => [`Cache ${table.name} into ${target.location}: the rows selected, whole, added or updated`, ...plan.explain().map((line) => `  ${line}`)],
  };
}

/** The whole read planned now, so a table the source cannot list without a filter is refused here. */
function refuseEarly(table: Table, ref: TableRefNode, sql: string): void {
  try {
    table.plan({ predicates: [], columns: table.columns.map((c) => c.name), orderBy: [] });
  } catch (error) {
    if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError || error instanceof SqlError) throw error;
    throw new SqlError(`CACHE ${table.name}: ${error.message}`, sql, ref.pos);
  }
}
