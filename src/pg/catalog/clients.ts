// The one client catalog query the SQL engine does not answer as users need: Grafana's column
// picker, given a table name as the user typed it (`public.customers`), compares it with
// quote_ident(table_name) (`"Customers"`), which on the engine, as in PostgreSQL, matches
// nothing; here names match case-insensitively, as everywhere in stripe-sql. pgjdbc's
// DatabaseMetaData, DBeaver's navigator, Metabase's sync and Grafana's other pickers run on the
// engine (engine.ts). The texts are kept in test/fixtures/pg-clients/*.sql.
import { OID } from '../protocol/types.js';
import { unquoteLiteral } from '../sql-text.js';
import { has, quoteIdent, type ClientAnswer, type ClientContext, type Recognizer } from './recognize.js';

export type { ClientAnswer, ClientContext } from './recognize.js';

const RECOGNIZERS: Recognizer[] = [
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
