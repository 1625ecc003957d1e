// A grammar-driven generator of queries that our engine and PostgreSQL must answer alike.
// Every generated piece is a Fragment: the same meaning written twice, once in our dialect and
// once in PostgreSQL's, plus its type. Rules are data — EXPRESSION_RULES and PREDICATE_RULES
// (sql-expression-rules.ts), QUERY_SHAPES (sql-query-shapes.ts) — so covering a new construct
// is a few lines: a name, a weight and a build function that asks the generator for
// sub-expressions of the types it needs, e.g.
//   EXPRESSION_RULES.int.push({ name: 'CASE', weight: 1, build: (g, d) => {
//     const [c, x, y] = [g.predicate(d), g.expr('int', d), g.expr('int', d)];
//     return { ours: `(CASE WHEN ${c.ours} THEN ${x.ours} ELSE ${y.ours} END)`,
//              pg: `(CASE WHEN ${c.pg} THEN ${x.pg} ELSE ${y.pg} END)`, type: 'int' };
//   } });
// Everything is parenthesised, so precedence differences cannot creep in.
//
// Where the engine's documented rules differ from PostgreSQL's on purpose, the PostgreSQL side
// is written to mean what ours means (rather than avoiding the construct):
//   - x / 0 and x % 0 are NULL here and an error there: the PG side divides by NULLIF(y, 0).
//   - Our DATEDIFF counts boundaries crossed and DATEPART/YEAR read UTC fields: PG gets the
//     equivalent EXTRACT arithmetic (the session runs in UTC).
//   - LEN ignores trailing spaces: length(rtrim(x)). CHARINDEX('', s) is 0 (NULL for a NULL s): a CASE guards strpos.
//   - Double literals are cast to float8 in PG, where a bare 2.5 would be NUMERIC (exact) and
//     compare differently from our IEEE doubles.
// Left out, on purpose:
//   - LEFT(s, n) and RIGHT(s, n): LEFT and RIGHT are reserved words, so the parser does not read
//     them as calls yet (the functions exist and are unit-tested).
//   - Bare date-part identifiers (DATEADD(day, …)): the binder binds them as columns until it
//     honours ScalarFunction.keywordArgs; the string form ('day') is generated instead.
//   - ROUND over computed doubles: PG rounds float8 → numeric at 15 significant digits, we at 17,
//     so a value a hair off a half rounds differently; ROUND takes columns only.
//   - POWER with fractional exponents, SQRT of negatives, LN: PG errors where we give NULL, so
//     the arguments are kept in the domain (ABS, small integer exponents).
//   - JSON_EXTRACT: PG's JSON functions return text for scalars; unit tests cover it.
//   - MIN/MAX of booleans (PG has no such aggregate), % on doubles (PG has no float8 %).
//   - ORDER BY on GROUP BY queries: the engine leaves groups unsorted (see GROUP_BY_ORDERING).
// Joins come from joinShape(otherTable), which needs a second table in both catalogs.

import { TEXT_POOL, type TableSpec, type ValueType } from './dataset.js';
import { Prng } from './prng.js';
import { EXPRESSION_RULES, PREDICATE_RULES } from './sql-expression-rules.js';
import { PG_NULL, quote, same, sqlTimestamp, type Fragment, type GeneratedQuery, type QueryShape } from './sql-fragments.js';
import { QUERY_SHAPES } from './sql-query-shapes.js';

export * from './sql-fragments.js';
export { EXPRESSION_RULES, PREDICATE_RULES } from './sql-expression-rules.js';
export { GROUP_BY_ORDERING, GROUP_BY_SHAPE, QUERY_SHAPES, joinShape } from './sql-query-shapes.js';

// ---------------------------------------------------------------------------------------------
// The generator

export class QueryGenerator {
  constructor(
    readonly rng: Prng,
    readonly table: TableSpec,
    /** Deepest nesting of expressions. */
    readonly maxDepth = 3,
    /** The query shapes to draw from. */
    readonly shapes: readonly QueryShape[] = QUERY_SHAPES,
    /** Written before every column (`a.i`), for queries over several tables. */
    readonly qualifier?: string,
  ) {}

  /** A generator drawing from the same PRNG whose columns are those of `table`, qualified by `alias`. */
  qualified(table: TableSpec, alias: string): QueryGenerator {
    return new QueryGenerator(this.rng, table, this.maxDepth, this.shapes, alias);
  }

  columnsOf(type: ValueType): string[] {
    const names = this.table.columns.filter((c) => c.type === type).map((c) => c.name);
    return type === 'int' ? ['id', ...names] : names;
  }

  column(type: ValueType): Fragment {
    const name = this.rng.pick(this.columnsOf(type));
    return same(this.qualifier ? `${this.qualifier}.${name}` : name, type);
  }

  literal(type: ValueType, allowNull = false): Fragment {
    const rng = this.rng;
    if (allowNull && rng.chance(0.1)) return { ours: 'NULL', pg: PG_NULL[type], type };
    switch (type) {
      case 'int':
        return same(String(rng.int(-25, 25)), 'int');
      case 'double': {
        // Always with decimals, whole numbers too ('3.00'): a decimal literal is a Double.
        const text = (rng.int(-2000, 2000) / 100).toFixed(2);
        return { ours: text, pg: `(${text})::float8`, type };
      }
      case 'text':
        return same(quote(rng.chance(0.8) ? rng.pick(TEXT_POOL) : rng.pick(['zzz', 'a%', 'Hello World', 'ab'])), 'text');
      case 'bool':
        return same(rng.chance(0.5) ? 'TRUE' : 'FALSE', 'bool');
      case 'ts': {
        const date = new Date(Date.UTC(2023 + rng.int(0, 2), rng.int(0, 11), rng.int(1, 28), rng.int(0, 1) * rng.int(0, 23)));
        return { ours: quote(sqlTimestamp(date)), pg: `TIMESTAMPTZ ${quote(sqlTimestamp(date))}`, type };
      }
    }
  }

  /** Any expression of `type`. Timestamps and booleans as values come from columns and rules, not literals. */
  expr(type: ValueType, depth = 0): Fragment {
    if (type === 'bool') return this.predicate(depth);
    const leafChance = depth >= this.maxDepth ? 1 : 0.35 + depth * 0.2;
    if (this.rng.chance(leafChance)) {
      if (type !== 'ts' && this.rng.chance(0.25)) return this.literal(type, true);
      return this.column(type);
    }
    const rules = EXPRESSION_RULES[type];
    const rule = this.rng.weighted(rules.map((r) => [r.weight, r] as const));
    return rule.build(this, depth + 1);
  }

  /** A numeric expression: int or double. */
  numeric(depth: number): Fragment {
    return this.expr(this.rng.chance(0.5) ? 'int' : 'double', depth);
  }

  predicate(depth = 0): Fragment {
    if (depth >= this.maxDepth) return PREDICATE_RULES.find((r) => r.name === 'comparison')!.build(this, depth);
    const rule = this.rng.weighted(PREDICATE_RULES.map((r) => [r.weight, r] as const));
    return rule.build(this, depth + 1);
  }

  /** A type for a select-list item or a comparison, weighted toward the common ones. */
  anyType(): ValueType {
    return this.rng.weighted<ValueType>([
      [3, 'int'],
      [2, 'double'],
      [3, 'text'],
      [1, 'bool'],
      [2, 'ts'],
    ]);
  }

  query(): GeneratedQuery {
    const shape = this.rng.weighted(this.shapes.map((s) => [s.weight, s] as const));
    return shape.build(this);
  }
}

/** `count` queries from one seed. */
export function generateQueries(table: TableSpec, seed: number, count: number, shapes: readonly QueryShape[] = QUERY_SHAPES): GeneratedQuery[] {
  const generator = new QueryGenerator(new Prng(seed), table, 3, shapes);
  return Array.from({ length: count }, () => generator.query());
}
