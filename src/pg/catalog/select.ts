// Plain queries over one catalog table (catalog/tables.ts): a select list of columns (or *),
// a WHERE of ANDed `col = / <> / < / LIKE / ILIKE / IN …` against literals, `'Name'::regclass` or
// $n, ORDER BY and LIMIT — what Grafana's pickers, scripts and people send. Anything richer
// is refused (0A000), not guessed at.
import type { WireValue } from '../protocol/values.js';
import type { ResultField } from '../types.js';
import { PgError } from '../errors.js';
import { splitTopLevel, topLevelKeyword, unquoteIdentifier, unquoteLiteral } from '../sql-text.js';
import { CATALOG_TABLES, type CatalogTableContext } from './tables.js';

export interface CatalogTableQuery {
  fields: ResultField[];
  parameters: number;
  run(values: readonly WireValue[], context: CatalogTableContext): WireValue[][];
}

type Operand = (values: readonly WireValue[], context: CatalogTableContext) => WireValue;
type Condition = (row: Record<string, WireValue>, values: readonly WireValue[], context: CatalogTableContext) => boolean;

/** Reads a query over one catalog table; undefined when `sql` is not a plain query of one. */
export function catalogTableQuery(sql: string): CatalogTableQuery | undefined {
  const m = /^\s*SELECT\s+([\s\S]+?)\s+FROM\s+(?:"?(information_schema|pg_catalog)"?\s*\.\s*)?"?(\w+)"?(?:\s+(?:AS\s+)?(?!(?:WHERE|ORDER|LIMIT|GROUP|HAVING|UNION|JOIN|LEFT|RIGHT|INNER|FULL|CROSS|NATURAL|ON|USING)\b)(\w+))?\s*([\s\S]*?)\s*;?\s*$/i.exec(sql);
  if (!m) return undefined;
  const schema = (m[2] ?? (/^pg_/i.test(m[3]!) ? 'pg_catalog' : '')).toLowerCase();
  const table = CATALOG_TABLES[`${schema}.${m[3]!.toLowerCase()}`];
  if (!table) return undefined;
  const m2 = m[3]!;
  if (!/^(WHERE\b|ORDER\b|LIMIT\b|$)/i.test(m[5]!.trim())) throw unsupported();
  const alias = m[4]?.toLowerCase();
  const names = table.fields.map((f) => f.name);
  const column = (written: string): string => {
    let name = written.trim();
    const dot = name.lastIndexOf('.');
    if (dot >= 0) {
      const qualifier = unquoteIdentifier(name.slice(0, dot)).toLowerCase();
      if (qualifier !== alias && qualifier !== m2.toLowerCase()) throw unsupported();
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
  let rest = m[5]!;
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
      const operand = (text: string): Operand => {
        const p = /^\$(\d+)$/.exec(text.trim());
        if (p) {
          parameters = Math.max(parameters, Number(p[1]));
          return (values) => values[Number(p[1]) - 1] ?? null;
        }
        const regclass = /^([Ee]?'(?:[^']|'')*')\s*::\s*(?:pg_catalog\.)?regclass$/i.exec(text.trim());
        if (regclass) {
          const name = unquoteLiteral(regclass[1]!).replace(/^public\./i, '');
          return (_, context) => context.model.relations.find((r) => r.name.toLowerCase() === unquoteIdentifier(name).toLowerCase())?.oid ?? -1;
        }
        if (!/^[Ee]?'/.test(text.trim()) && !/^-?\d+$/.test(text.trim()) && !/^(true|false)$/i.test(text.trim())) throw unsupported();
        const literal = unquoteLiteral(text.replace(/::\s*[\w.]+(\s+\w+)*$/, ''));
        return () => literal;
      };
      const c = /^([\w".]+)\s*(=|<>|!=|<=|>=|<|>|NOT\s+LIKE|LIKE|NOT\s+ILIKE|ILIKE|NOT\s+IN|IN)\s*([\s\S]+)$/i.exec(part.trim());
      if (!c) throw unsupported();
      const name = column(c[1]!);
      const op = c[2]!.toUpperCase().replace(/\s+/g, ' ');
      if (op.endsWith('IN')) {
        const list = /^\(([\s\S]*)\)$/.exec(c[3]!.trim());
        if (!list) throw unsupported();
        const items = splitTopLevel(list[1]!).map(operand);
        conditions.push((row, values, context) => items.some((item) => same(name, item(values, context), row[name])) !== (op === 'NOT IN'));
      } else if (op.includes('LIKE')) {
        const pattern = operand(c[3]!);
        const caseless = op.includes('ILIKE') || NAME_COLUMN.test(name);
        conditions.push((row, values, context) => likeRegex(String(pattern(values, context)), caseless).test(String(row[name] ?? '')) !== op.startsWith('NOT'));
      } else if (op === '=' || op === '<>' || op === '!=') {
        const value = operand(c[3]!);
        conditions.push((row, values, context) => same(name, value(values, context), row[name]) === (op === '='));
      } else {
        const value = operand(c[3]!);
        conditions.push((row, values, context) => {
          const a = row[name];
          const b = value(values, context);
          if (a === null || b === null) return false;
          const cmp = typeof a === 'number' ? a - Number(b) : String(a).localeCompare(String(b));
          return op === '<' ? cmp < 0 : op === '<=' ? cmp <= 0 : op === '>' ? cmp > 0 : cmp >= 0;
        });
      }
    }
  }
  const byName = new Map(table.fields.map((f) => [f.name, f]));
  return {
    fields: outputs.map((o) => ({ ...byName.get(o.name)!, name: o.label })),
    parameters,
    run(values, context) {
      let rows = table.rows(context).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])));
      rows = rows.filter((row) => conditions.every((c) => c(row, values, context)));
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
  if (typeof b === 'boolean') return /^(t|true|1|yes|on)$/i.test(String(a)) === b;
  return NAME_COLUMN.test(column) ? String(a).toLowerCase() === String(b).toLowerCase() : String(a) === String(b);
}

/** Columns holding names, compared case-insensitively. */
const NAME_COLUMN = /_name$|^(relname|attname|nspname|datname|typname|proname|name)$/;

function unsupported(): PgError {
  return new PgError('0A000', 'stripe-sql reads its catalog tables with plain queries only: one table, columns, WHERE col = / <> / LIKE / IN … joined by AND, ORDER BY, LIMIT');
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

export function likeRegex(pattern: string, caseless: boolean): RegExp {
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
