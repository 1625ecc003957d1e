// System tables (sys_tables, sys_tablecolumns, …): the catalog described as tables, so the
// whole engine can query it. Built lazily from the catalog they describe; read-only.
import { MemoryTable } from '../engine/memory-table.js';
import type { Catalog, Column, DataType, SqlValue, Table } from '../engine/table.js';
import { procedureMembers } from '../engine/catalog-wrap.js';

export const CATALOG_NAME = 'Stripe';
export const SCHEMA_NAME = 'Stripe';

/** What system tables need to know about a table beyond the engine contract. */
export interface TableMetadata {
  name: string;
  kind: 'TABLE' | 'VIEW';
  description: string;
  columns: readonly Column[];
  /** Foreign keys: column → referenced table (its Id column). */
  references: Readonly<Record<string, string>>;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  /** Per column, what its WHERE comparisons become at Stripe (`= IN`, `search: LIKE`); other columns are filtered after reading. */
  filters: Readonly<Record<string, string>>;
}

export interface ProcedureMetadata {
  name: string;
  description: string;
  parameters: readonly { name: string; type: DataType; required: boolean; description: string }[];
}

export interface SystemSources {
  /** The tables to describe (the user-visible catalog). */
  catalog: Catalog;
  describe(table: Table): TableMetadata;
  procedures(): readonly ProcedureMetadata[];
  /** Rows for sys_identity: what the last write statement created. */
  identity(): readonly { id: string; operation: string; message: string }[];
}

type Definition = { columns: Column[]; rows: (sources: SystemSources) => SqlValue[][] };

const col = (name: string, type: DataType = 'String', description = ''): Column => ({ name, type, readOnly: true, description });

const tablesOf = (s: SystemSources) => s.catalog.tableNames().map((name) => s.describe(s.catalog.getTable(name)!));

const DEFINITIONS: Record<string, Definition> = {
  sys_catalogs: {
    columns: [col('CatalogName')],
    rows: () => [[CATALOG_NAME]],
  },
  sys_schemas: {
    columns: [col('CatalogName'), col('SchemaName')],
    rows: () => [[CATALOG_NAME, SCHEMA_NAME]],
  },
  sys_tables: {
    columns: [
      col('CatalogName'), col('SchemaName'), col('TableName'), col('TableType'), col('Description'),
      col('IsUpdateable', 'Boolean', 'True when the table takes any of INSERT, UPDATE, DELETE'),
      col('IsInsertable', 'Boolean'), col('IsUpdatable', 'Boolean'), col('IsDeletable', 'Boolean'),
    ],
    rows: (s) => tablesOf(s).map((t) => [
      CATALOG_NAME, SCHEMA_NAME, t.name, t.kind, t.description, t.insertable || t.updatable || t.deletable, t.insertable, t.updatable, t.deletable,
    ]),
  },
  sys_views: {
    columns: [col('CatalogName'), col('SchemaName'), col('TableName'), col('Description')],
    rows: (s) => tablesOf(s).filter((t) => t.kind === 'VIEW').map((t) => [CATALOG_NAME, SCHEMA_NAME, t.name, t.description]),
  },
  sys_tablecolumns: {
    columns: [
      col('CatalogName'), col('SchemaName'), col('TableName'), col('ColumnName'), col('DataTypeName'),
      col('Ordinal', 'Integer'), col('IsKey', 'Boolean'), col('IsReadOnly', 'Boolean'), col('IsNullable', 'Boolean'),
      col('IsHidden', 'Boolean'), col('Description'),
    ],
    rows: (s) =>
      tablesOf(s).flatMap((t) =>
        t.columns.map((c, i) => [
          CATALOG_NAME, SCHEMA_NAME, t.name, c.name, c.type, i + 1, Boolean(c.key), Boolean(c.readOnly),
          c.nullable ?? !c.key, Boolean(c.pseudo), c.description ?? '',
        ]),
      ),
  },
  sys_keycolumns: {
    columns: [
      col('CatalogName'), col('SchemaName'), col('TableName'), col('ColumnName'), col('IsKey', 'Boolean'),
      col('IsForeignKey', 'Boolean'), col('ReferencedTableName'), col('ReferencedColumnName'),
    ],
    rows: (s) =>
      tablesOf(s).flatMap((t) =>
        t.columns
          .filter((c) => c.key || t.references[c.name])
          .map((c) => {
            const target = t.references[c.name] ?? null;
            return [CATALOG_NAME, SCHEMA_NAME, t.name, c.name, Boolean(c.key), target !== null, target, target && 'Id'];
          }),
      ),
  },
  sys_primarykeys: {
    columns: [col('CatalogName'), col('SchemaName'), col('TableName'), col('ColumnName'), col('KeySeq', 'Integer'), col('KeyName')],
    rows: (s) =>
      tablesOf(s).flatMap((t) =>
        t.columns.filter((c) => c.key).map((c, i) => [CATALOG_NAME, SCHEMA_NAME, t.name, c.name, i + 1, `PK_${t.name}`]),
      ),
  },
  sys_foreignkeys: {
    columns: [
      col('CatalogName'), col('SchemaName'), col('TableName'), col('ColumnName'), col('ForeignKeyName'),
      col('ReferencedTableName'), col('ReferencedColumnName'), col('ForeignKeyType'),
    ],
    rows: (s) =>
      tablesOf(s).flatMap((t) =>
        Object.entries(t.references).map(([column, target]) => [
          CATALOG_NAME, SCHEMA_NAME, t.name, column, `FK_${t.name}_${column}`, target, 'Id', 'FOREIGNKEY',
        ]),
      ),
  },
  sys_procedures: {
    columns: [col('CatalogName'), col('SchemaName'), col('ProcedureName'), col('Description'), col('ProcedureType')],
    rows: (s) => s.procedures().map((p) => [CATALOG_NAME, SCHEMA_NAME, p.name, p.description, 'STOREDPROCEDURE']),
  },
  sys_procedureparameters: {
    columns: [
      col('CatalogName'), col('SchemaName'), col('ProcedureName'), col('ColumnName'), col('Direction', 'Integer'),
      col('DataTypeName'), col('Ordinal', 'Integer'), col('IsRequired', 'Boolean'), col('Description'),
    ],
    rows: (s) =>
      s.procedures().flatMap((p) =>
        p.parameters.map((param, i) => [CATALOG_NAME, SCHEMA_NAME, p.name, param.name, 1, param.type, i + 1, param.required, param.description]),
      ),
  },
  sys_sqlinfo: {
    columns: [col('NAME'), col('VALUE')],
    rows: () => SQL_INFO.map(([name, value]) => [name, value]),
  },
  sys_identity: {
    columns: [col('Id'), col('Batch', 'Integer'), col('Operation'), col('Message')],
    rows: (s) => s.identity().map((entry, i) => [entry.id, i + 1, entry.operation, entry.message]),
  },
};

/** What the SQL dialect offers, for tools that ask before they generate SQL. */
const SQL_INFO: [string, string][] = [
  ['DATASOURCE_NAME', 'Stripe'],
  ['DATASOURCE_TYPE', 'stripe-sql'],
  ['IDENTIFIER_QUOTE_OPEN_CHAR', '['],
  ['IDENTIFIER_QUOTE_CLOSE_CHAR', ']'],
  ['SUPPORTED_OPERATORS', '=,<>,!=,<,<=,>,>=,AND,OR,NOT,IN,LIKE,BETWEEN,IS NULL,IS NOT NULL,+,-,*,/,%,||'],
  ['AGGREGATE_FUNCTIONS', 'COUNT,SUM,AVG,MIN,MAX'],
  ['SUPPORTS_PARAMETERS', 'YES'],
  ['PARAMETER_MARKERS', '?,@name'],
  ['SUPPORTS_TRANSACTIONS', 'NO'],
  ['DATETIME_LITERALS', 'UTC'],
];

export const SYSTEM_TABLE_NAMES = Object.keys(DEFINITIONS);

/**
 * A catalog that answers the system table names (case-insensitively) from `sources` and
 * every other name from `sources.catalog`. System tables are rebuilt each time they are
 * looked up, so sys_identity and friends are never stale.
 */
export function withSystemTables(sources: SystemSources): Catalog {
  return {
    ...procedureMembers(sources.catalog),
    getTable(name) {
      const definition = DEFINITIONS[name.toLowerCase()];
      if (!definition) return sources.catalog.getTable(name);
      return new MemoryTable(name.toLowerCase(), definition.columns, definition.rows(sources), { readOnly: true });
    },
    tableNames: () => [...sources.catalog.tableNames(), ...SYSTEM_TABLE_NAMES],
  };
}
