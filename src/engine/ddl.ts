// CREATE / DROP TABLE and CREATE / DROP / REINDEX INDEX, for temporary tables: the only tables
// a statement can create. Everything is checked while planning; execute() checks again what
// another statement could have changed in between (the name being taken, the table gone).

import type { CreateIndexNode, CreateTableNode, DropIndexNode, DropTableNode, Position, ReindexNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { resolveTypeName } from './cast.js';
import { declaredConstraints, keyColumns, type KeyValue, type UniqueKey } from './constraints.js';
import type { WritePlan } from './plan-types.js';
import type { IndexDefinition, Session } from './session.js';
import type { Catalog, Column, Row } from './table.js';
import { formatSqlValue } from './values.js';

export function planCreateTable(stmt: CreateTableNode, sql: string, catalog: Catalog, session: Session | undefined): WritePlan {
  const temporary = stmt.temporary || stmt.name.startsWith('#') || /#temp$/i.test(stmt.name);
  if (!temporary) throw new SqlError(`Only temporary tables can be created: write CREATE TEMP TABLE ${stmt.name} or #${stmt.name}`, sql, stmt.pos);
  if (!session) throw new SqlError('Temporary tables need a connection session', sql, stmt.pos);
  const columns: Column[] = [];
  for (const def of stmt.columns) {
    if (columns.some((c) => c.name.toLowerCase() === def.name.toLowerCase())) {
      throw new SqlError(`Column ${def.name} is defined more than once`, sql, def.pos);
    }
    const resolved = resolveTypeName(def.type, sql);
    const column: Column = { name: def.name, type: resolved.type, nullable: true };
    if (resolved.precision !== undefined) column.numeric = { precision: resolved.precision, scale: resolved.scale ?? 0 };
    if (resolved.range) column.smallint = true;
    columns.push(column);
  }
  if (columns.length === 0) throw new SqlError(`Table ${stmt.name} needs at least one column`, sql, stmt.pos);
  const constraints = declaredConstraints(stmt, columns, sql);
  for (const index of constraints.notNull) columns[index]!.nullable = false;
  for (const key of constraints.uniqueKeys) if (key.primary) for (const index of key.columns) columns[index]!.key = true;
  if (catalog.getTable(stmt.name)) throw new SqlError(`${stmt.name} is already a table of the catalog`, sql, stmt.pos);
  const taken = (): boolean => session.relationKind(stmt.name) !== undefined;
  if (taken() && !stmt.ifNotExists) throw alreadyExists(stmt.name, session, sql, stmt.pos);
  return {
    kind: 'write',
    async execute() {
      if (taken()) {
        // IF NOT EXISTS: an existing relation of that name is kept as it is (PostgreSQL skips).
        if (stmt.ifNotExists) return { rowsAffected: 0 };
        throw alreadyExists(stmt.name, session, sql, stmt.pos);
      }
      session.createTempTable(stmt.name, columns, constraints);
      return { rowsAffected: 0 };
    },
    explain: () => [`Create temporary table ${stmt.name} (${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`],
  };
}

export function planDropTable(stmt: DropTableNode, sql: string, catalog: Catalog, session: Session | undefined): WritePlan {
  const temp = session?.getTempTable(stmt.name);
  if (!temp && !stmt.ifExists) {
    const why = catalog.getTable(stmt.name)
      ? `${stmt.name} is not a temporary table and cannot be dropped`
      : session?.getView(stmt.name)
        ? `${stmt.name} is a view: DROP VIEW ${stmt.name}`
        : `Unknown table ${stmt.name}`;
    throw new SqlError(why, sql, stmt.pos);
  }
  if (temp && session) refuseWhileRead(stmt.name, 'table', session, sql, stmt.pos);
  return {
    kind: 'write',
    async execute() {
      if (session?.getTempTable(stmt.name)) refuseWhileRead(stmt.name, 'table', session, sql, stmt.pos);
      session?.dropTempTable(stmt.name);
      return { rowsAffected: 0 };
    },
    explain: () => [temp ? `Drop temporary table ${temp.name}` : `Drop table ${stmt.name} if it exists (it does not)`],
  };
}

/** A UNIQUE index adds a key its table then enforces; a plain one only takes its name. */
export function planCreateIndex(stmt: CreateIndexNode, sql: string, catalog: Catalog, session: Session | undefined): WritePlan {
  const table = session?.getTempTable(stmt.table.name);
  if (!session || !table) {
    const why = session?.getView(stmt.table.name)
      ? `${stmt.table.name} is a view; indexes are made on temporary tables`
      : catalog.getTable(stmt.table.name)
        ? `${stmt.table.name} is not a temporary table; indexes are made on temporary tables only`
        : `Unknown table ${stmt.table.name}`;
    throw new SqlError(why, sql, stmt.table.pos);
  }
  const positions = keyColumns(stmt.columns, table.columns, 'index', sql);
  const columns = positions.map((i) => table.columns[i]!.name);
  const taken = (): boolean => session.relationKind(stmt.name) !== undefined;
  if (taken() && !stmt.ifNotExists) throw alreadyExists(stmt.name, session, sql, stmt.pos);
  return {
    kind: 'write',
    async execute() {
      if (taken()) {
        if (stmt.ifNotExists) return { rowsAffected: 0 };
        throw alreadyExists(stmt.name, session, sql, stmt.pos);
      }
      const live = session.getTempTable(stmt.table.name);
      if (!live) throw new SqlError(`Unknown table ${stmt.table.name}`, sql, stmt.table.pos);
      const index: IndexDefinition = { name: stmt.name, table: live.name, columns };
      if (stmt.unique) {
        const key: UniqueKey = { name: stmt.name, columns: positions, primary: false, index: stmt.name };
        const duplicate = firstDuplicate(live.rows, (row) => live.constraints.keyOf(key, row));
        if (duplicate) {
          const values = positions.map((i) => formatSqlValue(duplicate[i] ?? null)).join(', ');
          throw new SqlError(`Cannot create unique index ${stmt.name}: (${columns.join(', ')}) = (${values}) is in more than one row of ${live.name}`, sql, stmt.pos);
        }
        live.constraints.addUniqueKey(key);
        index.key = key;
      }
      session.createIndex(index);
      return { rowsAffected: 0 };
    },
    explain: () => [`Create ${stmt.unique ? 'unique ' : ''}index ${stmt.name} on ${table.name} (${columns.join(', ')})`],
  };
}

export function planDropIndex(stmt: DropIndexNode, sql: string, session: Session | undefined): WritePlan {
  if (!session?.getIndex(stmt.name) && !stmt.ifExists) throw new SqlError(`Unknown index ${stmt.name}`, sql, stmt.pos);
  return {
    kind: 'write',
    async execute() {
      const index = session?.getIndex(stmt.name);
      if (!index) {
        if (stmt.ifExists) return { rowsAffected: 0 };
        throw new SqlError(`Unknown index ${stmt.name}`, sql, stmt.pos);
      }
      if (index.key) session!.getTempTable(index.table)?.constraints.removeIndexKey(index.name);
      session!.dropIndex(stmt.name);
      return { rowsAffected: 0 };
    },
    explain: () => [`Drop index ${stmt.name}`],
  };
}

/** Indexes here are always exact, so REINDEX has nothing to rebuild; it checks the name. */
export function planReindex(stmt: ReindexNode, sql: string, session: Session | undefined): WritePlan {
  const exists = (): boolean => {
    if (stmt.target === 'TABLE') return session?.getTempTable(stmt.name) !== undefined;
    if (stmt.target === 'INDEX') return session?.getIndex(stmt.name) !== undefined;
    return session?.getIndex(stmt.name) !== undefined || session?.getTempTable(stmt.name) !== undefined;
  };
  const what = stmt.target === 'TABLE' ? 'table' : stmt.target === 'INDEX' ? 'index' : 'index or table';
  if (!exists()) throw new SqlError(`Unknown ${what} ${stmt.name}`, sql, stmt.pos);
  return {
    kind: 'write',
    async execute() {
      if (!exists()) throw new SqlError(`Unknown ${what} ${stmt.name}`, sql, stmt.pos);
      return { rowsAffected: 0 };
    },
    explain: () => [`Reindex ${stmt.name} (nothing to rebuild)`],
  };
}

export function alreadyExists(name: string, session: Session, sql: string, pos: Position): SqlError {
  const kind = session.relationKind(name);
  return new SqlError(`${kind === 'view' ? 'A view' : kind === 'index' ? 'An index' : 'A table'} named ${name} already exists`, sql, pos);
}

/** Tables and views a view reads stay until the view is dropped (PostgreSQL's dependency rule). */
export function refuseWhileRead(name: string, kind: 'table' | 'view', session: Session, sql: string, pos: Position): void {
  const readers = session.viewsReading(name);
  if (readers.length === 0) return;
  const names = readers.map((v) => v.name).join(', ');
  throw new SqlError(`Cannot drop ${kind} ${name}: view${readers.length === 1 ? '' : 's'} ${names} read${readers.length === 1 ? 's' : ''} it; drop ${readers.length === 1 ? 'that view' : 'those views'} first`, sql, pos);
}

/** The first row whose key another row already holds; undefined when every key is unique. */
function firstDuplicate(rows: readonly Row[], keyOf: (row: Row) => KeyValue | undefined): Row | undefined {
  const seen = new Set<KeyValue>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === undefined) continue;
    if (seen.has(key)) return row;
    seen.add(key);
  }
  return undefined;
}
