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
import type { WireValue } from '../protocol/values.js';
import type { ResultField } from '../types.js';
import { matchingParen, splitTopLevel, topLevelKeyword, unquoteIdentifier, unquoteLiteral } from '../sql-text.js';
import type { CatalogModel, CatalogRelation } from './model.js';
import { likeRegex } from './select.js';

export interface ClientAnswer {
  fields: ResultField[];
  rows(values: readonly WireValue[]): WireValue[][];
}

export interface ClientContext {
  model: CatalogModel;
  database: string;
  user: string;
}

interface Recognizer {
  /** The client call the query serves. */
  source: string;
  test(sql: string): boolean;
  answer(sql: string, context: ClientContext): ClientAnswer;
}

const SCHEMAS = ['information_schema', 'pg_catalog', 'public'];

const has = (sql: string, ...parts: (string | RegExp)[]) => parts.every((p) => (typeof p === 'string' ? sql.includes(p) : p.test(sql)));

// ------------------------------------------------------------------------------ filters

/** One side of a filter: a `$n` parameter or a literal, resolved when the statement runs. */
type Operand = (values: readonly WireValue[]) => string | null;

function operand(text: string): Operand {
  const t = text.trim().replace(/::\s*[\w.]+$/, '');
  const p = /^\$(\d+)$/.exec(t);
  if (p) return (values) => (values[Number(p[1]) - 1] == null ? null : String(values[Number(p[1]) - 1]));
  return () => unquoteLiteral(t);
}

/**
 * The filters on `column` in `sql` (`column LIKE x`, `= x`, `IN (x, y)`); a name passes when
 * every one of them holds. `quote_ident(column)` counts as the column.
 */
function nameFilter(query: string, ...columns: string[]): (values: readonly WireValue[], name: string) => boolean {
  const sql = filterText(query);
  const tests: ((values: readonly WireValue[], name: string) => boolean)[] = [];
  for (const column of columns) {
    const escaped = column.replace(/\./g, '\\.');
    const re = new RegExp(`(?<![\\w.])(?:quote_ident\\(\\s*${escaped}\\s*\\)|${escaped})\\s*(NOT\\s+LIKE|LIKE|ILIKE|=|<>|!=|NOT\\s+IN|IN)\\s*(\\$\\d+|[Ee]?'(?:[^']|'')*'|\\()`, 'gi');
    for (const m of sql.matchAll(re)) {
      const op = m[1]!.toUpperCase().replace(/\s+/g, ' ');
      const negated = op.startsWith('NOT') || op === '<>' || op === '!=';
      if (m[2] === '(' && !op.endsWith('IN')) continue; // `= (current_schemas(…))[1]`: not a name filter
      if (m[2] === '(') {
        const open = m.index + m[0].length - 1;
        const close = matchingParen(sql, open);
        if (close < 0) continue;
        const inner = sql.slice(open + 1, close - 1);
        if (/^\s*SELECT\b/i.test(inner)) continue; // a subquery (Grafana's search_path): public is on it
        const items = splitTopLevel(inner).map(operand);
        tests.push((values, name) => items.some((item) => sameName(item(values), name)) !== negated);
      } else {
        const value = operand(m[2]!);
        if (op.includes('LIKE')) tests.push((values, name) => { const v = value(values); return v === null ? false : likeRegex(v, true).test(name) !== negated; });
        else tests.push((values, name) => sameName(value(values), name) !== negated);
      }
    }
  }
  return (values, name) => tests.every((t) => t(values, name));
}

/**
 * Where a query's filters are: from its FROM on (select lists compare names in CASEs), without
 * pgjdbc's table-type clauses (`AND (false OR ( c.relkind = 'r' AND n.nspname … ))`, read by askedKinds).
 */
function filterText(sql: string): string {
  let text = sql.slice(Math.max(0, topLevelKeyword(sql, 'FROM')));
  const types = /AND\s*\(\s*false\b/i.exec(text);
  if (types) {
    const open = text.indexOf('(', types.index);
    const close = matchingParen(text, open);
    text = text.slice(0, types.index) + (close < 0 ? '' : text.slice(close));
  }
  return text;
}

function sameName(a: string | null, b: string): boolean {
  if (a === null) return false;
  return unquoteIdentifier(a).toLowerCase() === b.toLowerCase();
}

/** PostgreSQL's quote_ident: names other than lower-case words are double-quoted. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

// ------------------------------------------------------------------------- select lists

/** The select list of the query's outermost SELECT, each item with its label. */
function selectItems(sql: string): { expr: string; key: string }[] {
  const start = /^\s*SELECT\s+/i.exec(sql);
  const from = topLevelKeyword(sql, 'FROM');
  if (!start || from < 0) return [];
  return splitTopLevel(sql.slice(start[0].length, from)).map((expr) => {
    const alias = /\s+AS\s+("(?:[^"]|"")*"|\w+)\s*$/i.exec(expr);
    if (alias) return { expr, key: unquoteIdentifier(alias[1]!) };
    const last = /(\w+)\s*\)?\s*$/.exec(expr);
    if (last && /^\s*[\w.]+\s*$/.test(expr)) return { expr, key: last[1]! };
    return { expr, key: '?column?' };
  });
}

/** `SELECT * FROM (SELECT … ) x …`: the inner query's text (pgjdbc's getColumns). */
function innerQuery(sql: string): string {
  const m = /^\s*SELECT\s+\*\s+FROM\s*\(/i.exec(sql);
  if (!m) return sql;
  const open = m[0].length - 1;
  const close = matchingParen(sql, open);
  return sql.slice(open + 1, close < 0 ? sql.length : close - 1);
}

/** Output types by label, so drivers read numbers and booleans as such. */
const FIELD_TYPES: Record<string, number> = {
  atttypid: OID.oid, typbasetype: OID.oid, oid: OID.oid, attnotnull: OID.bool, is_array: OID.bool, IS_NOT_NULL: OID.bool,
  atttypmod: OID.int4, typtypmod: OID.int4, attlen: OID.int2, attnum: OID.int8, KEY_SEQ: OID.int4, estimated_row_count: OID.int8,
  UPDATE_RULE: OID.int2, DELETE_RULE: OID.int2, DEFERRABILITY: OID.int2,
  nspname: OID.name, relname: OID.name, attname: OID.name, typname: OID.name, current_database: OID.name, typtype: OID.char,
  '?column?': OID.bool,
};

function fieldsOf(items: { key: string }[]): ResultField[] {
  return items.map(({ key }) => ({ name: key, typeOid: FIELD_TYPES[key] ?? OID.text }));
}

/** One output row: each label's value, NULL for labels the answer does not know. */
function project(items: { key: string }[], values: Record<string, WireValue>): WireValue[] {
  return items.map(({ key }) => (key in values ? values[key]! : null));
}

const byName = (a: CatalogRelation, b: CatalogRelation) => a.name.toLowerCase().localeCompare(b.name.toLowerCase());

function tableType(r: CatalogRelation): string {
  return r.kind === 'v' ? 'VIEW' : 'TABLE';
}

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
      const schema = nameFilter(sql, 'n.nspname');
      const table = nameFilter(sql, 'c.relname');
      const column = nameFilter(sql, 'attname', 'a.attname');
      return {
        fields: fieldsOf(items),
        rows: (values) =>
          !schema(values, 'public')
            ? []
            : [...model.relations].sort(byName).filter((r) => table(values, r.name)).flatMap((r) =>
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
                    COLUMN_NAME: r.keyColumn!, KEY_SEQ: 1, PK_NAME: `${r.name.toLowerCase()}_pkey`, IS_NOT_NULL: true,
                  }),
                ),
      };
    },
  },
  {
    // stripe-sql's tables have no foreign keys: no rows, with the right columns.
    source: 'pgjdbc getImportedKeys / getExportedKeys / getCrossReference (Metabase\'s FK sync)',
    test: (sql) => has(sql, '"PKTABLE_CAT"', '"FKCOLUMN_NAME"', /con\.contype\s*=\s*'f'/),
    answer(sql) {
      const items = selectItems(sql);
      return { fields: fieldsOf(items), rows: () => [] };
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
