// A SELECT's plan has one shape, top to bottom: [Limit] [Distinct] [Sort] Project [Window]
// [Having] [Aggregate] [Filter: WHERE reading subqueries] FROM. (Windows run after grouping.) Lowering and printing read it as these named parts.

import type { AggregateNode, DistinctNode, FilterNode, LimitNode, PlanNode, ProjectNode, SortNode, WindowNode } from './nodes.js';

export interface SelectParts {
  limit?: LimitNode;
  distinct?: DistinctNode;
  sort?: SortNode;
  project: ProjectNode;
  having?: FilterNode;
  window?: WindowNode;
  aggregate?: AggregateNode;
  /** WHERE conjuncts that stay above FROM (those reading subqueries or outer rows). */
  where?: FilterNode;
  /** The FROM tree, or SingleRow. */
  from: PlanNode;
}

export function selectParts(root: PlanNode): SelectParts {
  let node = root;
  const take = <K extends PlanNode['kind']>(kind: K, test: (n: PlanNode) => boolean = () => true): Extract<PlanNode, { kind: K }> | undefined => {
    if (node.kind !== kind || !test(node)) return undefined;
    const found = node as Extract<PlanNode, { kind: K }>;
    node = (found as unknown as { input: PlanNode }).input;
    return found;
  };
  const limit = take('Limit');
  const distinct = take('Distinct');
  const sort = take('Sort');
  const project = take('Project', (n) => n.kind === 'Project' && n.reason === undefined);
  if (!project) throw new Error(`a SELECT plan has no projection under ${root.kind}`);
  const window = take('Window');
  const having = take('Filter', (n) => n.kind === 'Filter' && n.role === 'having');
  const aggregate = take('Aggregate');
  const where = take('Filter', (n) => n.kind === 'Filter' && n.role === 'where');
  return {
    ...(limit ? { limit } : {}),
    ...(distinct ? { distinct } : {}),
    ...(sort ? { sort } : {}),
    project,
    ...(having ? { having } : {}),
    ...(window ? { window } : {}),
    ...(aggregate ? { aggregate } : {}),
    ...(where ? { where } : {}),
    from: node,
  };
}
