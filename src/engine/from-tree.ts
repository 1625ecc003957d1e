// FROM as the binder resolves it, before it becomes plan nodes: tables, derived tables (and
// CTEs, views) and joins, each source at its offset in the FROM row.

import type { JoinType, Position } from '../sql/ast.js';
import type { BoundExpr } from './bound.js';
import type { QueryPlan } from './plan-types.js';
import type { ScopeSource } from './scope.js';
import type { Table } from './table.js';

export type FromTree =
  | { kind: 'table'; table: Table; source: ScopeSource; pos?: Position }
  | { kind: 'derived'; plan: QueryPlan; source: ScopeSource }
  | { kind: 'join'; type: JoinType; left: FromTree; right: FromTree; on: BoundExpr | undefined };
