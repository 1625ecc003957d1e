// Stripe's refusal of a write, told in the statement's terms: the SQL column behind Stripe's
// `param` (`line_items[0][price]` → "LineItemsAggregate, item 1: price").

import { StripeApiError } from '../stripe/errors.js';
import { splitParamPath } from './param-path.js';
import type { TableDef } from './types.js';

/** A StripeApiError (type, code, status, requestId kept) that also names the column and row. */
export class StripeWriteError extends StripeApiError {
  override name = 'StripeWriteError';
  /** The SQL column Stripe's `param` belongs to, when one does. */
  readonly column?: string;
  /** 0-based row of the statement the failed request was for. */
  readonly rowIndex?: number;

  constructor(original: StripeApiError, column: string | undefined, where: string | undefined, rowIndex: number | undefined) {
    super({
      message: where !== undefined ? `${where}: ${original.message}` : original.message,
      status: original.status,
      type: original.type,
      ...(original.code !== undefined ? { code: original.code } : {}),
      ...(original.param !== undefined ? { param: original.param } : {}),
      ...(original.requestId !== undefined ? { requestId: original.requestId } : {}),
      ...(original.docUrl !== undefined ? { docUrl: original.docUrl } : {}),
      ...(original.declineCode !== undefined ? { declineCode: original.declineCode } : {}),
    });
    if (column !== undefined) this.column = column;
    if (rowIndex !== undefined) this.rowIndex = rowIndex;
    this.cause = original;
  }
}

/**
 * The column whose parameter is the longest prefix of `param`, and the rest of the path in
 * words: `line_items[0][price]` → { column: 'LineItemsAggregate', where: 'LineItemsAggregate, item 1: price' }.
 */
export function columnForParam(def: TableDef, param: string, verb: 'create' | 'update'): { column: string; where: string } | undefined {
  const wanted = splitParamPath(param);
  let best: { column: string; length: number } | undefined;
  for (const column of def.columns) {
    const own = verb === 'create' ? column.createParam : column.updateParam;
    if (own === undefined) continue;
    const path = splitParamPath(own);
    if (path.length > wanted.length || path.some((key, i) => key !== wanted[i])) continue;
    if (!best || path.length > best.length) best = { column: column.name, length: path.length };
  }
  if (!best) return undefined;
  const rest = wanted.slice(best.length);
  const parts: string[] = [];
  const names: string[] = [];
  for (const key of rest) {
    if (/^\d+$/.test(key) && names.length === 0) parts.push(`item ${Number(key) + 1}`);
    else names.push(/^\d+$/.test(key) ? `[${key}]` : key);
  }
  const head = [best.column, ...parts].join(', ');
  return { column: best.column, where: names.length > 0 ? `${head}: ${names.join('.').replace(/\.\[/g, '[')}` : head };
}

/** Wraps a Stripe refusal so it names the column; other errors pass through unchanged. */
export function toWriteError(error: unknown, def: TableDef, verb: 'create' | 'update' | 'delete', rowIndex?: number): unknown {
  if (!(error instanceof StripeApiError) || error instanceof StripeWriteError) return error;
  const mapped = error.param !== undefined && verb !== 'delete' ? columnForParam(def, error.param, verb) : undefined;
  return new StripeWriteError(error, mapped?.column, mapped?.where, rowIndex);
}
