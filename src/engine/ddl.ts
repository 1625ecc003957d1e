// CREATE TABLE / DROP TABLE for temporary tables: the only tables a statement can create.

import type { CreateTableNode, DropTableNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { resolveTypeName } from './cast.js';
import type { WritePlan } from './plan-types.js';
import type { Session } from './session.js';
import type { Catalog, Column } from './table.js';

export function planCreateTable(stmt: CreateTableNode, sql: string, catalog: Catalog, session: Session | undefined): WritePlan {
  const temporary = stmt.temporary || stmt.name.startsWith('#') || /#temp$/i.test(stmt.name);
  if (!temporary) throw new SqlError(`Only temporary tables can be created: write CREATE TEMP TABLE ${stmt.name} or #${stmt.name}`, sql, stmt.pos);
  if (!session) throw new SqlError('Temporary tables need a connection session', sql, stmt.pos);
  const columns: Column[] = [];
  for (const def of stmt.columns) {
    if (columns.some((c) => c.name.toLowerCase() === def.name.toLowerCase())) {
      throw new SqlError(`Column ${def.name} is defined more than once`, sql, def.pos);
    }
    columns.push({ name: def.name, type: resolveTypeName(def.type, sql).type, nullable: true });
  }
  const exists = (): boolean => session.getTempTable(stmt.name) !== undefined;
  if (exists()) throw new SqlError(`Table ${stmt.name} already exists`, sql, stmt.pos);
  if (catalog.getTable(stmt.name)) throw new SqlError(`${stmt.name} is already a table of the catalog`, sql, stmt.pos);
  return {
    kind: 'write',
    async execute() {
      if (exists()) throw new SqlError(`Table ${stmt.name} already exists`, sql, stmt.pos);
      session.createTempTable(stmt.name, columns);
      return { rowsAffected: 0 };
    },
    explain: () => [`Create temporary table ${stmt.name} (${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`],
  };
}

export function planDropTable(stmt: DropTableNode, sql: string, catalog: Catalog, session: Session | undefined): WritePlan {
  const temp = session?.getTempTable(stmt.name);
  if (!temp && !stmt.ifExists) {
    const why = catalog.getTable(stmt.name) ? `${stmt.name} is not a temporary table and cannot be dropped` : `Unknown table ${stmt.name}`;
    throw new SqlError(why, sql, stmt.pos);
  }
  return {
    kind: 'write',
    async execute() {
      session?.dropTempTable(stmt.name);
      return { rowsAffected: 0 };
    },
    explain: () => [temp ? `Drop temporary table ${temp.name}` : `Drop table ${stmt.name} if it exists (it does not)`],
  };
}
