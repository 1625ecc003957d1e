// Window functions: ROW_NUMBER, RANK, DENSE_RANK and the aggregates OVER (PARTITION BY …
// ORDER BY …). Every row is buffered, each call's value is appended to the row (after the FROM
// columns), and the select list reads it as a slot. Aggregates with ORDER BY are running
// totals over the partition up to the current row and its peers (the SQL default frame);
// explicit ROWS / RANGE / GROUPS frames are window-frames.ts.

import type { ExprNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, type BindContext } from './binder.js';
import { mapChildren, type BoundExpr } from './bound.js';
import { compileExpr, type Evaluator } from './expressions.js';
import { findAggregateFunction, type AggregateFunction } from './functions.js';
import { formatExpr } from './format.js';
import { chunks, type Batches } from './operators/batches.js';
import { rowComparator } from './operators/sort.js';
import type { DataType, Row, SqlValue } from './table.js';
import { defaultNullsFirst, distinctKey } from './values.js';
import { bindFrame, frameMembers, peerEnds, type Frame, type FramePartition } from './window-frames.js';
import { slideFrame, slidesForward } from './sliding-frames.js';

type ValueFunction = 'LAG' | 'LEAD' | 'FIRST_VALUE' | 'LAST_VALUE' | 'NTH_VALUE';

interface WindowCall {
  text: string;
  pos: ExprNode['pos'];
  rank?: 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK' | 'PERCENT_RANK' | 'CUME_DIST' | 'NTILE';
  /** NTILE's bucket count. */
  buckets?: number;
  /** LAG/LEAD/FIRST_VALUE/LAST_VALUE/NTH_VALUE: which row's value, with `offset` (LAG/LEAD distance, NTH_VALUE's n). */
  value?: { fn: ValueFunction; offset: number; defaultExpr: BoundExpr | null; fallback: Evaluator | null };
  aggregate?: AggregateFunction;
  /** Bound over the query's row; rewritten over the aggregate row when the query groups. */
  argExpr: BoundExpr | null;
  partitionExprs: BoundExpr[];
  orderExprs: BoundExpr[];
  arg: Evaluator | null;
  partition: Evaluator[];
  order: Evaluator[];
  orderKeys: { descending: boolean; nullsFirst: boolean }[];
  /** ROWS / RANGE / GROUPS frame; undefined: PostgreSQL's default (to the current row's last peer, or the whole partition). */
  frame?: Frame;
}

export interface WindowPlan {
  calls: WindowCall[];
  /** Set once a call is bound: buffers the input and appends each call's value to each row. */
  apply?: (input: Batches, width: number) => Batches;
}

/** Every expression the calls read (to find aggregates in them). */
export function windowExprs(plan: WindowPlan): BoundExpr[] {
  return plan.calls.flatMap((c) => [...(c.argExpr ? [c.argExpr] : []), ...(c.value?.defaultExpr ? [c.value.defaultExpr] : []), ...c.partitionExprs, ...c.orderExprs]);
}

/**
 * Fixes the calls' expressions (`rewrite`: onto the aggregate row when the query groups) and
 * compiles them; the values are appended after the first `width` values of each row.
 */
export function finishWindows(plan: WindowPlan, rewrite: (e: BoundExpr) => BoundExpr): void {
  for (const call of plan.calls) {
    if (call.argExpr) call.argExpr = rewrite(call.argExpr);
    call.partitionExprs = call.partitionExprs.map(rewrite);
    call.orderExprs = call.orderExprs.map(rewrite);
    call.arg = call.argExpr ? compileExpr(call.argExpr) : null;
    if (call.value?.defaultExpr) {
      call.value.defaultExpr = rewrite(call.value.defaultExpr);
      call.value.fallback = compileExpr(call.value.defaultExpr);
    }
    call.partition = call.partitionExprs.map(compileExpr);
    call.order = call.orderExprs.map(compileExpr);
  }
}

/** Points the window slots in `expr` at `width + call index`. */
export function placeWindowSlots(expr: BoundExpr, width: number): BoundExpr {
  if (expr.kind === 'slot' && expr.window !== undefined) return { ...expr, index: width + expr.window };
  return mapChildren(expr, (e) => placeWindowSlots(e, width));
}

const RANKING = new Set(['ROW_NUMBER', 'RANK', 'DENSE_RANK', 'PERCENT_RANK', 'CUME_DIST']);
const VALUE_FUNCTIONS = new Set<string>(['LAG', 'LEAD', 'FIRST_VALUE', 'LAST_VALUE', 'NTH_VALUE']);

/** A window function's constant argument (LAG's offset, NTILE's buckets): a positive integer. */
function positiveConstant(node: ExprNode, what: string, name: string, ctx: BindContext, allowZero = false): number {
  const refuse = (): SqlError => new SqlError(`${name}'s ${what} must be a ${allowZero ? 'non-negative' : 'positive'} integer constant`, ctx.sql, node.pos);
  let bound: BoundExpr;
  try {
    bound = bindExpr(node, { ...ctx, scope: null });
  } catch (error) {
    // A column here (read without a FROM to resolve it) is the mistake to name.
    if (error instanceof SqlError) throw refuse();
    throw error;
  }
  const value = bound.kind === 'const' ? bound.value : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw refuse();
  return value;
}

export function bindWindows(node: Extract<ExprNode, { kind: 'call' }>, plan: WindowPlan, ctx: BindContext): BoundExpr {
  const over = node.over!;
  const sql = ctx.sql;
  // Aggregates may appear inside (RANK() OVER (ORDER BY COUNT(*))): they are the groups' values.
  const inner: BindContext = { ...ctx, aggregates: 'allowed' };
  delete inner.bindWindow;
  const partition = over.partitionBy.map((e) => bindExpr(e, inner));
  const order = over.orderBy.map((item) => ({ expr: bindExpr(item.expr, inner), item }));
  let type: DataType;
  const call: WindowCall = {
    text: '',
    pos: node.pos,
    argExpr: null,
    partitionExprs: partition,
    orderExprs: order.map((o) => o.expr),
    arg: null,
    partition: [],
    order: [],
    ...(over.frame ? { frame: bindFrame(over.frame, order.map((o) => o.expr), inner) } : {}),
    orderKeys: order.map(({ item }) => {
      const descending = item.direction === 'DESC';
      return { descending, nullsFirst: item.nulls === undefined ? defaultNullsFirst(descending) : item.nulls === 'FIRST' };
    }),
  };
  let argText = '';
  if (RANKING.has(node.name)) {
    if (node.args.length > 0 || node.star) throw new SqlError(`${node.name} takes no arguments`, sql, node.pos);
    if (order.length === 0 && node.name !== 'ROW_NUMBER') throw new SqlError(`${node.name} needs ORDER BY in its OVER clause`, sql, node.pos);
    call.rank = node.name as WindowCall['rank'];
    type = node.name === 'PERCENT_RANK' || node.name === 'CUME_DIST' ? 'Double' : 'Long';
  } else if (node.name === 'NTILE') {
    if (node.args.length !== 1 || node.star) throw new SqlError('NTILE takes 1 argument, the number of buckets', sql, node.pos);
    call.rank = 'NTILE';
    call.buckets = positiveConstant(node.args[0]!, 'number of buckets', 'NTILE', inner);
    argText = String(call.buckets);
    type = 'Long';
  } else if (VALUE_FUNCTIONS.has(node.name)) {
    const fn = node.name as ValueFunction;
    const maxArgs = fn === 'LAG' || fn === 'LEAD' ? 3 : fn === 'NTH_VALUE' ? 2 : 1;
    const minArgs = fn === 'NTH_VALUE' ? 2 : 1;
    if (node.star || node.args.length < minArgs || node.args.length > maxArgs) {
      throw new SqlError(`${fn} takes ${minArgs === maxArgs ? minArgs : `${minArgs} to ${maxArgs}`} argument${maxArgs === 1 ? '' : 's'}, got ${node.args.length}`, sql, node.pos);
    }
    const arg = bindExpr(node.args[0]!, inner);
    call.argExpr = arg;
    const offset = node.args[1] ? positiveConstant(node.args[1], fn === 'NTH_VALUE' ? 'n' : 'offset', fn, inner, fn !== 'NTH_VALUE') : 1;
    const defaultExpr = node.args[2] ? bindExpr(node.args[2], inner) : null;
    call.value = { fn, offset, defaultExpr, fallback: null };
    argText = [formatExpr(arg), ...node.args.slice(1).map((a, i) => (i === 0 ? String(offset) : formatExpr(defaultExpr!)))].join(', ');
    type = arg.type ?? defaultExpr?.type ?? 'String';
  } else {
    const fn = findAggregateFunction(node.name);
    if (!fn) {
      throw new SqlError(`${node.name} is not a window function (use ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE or an aggregate)`, sql, node.pos);
    }
    if (node.distinct) throw new SqlError(`DISTINCT is not supported in window aggregates`, sql, node.pos);
    call.aggregate = fn;
    if (!node.star) {
      if (node.args.length !== 1) throw new SqlError(`${fn.name} takes 1 argument, got ${node.args.length}`, sql, node.pos);
      const arg = bindExpr(node.args[0]!, inner);
      call.argExpr = arg;
      call.aggregate = fn.forArgType ? fn.forArgType(arg.type) : fn;
      argText = formatExpr(arg);
      type = fn.returnType(arg.type);
    } else {
      argText = '*';
      type = fn.returnType(null);
    }
  }
  const parts = [
    partition.length > 0 ? `PARTITION BY ${partition.map(formatExpr).join(', ')}` : '',
    order.length > 0 ? `ORDER BY ${order.map((o) => `${formatExpr(o.expr)} ${o.item.direction}`).join(', ')}` : '',
  ].filter(Boolean);
  if (call.frame) parts.push(call.frame.text);
  call.text = `${node.name}(${argText}) OVER (${parts.join(' ')})`;
  const index = plan.calls.push(call) - 1;
  plan.apply ??= (input, width) => applyWindows(input, width, plan.calls);
  // The values are appended to the row; placeWindowSlots sets the index once the width is known.
  return { kind: 'slot', index: -1, window: index, text: call.text, type, pos: node.pos };
}

async function* applyWindows(input: Batches, width: number, calls: WindowCall[]): AsyncGenerator<Row[]> {
  const rows: Row[] = [];
  for await (const batch of input) {
    for (const row of batch) {
      const extended = row.slice(0, width);
      extended.length = width + calls.length;
      rows.push(extended);
    }
  }
  calls.forEach((call, k) => computeCall(rows, call, width + k));
  yield* chunks(rows);
}

function computeCall(rows: Row[], call: WindowCall, target: number): void {
  const partitions = new Map<string, number[]>();
  rows.forEach((row, i) => {
    let key = '';
    for (const p of call.partition) key += `${distinctKey(p(row))}\u0000`;
    const list = partitions.get(key);
    if (list) list.push(i);
    else partitions.set(key, [i]);
  });
  const orderValues = rows.map((row) => call.order.map((o) => o(row)));
  const compare = rowComparator(call.orderKeys.map((k, index) => ({ index, ...k })));
  for (const indexes of partitions.values()) {
    indexes.sort((a, b) => compare(orderValues[a]!, orderValues[b]!) || a - b);
    const peer = (a: number, b: number): boolean => compare(orderValues[a]!, orderValues[b]!) === 0;
    const part: FramePartition = { indexes, peer, key: (p) => orderValues[indexes[p]!]![0] ?? null, descending: call.orderKeys[0]?.descending ?? false };
    if (call.rank) {
      computeRanking(rows, call, indexes, peer, target);
      continue;
    }
    if (call.value) {
      computeValue(rows, call, part, target);
      continue;
    }
    const fn = call.aggregate!;
    const valueOf = (rowIndex: number): SqlValue => (call.arg ? call.arg(rows[rowIndex]!) : true);
    if (call.frame) {
      computeFramedAggregate(rows, call, part, target, valueOf);
      continue;
    }
    const accumulator = fn.create();
    if (call.order.length === 0) {
      for (const i of indexes) accumulator.add(valueOf(i));
      const result = accumulator.result();
      for (const i of indexes) rows[i]![target] = result;
      continue;
    }
    let start = 0;
    while (start < indexes.length) {
      let end = start + 1;
      while (end < indexes.length && peer(indexes[start]!, indexes[end]!)) end++;
      for (let p = start; p < end; p++) accumulator.add(valueOf(indexes[p]!));
      const result = accumulator.result();
      for (let p = start; p < end; p++) rows[indexes[p]!]![target] = result;
      start = end;
    }
  }
}

type Peer = FramePartition['peer'];

function computeRanking(rows: Row[], call: WindowCall, indexes: number[], peer: Peer, target: number): void {
  const count = indexes.length;
  const ends = peerEnds(indexes, peer);
  let rank = 0;
  let dense = 0;
  indexes.forEach((rowIndex, position) => {
    const newPeerGroup = position === 0 || !peer(indexes[position - 1]!, rowIndex);
    if (newPeerGroup) {
      rank = position + 1;
      dense++;
    }
    let value: number;
    switch (call.rank) {
      case 'ROW_NUMBER':
        value = position + 1;
        break;
      case 'RANK':
        value = rank;
        break;
      case 'DENSE_RANK':
        value = dense;
        break;
      case 'PERCENT_RANK':
        value = count === 1 ? 0 : (rank - 1) / (count - 1);
        break;
      case 'CUME_DIST':
        value = ends[position]! / count;
        break;
      default: {
        // NTILE: the first (count mod buckets) buckets hold one row more.
        const buckets = call.buckets!;
        const small = Math.floor(count / buckets);
        const large = count % buckets;
        const inLarge = large * (small + 1);
        value = position < inLarge ? Math.floor(position / (small + 1)) + 1 : large + Math.floor((position - inLarge) / Math.max(small, 1)) + 1;
      }
    }
    rows[rowIndex]![target] = value;
  });
}

/**
 * LAG/LEAD read another row of the partition; FIRST_VALUE, LAST_VALUE and NTH_VALUE read the
 * frame, which (as in PostgreSQL by default) runs from the partition's start to the current
 * row's last peer when the window is ordered, and is the whole partition when it is not.
 */
function computeValue(rows: Row[], call: WindowCall, part: FramePartition, target: number): void {
  const { indexes, peer } = part;
  const { fn, offset, fallback } = call.value!;
  const arg = call.arg!;
  const ordered = call.order.length > 0;
  // Each row's frame: the explicit one (listed only when EXCLUDE cuts holes in it), else PostgreSQL's default.
  let bounds: [number, number][];
  let members: ((p: number) => number[]) | undefined;
  if (call.frame) {
    const frame = frameMembers(call.frame, part);
    bounds = frame.bounds;
    if (call.frame.exclude) members = frame.members;
  } else {
    const ends = ordered ? peerEnds(indexes, peer) : indexes.map(() => indexes.length);
    bounds = ends.map((end): [number, number] => [0, end - 1]);
  }
  indexes.forEach((rowIndex, position) => {
    const row = rows[rowIndex]!;
    let value: SqlValue;
    switch (fn) {
      case 'LAG':
      case 'LEAD': {
        const at = fn === 'LAG' ? position - offset : position + offset;
        value = at >= 0 && at < indexes.length ? arg(rows[indexes[at]!]!) : fallback ? fallback(row) : null;
        break;
      }
      case 'FIRST_VALUE':
      case 'LAST_VALUE':
      case 'NTH_VALUE': {
        const frame = members?.(position);
        const [lo, hi] = frame ? [0, frame.length - 1] : bounds[position]!;
        const at = fn === 'FIRST_VALUE' ? lo : fn === 'LAST_VALUE' ? hi : lo + offset - 1;
        value = at >= lo && at <= hi ? arg(rows[indexes[frame ? frame[at]! : at]!]!) : null;
        break;
      }
    }
    row[target] = value;
  });
}

/**
 * An aggregate over an explicit frame. A frame from the partition's start that only grows, with
 * nothing excluded, is one accumulator row after row. A frame that slides (both ends move only
 * forward, as every ROWS, RANGE and GROUPS frame does within a partition) is one accumulator
 * too when the aggregate can remove a value (SUM, COUNT, AVG; see sliding-frames.ts), or a
 * monotonic queue for MIN and MAX: linear in the partition, not in rows × frame. Any other is
 * folded afresh for each row.
 */
function computeFramedAggregate(rows: Row[], call: WindowCall, part: FramePartition, target: number, valueOf: (rowIndex: number) => SqlValue): void {
  const fn = call.aggregate!;
  const { indexes } = part;
  const frame = frameMembers(call.frame!, part);
  const { bounds, members } = frame;
  const write = (p: number, value: SqlValue): void => {
    rows[indexes[p]!]![target] = value;
  };
  const valueAt = (p: number): SqlValue => valueOf(indexes[p]!);
  const growing = call.frame!.start.kind === 'unboundedPreceding' && !call.frame!.exclude && bounds.every(([, hi], p) => p === 0 || hi >= bounds[p - 1]![1]);
  if (growing) {
    const accumulator = fn.create();
    let added = -1;
    bounds.forEach(([, hi], p) => {
      while (added < hi) accumulator.add(valueAt(++added));
      write(p, accumulator.result());
    });
    return;
  }
  if (slidesForward(bounds) && slideFrame(fn, frame, call.frame!.exclude !== undefined, valueAt, write)) return;
  indexes.forEach((_, p) => {
    const accumulator = fn.create();
    for (const q of members(p)) accumulator.add(valueAt(q));
    write(p, accumulator.result());
  });
}
