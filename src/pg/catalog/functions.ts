// The catalog's functions for queries the engine runs (engine.ts): PostgreSQL's object-name
// casts (`'pg_class'::regclass`, `c.oid::regclass`, `::regtype`), format_type, the description
// lookups, and the expressions and visibility tests introspection queries read. They answer
// from the same model as the catalog tables, so the OIDs agree.
import type { ScalarFunction } from '../../engine/functions.js';
import type { DataType, SqlValue } from '../../engine/table.js';
import { TYPES } from '../protocol/types.js';
import type { CatalogModel } from './model.js';

/** The system catalogs' own OIDs (pg_class.dat), which descriptions' classoid names. */
export const SYSTEM_RELATIONS: Readonly<Record<string, number>> = {
  pg_type: 1247, pg_attribute: 1249, pg_proc: 1255, pg_class: 1259, pg_namespace: 2615, pg_constraint: 2606, pg_description: 2609, pg_index: 2610, pg_database: 1262,
};

export interface FunctionContext {
  model: CatalogModel;
  database: string;
  user: string;
}

const unqualified = (name: string) => name.trim().replace(/^"?(public|pg_catalog)"?\./i, '').replace(/^"(.*)"$/, '$1');

function fn(name: string, args: [number, number], returnType: (types: (DataType | null)[]) => DataType | null, call: (args: SqlValue[]) => SqlValue): ScalarFunction {
  return { name, minArgs: args[0], maxArgs: args[1], returnType, call };
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

export function catalogFunctions(context: () => FunctionContext): Map<string, ScalarFunction> {
  const relationOid = (name: string) => {
    const lower = name.toLowerCase();
    return SYSTEM_RELATIONS[lower] ?? context().model.relations.find((r) => r.name.toLowerCase() === lower)?.oid;
  };
  const relationName = (oid: number) => context().model.byOid.get(oid)?.name ?? Object.entries(SYSTEM_RELATIONS).find(([, o]) => o === oid)?.[0];
  const typeOid = (name: string) => [...TYPES.entries()].find(([, t]) => t.name === name.toLowerCase() || t.display === name.toLowerCase())?.[0];
  const typeName = (oid: number) => TYPES.get(oid)?.display;
  const description = (oid: SqlValue, attnum: number) => {
    const relation = typeof oid === 'number' ? context().model.byOid.get(oid) : undefined;
    if (!relation) return null;
    const text = attnum === 0 ? relation.description : relation.columns.find((c) => c.attnum === attnum)?.description;
    return text || null;
  };
  const list: ScalarFunction[] = [
    objectName('REGCLASS', relationOid, relationName),
    objectName('REGTYPE', typeOid, typeName),
    // No functions are catalogued (stored procedures are EXEC's): a procedure name has no OID.
    objectName('REGPROC', () => undefined, () => undefined),
    fn('FORMAT_TYPE', [2, 2], () => 'String', ([oid]) => (typeof oid === 'number' ? (TYPES.get(oid)?.display ?? '???') : null)),
    // No column has a default expression (pg_attrdef is empty).
    fn('PG_GET_EXPR', [2, 3], () => 'String', () => null),
    fn('OBJ_DESCRIPTION', [1, 2], () => 'String', ([oid]) => description(oid ?? null, 0)),
    fn('COL_DESCRIPTION', [2, 2], () => 'String', ([oid, attnum]) => (typeof attnum === 'number' ? description(oid ?? null, attnum) : null)),
    fn('PG_TABLE_IS_VISIBLE', [1, 1], () => 'Boolean', ([oid]) => (oid === null || oid === undefined ? null : true)),
    fn('PG_TYPE_IS_VISIBLE', [1, 1], () => 'Boolean', ([oid]) => (oid === null || oid === undefined ? null : true)),
    fn('CURRENT_DATABASE', [0, 0], () => 'String', () => context().database),
    fn('CURRENT_SCHEMA', [0, 0], () => 'String', () => 'public'),
    fn('PG_MY_TEMP_SCHEMA', [0, 0], () => 'Long', () => 0),
    fn('TO_REGCLASS', [1, 1], () => 'Long', ([name]) => (typeof name === 'string' ? (relationOid(unqualified(name)) ?? null) : null)),
  ];
  return new Map(list.map((f) => [f.name, f]));
}
