// Small catalog tables made from the connection's tables(): information_schema.tables,
// columns, schemata, views, and the pg_catalog tables plain queries read (pg_namespace,
// pg_class, pg_attribute, pg_type, pg_description, pg_index, pg_am, pg_database, pg_settings).
// catalog/select.ts runs plain one-table queries over them.
import { OID, TYPES } from '../protocol/types.js';
import type { WireValue } from '../protocol/values.js';
import { SqlArray } from '../../engine/composite.js';
import type { ProcedureInfo } from './psql.js';
import { oidOfType } from '../types.js';
import type { ResultField } from '../types.js';
import { DATABASE_OID, INFORMATION_SCHEMA_NAMESPACE_OID, PG_CATALOG_NAMESPACE_OID, PUBLIC_NAMESPACE_OID, pkeyName, type CatalogColumn, type CatalogModel, type CatalogRelation } from './model.js';

export interface CatalogTableContext {
  model: CatalogModel;
  database: string;
  user: string;
  settings: readonly [string, string][];
  /** The stored procedures (pg_proc); empty where only the columns matter. */
  procedures: readonly ProcedureInfo[];
}

export interface CatalogTable {
  fields: ResultField[];
  rows(context: CatalogTableContext): WireValue[][];
}

const f = (typeOid: number) => (name: string): ResultField => ({ name, typeOid });
const text = f(OID.text);
const name = f(OID.name);
const oid = f(OID.oid);
const int2 = f(OID.int2);
const int4 = f(OID.int4);
const bool = f(OID.bool);
const char = f(OID.char);
const int2vector = f(OID.int2vector);
const oidvector = f(OID.oidvector);
const int2array = f(OID.int2Array);
const aclitems = f(OID.aclitemArray);
const nodeTree = f(OID.pgNodeTree);
const regproc = f(OID.regproc);

/** pg_class's OID, the classoid of table and column descriptions; pg_proc's, of procedures'. */
const PG_CLASS_OID = 1259;
const PG_PROC_OID = 1255;
const BOOTSTRAP_USER_OID = 10;
/** The default collation, text columns'. */
const DEFAULT_COLLATION_OID = 100;
/** btree's operator class for text (pg_opclass.dat), the key columns' (Id is text). */
const TEXT_OPS_OID = 3126;
/** The one access method tables are read with. */
const STRIPE_AM_OID = 16380;
/** The access method of the primary keys' indexes: PostgreSQL's btree. */
const BTREE_AM_OID = 403;
/** pg_proc's array_in, the input function of every array type (typinput). */
const ARRAY_IN_OID = 750;
/** The language of the stored procedures: PostgreSQL's `internal` (they are built in). */
const INTERNAL_LANGUAGE_OID = 12;
/** Procedure OIDs start past the relations', indexes' and constraints'. */
const FIRST_PROCEDURE_OID = 400_000;

const TYPE_CATEGORY: Record<number, string> = {
  [OID.bool]: 'B', [OID.int2]: 'N', [OID.int4]: 'N', [OID.int8]: 'N', [OID.float4]: 'N', [OID.float8]: 'N', [OID.numeric]: 'N', [OID.oid]: 'N',
  [OID.timestamptz]: 'D', [OID.timestamp]: 'D', [OID.date]: 'D', [OID.interval]: 'T', [OID.textArray]: 'A', [OID.nameArray]: 'A',
};

/** The index behind a table's primary key (`<table>_pkey`). */
export function primaryIndexOid(r: CatalogRelation): number {
  return r.oid + 100_000;
}

/** The schemas, with PostgreSQL's descriptions of its own (information_schema's OID varies by release). */
const NAMESPACES: readonly [number, string, string | null][] = [
  [PG_CATALOG_NAMESPACE_OID, 'pg_catalog', 'system catalog schema'],
  [PUBLIC_NAMESPACE_OID, 'public', 'standard public schema'],
  [INFORMATION_SCHEMA_NAMESPACE_OID, 'information_schema', null],
];
const PG_NAMESPACE_OID = 2615;

/** The stored procedures with their OIDs, in name order. */
export function procedureOids(procedures: readonly ProcedureInfo[]): { oid: number; procedure: ProcedureInfo }[] {
  return [...procedures].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())).map((procedure, i) => ({ oid: FIRST_PROCEDURE_OID + i, procedure }));
}

/**
 * What the session's user may do with a relation, as an aclitem list (`{analyst=arwd/analyst}`):
 * read (r) always, and the writes the table takes: INSERT (a), UPDATE (w), DELETE (d), in
 * PostgreSQL's order.
 */
export function relationAcl(r: CatalogRelation, user: string): SqlArray {
  const privileges = `${r.insertable ? 'a' : ''}r${r.updatable ? 'w' : ''}${r.deletable ? 'd' : ''}`;
  return new SqlArray([`${user}=${privileges}/${user}`]);
}

export interface CatalogConstraint {
  oid: number;
  name: string;
  /** 'p' primary key, 'f' foreign key. */
  type: 'p' | 'f';
  relation: CatalogRelation;
  column: CatalogColumn;
  references?: CatalogRelation;
}

/** Every table's primary key, then its foreign keys, with OIDs of their own. */
export function constraints(model: CatalogModel): CatalogConstraint[] {
  const out: CatalogConstraint[] = [];
  for (const r of model.relations) {
    const key = r.columns.find((c) => c.name === r.keyColumn);
    if (key) out.push({ oid: r.oid + 200_000, name: pkeyName(r), type: 'p', relation: r, column: key });
  }
  let next = 300_000;
  for (const r of model.relations) {
    for (const fk of r.foreignKeys) out.push({ oid: next++, name: fk.name, type: 'f', relation: r, column: fk.column, references: fk.references });
  }
  return out;
}

export const CATALOG_TABLES: Record<string, CatalogTable> = {
  'information_schema.tables': {
    fields: ['table_catalog', 'table_schema', 'table_name', 'table_type', 'self_referencing_column_name', 'reference_generation', 'user_defined_type_catalog', 'user_defined_type_schema', 'user_defined_type_name', 'is_insertable_into', 'is_typed', 'commit_action'].map(text),
    rows: ({ model, database }) => model.relations.map((r) => [database, 'public', r.name, r.kind === 'v' ? 'VIEW' : 'BASE TABLE', null, null, null, null, null, r.kind === 'v' ? 'NO' : 'YES', 'NO', null]),
  },
  'information_schema.columns': {
    fields: [
      text('table_catalog'), text('table_schema'), text('table_name'), text('column_name'), int4('ordinal_position'), text('column_default'), text('is_nullable'), text('data_type'),
      int4('character_maximum_length'), int4('numeric_precision'), int4('numeric_scale'), int4('datetime_precision'), text('udt_catalog'), text('udt_schema'), text('udt_name'),
      text('is_identity'), text('is_generated'), text('is_updatable'), text('description'),
    ],
    rows: ({ model, database }) =>
      model.relations.flatMap((r) =>
        r.columns.map((c) => [
          database, 'public', r.name, c.name, c.attnum, null, c.notNull ? 'NO' : 'YES', c.typeName,
          null, c.typeOid === OID.int4 ? 32 : c.typeOid === OID.int8 ? 64 : c.typeOid === OID.float8 ? 53 : null,
          c.typeOid === OID.int4 || c.typeOid === OID.int8 ? 0 : null, c.typeOid === OID.timestamptz ? 3 : null,
          database, 'pg_catalog', TYPES.get(c.typeOid)?.name ?? 'text', 'NO', 'NEVER', r.kind === 'v' ? 'NO' : 'YES', c.description || null,
        ]),
      ),
  },
  'information_schema.schemata': {
    fields: ['catalog_name', 'schema_name', 'schema_owner'].map(text),
    rows: ({ database, user }) => ['public', 'information_schema', 'pg_catalog'].map((schema) => [database, schema, user]),
  },
  'information_schema.views': {
    fields: ['table_catalog', 'table_schema', 'table_name', 'view_definition', 'check_option', 'is_updatable', 'is_insertable_into'].map(text),
    rows: ({ model, database }) => model.relations.filter((r) => r.kind === 'v').map((r) => [database, 'public', r.name, null, 'NONE', 'NO', 'NO']),
  },
  'pg_catalog.pg_namespace': {
    fields: [oid('oid'), name('nspname'), oid('nspowner'), text('nspacl')],
    rows: () => NAMESPACES.map(([namespaceOid, nspname]) => [namespaceOid, nspname, BOOTSTRAP_USER_OID, null]),
  },
  'pg_catalog.pg_class': {
    fields: [
      oid('oid'), name('relname'), oid('relnamespace'), oid('reltype'), oid('relowner'), oid('relam'), oid('relfilenode'), oid('reltablespace'), int4('relpages'),
      f(OID.float4)('reltuples'), bool('relhasindex'), char('relpersistence'), char('relkind'), int2('relnatts'), int2('relchecks'), bool('relhasrules'),
      bool('relhastriggers'), bool('relhassubclass'), bool('relrowsecurity'), bool('relispartition'), text('reloptions'), aclitems('relacl'), nodeTree('relpartbound'),
    ],
    // The tables and views, then the primary keys' indexes.
    rows: ({ model, user }) => [
      ...model.relations.map((r) => [
        r.oid, r.name, PUBLIC_NAMESPACE_OID, 0, BOOTSTRAP_USER_OID, r.kind === 'r' ? STRIPE_AM_OID : 0, 0, 0, 0,
        -1, r.keyColumn !== undefined, 'p', r.kind, r.columns.length, 0, false,
        false, false, false, false, null, relationAcl(r, user), null,
      ]),
      ...model.relations.filter((r) => r.keyColumn !== undefined).map((r) => [
        primaryIndexOid(r), pkeyName(r), PUBLIC_NAMESPACE_OID, 0, BOOTSTRAP_USER_OID, BTREE_AM_OID, 0, 0, 0,
        -1, false, 'p', 'i', 1, 0, false,
        false, false, false, false, null, null, null,
      ]),
    ],
  },
  'pg_catalog.pg_attribute': {
    fields: [
      oid('attrelid'), name('attname'), oid('atttypid'), int2('attnum'), int2('attlen'), int4('atttypmod'), int4('attndims'), bool('attnotnull'), bool('atthasdef'),
      bool('attisdropped'), char('attidentity'), char('attgenerated'), char('attstorage'), bool('attislocal'), int4('attinhcount'), oid('attcollation'), text('attacl'),
    ],
    rows: ({ model }) =>
      model.relations.flatMap((r) =>
        r.columns.map((c) => {
          const size = TYPES.get(c.typeOid)?.size ?? -1;
          return [
            r.oid, c.name, c.typeOid, c.attnum, size, -1, 0, c.notNull, false,
            false, '', '', size === -1 ? 'x' : 'p', true, 0, c.typeOid === OID.text ? DEFAULT_COLLATION_OID : 0, null,
          ];
        }),
      ),
  },
  'pg_catalog.pg_type': {
    fields: [
      oid('oid'), name('typname'), oid('typnamespace'), int2('typlen'), char('typtype'), char('typcategory'), oid('typrelid'), oid('typelem'), oid('typbasetype'), int4('typtypmod'), bool('typnotnull'),
      // Only array_in is named: pgjdbc asks `typinput = 'array_in'::regproc` to tell arrays apart.
      regproc('typinput'), char('typdelim'), oid('typcollation'), oid('typarray'),
    ],
    rows: () =>
      [...TYPES.entries()].map(([typeOid, info]) => {
        const element = typeOid === OID.textArray ? OID.text : typeOid === OID.nameArray ? OID.name : 0;
        return [
          typeOid, info.name, PG_CATALOG_NAMESPACE_OID, info.size, 'b', TYPE_CATEGORY[typeOid] ?? 'S', 0,
          element, 0, -1, false,
          element !== 0 ? ARRAY_IN_OID : 0, ',', typeOid === OID.text || typeOid === OID.varchar || typeOid === OID.bpchar || typeOid === OID.name ? DEFAULT_COLLATION_OID : 0,
          typeOid === OID.text ? OID.textArray : typeOid === OID.name ? OID.nameArray : 0,
        ];
      }),
  },
  'pg_catalog.pg_description': {
    fields: [oid('objoid'), oid('classoid'), int4('objsubid'), text('description')],
    rows: ({ model, procedures }) => [
      ...model.relations.flatMap((r) => [
        ...(r.description ? [[r.oid, PG_CLASS_OID, 0, r.description]] : []),
        ...r.columns.filter((c) => c.description).map((c) => [r.oid, PG_CLASS_OID, c.attnum, c.description]),
      ]),
      ...procedureOids(procedures).filter((p) => p.procedure.description).map((p) => [p.oid, PG_PROC_OID, 0, p.procedure.description]),
      ...NAMESPACES.filter(([, , description]) => description !== null).map(([namespaceOid, , description]) => [namespaceOid, PG_NAMESPACE_OID, 0, description]),
    ],
  },
  'pg_catalog.pg_constraint': {
    fields: [
      oid('oid'), name('conname'), oid('connamespace'), char('contype'), bool('condeferrable'), bool('condeferred'), bool('convalidated'), oid('conrelid'),
      oid('contypid'), oid('conindid'), oid('confrelid'), char('confupdtype'), char('confdeltype'), char('confmatchtype'), bool('conislocal'),
      int4('coninhcount'), bool('connoinherit'), int2array('conkey'), int2array('confkey'),
    ],
    rows: ({ model }) =>
      constraints(model).map((c) => [
        c.oid, c.name, PUBLIC_NAMESPACE_OID, c.type, false, false, true, c.relation.oid,
        0, c.type === 'p' ? primaryIndexOid(c.relation) : primaryIndexOid(c.references!), c.references?.oid ?? 0, c.type === 'f' ? 'a' : ' ', c.type === 'f' ? 'a' : ' ', c.type === 'f' ? 's' : ' ', true,
        0, true, new SqlArray([c.column.attnum]), c.references ? new SqlArray([c.references.columns.find((k) => k.name === c.references!.keyColumn)!.attnum]) : null,
      ]),
  },
  'pg_catalog.pg_index': {
    fields: [
      oid('indexrelid'), oid('indrelid'), int2('indnatts'), int2('indnkeyatts'), bool('indisunique'), bool('indisprimary'), bool('indisexclusion'), bool('indimmediate'),
      bool('indisclustered'), bool('indisvalid'), bool('indcheckxmin'), bool('indisready'), bool('indislive'), bool('indisreplident'), int2vector('indkey'),
      oidvector('indcollation'), oidvector('indclass'), int2vector('indoption'), nodeTree('indexprs'), nodeTree('indpred'),
    ],
    // Each table's key column (Id) as its primary key's one-column btree index, ascending.
    rows: ({ model }) =>
      model.relations.flatMap((r) => {
        const key = r.columns.find((c) => c.name === r.keyColumn);
        if (!key) return [];
        return [[
          primaryIndexOid(r), r.oid, 1, 1, true, true, false, true,
          false, true, false, true, true, false, SqlArray.vector([key.attnum]),
          SqlArray.vector([key.typeOid === OID.text ? DEFAULT_COLLATION_OID : 0]), SqlArray.vector([TEXT_OPS_OID]), SqlArray.vector([0]), null, null,
        ]];
      }),
  },
  'pg_catalog.pg_roles': {
    fields: [
      oid('oid'), name('rolname'), bool('rolsuper'), bool('rolinherit'), bool('rolcreaterole'), bool('rolcreatedb'), bool('rolcanlogin'), bool('rolreplication'),
      int4('rolconnlimit'), text('rolpassword'), f(OID.timestamptz)('rolvaliduntil'), bool('rolbypassrls'), text('rolconfig'),
    ],
    // The session's user, whatever name it gave: it may read every table, and writes as each table takes them.
    rows: ({ user }) => [[BOOTSTRAP_USER_OID, user, false, true, false, false, true, false, -1, '********', null, false, null]],
  },
  'pg_catalog.pg_am': {
    fields: [oid('oid'), name('amname'), char('amtype')],
    rows: () => [[BTREE_AM_OID, 'btree', 'i'], [STRIPE_AM_OID, 'stripe', 't']],
  },
  'pg_catalog.pg_database': {
    fields: [oid('oid'), name('datname'), oid('datdba'), int4('encoding'), name('datcollate'), name('datctype'), bool('datistemplate'), bool('datallowconn')],
    rows: ({ database }) => [[DATABASE_OID, database, BOOTSTRAP_USER_OID, 6, 'C.UTF-8', 'C.UTF-8', false, true]],
  },
  // No column has a default expression, no object depends on another beyond what pg_constraint says, no type is an enum.
  'pg_catalog.pg_attrdef': {
    fields: [oid('oid'), oid('adrelid'), int2('adnum'), nodeTree('adbin')],
    rows: () => [],
  },
  // Each key as information_schema lists it: the primary keys, then the foreign keys.
  'information_schema.table_constraints': {
    fields: ['constraint_catalog', 'constraint_schema', 'constraint_name', 'table_catalog', 'table_schema', 'table_name', 'constraint_type', 'is_deferrable', 'initially_deferred', 'enforced', 'nulls_distinct'].map(text),
    rows: ({ model, database }) =>
      constraints(model).map((c) => [database, 'public', c.name, database, 'public', c.relation.name, c.type === 'p' ? 'PRIMARY KEY' : 'FOREIGN KEY', 'NO', 'NO', 'YES', null]),
  },
  'information_schema.key_column_usage': {
    fields: [text('constraint_catalog'), text('constraint_schema'), text('constraint_name'), text('table_catalog'), text('table_schema'), text('table_name'), text('column_name'), int4('ordinal_position'), int4('position_in_unique_constraint')],
    rows: ({ model, database }) =>
      constraints(model).map((c) => [database, 'public', c.name, database, 'public', c.relation.name, c.column.name, 1, c.type === 'f' ? 1 : null]),
  },
  // The tables and views by schema, as the pg_tables and pg_views views list them; no materialized views.
  'pg_catalog.pg_tables': {
    fields: [name('schemaname'), name('tablename'), name('tableowner'), name('tablespace'), bool('hasindexes'), bool('hasrules'), bool('hastriggers'), bool('rowsecurity')],
    rows: ({ model, user }) => model.relations.filter((r) => r.kind === 'r').map((r) => ['public', r.name, user, null, r.keyColumn !== undefined, false, false, false]),
  },
  'pg_catalog.pg_views': {
    fields: [name('schemaname'), name('viewname'), name('viewowner'), text('definition')],
    rows: ({ model, user }) => model.relations.filter((r) => r.kind === 'v').map((r) => ['public', r.name, user, null]),
  },
  'pg_catalog.pg_matviews': {
    fields: [name('schemaname'), name('matviewname'), name('matviewowner'), name('tablespace'), bool('hasindexes'), bool('ispopulated'), text('definition')],
    rows: () => [],
  },
  // No statistics are gathered: Stripe holds the rows, and counting them would read them all.
  'pg_catalog.pg_stat_user_tables': {
    fields: [oid('relid'), name('schemaname'), name('relname'), f(OID.int8)('seq_scan'), f(OID.int8)('n_live_tup'), f(OID.int8)('n_dead_tup')],
    rows: () => [],
  },
  'pg_catalog.pg_shdescription': {
    fields: [oid('objoid'), oid('classoid'), text('description')],
    rows: () => [],
  },
  'pg_catalog.pg_depend': {
    fields: [oid('classid'), oid('objid'), int4('objsubid'), oid('refclassid'), oid('refobjid'), int4('refobjsubid'), char('deptype')],
    rows: () => [],
  },
  'pg_catalog.pg_enum': {
    fields: [oid('oid'), oid('enumtypid'), f(OID.float4)('enumsortorder'), name('enumlabel')],
    rows: () => [],
  },
  // The stored procedures (EXEC), as procedures returning a record.
  'pg_catalog.pg_proc': {
    fields: [
      oid('oid'), name('proname'), oid('pronamespace'), oid('proowner'), oid('prolang'), f(OID.float4)('procost'), f(OID.float4)('prorows'), oid('provariadic'),
      regproc('prosupport'), char('prokind'), bool('prosecdef'), bool('proleakproof'), bool('proisstrict'), bool('proretset'), char('provolatile'), char('proparallel'),
      int2('pronargs'), int2('pronargdefaults'), oid('prorettype'), oidvector('proargtypes'), f(OID.oidArray)('proallargtypes'), f(OID.textArray)('proargmodes'),
      f(OID.textArray)('proargnames'), nodeTree('proargdefaults'), text('prosrc'), text('probin'), f(OID.textArray)('proconfig'), aclitems('proacl'),
    ],
    rows: ({ procedures }) =>
      procedureOids(procedures).map(({ oid: procOid, procedure: p }) => [
        procOid, p.name, PUBLIC_NAMESPACE_OID, BOOTSTRAP_USER_OID, INTERNAL_LANGUAGE_OID, 1, 0, 0,
        0, 'p', false, false, false, false, 'v', 'u',
        p.parameters.length, p.parameters.filter((a) => !a.required).length, OID.record, SqlArray.vector(p.parameters.map((a) => oidOfType(a.type))), null, null,
        new SqlArray(p.parameters.map((a) => a.name)), null, `EXEC ${p.name}`, null, null, null,
      ]),
  },
  'pg_catalog.pg_settings': {
    fields: ['name', 'setting', 'unit', 'category', 'short_desc', 'context', 'vartype', 'source'].map(text),
    rows: ({ settings }) => settings.map(([key, value]) => [key, value, null, '', '', 'user', 'string', 'default']),
  },
};
