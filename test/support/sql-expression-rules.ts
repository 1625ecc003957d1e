// Expression and predicate rules for the query generator, by result type. Each rule builds
// one construct on both sides; see sql-generator.ts for the PostgreSQL spellings chosen to
// match our engine's documented rules, and for what is left out and why.

import type { ValueType } from './dataset.js';
import { binary, callOf, quote, same, type Fragment, type Rule } from './sql-fragments.js';
import type { QueryGenerator } from './sql-generator.js';

// ---------------------------------------------------------------------------------------------
// Expression rules, by result type

const DATE_PARTS_FOR_ADD: Record<string, string> = {
  year: '1 year',
  quarter: '3 months',
  month: '1 month',
  week: '7 days',
  day: '1 day',
  hour: '1 hour',
  minute: '1 minute',
  second: '1 second',
};

const EXTRACT_FOR_DATEPART: Record<string, (x: string) => string> = {
  year: (x) => `EXTRACT(YEAR FROM ${x})`,
  quarter: (x) => `EXTRACT(QUARTER FROM ${x})`,
  month: (x) => `EXTRACT(MONTH FROM ${x})`,
  dayofyear: (x) => `EXTRACT(DOY FROM ${x})`,
  day: (x) => `EXTRACT(DAY FROM ${x})`,
  weekday: (x) => `(EXTRACT(DOW FROM ${x}) + 1)`,
  iso_week: (x) => `EXTRACT(WEEK FROM ${x})`,
  hour: (x) => `EXTRACT(HOUR FROM ${x})`,
  minute: (x) => `EXTRACT(MINUTE FROM ${x})`,
  second: (x) => `FLOOR(EXTRACT(SECOND FROM ${x}))`,
};

const epochFloor = (x: string, unit: number): string => `FLOOR(EXTRACT(EPOCH FROM ${x}) / ${unit})`;
const DATEDIFF_IN_PG: Record<string, (a: string, b: string) => string> = {
  year: (a, b) => `(EXTRACT(YEAR FROM ${b}) - EXTRACT(YEAR FROM ${a}))`,
  quarter: (a, b) =>
    `((EXTRACT(YEAR FROM ${b}) * 4 + EXTRACT(QUARTER FROM ${b})) - (EXTRACT(YEAR FROM ${a}) * 4 + EXTRACT(QUARTER FROM ${a})))`,
  month: (a, b) =>
    `((EXTRACT(YEAR FROM ${b}) * 12 + EXTRACT(MONTH FROM ${b})) - (EXTRACT(YEAR FROM ${a}) * 12 + EXTRACT(MONTH FROM ${a})))`,
  day: (a, b) => `((${b})::date - (${a})::date)`,
  hour: (a, b) => `(${epochFloor(b, 3600)} - ${epochFloor(a, 3600)})`,
  minute: (a, b) => `(${epochFloor(b, 60)} - ${epochFloor(a, 60)})`,
  second: (a, b) => `(${epochFloor(b, 1)} - ${epochFloor(a, 1)})`,
};

const TRUNC_PARTS = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute'];

function divisionLike(op: '/' | '%', left: Fragment, right: Fragment, type: ValueType): Fragment {
  return { ours: `(${left.ours} ${op} ${right.ours})`, pg: `(${left.pg} ${op} NULLIF(${right.pg}, 0))`, type };
}

/** CASE WHEN p THEN x [WHEN q THEN y] [ELSE z] END, or the simple form CASE v WHEN a THEN x … END. */
function caseRule(type: Exclude<ValueType, 'bool'>): Rule {
  return {
    name: 'CASE',
    weight: 1,
    build: (g, d) => {
      const branches = g.rng.int(1, 2);
      const simple = g.rng.chance(0.3);
      const subject = simple ? g.expr('int', d) : undefined;
      const whens = Array.from({ length: branches }, () => [simple ? g.literal('int', true) : g.predicate(d), g.expr(type, d)] as const);
      const otherwise = g.rng.chance(0.7) ? g.expr(type, d) : undefined;
      const render = (side: 'ours' | 'pg'): string =>
        `(CASE${subject ? ` ${subject[side]}` : ''}${whens.map(([w, t]) => ` WHEN ${w[side]} THEN ${t[side]}`).join('')}${otherwise ? ` ELSE ${otherwise[side]}` : ''} END)`;
      return { ours: render('ours'), pg: render('pg'), type };
    },
  };
}

export const EXPRESSION_RULES: Record<Exclude<ValueType, 'bool'>, Rule[]> = {
  int: [
    { name: 'int addition', weight: 3, build: (g, d) => binary(g.expr('int', d), g.rng.pick(['+', '-']), g.expr('int', d), 'int') },
    // Products of leaves only, so that no nesting can overflow PostgreSQL's int4.
    { name: 'int product', weight: 1, build: (g) => binary(g.expr('int', g.maxDepth), '*', g.expr('int', g.maxDepth), 'int') },
    { name: 'int division', weight: 2, build: (g, d) => divisionLike('/', g.expr('int', d), g.expr('int', d), 'int') },
    { name: 'int modulo', weight: 1, build: (g, d) => divisionLike('%', g.expr('int', d), g.expr('int', d), 'int') },
    { name: 'negation', weight: 1, build: (g, d) => { const x = g.expr('int', d); return { ours: `(- ${x.ours})`, pg: `(- ${x.pg})`, type: 'int' }; } },
    { name: 'ABS', weight: 1, build: (g, d) => callOf('ABS', 'abs', 'int', [g.expr('int', d)]) },
    // PG's sign() of an integer is a double; ours stays an integer, which matters under `/`.
    { name: 'SIGN', weight: 1, build: (g, d) => { const x = g.expr('int', d); return { ours: `SIGN(${x.ours})`, pg: `sign(${x.pg})::int`, type: 'int' }; } },
    { name: 'MOD', weight: 1, build: (g, d) => { const [a, b] = [g.expr('int', d), g.expr('int', d)]; return { ours: `MOD(${a.ours}, ${b.ours})`, pg: `mod(${a.pg}, NULLIF(${b.pg}, 0))`, type: 'int' }; } },
    { name: 'LENGTH', weight: 2, build: (g, d) => callOf('LENGTH', 'length', 'int', [g.expr('text', d)]) },
    { name: 'LEN', weight: 1, build: (g, d) => { const x = g.expr('text', d); return { ours: `LEN(${x.ours})`, pg: `length(rtrim(${x.pg}))`, type: 'int' }; } },
    {
      name: 'CHARINDEX',
      weight: 1,
      build: (g, d) => {
        const [sub, s] = [g.expr('text', d), g.expr('text', d)];
        // `0 * length(s)` keeps CHARINDEX('', NULL) NULL.
        return { ours: `CHARINDEX(${sub.ours}, ${s.ours})`, pg: `(CASE WHEN ${sub.pg} = '' THEN 0 * length(${s.pg}) ELSE strpos(${s.pg}, ${sub.pg}) END)`, type: 'int' };
      },
    },
    {
      name: 'YEAR/MONTH/DAY',
      weight: 1,
      build: (g, d) => {
        const f = g.rng.pick(['YEAR', 'MONTH', 'DAY']);
        const x = g.expr('ts', d);
        return { ours: `${f}(${x.ours})`, pg: `EXTRACT(${f} FROM ${x.pg})::int`, type: 'int' };
      },
    },
    {
      name: 'DATEPART',
      weight: 1,
      build: (g, d) => {
        const part = g.rng.pick(Object.keys(EXTRACT_FOR_DATEPART));
        const x = g.expr('ts', d);
        return { ours: `DATEPART('${part}', ${x.ours})`, pg: `(${EXTRACT_FOR_DATEPART[part]!(x.pg)})::int`, type: 'int' };
      },
    },
    {
      name: 'DATEDIFF',
      weight: 1,
      build: (g, d) => {
        const part = g.rng.pick(Object.keys(DATEDIFF_IN_PG));
        const [a, b] = [g.expr('ts', d), g.expr('ts', d)];
        return { ours: `DATEDIFF('${part}', ${a.ours}, ${b.ours})`, pg: `(${DATEDIFF_IN_PG[part]!(a.pg, b.pg)})::bigint`, type: 'int' };
      },
    },
    { name: 'COALESCE', weight: 1, build: (g, d) => callOf(g.rng.pick(['COALESCE', 'ISNULL']), 'coalesce', 'int', [g.expr('int', d), g.expr('int', d)]) },
    { name: 'NULLIF', weight: 1, build: (g, d) => callOf('NULLIF', 'nullif', 'int', [g.expr('int', d), g.expr('int', d)]) },
    caseRule('int'),
  ],
  double: [
    {
      name: 'double arithmetic',
      weight: 4,
      build: (g, d) => {
        const [a, b] = g.rng.chance(0.5) ? [g.expr('double', d), g.numeric(d)] : [g.numeric(d), g.expr('double', d)];
        return binary(a, g.rng.pick(['+', '-', '*']), b, 'double');
      },
    },
    { name: 'double division', weight: 2, build: (g, d) => divisionLike('/', g.numeric(d), g.expr('double', d), 'double') },
    // Double columns only: ROUND keeps an integer argument's type, and an integer under `/` divides differently.
    { name: 'ROUND', weight: 1, build: (g) => {
      const x = g.column('double');
      const digits = g.rng.int(-1, 2);
      return { ours: `ROUND(${x.ours}, ${digits})`, pg: `round((${x.pg})::numeric, ${digits})::float8`, type: 'double' };
    } },
    { name: 'FLOOR/CEILING', weight: 1, build: (g, d) => { const f = g.rng.pick(['FLOOR', 'CEILING', 'CEIL']); return callOf(f, f.toLowerCase(), 'double', [g.expr('double', d)]); } },
    { name: 'ABS/SIGN', weight: 1, build: (g, d) => { const f = g.rng.pick(['ABS', 'SIGN']); return callOf(f, f.toLowerCase(), 'double', [g.expr('double', d)]); } },
    { name: 'SQRT', weight: 1, build: (g, d) => { const x = g.numeric(d); return { ours: `SQRT(ABS(${x.ours}))`, pg: `sqrt(abs(${x.pg}))`, type: 'double' }; } },
    { name: 'POWER', weight: 1, build: (g, d) => { const x = g.numeric(d); const k = g.rng.int(0, 3); return { ours: `POWER(${x.ours}, ${k})`, pg: `power((${x.pg})::float8, ${k})`, type: 'double' }; } },
    { name: 'COALESCE', weight: 1, build: (g, d) => callOf('COALESCE', 'coalesce', 'double', [g.expr('double', d), g.expr('double', d)]) },
    caseRule('double'),
    { name: 'CAST AS FLOAT', weight: 1, build: (g, d) => { const x = g.expr('int', d); return { ours: `CAST(${x.ours} AS FLOAT)`, pg: `CAST(${x.pg} AS float8)`, type: 'double' }; } },
  ],
  text: [
    { name: 'UPPER/LOWER', weight: 2, build: (g, d) => { const f = g.rng.pick(['UPPER', 'LOWER']); return callOf(f, f.toLowerCase(), 'text', [g.expr('text', d)]); } },
    { name: 'TRIM', weight: 2, build: (g, d) => { const f = g.rng.pick(['TRIM', 'LTRIM', 'RTRIM']); return callOf(f, f === 'TRIM' ? 'btrim' : f.toLowerCase(), 'text', [g.expr('text', d)]); } },
    {
      name: 'SUBSTRING',
      weight: 2,
      build: (g, d) => {
        const x = g.expr('text', d);
        const start = same(String(g.rng.int(-2, 8)), 'int');
        const args = g.rng.chance(0.7) ? [x, start, same(String(g.rng.int(0, 6)), 'int')] : [x, start];
        return callOf(g.rng.pick(['SUBSTRING', 'SUBSTR']), 'substr', 'text', args);
      },
    },
    { name: 'REPLACE', weight: 1, build: (g, d) => callOf('REPLACE', 'replace', 'text', [g.expr('text', d), g.literal('text'), g.literal('text')]) },
    {
      name: 'CONCAT',
      weight: 2,
      build: (g, d) => {
        const args = Array.from({ length: g.rng.int(2, 3) }, () => g.expr(g.rng.chance(0.75) ? 'text' : 'int', d));
        return callOf('CONCAT', 'concat', 'text', args);
      },
    },
    { name: '||', weight: 1, build: (g, d) => binary(g.expr('text', d), '||', g.expr('text', d), 'text') },
    { name: 'COALESCE', weight: 1, build: (g, d) => callOf(g.rng.pick(['COALESCE', 'ISNULL']), 'coalesce', 'text', [g.expr('text', d), g.expr('text', d)]) },
    { name: 'NULLIF', weight: 1, build: (g, d) => callOf('NULLIF', 'nullif', 'text', [g.expr('text', d), g.expr('text', d)]) },
    caseRule('text'),
    { name: 'CAST AS VARCHAR', weight: 1, build: (g, d) => { const x = g.expr('int', d); return { ours: `CAST(${x.ours} AS VARCHAR)`, pg: `CAST(${x.pg} AS text)`, type: 'text' }; } },
  ],
  ts: [
    {
      name: 'DATEADD',
      weight: 2,
      build: (g, d) => {
        const part = g.rng.pick(Object.keys(DATE_PARTS_FOR_ADD));
        const n = g.rng.int(-40, 40);
        const x = g.expr('ts', d);
        return { ours: `DATEADD('${part}', ${n}, ${x.ours})`, pg: `(${x.pg} + (${n}) * INTERVAL '${DATE_PARTS_FOR_ADD[part]}')`, type: 'ts' };
      },
    },
    {
      name: 'DATE_TRUNC',
      weight: 2,
      build: (g, d) => {
        const part = g.rng.pick(TRUNC_PARTS);
        const x = g.expr('ts', d);
        return { ours: `DATE_TRUNC('${part}', ${x.ours})`, pg: `date_trunc('${part}', ${x.pg})`, type: 'ts' };
      },
    },
    { name: 'COALESCE', weight: 1, build: (g, d) => callOf('COALESCE', 'coalesce', 'ts', [g.expr('ts', d), g.expr('ts', d)]) },
    caseRule('ts'),
  ],
};

// ---------------------------------------------------------------------------------------------
// Predicate rules (boolean expressions)

const LIKE_PATTERNS = ['a%', '%b%', '_b%', '%', '', 'A%', '%c', '%l_', 'x%', '%o%', '___', 'abc', '% %', 'Z%'];

/** A comparable operand of `type`: for timestamps, sometimes a literal, which our engine parses. */
function operand(g: QueryGenerator, type: ValueType, depth: number): Fragment {
  if (type === 'ts' && g.rng.chance(0.5)) return g.literal('ts');
  if (type !== 'bool' && g.rng.chance(0.3)) return g.literal(type, true);
  return g.expr(type, depth);
}

function comparableType(g: QueryGenerator): ValueType {
  return g.rng.weighted<ValueType>([
    [3, 'int'],
    [2, 'double'],
    [3, 'text'],
    [1, 'bool'],
    [2, 'ts'],
  ]);
}

export const PREDICATE_RULES: Rule[] = [
  {
    name: 'comparison',
    weight: 6,
    build: (g, d) => {
      const type = comparableType(g);
      const left = type === 'int' || type === 'double' ? g.numeric(d) : g.expr(type, d);
      const right = type === 'int' || type === 'double' ? (g.rng.chance(0.4) ? g.literal(g.rng.pick(['int', 'double'] as const), true) : g.numeric(d)) : operand(g, type, d);
      const op = type === 'bool' ? g.rng.pick(['=', '<>']) : g.rng.pick(['=', '<>', '<', '<=', '>', '>=', '!=']);
      return binary(left, op, right, 'bool');
    },
  },
  { name: 'AND', weight: 2, build: (g, d) => binary(g.predicate(d), 'AND', g.predicate(d), 'bool') },
  { name: 'OR', weight: 2, build: (g, d) => binary(g.predicate(d), 'OR', g.predicate(d), 'bool') },
  { name: 'NOT', weight: 1, build: (g, d) => { const p = g.predicate(d); return { ours: `(NOT ${p.ours})`, pg: `(NOT ${p.pg})`, type: 'bool' }; } },
  {
    name: 'IN list',
    weight: 2,
    build: (g, d) => {
      const type = g.rng.pick(['int', 'text', 'double', 'ts'] as const);
      const value = g.expr(type, d);
      const items = Array.from({ length: g.rng.int(1, 4) }, () => g.literal(type, true));
      const not = g.rng.chance(0.4) ? 'NOT ' : '';
      return {
        ours: `(${value.ours} ${not}IN (${items.map((i) => i.ours).join(', ')}))`,
        pg: `(${value.pg} ${not}IN (${items.map((i) => i.pg).join(', ')}))`,
        type: 'bool',
      };
    },
  },
  {
    name: 'BETWEEN',
    weight: 2,
    build: (g, d) => {
      const type = g.rng.pick(['int', 'double', 'text', 'ts'] as const);
      const value = type === 'int' || type === 'double' ? g.numeric(d) : g.expr(type, d);
      const [low, high] = [operand(g, type, d), operand(g, type, d)];
      const not = g.rng.chance(0.3) ? 'NOT ' : '';
      return {
        ours: `(${value.ours} ${not}BETWEEN ${low.ours} AND ${high.ours})`,
        pg: `(${value.pg} ${not}BETWEEN ${low.pg} AND ${high.pg})`,
        type: 'bool',
      };
    },
  },
  {
    name: 'LIKE',
    weight: 2,
    build: (g, d) => {
      const value = g.expr('text', d);
      const pattern = quote(g.rng.pick(LIKE_PATTERNS));
      const not = g.rng.chance(0.3) ? 'NOT ' : '';
      return { ours: `(${value.ours} ${not}LIKE ${pattern})`, pg: `(${value.pg} ${not}LIKE ${pattern})`, type: 'bool' };
    },
  },
  {
    name: 'IS NULL',
    weight: 2,
    build: (g, d) => {
      const value = g.expr(g.anyType(), d);
      const not = g.rng.chance(0.5) ? 'NOT ' : '';
      return { ours: `(${value.ours} IS ${not}NULL)`, pg: `(${value.pg} IS ${not}NULL)`, type: 'bool' };
    },
  },
  { name: 'boolean column', weight: 1, build: (g) => g.column('bool') },
  { name: 'boolean literal', weight: 0.3, build: (g) => g.literal('bool') },
];
