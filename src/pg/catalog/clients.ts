// The catalog queries of BI tools and drivers that the SQL engine cannot yet run over the
// catalog tables (engine.ts), answered from the connection's tables(): Grafana's table and
// column pickers (they parse the search_path) and psycopg2's type lookup. pgjdbc's
// DatabaseMetaData, DBeaver's navigator and Metabase's sync run on the engine. The texts are kept in test/fixtures/pg-clients/*.sql. Like psql.ts, each is
// recognised by the parts that identify it (its output labels, the catalogs and aliases it
// joins), never by its whole text; the filters (`n.nspname LIKE $1`, `c.relname = 'x'`,
// `IN (…)`) are read out of it, with `$n` parameters or literals, and names match
// case-insensitively as everywhere in stripe-sql.
import { OID, TYPES } from '../protocol/types.js';
import { unquoteLiteral } from '../sql-text.js';
import { fieldsOf, has, nameFilter, project, quoteIdent, selectItems, type ClientAnswer, type ClientContext, type Recognizer } from './recognize.js';


export type { ClientAnswer, ClientContext } from './recognize.js';

function typeRows(): { oid: number; name: string }[] {
  return [...TYPES.entries()].filter(([, t]) => t.name !== 'unknown').map(([oid, t]) => ({ oid, name: t.name }));
}

const RECOGNIZERS: Recognizer[] = [
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
  for (const recognizer of RECOGNIZERS) if (recognizer.test(sql)) return recognizer.answer(sql, context);
  return undefined;
}

/** The highest `$n` outside literals and quoted names: how many parameters the statement takes. */
export function parameterCount(sql: string): number {
  let max = 0;
  const bare = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, ' ');
  for (const m of bare.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}
