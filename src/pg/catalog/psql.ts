// psql's backslash commands, answered: the queries psql's describe.c sends for \dt, \d, \dv,
// \d NAME, \d+ NAME, \df, \dn and \l, recognised by the parts of their text that have stayed
// the same across psql versions (the catalogs joined, the aliases they are joined under), with
// the name patterns read out of them and the output columns taken from their AS "…" labels.
// Rows come from the connection's tables().
import { OID, TYPES } from '../protocol/types.js';
import { oidOfType } from '../types.js';
import type { WireValue } from '../protocol/values.js';
import type { ResultField } from '../types.js';
import { splitTopLevel, topLevelKeyword, unquoteIdentifier } from '../sql-text.js';
import { matchesPattern, PUBLIC_NAMESPACE_OID, type CatalogModel, type CatalogRelation } from './model.js';

export interface CatalogAnswer {
  fields: ResultField[];
  /** Called when the statement runs (Describe needs only the fields). */
  rows: () => WireValue[][] | Promise<WireValue[][]>;
}

export interface ProcedureInfo {
  name: string;
  description: string;
  parameters: { name: string; type: string; required: boolean }[];
}

export interface CatalogContext {
  model: CatalogModel;
  user: string;
  database: string;
  procedures: () => Promise<ProcedureInfo[]>;
}

interface Recognizer {
  /** What psql command the query serves (for error messages and docs). */
  command: string;
  test(sql: string): boolean;
  answer(sql: string, context: CatalogContext): CatalogAnswer;
}

/** An answer whose rows are known now. */
const now = (fields: ResultField[], rows: WireValue[][]): CatalogAnswer => ({ fields, rows: () => rows });

const text = (name: string): ResultField => ({ name, typeOid: OID.text });
const has = (sql: string, ...parts: (string | RegExp)[]) => parts.every((p) => (typeof p === 'string' ? sql.includes(p) : p.test(sql)));

/** `x.y OPERATOR(pg_catalog.~) '^(re)$'` (or `x.y ~ '…'`): the regex psql made of a name pattern. */
export function patternFor(sql: string, column: string): string | undefined {
  const escaped = column.replace('.', '\\.');
  const m = new RegExp(`${escaped}\\s+(?:OPERATOR\\(pg_catalog\\.~\\)|~)\\s+E?'((?:[^']|'')*)'`).exec(sql);
  return m ? m[1]!.replace(/''/g, "'") : undefined;
}

/** The labels of the select list, in order: `expr AS "Label"` → Label; a bare `c.relname` → relname. */
export function selectLabels(sql: string): string[] {
  return selectItems(sql).map((i) => i.key);
}

/** The OID in `WHERE c.oid = '16385'` (psql quotes it). */
function oidIn(sql: string, alias: string): number | undefined {
  const m = new RegExp(`\\b${alias}\\s*=\\s*'?(\\d+)'?`).exec(sql);
  return m ? Number(m[1]) : undefined;
}

function relkinds(sql: string): Set<string> {
  const m = /c\.relkind\s+IN\s*\(([^)]*)\)/i.exec(sql);
  return new Set(m ? [...m[1]!.matchAll(/'(\w*)'/g)].map((x) => x[1]!) : ['r', 'v']);
}

const EMPTY_CATALOGS =
  /^pg_(policy|policies|statistic_ext|publication|publication_rel|publication_namespace|inherits|trigger|rewrite|foreign_table|partitioned_table|sequence|event_trigger|extension|foreign_server|foreign_data_wrapper|user_mapping|collation|default_acl|opclass|operator|range|conversion|cast|ts_\w+|largeobject_metadata|subscription|seclabel|shseclabel|init_privs)$/;

/**
 * The catalog tables the top-level FROM needs rows of: those listed with commas or inner JOINs
 * (`FROM pg_class c, pg_inherits i` → pg_class, pg_inherits), not the LEFT JOINed ones.
 */
function requiredTables(sql: string): string[] {
  const from = topLevelKeyword(sql, 'FROM');
  if (from < 0) return [];
  const ends = ['WHERE', 'GROUP', 'ORDER', 'UNION', 'LIMIT'].map((k) => topLevelKeyword(sql, k, from)).filter((i) => i >= 0);
  const clause = sql.slice(from + 4, ends.length ? Math.min(...ends) : sql.length);
  const tables: string[] = [];
  for (const m of clause.matchAll(/(^|,|\b(LEFT|RIGHT|FULL)?\s*(?:OUTER\s+)?JOIN)\s*(?:pg_catalog\.)?(\w+)/gi)) {
    if (m[2] === undefined) tables.push(m[3]!.toLowerCase());
  }
  return tables;
}

const TYPE_LENGTH_FIXED = new Set<number>([OID.bool, OID.int2, OID.int4, OID.int8, OID.float4, OID.float8, OID.timestamptz, OID.timestamp, OID.date]);

const KIND_NAMES: Record<string, string> = { r: 'table', v: 'view' };

/** Relations a name pattern selects, in schema public (a pattern for another schema selects none). */
function selected(sql: string, model: CatalogModel, kinds?: Set<string>): CatalogRelation[] {
  const schema = patternFor(sql, 'n.nspname');
  if (schema !== undefined && !matchesPattern('public', schema)) return [];
  const name = patternFor(sql, 'c.relname');
  return model.relations.filter((r) => (!kinds || kinds.has(r.kind)) && matchesPattern(r.name, name));
}

/** The select list's items: each expression with the name it is known by (its label, else its last word). */
function selectItems(sql: string): { expr: string; key: string }[] {
  const start = /^\s*SELECT\s+/i.exec(sql);
  const from = topLevelKeyword(sql, 'FROM');
  if (!start || from < 0) return [];
  return splitTopLevel(sql.slice(start[0].length, from)).map((expr) => {
    const alias = /\s+AS\s+("(?:[^"]|"")*"|\w+)\s*$/i.exec(expr);
    if (alias) return { expr, key: unquoteIdentifier(alias[1]!) };
    const last = /(\w+)\s*$/.exec(expr);
    return { expr, key: last ? last[1]! : expr.trim() };
  });
}

/** One row: each item's value by its key (or by a test on its expression); missing ones are NULL. */
function rowFor(items: { expr: string; key: string }[], values: Record<string, WireValue>, byExpr: [RegExp, WireValue][] = []): WireValue[] {
  return items.map(({ expr, key }) => {
    for (const [pattern, value] of byExpr) if (pattern.test(expr)) return value;
    return key in values ? values[key]! : null;
  });
}

const RECOGNIZERS: Recognizer[] = [
  {
    // \d NAME, first step: which relations the pattern names.
    command: '\\d NAME',
    test: (sql) => has(sql, /SELECT\s+c\.oid,\s+n\.nspname,\s+c\.relname\s+FROM\s+pg_catalog\.pg_class c/),
    answer(sql, { model }) {
      return now(
        [{ name: 'oid', typeOid: OID.oid }, { name: 'nspname', typeOid: OID.name }, { name: 'relname', typeOid: OID.name }],
        selected(sql, model).map((r) => [r.oid, 'public', r.name]),
      );
    },
  },
  {
    // \d NAME, second step: the relation's flags (psql reads them by position).
    command: '\\d NAME',
    test: (sql) => has(sql, /SELECT\s+c\.relchecks,\s+c\.relkind/, 'FROM pg_catalog.pg_class c', /WHERE\s+c\.oid\s*=/),
    answer(sql, { model }) {
      const items = selectItems(sql);
      const relation = model.byOid.get(oidIn(sql, 'c\\.oid') ?? -1);
      const rows = relation
        ? [
            rowFor(
              items,
              {
                relchecks: '0', relkind: relation.kind, relhasindex: relation.keyColumn ? 't' : 'f', relhasrules: 'f',
                relhastriggers: 'f', relrowsecurity: 'f', relforcerowsecurity: 'f', relhasoids: 'f', relispartition: 'f',
                reltablespace: '0', relpersistence: 'p', relreplident: 'd', amname: relation.kind === 'r' ? 'stripe' : null,
                reloptions: '',
              },
              [[/^''$/, ''], [/reloftype/, ''], [/reloptions/, '']],
            ),
          ]
        : [];
      return now(items.map((i) => text(i.key)), rows);
    },
  },
  {
    // \d NAME, third step: the columns (\d+ adds storage, statistics target and description).
    command: '\\d NAME',
    test: (sql) => has(sql, /SELECT\s+a\.attname,/, 'FROM pg_catalog.pg_attribute a', /a\.attrelid\s*=/),
    answer(sql, { model }) {
      const items = selectItems(sql);
      const relation = model.byOid.get(oidIn(sql, 'a\\.attrelid') ?? -1);
      const rows = (relation?.columns ?? []).map((c) =>
        rowFor(items, {}, [
          [/attname$/, c.name],
          [/format_type/, c.typeName],
          [/pg_get_expr/, null],
          [/attnotnull$/, c.notNull ? 't' : 'f'],
          [/attcollation/, null],
          [/attidentity$/, ''],
          [/attgenerated$/, ''],
          [/attstorage$/, TYPE_LENGTH_FIXED.has(c.typeOid) ? 'p' : 'x'],
          [/attcompression$/, ''],
          [/attstattarget/, null],
          [/col_description/, c.description || null],
          [/attfdwoptions|attoptions/, null],
          [/attnum$/, String(c.attnum)],
        ]),
      );
      return now(items.map((i) => text(i.key)), rows);
    },
  },
  {
    // \d NAME, fourth step: indexes. The key column (Id) shows as the primary key.
    command: '\\d NAME',
    test: (sql) => has(sql, 'pg_catalog.pg_index i', /i\.indisprimary/, /c\.oid\s*=/),
    answer(sql, { model }) {
      const items = selectItems(sql);
      const relation = model.byOid.get(oidIn(sql, 'c\\.oid') ?? -1);
      const key = relation?.keyColumn;
      const rows =
        relation && key
          ? [
              rowFor(items, {}, [
                [/relname$/, `${relation.name.toLowerCase()}_pkey`],
                [/indisprimary$|indisunique$|indisvalid$/, 't'],
                [/indisclustered$|indisreplident$|condeferrable$|condeferred$|indimmediate$/, 'f'],
                [/pg_get_indexdef/, `CREATE UNIQUE INDEX ${relation.name.toLowerCase()}_pkey ON public."${relation.name}" USING stripe ("${key}")`],
                [/pg_get_constraintdef/, `PRIMARY KEY ("${key}")`],
                [/contype$/, 'p'],
                [/reltablespace$/, '0'],
              ]),
            ]
          : [];
      return now(items.map((i) => text(i.key)), rows);
    },
  },
  {
    // Catalogs stripe-sql has no rows in (policies, triggers, rules, inheritance, publications,
    // extended statistics, …): psql asks them for \d's footers; they answer nothing.
    command: '\\d NAME',
    test: (sql) => requiredTables(sql).some((t) => EMPTY_CATALOGS.test(t)),
    answer(sql) {
      return now(selectItems(sql).map((i) => text(i.key)), []);
    },
  },
  {
    // \d, \dt, \dv, \dt+ …: the list of relations.
    command: '\\dt',
    test: (sql) => has(sql, 'FROM pg_catalog.pg_class c', /c\.relkind\s+IN\s*\(/, 'as "Schema"'),
    answer(sql, { model, user }) {
      const labels = selectLabels(sql);
      const rows = selected(sql, model, relkinds(sql)).map((r) =>
        labels.map((label): WireValue => {
          switch (label) {
            case 'Schema':
              return 'public';
            case 'Name':
              return r.name;
            case 'Type':
              return KIND_NAMES[r.kind] ?? 'table';
            case 'Owner':
              return user;
            case 'Persistence':
              return 'permanent';
            case 'Access method':
              return r.kind === 'r' ? 'stripe' : null;
            case 'Size':
              return '0 bytes';
            case 'Description':
              return r.description || null;
            default:
              return null;
          }
        }),
      );
      return now(labels.map(text), rows);
    },
  },
  {
    // \df [PATTERN]: the stored procedures (one per Stripe action), as procedures.
    command: '\\df',
    test: (sql) => has(sql, 'FROM pg_catalog.pg_proc p', /p\.proname\s+as\s+"Name"/i),
    answer(sql, { procedures, user }) {
      const labels = selectLabels(sql);
      const schema = patternFor(sql, 'n.nspname');
      const name = patternFor(sql, 'p.proname');
      return {
        fields: labels.map(text),
        async rows() {
          if (schema !== undefined && !matchesPattern('public', schema)) return [];
          if (/p\.prokind\s*(=|IN)\s*\(?\s*'[afw]'/i.test(sql) && !/'p'/.test(sql)) return [];
          return (await procedures())
            .filter((p) => matchesPattern(p.name, name))
            .map((p) =>
              labels.map((label): WireValue => {
                switch (label) {
                  case 'Schema':
                    return 'public';
                  case 'Name':
                    return p.name;
                  case 'Result data type':
                    return 'record';
                  case 'Argument data types':
                    return p.parameters.map((a) => `${a.name} ${pgTypeName(a.type)}${a.required ? '' : ' DEFAULT NULL'}`).join(', ');
                  case 'Type':
                    return 'proc';
                  case 'Volatility':
                    return 'volatile';
                  case 'Parallel':
                    return 'unsafe';
                  case 'Owner':
                    return user;
                  case 'Security':
                    return 'invoker';
                  case 'Language':
                    return 'stripe';
                  case 'Source code':
                    return `EXEC ${p.name}`;
                  case 'Description':
                    return p.description || null;
                  default:
                    return null;
                }
              }),
            );
        },
      };
    },
  },
  {
    // \d+ VIEW: the view's definition; Stripe's views have none in SQL, the description stands in.
    command: '\\d+ VIEW',
    test: (sql) => /^\s*SELECT\s+pg_catalog\.pg_get_viewdef\(/i.test(sql),
    answer(sql, { model }) {
      const relation = model.byOid.get(Number(/pg_get_viewdef\(\s*'?(\d+)/i.exec(sql)?.[1] ?? -1));
      return now([text('pg_get_viewdef')], relation ? [[` -- read-only: ${relation.description || 'a Stripe list'}`]] : []);
    },
  },
  {
    // \l: the one database, the session's.
    command: '\\l',
    test: (sql) => has(sql, 'FROM pg_catalog.pg_database d', /d\.datname\s+as\s+"Name"/i),
    answer(sql, { database, user }) {
      const labels = selectLabels(sql);
      const values: Record<string, WireValue> = {
        Name: database, Owner: user, Encoding: 'UTF8', Collate: 'C.UTF-8', Ctype: 'C.UTF-8', 'Locale Provider': 'libc',
        Size: '0 bytes', Tablespace: 'pg_default', Description: 'Stripe, through stripe-sql',
      };
      const pattern = patternFor(sql, 'd.datname');
      return now(labels.map(text), matchesPattern(database, pattern) ? [labels.map((l) => values[l] ?? null)] : []);
    },
  },
  {
    // \dn: the one schema.
    command: '\\dn',
    test: (sql) => has(sql, 'FROM pg_catalog.pg_namespace n', /n\.nspname\s+AS\s+"Name"/i),
    answer(sql, { user }) {
      const labels = selectLabels(sql);
      const values: Record<string, WireValue> = { Name: 'public', Owner: user, Description: 'the Stripe tables' };
      return now(labels.map(text), matchesPattern('public', patternFor(sql, 'n.nspname')) ? [labels.map((l) => values[l] ?? null)] : []);
    },
  },
];

/** A connection type as PostgreSQL names it. */
function pgTypeName(type: string): string {
  return TYPES.get(oidOfType(type))?.display ?? 'text';
}

export function answerPsql(sql: string, context: CatalogContext): CatalogAnswer | undefined {
  for (const recognizer of RECOGNIZERS) if (recognizer.test(sql)) return recognizer.answer(sql, context);
  return undefined;
}

export { PUBLIC_NAMESPACE_OID, oidIn };
