// information_schema.tables / columns / schemata / views as small in-memory tables, and the
// plain queries tools send over them (Grafana's table and column pickers, scripts): one table,
// a select list of columns (or *), a WHERE of ANDed `col = / <> / LIKE / IN …` against
// literals or $n, ORDER BY and LIMIT. Anything richer is refused (0A000), not guessed at.
import { OID, TYPES } from '../protocol/types.js';
import type { WireValue } from '../protocol/values.js';
import type { ResultField } from '../types.js';
import { PgError } from '../errors.js';
import { splitTopLevel, topLevelKeyword, unquoteIdentifier, unquoteLiteral } from '../sql-text.js';
import type { CatalogModel } from './model.js';

interface VirtualTable {
  fields: ResultField[];
  rows: (model: CatalogModel, database: string, user: string) => WireValue[][];
}

const t = (name: string): ResultField => ({ name, typeOid: OID.text });
const i4 = (name: string): ResultField => ({ name, typeOid: OID.int4 });

/** udt_name of each type (pg_type.typname). */
const UDT: Record<number, string> = Object.fromEntries([...TYPES.entries()].map(([oid, info]) => [oid, info.name]));

const TABLES: Record<string, VirtualTable> = {
  tables: {
    fields: ['table_catalog', 'table_schema', 'table_name', 'table_type', 'self_referencing_column_name', 'reference_generation', 'user_defined_type_catalog', 'user_defined_type_schema', 'user_defined_type_name', 'is_insertable_into', 'is_typed', 'commit_action'].map(t),
    rows: (model, database) => model.relations.map((r) => [database, 'public', r.name, r.kind === 'v' ? 'VIEW' : 'BASE TABLE', null, null, null, null, null, r.kind === 'v' ? 'NO' : 'YES', 'NO', null]),
  },
  columns: {
    fields: [
      t('table_catalog'), t('table_schema'), t('table_name'), t('column_name'), i4('ordinal_position'), t('column_default'), t('is_nullable'), t('data_type'),
      i4('character_maximum_length'), i4('numeric_precision'), i4('numeric_scale'), i4('datetime_precision'), t('udt_catalog'), t('udt_schema'), t('udt_name'),
      t('is_identity'), t('is_generated'), t('is_updatable'), t('description'),
    ],
    rows: (model, database) =>
      model.relations.flatMap((r) =>
        r.columns.map((c) => [
          database, 'public', r.name, c.name, c.attnum, null, c.notNull ? 'NO' : 'YES', c.typeName,
          null, c.typeOid === OID.int4 ? 32 : c.typeOid === OID.int8 ? 64 : c.typeOid === OID.float8 ? 53 : null,
          c.typeOid === OID.int4 || c.typeOid === OID.int8 ? 0 : null, c.typeOid === OID.timestamptz ? 3 : null,
          database, 'pg_catalog', UDT[c.typeOid] ?? 'text', 'NO', 'NEVER', r.kind === 'v' ? 'NO' : 'YES', c.description || null,
        ]),
      ),
  },
  schemata: {
    fields: ['catalog_name', 'schema_name', 'schema_owner'].map(t),
    rows: (_, database, user) => [
      [database, 'public', user],
      [database, 'information_schema', user],
      [database, 'pg_catalog', user],
    ],
  },
  views: {
    fields: ['table_catalog', 'table_schema', 'table_name', 'view_definition', 'check_option', 'is_updatable', 'is_insertable_into'].map(t),
    rows: (model, database) => model.relations.filter((r) => r.kind === 'v').map((r) => [database, 'public', r.name, null, 'NONE', 'NO', 'NO']),
  },
};

export interface InformationSchemaQuery {
  fields: ResultField[];
  parameters: number;
  run(values: readonly WireValue[], model: CatalogModel, database: string, user: string): WireValue[][];
}

type Condition = (row: Record<string, WireValue>, values: readonly WireValue[]) => boolean;

/** Reads a query over one information_schema table; undefined when `sql` reads none. */
export function informationSchemaQuery(sql: string): InformationSchemaQuery | undefined {
  const m = /^\s*SELECT\s+([\s\S]+?)\s+FROM\s+"?information_schema"?\s*\.\s*"?(\w+)"?(?:\s+(?:AS\s+)?(?!WHERE\b|ORDER\b|LIMIT\b)(\w+))?\s*([\s\S]*?)\s*;?\s*$/i.exec(sql);
  if (!m) return undefined;
  const table = TABLES[m[2]!.toLowerCase()];
  if (!table) throw new PgError('42P01', `relation "information_schema.${m[2]}" does not exist`, { hint: 'stripe-sql serves information_schema.tables, columns, schemata and views' });
  const alias = m[3]?.toLowerCase();
  const names = table.fields.map((f) => f.name);
  const column = (written: string): string => {
    let name = written.trim();
    const dot = name.lastIndexOf('.');
    if (dot >= 0) {
      const qualifier = unquoteIdentifier(name.slice(0, dot)).toLowerCase();
      if (qualifier !== alias && qualifier !== m[2]!.toLowerCase()) throw unsupported();
      name = name.slice(dot + 1);
    }
    name = unquoteIdentifier(name).toLowerCase();
    if (!names.includes(name)) throw new PgError('42703', `column "${name}" does not exist`);
    return name;
  };
  // Select list.
  const outputs: { name: string; label: string }[] = [];
  for (const item of splitTopLevel(m[1]!)) {
    if (item === '*' || (alias && item.toLowerCase() === `${alias}.*`)) outputs.push(...names.map((n) => ({ name: n, label: n })));
    else {
      const a = /^([\w".]+?)(?:\s+(?:AS\s+)?("(?:[^"]|"")*"|\w+))?$/i.exec(item);
      if (!a) throw unsupported();
      const name = column(a[1]!);
      outputs.push({ name, label: a[2] !== undefined ? unquoteIdentifier(a[2]) : name });
    }
  }
  // WHERE / ORDER BY / LIMIT.
  let rest = m[4]!;
  let parameters = 0;
  const conditions: Condition[] = [];
  const order: { name: string; desc: boolean }[] = [];
  let limit = Infinity;
  const limitAt = topLevelKeyword(rest, 'LIMIT');
  if (limitAt >= 0) {
    const l = /^LIMIT\s+(\d+)\s*$/i.exec(rest.slice(limitAt));
    if (!l) throw unsupported();
    limit = Number(l[1]);
    rest = rest.slice(0, limitAt);
  }
  const orderAt = topLevelKeyword(rest, 'ORDER');
  if (orderAt >= 0) {
    for (const key of splitTopLevel(rest.slice(orderAt).replace(/^ORDER\s+BY\s+/i, ''))) {
      const o = /^([\w".]+)(?:\s+(ASC|DESC))?$/i.exec(key);
      if (!o) throw unsupported();
      const position = /^\d+$/.test(o[1]!) ? outputs[Number(o[1]) - 1]?.name : undefined;
      order.push({ name: position ?? column(o[1]!), desc: o[2]?.toUpperCase() === 'DESC' });
    }
    rest = rest.slice(0, orderAt);
  }
  const where = rest.trim();
  if (where !== '') {
    const w = /^WHERE\s+([\s\S]+)$/i.exec(where);
    if (!w) throw unsupported();
    for (const part of splitAnd(w[1]!)) {
      const operand = (text: string): ((values: readonly WireValue[]) => WireValue) => {
        const p = /^\$(\d+)$/.exec(text.trim());
        if (p) {
          parameters = Math.max(parameters, Number(p[1]));
          return (values) => values[Number(p[1]) - 1] ?? null;
        }
        if (!/^[Ee]?'/.test(text.trim()) && !/^-?\d+$/.test(text.trim())) throw unsupported();
        const literal = unquoteLiteral(text.replace(/::\s*\w+(\s+\w+)*$/, ''));
        return () => literal;
      };
      const c = /^([\w".]+)\s*(=|<>|!=|NOT\s+LIKE|LIKE|NOT\s+ILIKE|ILIKE|NOT\s+IN|IN)\s*([\s\S]+)$/i.exec(part.trim());
      if (!c) throw unsupported();
      const name = column(c[1]!);
      const op = c[2]!.toUpperCase().replace(/\s+/g, ' ');
      if (op.endsWith('IN')) {
        const list = /^\(([\s\S]*)\)$/.exec(c[3]!.trim());
        if (!list) throw unsupported();
        const items = splitTopLevel(list[1]!).map(operand);
        conditions.push((row, values) => items.some((item) => same(name, item(values), row[name])) !== (op === 'NOT IN'));
      } else if (op.includes('LIKE')) {
        const pattern = operand(c[3]!);
        const caseless = op.includes('ILIKE') || name.endsWith('_name');
        conditions.push((row, values) => likeRegex(String(pattern(values)), caseless).test(String(row[name] ?? '')) !== op.startsWith('NOT'));
      } else {
        const value = operand(c[3]!);
        conditions.push((row, values) => same(name, value(values), row[name]) === (op === '='));
      }
    }
  }
  const byName = new Map(table.fields.map((f) => [f.name, f]));
  return {
    fields: outputs.map((o) => ({ ...byName.get(o.name)!, name: o.label })),
    parameters,
    run(values, model, database, user) {
      let rows = table.rows(model, database, user).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])));
      rows = rows.filter((row) => conditions.every((c) => c(row, values)));
      if (order.length > 0) {
        rows.sort((a, b) => {
          for (const { name, desc } of order) {
            const x = a[name];
            const y = b[name];
            const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
            if (cmp !== 0) return desc ? -cmp : cmp;
          }
          return 0;
        });
      }
      return rows.slice(0, limit).map((row) => outputs.map((o) => row[o.name] ?? null));
    },
  };
}

/** Names match case-insensitively, as everywhere in stripe-sql (`table_name = 'customers'` finds Customers). */
function same(column: string, a: WireValue, b: WireValue): boolean {
  if (a === null || b === null) return false;
  return column.endsWith('_name') ? String(a).toLowerCase() === String(b).toLowerCase() : String(a) === String(b);
}

function unsupported(): PgError {
  return new PgError('0A000', 'stripe-sql reads information_schema with plain queries only: one table, columns, WHERE col = / <> / LIKE / IN … joined by AND, ORDER BY, LIMIT');
}

function splitAnd(text: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let at = topLevelKeyword(rest, 'AND'); at >= 0; at = topLevelKeyword(rest, 'AND')) {
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 3);
  }
  parts.push(rest);
  if (parts.some((p) => topLevelKeyword(p, 'OR') >= 0)) throw unsupported();
  return parts.map((p) => p.trim().replace(/^\(([\s\S]*)\)$/, '$1'));
}

function likeRegex(pattern: string, caseless: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, caseless ? 'i' : '');
}
