// The catalog queries BI tools and drivers send to browse a schema, answered from the
// connection's tables(): pgjdbc's DatabaseMetaData (getTables, getColumns, getSchemas,
// getPrimaryKeys, getImportedKeys/getExportedKeys, getTypeInfo and its TypeInfoCache lookups —
// what DBeaver's navigator and Metabase's sync run), Metabase's own table listing, and
// Grafana's schema, table and column pickers. The texts are kept in
// test/fixtures/pg-clients/*.sql. Like psql.ts, each is recognised by the parts that identify
// it (its output labels, the catalogs and aliases it joins), never by its whole text; the
// filters (`n.nspname LIKE $1`, `c.relname = 'x'`, `IN (…)`) are read out of it, with `$n`
// parameters or literals, and names match case-insensitively as everywhere in stripe-sql.
import { OID, TYPES } from '../protocol/types.js';
import { unquoteLiteral } from '../sql-text.js';
import type { CatalogRelation } from './model.js';
import {
  byName, fieldsOf, filteredRelations, has, pkeyName, innerQuery, nameFilter, operand, project, quoteIdent, selectItems, SCHEMAS, tableType,
  type ClientAnswer, type ClientContext, type Recognizer,
} from './recognize.js';

import { METABASE_RECOGNIZERS } from './metabase.js';
import { DBEAVER_RECOGNIZERS } from './dbeaver.js';

export type { ClientAnswer, ClientContext } from './recognize.js';

/** pgjdbc's getTables type clauses (`OR ( c.relkind = 'r' AND n.nspname !~ '^pg_' … )`): the kinds asked for; undefined = all. */
function askedKinds(sql: string): Set<string> | undefined {
  if (!/AND\s*\(\s*false\b/i.test(sql)) return undefined;
  const kinds = new Set<string>();
  for (const m of sql.matchAll(/OR\s*\(\s*c\.relkind\s*(?:=\s*'(\w)'|IN\s*\(([^)]*)\))\s*AND\s+(n\.nspname\s*(?:!~\s*'\^pg_'|<>\s*'pg_catalog')|c\.relname\s*!~)/gi)) {
    if (m[1]) kinds.add(m[1]);
  }
  return kinds;
}

function typeRows(): { oid: number; name: string }[] {
  return [...TYPES.entries()].filter(([, t]) => t.name !== 'unknown').map(([oid, t]) => ({ oid, name: t.name }));
}

const RECOGNIZERS: Recognizer[] = [
  {
    source: 'pgjdbc getTables (DBeaver, Metabase)',
    test: (sql) => has(sql, '"TABLE_TYPE"', '"TABLE_CAT"', /pg_catalog\.pg_class\s+c\b/, /pg_catalog\.pg_namespace\s+n\b/),
    answer(sql, { model, database }) {
      const items = selectItems(sql);
      const schema = nameFilter(sql, 'n.nspname');
      const table = nameFilter(sql, 'c.relname');
      const kinds = askedKinds(sql);
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          schema(values, 'public')
            ? model.relations
                .filter((r) => (!kinds || kinds.has(r.kind)) && table(values, r.name))
                .sort((a, b) => tableType(a).localeCompare(tableType(b)) || byName(a, b))
                .map((r) =>
                  project(items, {
                    TABLE_CAT: database, TABLE_SCHEM: 'public', TABLE_NAME: r.name, TABLE_TYPE: tableType(r), REMARKS: r.description || null,
                    TYPE_CAT: '', TYPE_SCHEM: '', TYPE_NAME: '', SELF_REFERENCING_COL_NAME: '', REF_GENERATION: '',
                  }),
                )
            : [],
      };
    },
  },
  {
    source: 'pgjdbc getColumns (DBeaver, Metabase)',
    test: (sql) => has(sql, /pg_catalog\.pg_attribute\s+a\s+ON\s*\(\s*a\.attrelid\s*=\s*c\.oid\s*\)/i, /a\.atttypid/, /pg_catalog\.pg_type\s+t\s+ON/i),
    answer(sql, { model, database }) {
      const items = selectItems(innerQuery(sql));
      const relations = filteredRelations(sql, model, 'n.nspname', 'c.relname');
      const column = nameFilter(sql, 'attname', 'a.attname');
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          relations(values).flatMap((r) =>
            r.columns
              .filter((c) => column(values, c.name))
              .map((c) =>
                project(items, {
                  current_database: database, nspname: 'public', relname: r.name, attname: c.name, atttypid: c.typeOid, attnotnull: c.notNull,
                  atttypmod: -1, attlen: TYPES.get(c.typeOid)?.size ?? -1, typtypmod: -1, attnum: c.attnum, attidentity: null, attgenerated: null,
                  adsrc: null, description: c.description || null, typbasetype: 0, typtype: 'b',
                }),
              ),
          ),
      };
    },
  },
  {
    source: 'pgjdbc getSchemas (DBeaver, Metabase)',
    test: (sql) => has(sql, '"TABLE_SCHEM"', /FROM\s+pg_catalog\.pg_namespace\b/) && !has(sql, '"TABLE_NAME"'),
    answer(sql, { database }) {
      const items = selectItems(sql);
      const schema = nameFilter(sql, 'nspname');
      return {
        fields: fieldsOf(items),
        rows: (values) => SCHEMAS.filter((s) => schema(values, s)).map((s) => project(items, { TABLE_SCHEM: s, TABLE_CATALOG: database, TABLE_CAT: database })),
      };
    },
  },
  {
    source: 'pgjdbc getPrimaryKeys / getPrimaryUniqueKeys',
    test: (sql) => has(sql, '"PK_NAME"', '"KEY_SEQ"', /_pg_expandarray\(\s*(con\.conkey|i\.indkey)\s*\)/),
    answer(sql, { model, database }) {
      const items = selectItems(sql);
      const schema = nameFilter(sql, 'n.nspname');
      const table = nameFilter(sql, 'ct.relname');
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          !schema(values, 'public')
            ? []
            : [...model.relations]
                .sort(byName)
                .filter((r) => r.keyColumn !== undefined && table(values, r.name))
                .map((r) =>
                  project(items, {
                    TABLE_CAT: /SELECT\s+NULL\s+AS\s+TABLE_CAT/i.test(sql) ? null : database, TABLE_SCHEM: 'public', TABLE_NAME: r.name,
                    COLUMN_NAME: r.keyColumn!, KEY_SEQ: 1, PK_NAME: pkeyName(r), IS_NOT_NULL: true,
                  }),
                ),
      };
    },
  },
  {
    // A table's Id-holding columns are foreign keys to the referenced table's Id (its primary key).
    source: 'pgjdbc getImportedKeys / getExportedKeys / getCrossReference (Metabase\'s FK sync)',
    // Labels quoted (42.7) or not (42.5: `NULL::text AS PKTABLE_CAT`).
    test: (sql) => has(sql, /AS\s+"?PKTABLE_CAT"?/, /AS\s+"?FKCOLUMN_NAME"?/, /con\.contype\s*=\s*'f'/),
    answer(sql, { model, database }) {
      const items = selectItems(sql);
      const fkSchema = nameFilter(sql, 'fkn.nspname');
      const fkTable = nameFilter(sql, 'fkc.relname');
      const pkSchema = nameFilter(sql, 'pkn.nspname');
      const pkTable = nameFilter(sql, 'pkc.relname');
      // Imported keys are ordered by the referenced table, exported ones by the referencing one.
      const byReferencing = /ORDER\s+BY\s+fkn\./i.test(sql);
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          !fkSchema(values, 'public') || !pkSchema(values, 'public')
            ? []
            : model.relations
                .flatMap((r) => r.foreignKeys.filter((fk) => fkTable(values, r.name) && pkTable(values, fk.references.name)).map((fk) => ({ r, fk })))
                .sort((a, b) =>
                  byReferencing
                    ? byName(a.r, b.r) || a.fk.name.localeCompare(b.fk.name)
                    : byName(a.fk.references, b.fk.references) || a.fk.name.localeCompare(b.fk.name),
                )
                .map(({ r, fk }) =>
                  project(items, {
                    PKTABLE_CAT: database, PKTABLE_SCHEM: 'public', PKTABLE_NAME: fk.references.name, PKCOLUMN_NAME: fk.references.keyColumn!,
                    FKTABLE_CAT: database, FKTABLE_SCHEM: 'public', FKTABLE_NAME: r.name, FKCOLUMN_NAME: fk.column.name, KEY_SEQ: 1,
                    // 'a' (NO ACTION) for both: Stripe decides what deleting a referenced object does.
                    UPDATE_RULE: 3, DELETE_RULE: 3, FK_NAME: fk.name, PK_NAME: pkeyName(fk.references), DEFERRABILITY: 7,
                  }),
                ),
      };
    },
  },
  {
    source: 'pgjdbc getTypeInfo',
    test: (sql) => /^\s*SELECT\s+t\.typname\s*,\s*t\.oid\s+FROM\s+pg_catalog\.pg_type\s+t\b/i.test(sql),
    answer(sql) {
      const items = selectItems(sql);
      return { fields: fieldsOf(items), rows: () => typeRows().map((t) => project(items, { typname: t.name, oid: t.oid })) };
    },
  },
  {
    // TypeInfoCache.getSQLType(oid) and cacheSQLTypes(): is it an array, its typtype.
    source: 'pgjdbc TypeInfoCache getSQLType',
    test: (sql) => has(sql, /typinput\s*=\s*'pg_catalog\.array_in'::regproc\s+as\s+is_array/i, /FROM\s+pg_catalog\.pg_type\b/),
    answer(sql) {
      const items = selectItems(sql);
      const oid = /pg_type\.oid\s*=\s*(\$\d+|\d+)/i.exec(sql);
      const wanted = oid ? operand(oid[1]!) : undefined;
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          typeRows()
            .filter((t) => !wanted || String(t.oid) === wanted(values))
            .sort((a, b) => b.oid - a.oid)
            .map((t) => project(items, { is_array: t.name.startsWith('_'), typtype: 'b', typname: t.name, oid: t.oid })),
      };
    },
  },
  {
    // TypeInfoCache.getPGType(name) / getPGType(oid): a type by name, or a name by OID.
    source: 'pgjdbc TypeInfoCache getPGType',
    test: (sql) =>
      has(sql, /^\s*SELECT\s+(pg_type\.oid\s*,\s*typname|t\.oid\s*,\s*t\.typname|n\.nspname\s*=\s*ANY\(current_schemas\(true\)\)\s*,\s*n\.nspname\s*,\s*t\.typname)\s+FROM\s+pg_catalog\.pg_type\b/i),
    answer(sql) {
      const items = selectItems(sql);
      const byOid = /\bt\.oid\s*=\s*(\$\d+|\d+)/i.exec(sql);
      const oidOperand = byOid ? operand(byOid[1]!) : undefined;
      const name = nameFilter(sql, 'typname', 't.typname');
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          typeRows()
            .filter((t) => (oidOperand ? String(t.oid) === oidOperand(values) : name(values, t.name)))
            .slice(0, 1)
            .map((t) => project(items, { oid: t.oid, typname: t.name, nspname: 'pg_catalog', '?column?': true })),
      };
    },
  },
  {
    // psycopg2.extras.register_hstore (HstoreAdapter.get_oids) and register_composite look a
    // type up by name: hstore is not here, so no rows, and psycopg2 says so.
    source: 'psycopg2 extras type lookup by name (HstoreAdapter.get_oids)',
    test: (sql) => has(sql, /^\s*SELECT\s+t\.oid\s*,\s*(typarray|NULL)\s+FROM\s+pg_type\s+t\s+JOIN\s+pg_namespace\s+ns\b/i, /\btypname\s*=/i),
    answer(sql) {
      const items = selectItems(sql).map((item, i) => (i === 1 ? { ...item, key: 'typarray' } : item));
      const name = nameFilter(sql, 'typname');
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          typeRows()
            .filter((t) => name(values, t.name))
            .map((t) => project(items, { oid: t.oid, typarray: typeRows().find((a) => a.name === `_${t.name}`)?.oid ?? 0 })),
      };
    },
  },
  {
    source: "Metabase's describe-database (get-tables-sql in driver/postgres.clj)",
    test: (sql) => has(sql, /stat\.n_live_tup\s+AS\s+"?estimated_row_count/i, /pg_catalog\.pg_class\s+(AS\s+)?c\b/i),
    answer(sql, { model }) {
      const items = selectItems(sql);
      const schema = nameFilter(sql, 'n.nspname');
      const table = nameFilter(sql, 'c.relname');
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          !schema(values, 'public')
            ? []
            : model.relations
                .filter((r) => table(values, r.name))
                .sort((a, b) => tableType(a).localeCompare(tableType(b)) || byName(a, b))
                .map((r) => project(items, { schema: 'public', name: r.name, type: tableType(r), description: r.description || null, estimated_row_count: null })),
      };
    },
  },
  {
    // Grafana's table picker: quote_ident(table_name) from information_schema.tables, for one
    // schema or (unqualified when on the search_path) for all.
    source: "Grafana's showTables (postgresMetaQuery.ts)",
    test: (sql) => has(sql, /quote_ident\(\s*table_name\s*\)/i, /FROM\s+information_schema\.tables\b/i, /AS\s+"table"/i),
    answer(sql, { model }) {
      const schema = nameFilter(sql, 'table_schema');
      return {
        fields: [{ name: 'table', typeOid: OID.text }],
        rows: (values) => (schema(values, 'public') ? [...model.relations].map((r) => quoteIdent(r.name)).sort().map((n) => [n]) : []),
      };
    },
  },
  {
    // Grafana's column picker: columns of the table named in parse_ident('…').
    source: "Grafana's getSchema (postgresMetaQuery.ts)",
    test: (sql) => has(sql, /quote_ident\(\s*column_name\s*\)\s+AS\s+"column"/i, /FROM\s+information_schema\.columns\b/i),
    answer(sql, { model }) {
      const literal = /parse_ident\(\s*([Ee]?'(?:[^']|'')*')\s*\)/i.exec(sql);
      const parts = literal ? parseIdent(unquoteLiteral(literal[1]!)) : [];
      const name = parts[parts.length - 1];
      const schema = parts.length === 2 ? parts[0]! : 'public';
      const relation = schema.toLowerCase() === 'public' ? model.relations.find((r) => r.name.toLowerCase() === name?.toLowerCase()) : undefined;
      return {
        fields: [{ name: 'column', typeOid: OID.text }, { name: 'type', typeOid: OID.text }],
        rows: () => (relation?.columns ?? []).map((c) => [quoteIdent(c.name), c.typeName]),
      };
    },
  },
];

/** PostgreSQL's parse_ident: dot-separated names, quoted ones kept, others folded to lower case. */
function parseIdent(text: string): string[] {
  return [...text.matchAll(/"((?:[^"]|"")*)"|([^.\s]+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase()));
}

export function answerClients(sql: string, context: ClientContext): ClientAnswer | undefined {
  for (const recognizer of [...RECOGNIZERS, ...METABASE_RECOGNIZERS, ...DBEAVER_RECOGNIZERS]) if (recognizer.test(sql)) return recognizer.answer(sql, context);
  return undefined;
}

/** The highest `$n` outside literals and quoted names: how many parameters the statement takes. */
export function parameterCount(sql: string): number {
  let max = 0;
  const bare = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, ' ');
  for (const m of bare.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}
