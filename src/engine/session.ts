// Per-connection state the engine keeps between statements: temporary tables (in memory,
// shadowing the catalog by name), their indexes, views, and the id of the last row an INSERT
// created. Tables, views and indexes share one namespace, as relations do in PostgreSQL.

import type { QueryNode } from '../sql/ast.js';
import { procedureMembers } from './catalog-wrap.js';
import type { TableConstraints, UniqueKey } from './constraints.js';
import { MemoryTable } from './memory-table.js';
import type { Catalog, Column, Table } from './table.js';

/** `CREATE VIEW`: a query expanded where the view is named, as a CTE is. */
export interface ViewDefinition {
  name: string;
  query: QueryNode;
  /** `CREATE VIEW v (a, b)`: the names of its columns. */
  columns?: string[];
  /** The CREATE VIEW text, which the query's positions point into. */
  sql: string;
  /** Lower-case names of the temporary tables and views it reads: they cannot be dropped before it. */
  reads: ReadonlySet<string>;
}

/** `CREATE [UNIQUE] INDEX`: rows are looked up without it, so only a unique one does anything. */
export interface IndexDefinition {
  name: string;
  table: string;
  columns: string[];
  /** The key a UNIQUE index adds to its table's constraints. */
  key?: UniqueKey;
}

export type RelationKind = 'table' | 'view' | 'index';

export class Session {
  private readonly temp = new Map<string, MemoryTable>();
  private readonly views = new Map<string, ViewDefinition>();
  private readonly indexes = new Map<string, IndexDefinition>();
  /** Set by every INSERT whose table reports one. */
  lastInsertId: string | undefined;

  getTempTable(name: string): MemoryTable | undefined {
    return this.temp.get(name.toLowerCase());
  }

  createTempTable(name: string, columns: Column[], constraints?: TableConstraints): MemoryTable {
    const table = new MemoryTable(name, columns, [], { record: false, integerRanges: true, ...(constraints ? { constraints } : {}) });
    this.temp.set(name.toLowerCase(), table);
    return table;
  }

  /** Drops the table and its indexes. */
  dropTempTable(name: string): boolean {
    for (const index of this.indexesOf(name)) this.indexes.delete(index.name.toLowerCase());
    return this.temp.delete(name.toLowerCase());
  }

  tempTableNames(): string[] {
    return [...this.temp.values()].map((t) => t.name);
  }

  getView(name: string): ViewDefinition | undefined {
    return this.views.get(name.toLowerCase());
  }

  createView(view: ViewDefinition): void {
    this.views.set(view.name.toLowerCase(), view);
  }

  dropView(name: string): boolean {
    return this.views.delete(name.toLowerCase());
  }

  /** The views by lower-case name, for the planner to expand. */
  viewMap(): ReadonlyMap<string, ViewDefinition> {
    return this.views;
  }

  getIndex(name: string): IndexDefinition | undefined {
    return this.indexes.get(name.toLowerCase());
  }

  createIndex(index: IndexDefinition): void {
    this.indexes.set(index.name.toLowerCase(), index);
  }

  dropIndex(name: string): boolean {
    return this.indexes.delete(name.toLowerCase());
  }

  indexesOf(table: string): IndexDefinition[] {
    return [...this.indexes.values()].filter((i) => i.table.toLowerCase() === table.toLowerCase());
  }

  /** What the name already stands for in this session, if anything. */
  relationKind(name: string): RelationKind | undefined {
    const lower = name.toLowerCase();
    if (this.temp.has(lower)) return 'table';
    if (this.views.has(lower)) return 'view';
    if (this.indexes.has(lower)) return 'index';
    return undefined;
  }

  /** The views that read the table or view `name`. */
  viewsReading(name: string): ViewDefinition[] {
    const lower = name.toLowerCase();
    return [...this.views.values()].filter((v) => v.reads.has(lower));
  }

  /** The catalog as this session sees it: temporary tables first. */
  overlay(catalog: Catalog): Catalog {
    return {
      ...procedureMembers(catalog),
      getTable: (name: string): Table | undefined => this.getTempTable(name) ?? catalog.getTable(name),
      tableNames: () => [...this.tempTableNames(), ...catalog.tableNames()],
      ...(catalog.function ? { function: catalog.function.bind(catalog) } : {}),
    };
  }
}

/** `Name#TEMP`: created on first INSERT (SQL Server-style implicit temporary table). */
export function isImplicitTempName(name: string): boolean {
  return /#temp$/i.test(name);
}
