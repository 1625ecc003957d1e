// CREATE VIEW / DROP VIEW. A view belongs to the connection's session, like a temporary table:
// the catalog of Stripe tables has no views of its own, and PostgreSQL too makes a view over a
// temporary table temporary. Its query is planned once here (so a mistake is reported by CREATE
// VIEW) and again wherever the view is named, as a CTE is (planner.ts); the tables and views it
// reads cannot be dropped before it. Writes through a view are refused.

import type { CreateViewNode, DropViewNode, TableRefNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { procedureMembers } from './catalog-wrap.js';
import { alreadyExists, refuseWhileRead } from './ddl.js';
import type { WritePlan } from './plan-types.js';
import { planQuery, type PlanEnv } from './planner.js';
import type { Session, ViewDefinition } from './session.js';
import type { Catalog, Table } from './table.js';

export function planCreateView(stmt: CreateViewNode, env: PlanEnv, session: Session | undefined): WritePlan {
  const { sql } = env;
  if (!session) throw new SqlError('Views need a connection session', sql, stmt.pos);
  if (env.catalog.getTable(stmt.name) && !session.getTempTable(stmt.name)) {
    throw new SqlError(`${stmt.name} is already a table of the catalog`, sql, stmt.pos);
  }
  if (session.relationKind(stmt.name)) throw alreadyExists(stmt.name, session, sql, stmt.pos);
  const reads = new Set<string>();
  const plan = planQuery(stmt.query, { ...env, catalog: recording(env.catalog, reads), views: recordingViews(session, reads), ctes: new Map(), params: undefined }, null);
  const names = stmt.columns?.map((c) => c.name) ?? plan.columns.map((c) => c.name);
  if (stmt.columns && stmt.columns.length !== plan.columns.length) {
    const at = stmt.columns[Math.min(stmt.columns.length, plan.columns.length) - 1]?.pos ?? stmt.pos;
    throw new SqlError(`View ${stmt.name} names ${stmt.columns.length} columns but its query returns ${plan.columns.length}`, sql, at);
  }
  names.forEach((name, i) => {
    if (names.findIndex((n) => n.toLowerCase() === name.toLowerCase()) < i) {
      throw new SqlError(`Column ${name} appears twice in view ${stmt.name}: name the columns (AS or CREATE VIEW ${stmt.name} (…))`, sql, stmt.columns?.[i]?.pos ?? stmt.query.pos);
    }
  });
  const view: ViewDefinition = { name: stmt.name, query: stmt.query, ...(stmt.columns ? { columns: names } : {}), sql, reads };
  return {
    kind: 'write',
    async execute() {
      if (session.relationKind(stmt.name)) throw alreadyExists(stmt.name, session, sql, stmt.pos);
      session.createView(view);
      return { rowsAffected: 0 };
    },
    explain: () => [`Create view ${stmt.name} (${names.join(', ')})`, ...plan.explain().map((line) => `  ${line}`)],
  };
}

export function planDropView(stmt: DropViewNode, sql: string, session: Session | undefined): WritePlan {
  const view = session?.getView(stmt.name);
  if (!view && !stmt.ifExists) {
    const why = session?.getTempTable(stmt.name) ? `${stmt.name} is a table, not a view: DROP TABLE ${stmt.name}` : `Unknown view ${stmt.name}`;
    throw new SqlError(why, sql, stmt.pos);
  }
  if (view && session) refuseWhileRead(stmt.name, 'view', session, sql, stmt.pos);
  return {
    kind: 'write',
    async execute() {
      if (!session?.getView(stmt.name)) {
        if (stmt.ifExists) return { rowsAffected: 0 };
        throw new SqlError(`Unknown view ${stmt.name}`, sql, stmt.pos);
      }
      refuseWhileRead(stmt.name, 'view', session, sql, stmt.pos);
      session.dropView(stmt.name);
      return { rowsAffected: 0 };
    },
    explain: () => [view ? `Drop view ${view.name}` : `Drop view ${stmt.name} if it exists (it does not)`],
  };
}

/** INSERT, UPDATE and DELETE name a table; a view's rows are not stored anywhere to change. */
export function refuseWriteToView(ref: TableRefNode, verb: 'INSERT INTO' | 'UPDATE' | 'DELETE FROM', sql: string, session: Session | undefined): void {
  const view = session?.getView(ref.name);
  if (view) throw new SqlError(`${view.name} is a view: ${verb} a view is not supported; write to the tables it reads`, sql, ref.pos);
}

/** The catalog, noting each name the view's query resolves. */
function recording(catalog: Catalog, reads: Set<string>): Catalog {
  return {
    ...procedureMembers(catalog),
    getTable(name: string): Table | undefined {
      reads.add(name.toLowerCase());
      return catalog.getTable(name);
    },
    tableNames: () => catalog.tableNames(),
  };
}

function recordingViews(session: Session, reads: Set<string>): NonNullable<PlanEnv['views']> {
  return {
    get(lowerName: string) {
      const view = session.getView(lowerName);
      if (view) reads.add(lowerName);
      return view;
    },
  };
}
