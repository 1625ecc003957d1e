// Metabase's sync, as its PostgreSQL driver sends it (src/metabase/driver/postgres.clj): the
// tables the user may read and write (current-user-table-privileges). Its table list, columns,
// foreign keys and enum types run on the engine (engine.ts). The texts are kept in
// test/fixtures/pg-clients/metabase-*.sql.
import { OID } from '../protocol/types.js';
import { byName, has, type Recognizer } from './recognize.js';

export const METABASE_RECOGNIZERS: Recognizer[] = [
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
