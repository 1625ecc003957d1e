// SELECT planning: resolve FROM into sources, bind every clause, build the logical plan
// (plan/nodes.ts), let the rules optimize it (rules/optimize.ts), lower it to operators
// (plan/lower-select.ts). EXPLAIN prints the same tree (plan/explain-text.ts, explain-json.ts).
// Planning does no I/O; every run of the plan builds a fresh pipeline.

import type { ExprNode, FromItemNode, Position, QueryNode, SelectNode, TableRefNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, statementValues, type BindContext } from './binder.js';
import { declareParameterType, type ParameterBinding } from './params.js';
import { walk, type BoundAggregate, type BoundExpr } from './bound.js';
import { formatExpr } from './format.js';
import { containsAggregate, replaceAggregates, structuralKey, type GroupKey } from './aggregates.js';
import type { QueryPlan, ResultColumn } from './plan-types.js';
import type { FromTree } from './from-tree.js';
import { splitAnd } from './plan/layout.js';
import { lowerSelect } from './plan/lower-select.js';
import { explainSelect } from './plan/explain-text.js';
import { planToJson } from './plan/explain-json.js';
import { Meters } from './plan/meters.js';
import {
  freeze,
  transformUp,
  type AggregateNode,
  type DistinctNode,
  type FilterNode,
  type JoinNode,
  type LimitNode,
  type PlanNode,
  type ProjectNode,
  type ScanNode,
  type ScanOfferSpec,
  type SingleRowNode,
  type SortNode,
  type SubqueryScanNode,
  type WindowNode,
} from './plan/nodes.js';
import { selectParts } from './plan/select-parts.js';
import { optimize } from './rules/optimize.js';
import { resolveTable } from './resolve-table.js';
import { Scope, type ScopeSource } from './scope.js';
import { planSetOperation } from './set-operations.js';
import { planTableFunction } from './table-functions.js';
import { findSubqueries } from './subqueries.js';
import type { Catalog, Column, OrderKey, ScanPlan } from './table.js';
import { isJsonValued } from './json-valued.js';
import { declaredTypeName } from './declared-type.js';
import { bindWindows, finishWindows, placeWindowSlots, windowExprs, type WindowPlan } from './windows.js';
import { defaultNullsFirst } from './values.js';
import { figureColumnName } from './column-names.js';
import { flatten } from './operators/batches.js';

interface OutputColumn {
  name: string;
  expr: BoundExpr;
}

interface PlannedSortKey {
  index: number;
  descending: boolean;
  nullsFirst: boolean;
  explicitNulls: boolean;
  text: string;
  expr: BoundExpr;
}

/** What planning one statement shares across its query levels. */
export interface PlanEnv {
  sql: string;
  catalog: Catalog;
  /** How the statement's parameters bind (see params.ts); absent when it has none. */
  params: ParameterBinding | undefined;
  /** Common table expressions visible here, by lower-case name. */
  ctes: Map<string, { query: QueryNode; columns?: string[] }>;
  /** The session's views by lower-case name (views.ts), expanded like CTEs; a CTE hides one. */
  views?: { get(lowerName: string): { query: QueryNode; columns?: string[]; sql: string } | undefined };
  /** The statement's instant (NOW()). */
  now: Date;
  /** What SCOPE_IDENTITY() returns: the Id the session's last INSERT created. */
  lastInsertId?: string | null;
  /** Inside a CTE or view being expanded: how many deep, and where the statement names the outermost. */
  expansion?: { depth: number; sql: string; pos: Position };
}

// A CTE or view naming another, thousands deep, would plan recursively past the stack's end.
const MAX_EXPANSION_DEPTH = 200;

/** The env for planning a CTE's or view's query where `node` names it; too deep is a SqlError where the statement names the outermost. */
function expanding(env: PlanEnv, node: { name: string; pos: Position }): PlanEnv {
  const expansion = env.expansion ? { ...env.expansion, depth: env.expansion.depth + 1 } : { depth: 1, sql: env.sql, pos: node.pos };
  if (expansion.depth > MAX_EXPANSION_DEPTH) {
    throw new SqlError(`Views and WITH queries name one another more than ${MAX_EXPANSION_DEPTH} levels deep`, expansion.sql, expansion.pos);
  }
  return { ...env, expansion };
}

export function planSelect(stmt: SelectNode, sql: string, catalog: Catalog, params: ParameterBinding | undefined): QueryPlan {
  return planQuery(stmt, { sql, catalog, params, ctes: new Map(), now: new Date(), lastInsertId: null }, null);
}

/** Plans a SELECT or set operation; `outer` is the enclosing query's scope for a subquery. */
export function planQuery(query: QueryNode, env: PlanEnv, outer: Scope | null): QueryPlan {
  let scoped = env;
  if (query.with) {
    const ctes = new Map(env.ctes);
    for (const cte of query.with) {
      ctes.set(cte.name.toLowerCase(), { query: cte.query, ...(cte.columns ? { columns: cte.columns } : {}) });
    }
    scoped = { ...env, ctes };
  }
  if (query.kind === 'setOp') return planSetOperation(query, scoped, outer, planQuery);
  return planSelectNode(query, scoped, outer);
}

function planSelectNode(stmt: SelectNode, env: PlanEnv, outer: Scope | null): QueryPlan {
  const sql = env.sql;
  const tree = stmt.from ? buildFromTree(stmt.from, env, { offset: 0 }) : undefined;
  const sources = tree ? treeSources(tree) : [];
  const scope = new Scope(sources, outer);
  const planSubquery = (q: QueryNode, enclosing: Scope | null): QueryPlan => planQuery(q, env, enclosing);
  const windows: WindowPlan = { calls: [] };
  const ctx = (aggregates: BindContext['aggregates'], allowWindows = false): BindContext => ({
    sql,
    params: env.params,
    scope: tree || outer ? scope : null,
    aggregates,
    planSubquery,
    ...statementValues(env),
    ...(allowWindows ? { bindWindow: (node) => bindWindows(node, windows, ctx('allowed')) } : {}),
  });

  const onConditions = new Map<FromTree, BoundExpr>();
  if (tree) bindJoinConditions(tree, ctx('ON'), onConditions, scope);
  const outputs = bindSelectList(stmt, sql, tree ? scope : null, ctx('allowed', true));
  const where = stmt.where ? bindExpr(stmt.where, ctx('WHERE')) : undefined;
  const limitValue = stmt.limit ?? stmt.top;
  const limit = limitValue ? bindCount(limitValue, stmt.top && !stmt.limit ? 'TOP' : 'LIMIT', ctx('LIMIT')) : undefined;
  const offset = (stmt.offset ? bindCount(stmt.offset, 'OFFSET', ctx('LIMIT')) : undefined) ?? 0;

  // GROUP BY keys: a select alias or ordinal names that output's expression.
  const groupKeys: GroupKey[] = (stmt.groupBy ?? []).map((node) => {
    const expr = bindGroupKey(node, outputs, stmt, sql, ctx('GROUP BY'));
    return { expr, key: structuralKey(expr) };
  });
  const having = stmt.having ? bindExpr(stmt.having, ctx('allowed')) : undefined;

  const extraKeys: BoundExpr[] = [];
  const sortKeys = stmt.orderBy.map((item): PlannedSortKey => {
    const bound = bindOrderKey(item.expr, outputs, sql, ctx('allowed', true));
    let index: number;
    if (typeof bound === 'number') {
      index = bound;
    } else {
      if (stmt.distinct && !stmt.distinctOn) throw new SqlError('With SELECT DISTINCT, ORDER BY items must appear in the select list', sql, item.pos);
      index = outputs.length + extraKeys.push(bound) - 1;
    }
    const expr = index < outputs.length ? outputs[index]!.expr : extraKeys[index - outputs.length]!;
    const descending = item.direction === 'DESC';
    const nullsFirst = item.nulls === undefined ? defaultNullsFirst(descending) : item.nulls === 'FIRST';
    const nullsText = item.nulls ? ` NULLS ${item.nulls}` : '';
    const text = `${typeof bound === 'number' ? outputs[index]!.name : formatExpr(expr)} ${item.direction}${nullsText}`;
    return { index, descending, nullsFirst, explicitNulls: item.nulls !== undefined, text, expr };
  });
  // DISTINCT ON (keys): the keys are computed beside the select list, after the sort keys.
  const distinctOnIndexes = (stmt.distinctOn ?? []).map((node) => {
    const bound = bindOrderKey(node, outputs, sql, ctx('allowed'));
    return typeof bound === 'number' ? bound : outputs.length + extraKeys.push(bound) - 1;
  });

  const aggregated =
    groupKeys.length > 0 ||
    having !== undefined ||
    [...outputs.map((o) => o.expr), ...extraKeys, ...windowExprs(windows)].some(containsAggregate);
  const aggregates: BoundAggregate[] = [];
  const overAggregates = (e: BoundExpr): BoundExpr => (aggregated ? replaceAggregates(e, aggregates, sql, groupKeys) : e);
  // Windows run over the aggregate row when the query groups (after HAVING), else over the FROM row.
  finishWindows(windows, overAggregates);
  let finalOutputs = outputs.map((o) => overAggregates(o.expr));
  let finalExtras = extraKeys.map(overAggregates);
  const finalHaving = having ? overAggregates(having) : undefined;
  const windowBase = aggregated ? groupKeys.length + aggregates.length : scope.width;
  if (windows.calls.length > 0) {
    finalOutputs = finalOutputs.map((e) => placeWindowSlots(e, windowBase));
    finalExtras = finalExtras.map((e) => placeWindowSlots(e, windowBase));
  }

  const columns: ResultColumn[] = outputs.map((o) => ({ name: o.name, type: o.expr.type ?? 'String', ...(isJsonValued(o.expr) ? { json: true } : {}), ...sourceTypeName(o.expr) }));
  const conjuncts = splitAnd(where);
  const projected = [...finalOutputs, ...finalExtras];
  if (aggregated || windows.calls.length > 0) {
    // Those run over the aggregate (or windowed) row, whose layout the inner query cannot read.
    const correlated = findSubqueries([...projected, ...(finalHaving ? [finalHaving] : [])]).find((sub) => sub.correlated);
    if (correlated) {
      throw new SqlError('A correlated subquery cannot be used with GROUP BY, aggregates or window functions here; move it into a derived table', sql, correlated.pos);
    }
  }

  // ORDER BY and LIMIT are offered only to a lone table, and only plain-column keys.
  const singleTable = tree?.kind === 'table';
  const orderOfferable =
    singleTable &&
    !aggregated &&
    windows.calls.length === 0 &&
    sortKeys.length > 0 &&
    sortKeys.every((k) => k.expr.kind === 'column' && (!k.explicitNulls || k.nullsFirst === defaultNullsFirst(k.descending)));
  const topConjuncts = tree ? conjuncts.filter(readsBeyondFrom) : conjuncts;
  const offer = (): ScanOfferSpec | undefined => {
    if (!singleTable) return undefined;
    const orderBy: OrderKey[] = orderOfferable
      ? sortKeys.map((k) => ({ column: (k.expr as Extract<BoundExpr, { kind: 'column' }>).column.name, direction: k.descending ? 'DESC' : 'ASC' }))
      : [];
    const orderDone = (p: ScanPlan): boolean => sortKeys.length === 0 || (orderOfferable && p.orderSatisfied);
    const limitOffered = limit !== undefined && topConjuncts.length === 0 && !stmt.distinct && !aggregated && windows.calls.length === 0;
    return { orderBy, ...(limitOffered ? { limit: limit + offset, acceptsLimit: (p: ScanPlan) => p.residual.length === 0 && orderDone(p) } : {}) };
  };

  // The logical plan, bottom up (plan/select-parts.ts gives its shape).
  let node: PlanNode = tree ? fromNode(tree, offer()) : freeze<SingleRowNode>({ kind: 'SingleRow' });
  const fromConjuncts = tree ? conjuncts.filter((c) => !readsBeyondFrom(c)) : [];
  if (fromConjuncts.length > 0) node = freeze<FilterNode>({ kind: 'Filter', input: node, conjuncts: fromConjuncts, role: 'where' });
  if (topConjuncts.length > 0) node = freeze<FilterNode>({ kind: 'Filter', input: node, conjuncts: topConjuncts, role: 'where' });
  if (aggregated) node = freeze<AggregateNode>({ kind: 'Aggregate', input: node, keys: groupKeys.map((k) => k.expr), aggregates });
  if (aggregated && finalHaving) node = freeze<FilterNode>({ kind: 'Filter', input: node, conjuncts: [finalHaving], role: 'having' });
  if (windows.calls.length > 0) node = freeze<WindowNode>({ kind: 'Window', input: node, windows, base: windowBase });
  node = freeze<ProjectNode>({ kind: 'Project', input: node, exprs: projected, names: [...outputs.map((o) => o.name), ...finalExtras.map(formatExpr)], visible: outputs.length });
  // Without GROUP BY an aggregate query has one row: nothing to sort.
  if (!(aggregated && groupKeys.length === 0) && sortKeys.length > 0) {
    const keep = stmt.distinct || limit === undefined ? undefined : limit + offset;
    node = freeze<SortNode>({ kind: 'Sort', input: node, keys: sortKeys.map((k) => ({ index: k.index, descending: k.descending, nullsFirst: k.nullsFirst, text: k.text })), ...(keep !== undefined ? { keep } : {}) });
  }
  if (stmt.distinct) node = freeze<DistinctNode>({ kind: 'Distinct', input: node, width: outputs.length, ...(stmt.distinctOn ? { on: distinctOnIndexes } : {}) });
  if (limit !== undefined || offset > 0) node = freeze<LimitNode>({ kind: 'Limit', input: node, ...(limit !== undefined ? { limit } : {}), offset });

  const optimized = dropSatisfiedSort(optimize(node, sql, { star: stmt.columns.some((c) => c.kind === 'star') }), orderOfferable);
  const meters = new Meters();
  const batches = lowerSelect(optimized, sql, meters);
  return {
    kind: 'query',
    columns,
    origins: outputs.map((o) => ({ type: o.expr.type, pos: o.expr.pos, ...(o.expr.kind === 'const' ? { constant: { value: o.expr.value } } : {}) })),
    batches,
    rows: (ctx) => flatten(batches(ctx), ctx.signal),
    explain: () => explainSelect(optimized, meters),
    explainJson: () => planToJson(optimized, meters),
  };
}

/** When the lone table delivers rows in the order asked for, the Sort above it has nothing to do. */
function dropSatisfiedSort(root: PlanNode, orderOffered: boolean): PlanNode {
  if (!orderOffered) return root;
  const parts = selectParts(root);
  const scan = parts.from.kind === 'Scan' ? parts.from.planned : undefined;
  if (!parts.sort || !scan?.plan?.orderSatisfied || scan.emptyReason !== undefined) return root;
  const sort = parts.sort;
  return transformUp(root, (n) => (n === sort ? sort.input : n));
}

/** The FROM tree as plan nodes; `offer` goes to a lone table. */
function fromNode(tree: FromTree, offer: ScanOfferSpec | undefined): PlanNode {
  switch (tree.kind) {
    case 'table':
      return freeze<ScanNode>({ kind: 'Scan', table: tree.table, source: tree.source, ...(tree.pos ? { pos: tree.pos } : {}), conjuncts: [], ...(offer ? { offer } : {}) });
    case 'derived':
      return freeze<SubqueryScanNode>({ kind: 'SubqueryScan', plan: tree.plan, source: tree.source, conjuncts: [] });
    case 'join':
      return freeze<JoinNode>({ kind: 'Join', type: tree.type, left: fromNode(tree.left, undefined), right: fromNode(tree.right, undefined), condition: splitAnd(tree.on), after: [] });
  }
}

/** Conjuncts evaluated above FROM: those with subqueries or outer references. */
function readsBeyondFrom(expr: BoundExpr): boolean {
  let beyond = false;
  walk(expr, (e) => {
    if (e.kind === 'subquery' || e.kind === 'outer') beyond = true;
  });
  return beyond;
}

function usedColumns(exprs: BoundExpr[]): Set<number> {
  const used = new Set<number>();
  for (const expr of exprs) {
    walk(expr, (e) => {
      if (e.kind === 'column') used.add(e.index);
    });
  }
  return used;
}

// ---------------------------------------------------------------------------------------------
// FROM

function buildFromTree(node: FromItemNode, env: PlanEnv, next: { offset: number }): FromTree {
  switch (node.kind) {
    case 'table': {
      const cte = node.schema === undefined ? env.ctes.get(node.name.toLowerCase()) : undefined;
      if (cte) {
        // A CTE does not see itself (no recursion): plan it without its own name.
        const ctes = new Map(env.ctes);
        ctes.delete(node.name.toLowerCase());
        const plan = planQuery(cte.query, { ...expanding(env, node), ctes }, null);
        return derivedLeaf(plan, node.alias ?? node.name, node, next, env.sql, cte.columns);
      }
      const view = node.schema === undefined ? env.views?.get(node.name.toLowerCase()) : undefined;
      if (view) {
        // Planned in its own CREATE VIEW text, seeing none of this statement's CTEs.
        const plan = planQuery(view.query, { ...expanding(env, node), sql: view.sql, ctes: new Map() }, null);
        return derivedLeaf(plan, node.alias ?? node.name, node, next, env.sql, view.columns);
      }
      const table = resolveTable(node, env.sql, env.catalog);
      const source: ScopeSource = { name: table.name, ...(node.alias !== undefined ? { alias: node.alias } : {}), columns: table.columns, offset: next.offset };
      next.offset += table.columns.length;
      return { kind: 'table', table, source, pos: node.pos };
    }
    case 'derived': {
      const plan = planQuery(node.query, env, null);
      return derivedLeaf(plan, node.alias, node, next, env.sql, node.columns);
    }
    case 'tableFunction': {
      const plan = planTableFunction(node, env);
      return derivedLeaf(plan, node.alias ?? 'generate_series', node, next, env.sql);
    }
    case 'join': {
      const left = buildFromTree(node.left, env, next);
      const right = buildFromTree(node.right, env, next);
      return { kind: 'join', type: node.type, left, right, on: undefined, ...{ node } } as FromTree;
    }
  }
}

function derivedLeaf(
  plan: QueryPlan,
  alias: string,
  node: FromItemNode | TableRefNode,
  next: { offset: number },
  sql: string,
  names?: string[],
): FromTree {
  if (names && names.length !== plan.columns.length) {
    throw new SqlError(`${alias} names ${names.length} columns but its query returns ${plan.columns.length}`, sql, node.pos);
  }
  const columns: Column[] = plan.columns.map((c, i) => ({ name: names?.[i] ?? c.name, type: c.type, ...(c.json ? { json: true } : {}), ...(c.typeName ? { typeName: c.typeName } : {}) }));
  const source: ScopeSource = { name: alias, alias, columns, offset: next.offset };
  next.offset += columns.length;
  return { kind: 'derived', plan, source };
}

function treeSources(tree: FromTree): ScopeSource[] {
  return tree.kind === 'join' ? [...treeSources(tree.left), ...treeSources(tree.right)] : [tree.source];
}

function bindJoinConditions(tree: FromTree, ctx: BindContext, out: Map<FromTree, BoundExpr>, scope: Scope): void {
  if (tree.kind !== 'join') return;
  bindJoinConditions(tree.left, ctx, out, scope);
  bindJoinConditions(tree.right, ctx, out, scope);
  const node = (tree as unknown as { node: Extract<FromItemNode, { kind: 'join' }> }).node;
  if (node.on) {
    tree.on = bindExpr(node.on, ctx);
    out.set(tree, tree.on);
  }
  if (node.using) {
    const sides = [treeSources(tree.left), treeSources(tree.right)];
    const equalities = node.using.map((ref): BoundExpr => {
      const [left, right] = sides.map((sources) => {
        const matches = sources.flatMap((source) =>
          source.columns.flatMap((column, i) =>
            column.name.toLowerCase() === ref.name.toLowerCase() ? [{ column, index: source.offset + i, qualifier: source.alias ?? source.name }] : [],
          ),
        );
        if (matches.length !== 1) {
          const why = matches.length === 0 ? 'is not a column of' : 'is ambiguous in';
          throw new SqlError(`USING column ${ref.name} ${why} ${sources.map((s) => s.alias ?? s.name).join(', ')}`, ctx.sql, ref.pos);
        }
        const { column, index, qualifier } = matches[0]!;
        return { kind: 'column' as const, index, column, qualifier, type: column.type, pos: ref.pos };
      });
      return { kind: 'binary', op: '=', left: left!, right: right!, type: 'Boolean', pos: ref.pos };
    });
    // An unqualified USING column means the preserved side's (the left one, unless RIGHT JOIN).
    for (const equality of equalities) {
      if (equality.kind !== 'binary' || equality.left.kind !== 'column' || equality.right.kind !== 'column') continue;
      const chosen = tree.type === 'RIGHT' ? equality.right : equality.left;
      scope.usingColumns.set(chosen.column.name.toLowerCase(), chosen.index);
    }
    tree.on = equalities.reduce((a, b) => ({ kind: 'binary', op: 'AND', left: a, right: b, type: 'Boolean', pos: a.pos }));
    out.set(tree, tree.on);
  }
}

// ---------------------------------------------------------------------------------------------
// Select list, GROUP BY, ORDER BY, LIMIT

function bindSelectList(stmt: SelectNode, sql: string, scope: Scope | null, ctx: BindContext): OutputColumn[] {
  const outputs: OutputColumn[] = [];
  for (const item of stmt.columns) {
    if (item.kind === 'star') {
      if (!scope) throw new SqlError('SELECT * needs a FROM clause', sql, item.pos);
      let sources = scope.sources;
      if (item.table !== undefined) {
        sources = scope.sourcesNamed(item.table);
        if (sources.length === 0) throw new SqlError(`Unknown table or alias ${item.table}`, sql, item.pos);
      }
      for (const source of sources) {
        source.columns.forEach((column, i) => {
          const index = source.offset + i;
          if (!column.pseudo) outputs.push({ name: column.name, expr: { kind: 'column', index, column, type: column.type, pos: item.pos } });
        });
      }
      continue;
    }
    const expr = bindExpr(item.expr, ctx);
    outputs.push({ name: item.alias ?? defaultName(item.expr, expr, ctx), expr });
  }
  return outputs;
}

/** PostgreSQL's name for an unaliased item (see column-names.ts); a column as its source spells it. */
function defaultName(node: ExprNode, bound: BoundExpr, ctx: BindContext): string {
  return figureColumnName(node, {
    column: (ref) => {
      const column = ref === node ? bound : bindQuietly(ref, ctx);
      return column?.kind === 'column' || column?.kind === 'outer' ? column.column.name : ref.name;
    },
    subquery: (sub) => (sub === node && bound.kind === 'subquery' ? bound.plan.columns[0]?.name : undefined),
  });
}

/** A column reference inside an item already bound whole: bound again only for its name. */
function bindQuietly(node: ExprNode, ctx: BindContext): BoundExpr | undefined {
  try {
    return bindExpr(node, ctx);
  } catch {
    return undefined;
  }
}

function bindGroupKey(node: ExprNode, outputs: OutputColumn[], stmt: SelectNode, sql: string, ctx: BindContext): BoundExpr {
  if (node.kind === 'literal' && typeof node.value === 'number') {
    if (!Number.isInteger(node.value) || node.value < 1 || node.value > outputs.length) {
      throw new SqlError(`GROUP BY position ${node.value} is out of range: the select list has ${outputs.length} column${outputs.length === 1 ? '' : 's'}`, sql, node.pos);
    }
    const expr = outputs[node.value - 1]!.expr;
    if (containsAggregate(expr)) throw new SqlError('GROUP BY cannot refer to an aggregate', sql, node.pos);
    return expr;
  }
  if (node.kind === 'column' && node.table === undefined) {
    // A FROM column wins over a select alias of the same name (as in standard SQL).
    try {
      return bindExpr(node, ctx);
    } catch (error) {
      const lower = node.name.toLowerCase();
      const aliased = stmt.columns.findIndex((c) => c.kind === 'expr' && c.alias?.toLowerCase() === lower);
      if (aliased < 0) throw error;
      const output = outputs.find((o) => o.name.toLowerCase() === lower)!;
      if (containsAggregate(output.expr)) throw new SqlError('GROUP BY cannot refer to an aggregate', sql, node.pos);
      return output.expr;
    }
  }
  return bindExpr(node, ctx);
}

/** An ORDER BY key: an output index (alias or ordinal) or an expression over the input row. */
function bindOrderKey(node: ExprNode, outputs: OutputColumn[], sql: string, ctx: BindContext): number | BoundExpr {
  if (node.kind === 'column' && node.table === undefined) {
    const lower = node.name.toLowerCase();
    const index = outputs.findIndex((o) => o.name.toLowerCase() === lower);
    if (index >= 0) return index;
  }
  if (node.kind === 'literal' && typeof node.value === 'number') {
    if (!Number.isInteger(node.value) || node.value < 1 || node.value > outputs.length) {
      throw new SqlError(`ORDER BY position ${node.value} is out of range: the select list has ${outputs.length} column${outputs.length === 1 ? '' : 's'}`, sql, node.pos);
    }
    return node.value - 1;
  }
  const bound = bindExpr(node, ctx);
  const key = structuralKey(bound);
  const same = outputs.findIndex((o) => structuralKey(o.expr) === key);
  return same >= 0 ? same : bound;
}

/** The count LIMIT / OFFSET / TOP give; undefined for a parameter whose value is not known yet (see params.ts). */
export function bindCount(node: ExprNode, clause: 'LIMIT' | 'OFFSET' | 'TOP', ctx: BindContext): number | undefined {
  declareParameterType(node, 'Integer', ctx.params);
  const bound = bindExpr(node, { ...ctx, scope: null });
  if (bound.kind === 'const' && bound.param !== undefined) return undefined;
  const value = bound.kind === 'const' ? bound.value : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new SqlError(`${clause} must be a non-negative integer`, ctx.sql, node.pos);
  }
  return value;
}

/** A select-list item that is a column of its source, unchanged, keeps the source's name for its type. */
function sourceTypeName(expr: BoundExpr): { typeName?: string } {
  const typeName = declaredTypeName(expr);
  return typeName !== undefined ? { typeName } : {};
}
