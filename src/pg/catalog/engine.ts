// Catalog queries run by the SQL engine itself: the small catalog tables (tables.ts) become
// in-memory tables of an engine catalog of their own, reachable schema-qualified
// (`pg_catalog.pg_class`, `information_schema.columns`) and, for pg_catalog's, bare
// (`pg_class`), as PostgreSQL's search path finds them. Their name columns compare
// case-insensitively, as the connection matches names. A query no recogniser knows is planned
// and run here, joins, subqueries and all, instead of being refused.
import { parse } from '../../sql/parser.js';
import { MemoryTable, planStatement } from '../../engine/index.js';
import type { Catalog, Column, DataType, SqlValue } from '../../engine/table.js';
import { OID } from '../protocol/types.js';
import type { WireValue } from '../protocol/values.js';
import type { ResultField } from '../types.js';
import { oidOfType } from '../types.js';
import { CATALOG_TABLES, type CatalogTableContext } from './tables.js';
import { catalogFunctions } from './functions.js';

/** How a catalog column's PostgreSQL type is held by the engine. */
function engineType(typeOid: number): DataType {
  switch (typeOid) {
    case OID.bool:
      return 'Boolean';
    case OID.int2:
    case OID.int4:
    case OID.oid:
      return 'Integer';
    case OID.int8:
      return 'Long';
    case OID.float4:
    case OID.float8:
      return 'Double';
    case OID.timestamptz:
      return 'Datetime';
    case OID.int2vector:
    case OID.oidvector:
    case OID.int2Array:
    case OID.oidArray:
    case OID.textArray:
    case OID.nameArray:
    case OID.aclitemArray:
      return 'Array';
    default:
      return 'String';
  }
}

/**
 * Names keep the connection's spelling (`Customers`) while clients ask for them as typed
 * (`'customers'`): the connection matches names case-insensitively, so the catalog's name
 * columns compare so too.
 */
function isName(field: ResultField): boolean {
  return field.typeOid === OID.name || /_(name|schema|catalog)$/.test(field.name);
}

/** The catalog tables as of now (the connection's tables come and go), for one statement. */
export function engineCatalog(context: CatalogTableContext): Catalog {
  const tables = new Map<string, MemoryTable>();
  for (const [qualified, table] of Object.entries(CATALOG_TABLES)) {
    const [schema, name] = qualified.split('.') as [string, string];
    const columns: Column[] = table.fields.map((f) => ({
      name: f.name,
      type: engineType(f.typeOid),
      nullable: true,
      ...(isName(f) ? { caseInsensitive: true } : {}),
      ...(f.typeOid !== oidOfType(engineType(f.typeOid)) ? { typeName: String(f.typeOid) } : {}),
    }));
    const memory = new MemoryTable(name, columns, table.rows(context) as SqlValue[][], { record: false, readOnly: true });
    tables.set(qualified, memory);
    if (schema === 'pg_catalog') tables.set(name, memory);
  }
  const functions = catalogFunctions(context);
  return {
    getTable: (name) => tables.get(name.toLowerCase()),
    tableNames: () => [...tables.keys()],
    function: (name) => functions.get(name.toUpperCase()),
  };
}

export interface EngineAnswer {
  fields: ResultField[];
  run(values: readonly WireValue[], context: CatalogTableContext): Promise<WireValue[][]>;
}

/**
 * The query planned over the catalog tables: its columns now (from `described`, whose rows do
 * not matter), its rows when run over the catalog as it is then. Throws the engine's SqlError
 * when the query uses what the engine or the catalog tables lack.
 */
export function engineQuery(sql: string, described: CatalogTableContext, parameters: number): EngineAnswer {
  const statement = parse(sql);
  if (statement.kind !== 'select' && statement.kind !== 'setOp') throw new Error('not a query');
  const plan = (values: readonly WireValue[], context: CatalogTableContext) => planStatement(statement, sql, engineCatalog(context), values.slice(0, parameters) as SqlValue[]);
  // Planned once with NULL parameters to learn the columns; run planned again with the values.
  const description = plan(Array.from({ length: parameters }, () => null), described);
  if (description.kind !== 'query') throw new Error('not a query');
  return {
    // A catalog column selected as is keeps its own type (name, oid, int2, "char"), which the catalog tables give as the type's OID.
    fields: description.columns.map((c) => ({ name: c.name, typeOid: c.typeName !== undefined ? Number(c.typeName) : oidOfType(c.type) })),
    async run(values, context) {
      const planned = plan(values, context);
      if (planned.kind !== 'query') return [];
      const rows: WireValue[][] = [];
      for await (const row of planned.rows({})) rows.push(row as WireValue[]);
      return rows;
    },
  };
}
