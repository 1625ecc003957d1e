// Which binary operators form one flat chain. SQL applies operators of one precedence level left
// to right, so `a + b - c + …` parses left-deep; bound as one node that folds its operands in
// order, such a run costs no nesting however long it is (generated SQL sums hundreds of terms).

import type { BinaryOperator, ExprNode } from './ast.js';

const LEVELS: Readonly<Record<BinaryOperator, string>> = {
  OR: 'OR',
  AND: 'AND',
  '=': 'comparison', '<>': 'comparison', '<': 'comparison', '<=': 'comparison', '>': 'comparison', '>=': 'comparison',
  '+': 'additive', '-': 'additive', '||': 'additive',
  '*': 'multiplicative', '/': 'multiplicative', '%': 'multiplicative',
};

export function sameLevel(a: BinaryOperator, b: BinaryOperator): boolean {
  return LEVELS[a] === LEVELS[b];
}

/** Whether `next` extends the chain `left` (rather than nesting it one level deeper). */
export function continuesChain(left: ExprNode, next: ExprNode): boolean {
  return left.kind === 'binary' && next.kind === 'binary' && next.left === left && sameLevel(left.op, next.op);
}
