// Per-connection state the engine keeps between statements: temporary tables (in memory,
// shadowing the catalog by name) and the id of the last row an INSERT created.

import { procedureMembers } from './catalog-wrap.js';
import { MemoryTable } from './memory-table.js';
import type { Catalog, Column, Table } from './table.js';

export class Session {
  private readonly temp = new Map<string, MemoryTable>();
  /** Set by every INSERT whose table reports one. */
  lastInsertId: string | undefined;

  getTempTable(name: string): MemoryTable | undefined {
    return this.temp.get(name.toLowerCase());
  }

  createTempTable(name: string, columns: Column[]): MemoryTable {
    const table = new MemoryTable(name, columns);
    this.temp.set(name.toLowerCase(), table);
    return table;
  }

  dropTempTable(name: string): boolean {
    return this.temp.delete(name.toLowerCase());
  }

  tempTableNames(): string[] {
    return [...this.temp.values()].map((t) => t.name);
  }

  /** The catalog as this session sees it: temporary tables first. */
  overlay(catalog: Catalog): Catalog {
    return {
      ...procedureMembers(catalog),
      getTable: (name: string): Table | undefined => this.getTempTable(name) ?? catalog.getTable(name),
      tableNames: () => [...this.tempTableNames(), ...catalog.tableNames()],
    };
  }
}

/** `Name#TEMP`: created on first INSERT (SQL Server-style implicit temporary table). */
export function isImplicitTempName(name: string): boolean {
  return /#temp$/i.test(name);
}
