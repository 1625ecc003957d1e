// The logical plan: an immutable tree of operators, built by the planner from the bound query,
// rewritten by the rules in ../rules/ (each returns a new tree, never changes a node), lowered
// to operators by lower.ts, and printed by explain-text.ts / explain-json.ts. One closed union
// in one file: every node is a handful of fields, and a reader sees the whole algebra at once.
//
// Row layouts: FROM nodes (Scan, SubqueryScan, Join) stand for the query's FROM row, where every
// source's columns sit side by side at the source's offset; expressions on FROM nodes (a Scan's
// conjuncts, a Join's condition) are kept in that numbering, as the binder produced them, and
// lowering shifts them onto the rows each operator really holds (a subtree's row starts at its
// first source's offset). Nodes above FROM read their input's row: the FROM row, the aggregate
// row (group keys, then aggregates) above an Aggregate, plus window values above a Window.

import type { JoinType, Position } from '../../sql/ast.js';
import type { BoundAggregate, BoundExpr } from '../bound.js';
import type { QueryPlan } from '../plan-types.js';
import type { PlannedScan } from '../scan.js';
import type { ScopeSource } from '../scope.js';
import type { KeyLookup, OrderKey, ScanPlan, Table } from '../table.js';
import type { WindowPlan } from '../windows.js';

/** ORDER BY / LIMIT offered to a lone table (see rules/table-pushdown.ts). */
export interface ScanOfferSpec {
  orderBy: readonly OrderKey[];
  limit?: number;
  acceptsLimit?: (plan: ScanPlan) => boolean;
}

export interface ScanNode {
  readonly kind: 'Scan';
  readonly table: Table;
  readonly source: ScopeSource;
  readonly pos?: Position;
  /** Columns the query reads (projection pruning); undefined before that rule ran. */
  readonly columns?: readonly string[];
  /** Conjuncts to offer the table (FROM numbering). */
  readonly conjuncts: readonly BoundExpr[];
  readonly offer?: ScanOfferSpec;
  /** The table's answer (table pushdown): pushed, residual, order, limit, requests. */
  readonly planned?: PlannedScan;
}

/** A derived table or CTE: its own planned query, read as a source. */
export interface SubqueryScanNode {
  readonly kind: 'SubqueryScan';
  readonly plan: QueryPlan;
  readonly source: ScopeSource;
  /** Conjuncts on its columns (FROM numbering). */
  readonly conjuncts: readonly BoundExpr[];
}

export type JoinMethod =
  | { readonly kind: 'hash'; readonly leftKeys: readonly BoundExpr[]; readonly rightKeys: readonly BoundExpr[]; readonly residual: readonly BoundExpr[] }
  | { readonly kind: 'nestedLoop'; readonly residual: readonly BoundExpr[] }
  | {
      readonly kind: 'lookup';
      readonly leftKey: BoundExpr;
      readonly rightKey: BoundExpr;
      readonly residual: readonly BoundExpr[];
      /** The inner table's scan without the key; the key is added per batch of outer rows. */
      readonly inner: PlannedScan;
      readonly column: { name: string; type: BoundExpr['type'] & string };
      readonly columnIndex: number;
      readonly op: 'IN' | '=';
      /** Requests a batch of outer keys costs (for '=', one fetch per key of the batch), when known. */
      readonly requestsPerBatch?: number;
      /** The table's answer to Table.keyLookup: how one fetch is made, and what it costs. */
      readonly fetch: KeyLookup;
    };

export interface JoinNode {
  readonly kind: 'Join';
  readonly type: JoinType;
  readonly left: PlanNode;
  readonly right: PlanNode;
  /** The join condition (ON, and WHERE conjuncts placed here), FROM numbering. */
  readonly condition: readonly BoundExpr[];
  /** Conditions on an outer join's output (WHERE conjuncts that must not filter its inputs). */
  readonly after: readonly BoundExpr[];
  /** Chosen by rules/join-method.ts. */
  readonly method?: JoinMethod;
}

/** Keeps the rows for which every conjunct is TRUE. */
export interface FilterNode {
  readonly kind: 'Filter';
  readonly input: PlanNode;
  readonly conjuncts: readonly BoundExpr[];
  /** 'Having' prints as such; the rest as 'Filter'. */
  readonly role: 'where' | 'having';
}

/** Computes output columns. `reason` is printed when the projection is there for a rule's sake. */
export interface ProjectNode {
  readonly kind: 'Project';
  readonly input: PlanNode;
  readonly exprs: readonly BoundExpr[];
  readonly names: readonly string[];
  /** The first `visible` columns are the output; the rest are sort keys, trimmed after the sort. */
  readonly visible: number;
  readonly reason?: string;
}

/** One row per group: the group keys, then the aggregates. */
export interface AggregateNode {
  readonly kind: 'Aggregate';
  readonly input: PlanNode;
  readonly keys: readonly BoundExpr[];
  readonly aggregates: readonly BoundAggregate[];
}

/** Appends each window call's value to its input row. */
export interface WindowNode {
  readonly kind: 'Window';
  readonly input: PlanNode;
  readonly windows: WindowPlan;
  /** Width of the input row: the calls' values follow it. */
  readonly base: number;
}

export interface SortKeySpec {
  readonly index: number;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
  readonly text: string;
}

export interface SortNode {
  readonly kind: 'Sort';
  readonly input: PlanNode;
  readonly keys: readonly SortKeySpec[];
  /** Rows the sort must keep at most (a LIMIT above it): a top-N. */
  readonly keep?: number;
}

export interface DistinctNode {
  readonly kind: 'Distinct';
  readonly input: PlanNode;
  readonly width: number;
  /** DISTINCT ON: the first row (in its input's order) of each value of these columns. */
  readonly on?: readonly number[];
}

export interface LimitNode {
  readonly kind: 'Limit';
  readonly input: PlanNode;
  readonly limit?: number;
  readonly offset: number;
}

/** One empty row: SELECT without FROM. */
export interface SingleRowNode {
  readonly kind: 'SingleRow';
}

export type PlanNode =
  | ScanNode
  | SubqueryScanNode
  | JoinNode
  | FilterNode
  | ProjectNode
  | AggregateNode
  | WindowNode
  | SortNode
  | DistinctNode
  | LimitNode
  | SingleRowNode;

/** The nodes with exactly one input. */
export type UnaryNode = FilterNode | ProjectNode | AggregateNode | WindowNode | SortNode | DistinctNode | LimitNode;

const UNARY_KINDS: ReadonlySet<PlanNode['kind']> = new Set(['Filter', 'Project', 'Aggregate', 'Window', 'Sort', 'Distinct', 'Limit']);

export function isUnary(node: PlanNode): node is UnaryNode {
  return UNARY_KINDS.has(node.kind);
}

/** The unary node over another input (itself when the input is the same). */
export function withInput<N extends UnaryNode>(node: N, input: PlanNode): N {
  return input === node.input ? node : withFields(node, { input } as Partial<N>);
}

/** A node with one field changed: nodes are frozen, rules build new ones. */
export function withFields<N extends PlanNode>(node: N, fields: Partial<N>): N {
  return Object.freeze({ ...node, ...fields }) as unknown as N;
}

export function freeze<N extends PlanNode>(node: N): N {
  return Object.freeze(node);
}

/** The tree with `rewrite` applied bottom-up to every node. */
export function transformUp(node: PlanNode, rewrite: (node: PlanNode) => PlanNode): PlanNode {
  let rebuilt: PlanNode = node;
  if (node.kind === 'Join') {
    const left = transformUp(node.left, rewrite);
    const right = transformUp(node.right, rewrite);
    if (left !== node.left || right !== node.right) rebuilt = withFields(node, { left, right });
  } else if (isUnary(node)) {
    rebuilt = withInput(node, transformUp(node.input, rewrite));
  }
  return rewrite(rebuilt);
}

/** The FROM sources under a node, left to right. */
export function sourcesUnder(node: PlanNode): ScopeSource[] {
  switch (node.kind) {
    case 'Scan':
    case 'SubqueryScan':
      return [node.source];
    case 'Join':
      return [...sourcesUnder(node.left), ...sourcesUnder(node.right)];
    case 'Project':
    case 'Filter':
      return sourcesUnder(node.input);
    default:
      return [];
  }
}
