// The catalog's functions for queries the engine runs (engine.ts): PostgreSQL's object-name
// casts (`'pg_class'::regclass`, `c.oid::regclass`, `::regtype`), format_type, the description
// lookups, and the expressions and visibility tests introspection queries read. They answer
// from the same model as the catalog tables, so the OIDs agree.
import type { ScalarFunction } from '../../engine/functions.js';
import type { DataType, SqlValue } from '../../engine/table.js';
import { SqlArray, SqlRecord } from '../../engine/composite.js';
import { ValueSet } from '../../engine/value-sets.js';
import { OID, TYPES } from '../protocol/types.js';
import { oidOfType } from '../types.js';
import { pkeyName, type CatalogModel } from './model.js';
import { constraints, primaryIndexOid, procedureOids } from './tables.js';
import type { ProcedureInfo } from './psql.js';

/** The system catalogs' own OIDs (pg_class.dat), which descriptions' classoid names. */
export const SYSTEM_RELATIONS: Readonly<Record<string, number>> = {
  pg_type: 1247, pg_attribute: 1249, pg_proc: 1255, pg_class: 1259, pg_namespace: 2615, pg_constraint: 2606, pg_description: 2609, pg_index: 2610, pg_database: 1262,
  pg_attrdef: 2604, pg_depend: 2608, pg_enum: 3501, pg_am: 2601, pg_authid: 1260, pg_shdescription: 2396,
};

export interface FunctionContext {
  model: CatalogModel;
  database: string;
  user: string;
  procedures: readonly ProcedureInfo[];
  settings: readonly [string, string][];
}

/** pg_proc's own functions that queries name by ::regproc. */
const BUILTIN_PROCEDURES: Readonly<Record<string, number>> = { array_in: 750 };
/** Pseudo-types a result is declared with, which are not column types (no pg_type row). */
const PSEUDO_TYPES: Readonly<Record<number, string>> = { [OID.record]: 'record', [OID.void]: 'void' };

/** A name as an identifier: quoted unless it is lower case letters, digits and underscores. */
const identifier = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

const unqualified = (name: string) => name.trim().replace(/^"?(public|pg_catalog)"?\./i, '').replace(/^"(.*)"$/, '$1');

function fn(name: string, args: [number, number], returnType: (types: (DataType | null)[]) => DataType | null, call: (args: SqlValue[]) => SqlValue, extra: Partial<ScalarFunction> = {}): ScalarFunction {
  return { name, minArgs: args[0], maxArgs: args[1], returnType, call, ...extra };
}

/**
 * The object-name types: text in gives the OID (NULL for a name nothing has, where PostgreSQL
 * would refuse), an OID in gives the name.
 */
function objectName(name: string, byName: (name: string) => number | undefined, byOid: (oid: number) => string | undefined): ScalarFunction {
  return fn(name, [1, 1], ([type]) => (type === 'String' || type === null ? 'Long' : 'String'), ([value]) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number') return byOid(value) ?? String(value);
    return byName(unqualified(String(value))) ?? null;
  });
}

export function catalogFunctions(context: FunctionContext): Map<string, ScalarFunction> {
  const { model } = context;
  const relationOid = (name: string) => {
    const lower = name.toLowerCase();
    return SYSTEM_RELATIONS[lower] ?? model.relations.find((r) => r.name.toLowerCase() === lower)?.oid;
  };
  const relationName = (oid: number) => model.byOid.get(oid)?.name ?? Object.entries(SYSTEM_RELATIONS).find(([, o]) => o === oid)?.[0];
  const procs = procedureOids(context.procedures);
  const procedure = (oid: SqlValue) => procs.find((p) => p.oid === oid)?.procedure;
  const indexed = (oid: SqlValue) => model.relations.find((r) => r.keyColumn !== undefined && primaryIndexOid(r) === oid);
  const argumentList = (p: ProcedureInfo, defaults: boolean) =>
    p.parameters.map((a) => `${a.name} ${TYPES.get(oidOfType(a.type))?.display ?? 'text'}${defaults && !a.required ? ' DEFAULT NULL' : ''}`).join(', ');
  const typeOid = (name: string) => [...TYPES.entries()].find(([, t]) => t.name === name.toLowerCase() || t.display === name.toLowerCase())?.[0];
  const typeName = (oid: number) => TYPES.get(oid)?.display;
  const description = (oid: SqlValue, attnum: number) => {
    const relation = typeof oid === 'number' ? model.byOid.get(oid) : undefined;
    if (!relation) return null;
    const text = attnum === 0 ? relation.description : relation.columns.find((c) => c.attnum === attnum)?.description;
    return text || null;
  };
  /** Whether the session's user holds any of `privileges` (`'select'`, `'insert, update'`) on the table named (`'"public"."Customers"'`) or numbered. */
  const tablePrivilege = (table: SqlValue, privileges: SqlValue): SqlValue => {
    if (table === null || typeof privileges !== 'string') return null;
    const r = typeof table === 'number' ? model.byOid.get(table) : model.relations.find((x) => x.name.toLowerCase() === unqualified(String(table)).toLowerCase());
    if (!r) return null;
    const held: Record<string, boolean> = { select: true, insert: r.insertable, update: r.updatable, delete: r.deletable };
    return privileges.split(',').some((p) => held[p.trim().toLowerCase().replace(/ with grant option$/, '')] === true);
  };
  const list: ScalarFunction[] = [
    objectName('REGCLASS', relationOid, relationName),
    objectName('REGTYPE', typeOid, typeName),
    objectName('REGPROC', (name) => BUILTIN_PROCEDURES[name.toLowerCase()] ?? procs.find((p) => p.procedure.name.toLowerCase() === name.toLowerCase())?.oid, (oid) => procedure(oid)?.name),
    fn('FORMAT_TYPE', [2, 2], () => 'String', ([oid]) => (typeof oid === 'number' ? (TYPES.get(oid)?.display ?? PSEUDO_TYPES[oid] ?? '???') : null)),
    // The search path: public, with pg_catalog first when the implicit schemas are asked for.
    fn('CURRENT_SCHEMAS', [1, 1], () => 'Array', ([implicit]) => (implicit === null ? null : new SqlArray(implicit === true ? ['pg_catalog', 'public'] : ['public']))),
    // information_schema's helper: each element of an array with its position, as rows (x, n).
    fn('INFORMATION_SCHEMA._PG_EXPANDARRAY', [1, 1], () => 'Record', ([value]) => {
      const items = value instanceof SqlArray ? value.items : [];
      return new ValueSet(items.map((x, i) => new SqlRecord(['x', 'n'], [x, i + 1]))) as unknown as SqlValue;
    }, { setReturning: true, recordFields: { x: 'Integer', n: 'Integer' } }),
    // A primary key's index: its definition, or the name of its column `column` (1-based; 0 for the whole definition).
    fn('PG_GET_INDEXDEF', [1, 3], () => 'String', ([oid, column]) => {
      const r = indexed(oid ?? null);
      if (!r) return null;
      if (typeof column === 'number' && column > 0) return column === 1 ? identifier(r.keyColumn!) : '';
      return `CREATE UNIQUE INDEX ${identifier(pkeyName(r))} ON public.${identifier(r.name)} USING btree (${identifier(r.keyColumn!)})`;
    }),
    // The keys' definitions, as pg_get_constraintdef prints them.
    fn('PG_GET_CONSTRAINTDEF', [1, 2], () => 'String', ([oid]) => {
      const c = constraints(model).find((k) => k.oid === oid);
      if (!c) return null;
      if (c.type === 'p') return `PRIMARY KEY (${identifier(c.column.name)})`;
      return `FOREIGN KEY (${identifier(c.column.name)}) REFERENCES ${identifier(c.references!.name)}(${identifier(c.references!.keyColumn!)})`;
    }),
    // No table is partitioned, and none takes room here (Stripe holds the rows); no index has been scanned.
    fn('PG_GET_PARTKEYDEF', [1, 1], () => 'String', () => null),
    fn('PG_RELATION_SIZE', [1, 2], () => 'Long', ([oid]) => (oid === null || oid === undefined ? null : 0)),
    fn('PG_TOTAL_RELATION_SIZE', [1, 1], () => 'Long', ([oid]) => (oid === null || oid === undefined ? null : 0)),
    fn('PG_STAT_GET_NUMSCANS', [1, 1], () => 'Long', ([oid]) => (oid === null || oid === undefined ? null : 0)),
    fn('CURRENT_USER', [0, 0], () => 'String', () => context.user),
    fn('USER', [0, 0], () => 'String', () => context.user),
    fn('CURRENT_SETTING', [1, 2], () => 'String', ([name]) => (typeof name === 'string' ? (context.settings.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? null) : null)),
    fn('SESSION_USER', [0, 0], () => 'String', () => context.user),
    // The session's user may read every table and view, and write as each table takes writes (relationAcl).
    fn('HAS_TABLE_PRIVILEGE', [2, 3], () => 'Boolean', (args) => tablePrivilege(args.at(-2) ?? null, args.at(-1) ?? null)),
    fn('HAS_ANY_COLUMN_PRIVILEGE', [2, 3], () => 'Boolean', (args) => tablePrivilege(args.at(-2) ?? null, args.at(-1) ?? null)),
    fn('HAS_SCHEMA_PRIVILEGE', [2, 3], () => 'Boolean', (args) => {
      const [schema, privilege] = [args.at(-2), args.at(-1)];
      if (typeof schema !== 'string' || typeof privilege !== 'string') return null;
      return ['public', 'pg_catalog', 'information_schema'].includes(unqualified(schema).toLowerCase()) && /^\s*usage\s*$/i.test(privilege);
    }),
    fn('PG_GET_FUNCTION_RESULT', [1, 1], () => 'String', ([oid]) => (procedure(oid ?? null) ? 'record' : null)),
    fn('PG_GET_FUNCTION_ARGUMENTS', [1, 1], () => 'String', ([oid]) => {
      const p = procedure(oid ?? null);
      return p ? argumentList(p, true) : null;
    }),
    fn('PG_GET_FUNCTION_IDENTITY_ARGUMENTS', [1, 1], () => 'String', ([oid]) => {
      const p = procedure(oid ?? null);
      return p ? argumentList(p, false) : null;
    }),
    // No column has a default expression (pg_attrdef is empty).
    fn('PG_GET_EXPR', [2, 3], () => 'String', () => null),
    fn('OBJ_DESCRIPTION', [1, 2], () => 'String', ([oid]) => description(oid ?? null, 0)),
    fn('COL_DESCRIPTION', [2, 2], () => 'String', ([oid, attnum]) => (typeof attnum === 'number' ? description(oid ?? null, attnum) : null)),
    fn('PG_TABLE_IS_VISIBLE', [1, 1], () => 'Boolean', ([oid]) => (oid === null || oid === undefined ? null : true)),
    fn('PG_TYPE_IS_VISIBLE', [1, 1], () => 'Boolean', ([oid]) => (oid === null || oid === undefined ? null : true)),
    fn('CURRENT_DATABASE', [0, 0], () => 'String', () => context.database),
    fn('CURRENT_SCHEMA', [0, 0], () => 'String', () => 'public'),
    fn('PG_MY_TEMP_SCHEMA', [0, 0], () => 'Long', () => 0),
    fn('TO_REGCLASS', [1, 1], () => 'Long', ([name]) => (typeof name === 'string' ? (relationOid(unqualified(name)) ?? null) : null)),
  ];
  return new Map(list.map((f) => [f.name, f]));
}
