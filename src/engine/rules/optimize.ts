// The optimizer: the rules, in the order each needs the one before.
//   1. projection pruning: which columns each scan must deliver (before any layout changes);
//   2. join order: runs of inner joins laid out so each table joins one it has a condition with;
//   3. predicate pushdown: WHERE and ON conjuncts as deep as their columns allow;
//   4. table pushdown: each scan negotiates filters, order and limit with its table;
//   5. join method: hash, nested loop or lookup, with the tables' answers in hand.

import type { PlanNode } from '../plan/nodes.js';
import { chooseJoinMethods } from './join-method.js';
import { orderJoins } from './join-order.js';
import { pushDownPredicates } from './predicate-pushdown.js';
import { pruneColumns } from './projection-pruning.js';
import { pushIntoTables } from './table-pushdown.js';

export function optimize(root: PlanNode, sql: string, options: { star: boolean }): PlanNode {
  let plan = pruneColumns(root, options);
  plan = orderJoins(plan);
  plan = pushDownPredicates(plan);
  plan = pushIntoTables(plan, sql);
  return chooseJoinMethods(plan, sql);
}
