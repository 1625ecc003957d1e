// Bound expressions written back as SQL text, for EXPLAIN and generated messages.

import type { BoundExpr } from './bound.js';
import { formatSqlValue } from './values.js';

export function formatExpr(expr: BoundExpr): string {
  switch (expr.kind) {
    case 'const':
      return formatSqlValue(expr.value);
    case 'column':
      return expr.qualifier !== undefined ? `${expr.qualifier}.${expr.column.name}` : expr.column.name;
    case 'slot':
      return expr.text;
    case 'unary':
      return expr.op === 'NOT' ? `NOT ${wrap(expr.operand)}` : `${expr.op}${wrap(expr.operand)}`;
    case 'binary':
      return `${wrap(expr.left)} ${expr.op} ${wrap(expr.right)}`;
    case 'chain':
      return expr.ops.reduce((text, op, i) => `${text} ${op} ${wrap(expr.operands[i + 1]!)}`, wrap(expr.operands[0]!));
    case 'in':
      return `${wrap(expr.expr)} ${expr.negated ? 'NOT IN' : 'IN'} (${expr.list.map(formatExpr).join(', ')})`;
    case 'between':
      return `${wrap(expr.expr)} ${expr.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${wrap(expr.low)} AND ${wrap(expr.high)}`;
    case 'like': {
      const escape = expr.escape ? ` ESCAPE ${formatExpr(expr.escape)}` : '';
      return `${wrap(expr.expr)} ${expr.negated ? 'NOT LIKE' : 'LIKE'} ${wrap(expr.pattern)}${escape}`;
    }
    case 'isNull':
      return `${wrap(expr.expr)} ${expr.negated ? 'IS NOT NULL' : 'IS NULL'}`;
    case 'call':
      if (expr.fn.infix !== undefined && expr.args.length === 2) return `${wrap(expr.args[0]!)} ${expr.fn.infix} ${wrap(expr.args[1]!)}`;
      if (expr.fn.postfix !== undefined && expr.args.length === 1) return `${wrap(expr.args[0]!)} ${expr.fn.postfix}`;
      return `${expr.fn.name}(${expr.args.map(formatExpr).join(', ')})`;
    case 'aggregate':
      return `${expr.fn.name}(${expr.distinct ? 'DISTINCT ' : ''}${expr.arg ? formatExpr(expr.arg) : '*'}${expr.fn.argsSuffix ?? ''})`;
    case 'outer':
      return `outer.${expr.column.name}`;
    case 'case': {
      const operand = expr.operand ? ` ${formatExpr(expr.operand)}` : '';
      const whens = expr.whens.map((w) => ` WHEN ${formatExpr(w.when)} THEN ${formatExpr(w.then)}`).join('');
      return `CASE${operand}${whens}${expr.else ? ` ELSE ${formatExpr(expr.else)}` : ''} END`;
    }
    case 'cast':
      return `${expr.nullOnFailure ? 'TRY_CAST' : 'CAST'}(${formatExpr(expr.expr)} AS ${expr.target.text})`;
    case 'subquery':
      return expr.expr ? `${wrap(expr.expr)} ${expr.text}` : expr.mode === 'exists' && expr.negated ? `NOT ${expr.text}` : expr.text;
  }
}

/** Parenthesizes compound operands so the text reads unambiguously. */
function wrap(expr: BoundExpr): string {
  const text = formatExpr(expr);
  const compound = expr.kind === 'binary' || expr.kind === 'chain' || expr.kind === 'in' || expr.kind === 'between' || expr.kind === 'like' || expr.kind === 'isNull';
  return compound ? `(${text})` : text;
}
