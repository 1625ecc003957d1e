// SELECT planning: resolve FROM into sources, bind every clause, plan FROM (pushdown per table,
// joins), then assemble the pipeline:
//   relation → filter → [group/aggregate → having] → project → sort → distinct → limit
// Planning does no I/O; every run of the plan builds a fresh pipeline.

import type { ExprNode, FromItemNode, QueryNode, SelectNode, TableRefNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, statementValues, type BindContext } from './binder.js';
import { declareParameterType, type ParameterBinding } from './params.js';
import { walk, type BoundAggregate, type BoundExpr } from './bound.js';
import { compileExpr, compilePredicate, type Evaluator } from './expressions.js';
import { formatExpr } from './format.js';
import { containsAggregate, replaceAggregates, structuralKey, type GroupKey } from './aggregates.js';
import { aggregateBatches, aggregateRows } from './operators/aggregate.js';
import { distinctBatches, distinctRows } from './operators/distinct.js';
import { filterRows } from './operators/filter.js';
import { limitRows } from './operators/limit.js';
import { projectBatch, projectBatches, projectRows } from './operators/project.js';
import { sortBatches, sortRows, type SortKey } from './operators/sort.js';
import type { QueryPlan, ResultColumn } from './plan-types.js';
import { planRelation, splitAnd, type FromTree, type Relation } from './relation.js';
import { resolveTable } from './resolve-table.js';
import { combineTests } from './scan.js';
import { Scope, type ScopeSource } from './scope.js';
import { planSetOperation } from './set-operations.js';
import { findSubqueries, prepareRows, subqueryPreparer } from './subqueries.js';
import type { Catalog, Column, ExecContext, OrderKey, Row, ScanPlan } from './table.js';
import { bindWindows, finishWindows, placeWindowSlots, windowExprs, type WindowPlan } from './windows.js';
import { analyzing, measured, newInstrument, withActuals, type Instrument } from './instrument.js';
import { defaultNullsFirst } from './values.js';

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
  /** The statement's instant (NOW()). */
  now: Date;
  /** What SCOPE_IDENTITY() returns: the Id the session's last INSERT created. */
  lastInsertId?: string | null;
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
      if (stmt.distinct) throw new SqlError('With SELECT DISTINCT, ORDER BY items must appear in the select list', sql, item.pos);
      index = outputs.length + extraKeys.push(bound) - 1;
    }
    const expr = index < outputs.length ? outputs[index]!.expr : extraKeys[index - outputs.length]!;
    const descending = item.direction === 'DESC';
    const nullsFirst = item.nulls === undefined ? defaultNullsFirst(descending) : item.nulls === 'FIRST';
    const nullsText = item.nulls ? ` NULLS ${item.nulls}` : '';
    const text = `${typeof bound === 'number' ? outputs[index]!.name : formatExpr(expr)} ${item.direction}${nullsText}`;
    return { index, descending, nullsFirst, explicitNulls: item.nulls !== undefined, text, expr };
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

  const columns: ResultColumn[] = outputs.map((o) => ({ name: o.name, type: o.expr.type ?? 'String' }));
  const conjuncts = splitAnd(where);
  const topConjuncts = conjuncts.filter(readsBeyondFrom);
  const fromConjuncts = conjuncts.filter((c) => !readsBeyondFrom(c));

  // ORDER BY and LIMIT are offered only to a lone table, and only plain-column keys.
  const singleTable = tree?.kind === 'table';
  const orderOfferable =
    singleTable &&
    !aggregated &&
    windows.calls.length === 0 &&
    sortKeys.length > 0 &&
    sortKeys.every((k) => k.expr.kind === 'column' && (!k.explicitNulls || k.nullsFirst === defaultNullsFirst(k.descending)));
  const orderBy: OrderKey[] = orderOfferable
    ? sortKeys.map((k) => ({ column: (k.expr as Extract<BoundExpr, { kind: 'column' }>).column.name, direction: k.descending ? 'DESC' : 'ASC' }))
    : [];
  const used = usedColumns([...outputs.map((o) => o.expr), ...extraKeys, ...conjuncts, ...groupKeys.map((k) => k.expr), ...(having ? [having] : []), ...onConditions.values()]);
  const starred = stmt.columns.some((c) => c.kind === 'star');
  const neededColumns = (source: ScopeSource): string[] =>
    source.columns.filter((c, i) => used.has(source.offset + i) || (starred && !c.pseudo)).map((c) => c.name);
  const orderDone = (p: ScanPlan): boolean => sortKeys.length === 0 || (orderOfferable && p.orderSatisfied);
  const limitOffer =
    singleTable && limit !== undefined && topConjuncts.length === 0 && !stmt.distinct && !aggregated && windows.calls.length === 0
      ? { limit: limit + offset, acceptsLimit: (p: ScanPlan) => p.residual.length === 0 && orderDone(p) }
      : {};

  const relation: Relation | undefined = tree
    ? planRelation(tree, fromConjuncts, { sql, neededColumns }, { orderBy, ...limitOffer })
    : undefined;
  const scanPlan = relation?.scan?.plan;
  const emptyReason = relation?.scan?.emptyReason;
  // Without GROUP BY an aggregate query has one row: nothing to sort.
  const sortNeeded = !(aggregated && groupKeys.length === 0) && sortKeys.length > 0 && !(orderOfferable && scanPlan?.orderSatisfied === true && emptyReason === undefined);
  const whereConjuncts = tree ? topConjuncts : conjuncts;
  const whereTest = combineTests(whereConjuncts.map(compilePredicate));
  const wherePrepare = subqueryPreparer(whereConjuncts, sql);

  const projected = [...finalOutputs, ...finalExtras];
  if (aggregated || windows.calls.length > 0) {
    // Those run over the aggregate (or windowed) row, whose layout the inner query cannot read.
    const correlated = findSubqueries([...projected, ...(finalHaving ? [finalHaving] : [])]).find((sub) => sub.correlated);
    if (correlated) {
      throw new SqlError('A correlated subquery cannot be used with GROUP BY, aggregates or window functions here; move it into a derived table', sql, correlated.pos);
    }
  }
  const projections: Evaluator[] = projected.map(compileExpr);
  const projectPrepare = subqueryPreparer([...projected, ...(finalHaving ? [finalHaving] : [])], sql);
  const aggregateSpecs = aggregates.map((a) => ({ fn: a.fn, arg: a.arg ? compileExpr(a.arg) : null, distinct: a.distinct }));
  const keyEvaluators = groupKeys.map((k) => compileExpr(k.expr));
  const havingTest = finalHaving ? compilePredicate(finalHaving) : undefined;
  const width = outputs.length;
  const sorter: SortKey[] = sortKeys.map((k) => ({ index: k.index, descending: k.descending, nullsFirst: k.nullsFirst }));

  const meter = {
    limit: newInstrument('Limit'),
    distinct: newInstrument('Distinct'),
    sort: newInstrument('Sort'),
    aggregate: newInstrument('Aggregate'),
    window: newInstrument('Window'),
    filter: newInstrument('Filter'),
  };
  const rows = (execCtx: ExecContext): AsyncIterable<Row> => {
    const analyze = analyzing.has(execCtx);
    const measure = (input: AsyncIterable<Row>, instrument: Instrument): AsyncIterable<Row> => (analyze ? measured(input, instrument) : input);
    if (relation && emptyReason !== undefined && !(aggregated && groupKeys.length === 0)) return emptyStream();
    const prepare = projectPrepare?.(execCtx);
    // The fast path: a lone table read whole in batches, WHERE fused into the first operator.
    const batches =
      relation?.batches && emptyReason === undefined && !wherePrepare && !prepare && windows.calls.length === 0 &&
      (aggregated || limit === undefined || sortNeeded)
        ? relation.batches(execCtx)
        : undefined;
    let stream: AsyncIterable<Row>;
    let sortedInBatches = false;
    let distinctInBatches = false;
    if (batches) stream = emptyStream();
    else if (relation) stream = emptyReason !== undefined ? emptyStream() : relation.rows(execCtx);
    else stream = singleEmptyRow();
    if (batches) {
      const test = combineTests([relation!.batchTest, whereTest].filter((t): t is (row: Row) => boolean => t !== undefined));
      if (aggregated) {
        stream = aggregateBatches(batches, aggregateSpecs, keyEvaluators, test, execCtx.signal);
        stream = projectRows(stream, projections, havingTest, execCtx.signal);
      } else if (stmt.distinct) {
        stream = measure(distinctBatches(batches, (batch) => projectBatch(batch, projections, test), width, execCtx.signal), meter.distinct);
        distinctInBatches = true;
      } else if (sortNeeded) {
        // The sort reads every row anyway: project and buffer each batch in one loop.
        const keep = limit === undefined ? undefined : limit + offset;
        stream = measure(sortBatches(batches, (batch) => projectBatch(batch, projections, test), sorter, keep, execCtx.signal), meter.sort);
        sortedInBatches = true;
      } else {
        stream = projectBatches(batches, projections, test, execCtx.signal);
      }
    } else if (wherePrepare) stream = prepareRows(stream, wherePrepare(execCtx));
    if (batches) {
      // Done above.
    } else if (windows.calls.length > 0) {
      if (whereTest) stream = filterRows(stream, whereTest, execCtx.signal);
      if (aggregated) {
        stream = measure(aggregateRows(stream, aggregateSpecs, keyEvaluators), meter.aggregate);
        if (havingTest) stream = filterRows(stream, havingTest, execCtx.signal);
      }
      stream = measure(windows.apply!(stream, windowBase), meter.window);
      if (prepare) stream = prepareRows(stream, prepare);
      stream = projectRows(stream, projections);
    } else if (aggregated) {
      if (whereTest) stream = filterRows(stream, whereTest, execCtx.signal);
      stream = measure(aggregateRows(stream, aggregateSpecs, keyEvaluators), meter.aggregate);
      if (prepare) stream = prepareRows(stream, prepare);
      stream = projectRows(stream, projections, havingTest, execCtx.signal);
    } else {
      if (prepare) {
        if (whereTest) stream = filterRows(stream, whereTest, execCtx.signal);
        stream = projectRows(prepareRows(stream, prepare), projections);
      } else {
        stream = projectRows(stream, projections, whereTest, execCtx.signal);
      }
      stream = measure(stream, meter.filter);
    }
    if (sortNeeded && !sortedInBatches) stream = measure(sortRows(stream, sorter, stmt.distinct || limit === undefined ? undefined : limit + offset), meter.sort);
    if (stmt.distinct && !distinctInBatches) stream = measure(distinctRows(stream, width), meter.distinct);
    if (limit !== undefined || offset > 0) stream = measure(limitRows(stream, limit, offset), meter.limit);
    if (projections.length > width) stream = trimRows(stream, width);
    return stream;
  };

  const explain = (): string[] => {
    const lines: string[] = [];
    if (limit !== undefined || offset > 0) lines.push(withActuals(`Limit ${limit ?? 'ALL'}${offset > 0 ? ` Offset ${offset}` : ''}`, meter.limit));
    if (stmt.distinct) lines.push(withActuals('Distinct', meter.distinct));
    if (sortNeeded) lines.push(withActuals(`Sort ${sortKeys.map((k) => k.text).join(', ')}`, meter.sort));
    if (finalHaving) lines.push(`Having ${formatExpr(having!)}`);
    if (aggregated) {
      const keys = groupKeys.length > 0 ? ` GROUP BY ${groupKeys.map((k) => formatExpr(k.expr)).join(', ')}` : '';
      lines.push(withActuals(`Aggregate ${aggregates.map(formatExpr).join(', ')}${keys}`.replace('Aggregate  GROUP', 'Aggregate GROUP'), meter.aggregate));
    }
    if (windows.calls.length > 0) lines.push(withActuals(`Window ${windows.calls.map((c) => c.text).join(', ')}`, meter.window));
    if (emptyReason !== undefined && relation) {
      lines.push(`Empty: no row can match (${emptyReason}); ${relation.scan!.table.name} is not scanned`);
      return lines;
    }
    if (whereConjuncts.length > 0) lines.push(`Filter ${whereConjuncts.map(formatExpr).join(' AND ')}`);
    if (relation) {
      const relationLines = relation.explain();
      // A lone table's residual is the query's filter: shown as such, as before joins existed.
      if (relation.scan && relation.scan.filterText.length > 0) {
        const residual = relationLines.findIndex((l) => l.startsWith('  residual: '));
        if (residual >= 0) relationLines.splice(residual, 1);
        const filterLine = `Filter ${relation.scan.filterText.join(' AND ')}`;
        const at = lines.findIndex((l) => l.startsWith('Filter '));
        if (at >= 0) lines[at] = `${filterLine} AND ${lines[at]!.slice(7)}`;
        else lines.push(filterLine);
      }
      lines.push(...relationLines);
    } else {
      lines.push('Single row (no FROM)');
    }
    findSubqueries([...whereConjuncts, ...projected, ...(finalHaving ? [finalHaving] : [])]).forEach((sub, i) => {
      const how = sub.correlated ? 'correlated: planned again for each row, outer values as constants' : 'runs once';
      lines.push(`Subquery ${i + 1} ${formatExpr(sub)} (${how})`);
      for (const line of sub.plan.explain()) lines.push(`  ${line}`);
    });
    const filterAt = lines.findIndex((l) => l.startsWith('Filter '));
    if (filterAt >= 0 && !aggregated && windows.calls.length === 0) lines[filterAt] = withActuals(lines[filterAt]!, meter.filter);
    return lines;
  };

  return { kind: 'query', columns, rows, explain };
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
      const cte = env.ctes.get(node.name.toLowerCase());
      if (cte) {
        // A CTE does not see itself (no recursion): plan it without its own name.
        const ctes = new Map(env.ctes);
        ctes.delete(node.name.toLowerCase());
        const plan = planQuery(cte.query, { ...env, ctes }, null);
        return derivedLeaf(plan, node.alias ?? node.name, node, next, env.sql, cte.columns);
      }
      const table = resolveTable(node, env.sql, env.catalog);
      const source: ScopeSource = { name: table.name, ...(node.alias !== undefined ? { alias: node.alias } : {}), columns: table.columns, offset: next.offset };
      next.offset += table.columns.length;
      return { kind: 'table', table, source, pos: node.pos };
    }
    case 'derived': {
      const plan = planQuery(node.query, env, null);
      return derivedLeaf(plan, node.alias, node, next, env.sql);
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
  const columns: Column[] = plan.columns.map((c, i) => ({ name: names?.[i] ?? c.name, type: c.type }));
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
    outputs.push({ name: item.alias ?? defaultName(item.expr, expr, outputs.length + 1), expr });
  }
  return outputs;
}

/** The column's own name, the function's name, or `ExprN` by position in the select list. */
function defaultName(node: ExprNode, bound: BoundExpr, position: number): string {
  if ((bound.kind === 'column' || bound.kind === 'outer') && node.kind === 'column') return bound.column.name;
  if (node.kind === 'call') return node.name.toUpperCase();
  if (node.kind === 'cast') return defaultName(node.expr, bound.kind === 'cast' ? bound.expr : bound, position);
  return `Expr${position}`;
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

export async function* emptyStream(): AsyncGenerator<Row> {}

async function* singleEmptyRow(): AsyncGenerator<Row> {
  yield [];
}

export async function* trimRows(input: AsyncIterable<Row>, width: number): AsyncGenerator<Row> {
  for await (const row of input) yield row.slice(0, width);
}
