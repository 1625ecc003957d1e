// The catalog one connection sees: the Stripe tables, narrowed by the Tables / Views
// properties, made read-only by Readonly=true, plus the system tables that describe them.
import type { Catalog, Column, Table, WriteVerb } from './engine/table.js';
import { ConnectionError } from './stripe/errors.js';
import { withSystemTables, type ProcedureMetadata, type TableMetadata } from './catalog/system.js';
import { procedureMembers } from './engine/catalog-wrap.js';

export interface CatalogOptions {
  tables?: readonly string[];
  views?: readonly string[];
  readonly?: boolean;
}

export interface ConnectionCatalog {
  /** What the engine plans against (system tables included). */
  catalog: Catalog;
  /** The visible Stripe tables and views, described. */
  describeAll(): TableMetadata[];
}

/** What a Stripe table's definition may say about itself (fields of its TableDef). */
interface DefinedTable extends Table {
  /** What each column's comparisons become at Stripe (filter-summary.ts). */
  filterSummary?(): Readonly<Record<string, string>>;
  def?: {
    description?: string;
    kind?: 'table' | 'view';
    paths?: { create?: string };
    columns?: readonly (Column & { references?: string })[];
  };
}

export function describeTable(table: Table): TableMetadata {
  const def = (table as DefinedTable).def;
  const references: Record<string, string> = {};
  for (const column of def?.columns ?? []) if (column.references) references[column.name] = column.references;
  return {
    name: table.name,
    kind: def?.kind === 'view' ? 'VIEW' : 'TABLE',
    description: def?.description ?? '',
    columns: table.columns,
    references,
    insertable: accepts(table, 'INSERT'),
    updatable: accepts(table, 'UPDATE'),
    deletable: accepts(table, 'DELETE'),
    filters: (table as DefinedTable).filterSummary?.() ?? {},
  };
}

/** Whether the table takes the verb at all (its pre-flight, asked about no particular column). */
function accepts(table: Table, verb: WriteVerb): boolean {
  const method = verb === 'INSERT' ? (table.insertRows ?? table.insert) : verb === 'UPDATE' ? table.update : table.delete;
  if (typeof method !== 'function') return false;
  try {
    table.checkWrite?.(verb, []);
    return true;
  } catch {
    return false;
  }
}

export function buildConnectionCatalog(
  stripe: Catalog,
  options: CatalogOptions,
  identity: () => readonly { id: string; operation: string; message: string }[],
  procedures: () => readonly ProcedureMetadata[] = () => [],
): ConnectionCatalog {
  const visible = restrict(stripe, options);
  const guarded = options.readonly ? readOnly(visible) : visible;
  return {
    catalog: withSystemTables({ catalog: guarded, describe: describeTable, procedures, identity }),
    describeAll: () => guarded.tableNames().map((name) => describeTable(guarded.getTable(name)!)),
  };
}

/** Tables=… limits the tables, Views=… the views; each list applies only to its own kind. */
function restrict(catalog: Catalog, options: CatalogOptions): Catalog {
  if (!options.tables && !options.views) return catalog;
  const allowedTables = options.tables && new Set(options.tables.map((n) => n.toLowerCase()));
  const allowedViews = options.views && new Set(options.views.map((n) => n.toLowerCase()));
  const isVisible = (table: Table): boolean => {
    const allowed = describeTable(table).kind === 'VIEW' ? allowedViews : allowedTables;
    return !allowed || allowed.has(table.name.toLowerCase());
  };
  return {
    ...procedureMembers(catalog),
    getTable: (name) => {
      const table = catalog.getTable(name);
      return table && isVisible(table) ? table : undefined;
    },
    tableNames: () => catalog.tableNames().filter((name) => isVisible(catalog.getTable(name)!)),
  };
}

const WRITE_METHODS: Record<string, string> = { insert: 'INSERT', insertRows: 'INSERT', update: 'UPDATE', delete: 'DELETE' };

function readOnlyError(what: string): ConnectionError {
  return new ConnectionError(`The connection is read-only (Readonly=true): ${what} was refused; nothing was sent`);
}

/**
 * Every table keeps reading; every write is refused while it is planned (checkWrite), before
 * even the reads of an UPDATE's WHERE, and the write methods themselves refuse as a backstop.
 */
function readOnly(catalog: Catalog): Catalog {
  const wrap = (table: Table): Table =>
    new Proxy(table, {
      get(target, property, receiver) {
        if (property === 'checkWrite') {
          return (verb: string) => {
            throw readOnlyError(`${verb} on ${target.name}`);
          };
        }
        const verb = typeof property === 'string' ? WRITE_METHODS[property] : undefined;
        if (verb !== undefined && typeof Reflect.get(target, property) === 'function') {
          return () => {
            throw readOnlyError(`${verb} on ${target.name}`);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return {
    ...procedureMembers(catalog),
    ...(catalog.callProcedure
      ? {
          callProcedure: (name: string) => {
            throw readOnlyError(`EXEC ${name}`);
          },
        }
      : {}),
    getTable: (name) => {
      const table = catalog.getTable(name);
      return table && wrap(table);
    },
    tableNames: () => catalog.tableNames(),
  };
}
