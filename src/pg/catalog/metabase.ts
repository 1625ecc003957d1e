// Metabase's sync, as its PostgreSQL driver sends it (src/metabase/driver/postgres.clj, rendered
// by HoneySQL with every identifier quoted: `"c"."table_schema"`): the tables the user may read
// (current-user-table-privileges), the columns of every table (describe-fields-sql: a UNION ALL
// of information_schema.columns with the primary keys, and materialized views' pg_attribute).
// Its foreign keys (describe-fks-sql) and enum types run on the engine (engine.ts). The texts
// are kept in test/fixtures/pg-clients/metabase-*.sql; the table list itself (get-tables-sql)
// is in clients.ts.
import { OID, TYPES } from '../protocol/types.js';
import { byName, fieldsOf, filteredRelations, has, project, selectItems, type Recognizer } from './recognize.js';

/** `"c"."table_schema"` → `c.table_schema`: simple quoted names, outside string literals, unquoted. */
export function plainIdentifiers(sql: string): string {
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/"([a-z_][a-z0-9_]*)"/g, '$1')))
    .join('');
}

export const METABASE_RECOGNIZERS: Recognizer[] = [
  {
    source: "Metabase's describe-fields-sql (driver/postgres.clj)",
    test: (sql) => has(sql, /AS\s+"database-type"/i, /AS\s+"database-position"/i, /information_schema"?\s*\.\s*"?columns/i),
    answer(sql, { model }) {
      const items = selectItems(sql);
      const plain = plainIdentifiers(sql);
      const relations = filteredRelations(plain, model, 'c.table_schema', 'c.table_name');
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          relations(values).flatMap((r) =>
            r.columns.map((c) =>
              project(items, {
                name: c.name,
                'database-type': TYPES.get(c.typeOid)?.name ?? 'text',
                'database-position': c.attnum - 1,
                'table-schema': 'public',
                'table-name': r.name,
                'pk?': c.name === r.keyColumn,
                'field-comment': c.description || null,
                // No defaults and no identity columns: a NOT NULL column is required, as the query computes it.
                'database-required': c.notNull,
                'database-default': null,
                'database-is-auto-increment': false,
                'database-is-generated': false,
                'database-is-nullable': !c.notNull,
              }),
            ),
          ),
      };
    },
  },
  {
    // Which tables the user may read and write: every table can be read; writes as the table takes them.
    source: "Metabase's current-user-table-privileges (driver/postgres.clj)",
    test: (sql) => has(sql, /^\s*with\s+table_privileges\s+as\s*\(/i, /has_any_column_privilege/i, /pg_catalog\.pg_tables/i),
    answer(_sql, { model }) {
      const fields = [
        { name: 'role', typeOid: OID.text }, { name: 'schema', typeOid: OID.name }, { name: 'table', typeOid: OID.name },
        { name: 'update', typeOid: OID.bool }, { name: 'select', typeOid: OID.bool }, { name: 'insert', typeOid: OID.bool }, { name: 'delete', typeOid: OID.bool },
      ];
      return {
        fields,
        rows: () => [...model.relations].sort(byName).map((r) => [null, 'public', r.name, r.updatable, true, r.insertable, r.deletable]),
      };
    },
  },
];
