// DBeaver's own navigator queries (plugins/org.jkiss.dbeaver.ext.postgresql, model/*.java) that
// the engine cannot yet run (engine.ts runs its database list, data types, schemas and
// columns): the roles it reads on connect, a schema's tables, their constraints and indexes.
// DBeaver reads whole
// catalog rows (`c.oid, c.*`) and picks columns by name, so these answers expand `alias.*` to
// the small catalog tables' columns (catalog/tables.ts) and add what the query joins in (the
// description, the table name). The texts are kept in test/fixtures/pg-clients/dbeaver-*.sql.
import { OID } from '../protocol/types.js';
import type { WireValue } from '../protocol/values.js';
import type { ResultField } from '../types.js';
import { constraints, CATALOG_TABLES, type CatalogTableContext } from './tables.js';
import { pkeyName, PUBLIC_NAMESPACE_OID } from './model.js';
import { has, nameFilter, operand, selectItems, type ClientAnswer, type ClientContext, type Recognizer } from './recognize.js';

type Row = Record<string, WireValue>;

/** A catalog table's rows as records, by column name. */
function records(table: string, context: ClientContext): Row[] {
  const t = CATALOG_TABLES[table]!;
  const tableContext: CatalogTableContext = { model: context.model, database: context.database, user: context.user, settings: [], procedures: [] };
  return t.rows(tableContext).map((r) => Object.fromEntries(t.fields.map((f, i) => [f.name, r[i] ?? null])));
}

/**
 * The select list over one catalog table aliased `alias`: `alias.*` and `alias.col` from the
 * row, anything else (`d.description`, `t.relname as tabrelname`, functions) from `extra`, by
 * its label, NULL when unknown.
 */
function starAnswer(sql: string, alias: string, table: string, rows: (values: readonly WireValue[]) => { row: Row; extra: Row }[]): ClientAnswer {
  const columns = CATALOG_TABLES[table]!.fields;
  const items = selectItems(sql);
  const fields: ResultField[] = [];
  const pickers: ((r: { row: Row; extra: Row }) => WireValue)[] = [];
  for (const { expr, key } of items) {
    const star = new RegExp(`^${alias}\\.\\*$`, 'i').test(expr.trim());
    const own = new RegExp(`^${alias}\\.(\\w+)$`, 'i').exec(expr.trim());
    if (star) {
      for (const c of columns) {
        fields.push(c);
        pickers.push((r) => r.row[c.name] ?? null);
      }
    } else if (own && columns.some((c) => c.name === own[1]!.toLowerCase())) {
      const column = columns.find((c) => c.name === own[1]!.toLowerCase())!;
      fields.push(column);
      pickers.push((r) => r.row[column.name] ?? null);
    } else {
      fields.push({ name: key, typeOid: EXTRA_TYPES[key] ?? OID.text });
      pickers.push((r) => r.extra[key] ?? null);
    }
  }
  return { fields, rows: (values) => rows(values).map((r) => pickers.map((pick) => pick(r))) };
}

const EXTRA_TYPES: Record<string, number> = {
  relkind: OID.char, relname: OID.name, tabrelname: OID.name, relnamespace: OID.oid, relam: OID.oid, reltablespace: OID.oid, refnamespace: OID.oid,
  objid: OID.oid, index_rel_size: OID.int8, index_num_scans: OID.int8,
};

/** `column = $n` / `column = 123` in the query: the number it asks for, if it asks. */
function numberFilter(sql: string, column: string): ((values: readonly WireValue[]) => number | undefined) | undefined {
  const m = new RegExp(`(?<![\\w.])${column.replace(/\./g, '\\.')}\\s*=\\s*(\\$\\d+|\\d+)(?!\\w)`, 'i').exec(sql);
  if (!m) return undefined;
  const value = operand(m[1]!);
  return (values) => {
    const v = value(values);
    return v === null ? undefined : Number(v);
  };
}

const byOidOrder = (a: Row, b: Row) => Number(a.oid) - Number(b.oid);

/** Tables are all in public: a namespace filter other than public finds none. */
function inPublic(namespace: number | undefined): boolean {
  return namespace === undefined || namespace === PUBLIC_NAMESPACE_OID;
}

export const DBEAVER_RECOGNIZERS: Recognizer[] = [
  {
    source: "DBeaver's roles (PostgreDatabase.RoleCache)",
    test: (sql) => /^\s*SELECT\s+a\.oid\s*,\s*a\.\*\s*,\s*pd\.description\s+FROM\s+pg_catalog\.pg_roles\s+a\b/i.test(sql),
    answer(sql, context) {
      return starAnswer(sql, 'a', 'pg_catalog.pg_roles', () => records('pg_catalog.pg_roles', context).map((row) => ({ row, extra: { description: null } })));
    },
  },
  {
    source: "DBeaver's tables of a schema (PostgreSchema.TableCache)",
    test: (sql) => /^\s*SELECT\s+c\.oid\s*,\s*c\.\*\s*,\s*d\.description\b[\s\S]*FROM\s+pg_catalog\.pg_class\s+c\b/i.test(sql),
    answer(sql, context) {
      const namespace = numberFilter(sql, 'c.relnamespace');
      const table = nameFilter(sql, 'relname', 'c.relname');
      return starAnswer(sql, 'c', 'pg_catalog.pg_class', (values) =>
        inPublic(namespace?.(values))
          ? records('pg_catalog.pg_class', context)
              .filter((row) => table(values, String(row.relname)))
              .map((row) => ({ row, extra: { description: context.model.byOid.get(Number(row.oid))?.description || null } }))
          : [],
      );
    },
  },
  {
    source: "DBeaver's constraints of a schema or table (PostgreSchema.ConstraintCache)",
    test: (sql) => has(sql, /^\s*SELECT\s+c\.oid\s*,\s*c\.\*\s*,\s*t\.relname\s+as\s+tabrelname/i, /FROM\s+pg_catalog\.pg_constraint\s+c\b/i),
    answer(sql, context) {
      const namespace = numberFilter(sql, 't.relnamespace');
      const relation = numberFilter(sql, 'c.conrelid');
      const all = constraints(context.model);
      return starAnswer(sql, 'c', 'pg_catalog.pg_constraint', (values) => {
        if (!inPublic(namespace?.(values))) return [];
        const wanted = relation?.(values);
        return records('pg_catalog.pg_constraint', context)
          .filter((row) => wanted === undefined || Number(row.conrelid) === wanted)
          .sort(byOidOrder)
          .map((row) => {
            const c = all.find((k) => k.oid === Number(row.oid))!;
            return { row, extra: { tabrelname: c.relation.name, refnamespace: c.references ? PUBLIC_NAMESPACE_OID : null, description: null, consrc_copy: null } };
          });
      });
    },
  },
  {
    // Each table's one index: the one behind its primary key (`<table>_pkey`, on Id).
    source: "DBeaver's indexes of a schema or table (PostgreSchema.IndexCache)",
    test: (sql) => has(sql, /^\s*SELECT\s+i\.\*\s*,\s*i\.indkey\s+as\s+keys\b/i, /FROM\s+pg_catalog\.pg_index\s+i\b/i),
    answer(sql, context) {
      const namespace = numberFilter(sql, 'c.relnamespace');
      const relation = numberFilter(sql, 'i.indrelid');
      return starAnswer(sql, 'i', 'pg_catalog.pg_index', (values) => {
        if (!inPublic(namespace?.(values))) return [];
        const wanted = relation?.(values);
        return records('pg_catalog.pg_index', context)
          .filter((row) => wanted === undefined || Number(row.indrelid) === wanted)
          .map((row) => {
            const r = context.model.byOid.get(Number(row.indrelid))!;
            return {
              row,
              extra: {
                keys: row.indkey, relname: pkeyName(r), relnamespace: PUBLIC_NAMESPACE_OID, relam: 0, reltablespace: 0, tabrelname: r.name,
                description: null, pred_expr: null, expr: null, index_rel_size: 0, index_num_scans: 0,
              },
            };
          })
          .sort((a, b) => String(a.extra.relname).localeCompare(String(b.extra.relname)));
      });
    },
  },
];
