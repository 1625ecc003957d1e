// Window frames as PostgreSQL has them: ROWS (rows before and after), GROUPS (peer groups
// before and after) and RANGE (rows whose ORDER BY key lies within a distance of the current
// row's: `RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW`), each end UNBOUNDED,
// CURRENT ROW or an offset, and EXCLUDE CURRENT ROW | GROUP | TIES. PostgreSQL's rules: an offset
// is a constant, never NULL or negative; RANGE with an offset needs exactly one ORDER BY key, a
// number (a numeric offset) or a timestamp or date (an interval); GROUPS needs ORDER BY. A row
// whose key is NULL has its peer group as its RANGE offset frame, and NULL keys are never within
// an offset of a non-NULL key.

import type { FrameBoundNode, WindowFrameNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, type BindContext } from './binder.js';
import type { BoundExpr } from './bound.js';
import { compileExpr } from './expressions.js';
import { formatExpr } from './format.js';
import { Interval, parseInterval } from './interval.js';
import type { SqlValue } from './table.js';
import { compareValues, isNumericType, toNumber } from './values.js';

export interface FrameBound {
  kind: FrameBoundNode['kind'];
  /** A count of rows or groups (ROWS, GROUPS), or a distance: a number or an Interval (RANGE). */
  offset?: number | Interval;
}

export interface Frame {
  unit: WindowFrameNode['unit'];
  start: FrameBound;
  end: FrameBound;
  exclude?: WindowFrameNode['exclude'];
  /** As written back in EXPLAIN. */
  text: string;
}

/** Rows `a` and `b` of the partition (row indexes) are peers: equal in the window's ORDER BY. */
export type Peer = (a: number, b: number) => boolean;

/** What a frame reads of the sorted partition. */
export interface FramePartition {
  /** Row indexes in window order. */
  indexes: number[];
  peer: Peer;
  /** The first ORDER BY key at a position (RANGE with an offset). */
  key: (position: number) => SqlValue;
  descending: boolean;
}

const BOUND_ORDER: readonly FrameBoundNode['kind'][] = ['unboundedPreceding', 'preceding', 'currentRow', 'following', 'unboundedFollowing'];

/** Checks the frame against the window's ORDER BY and evaluates its offsets. */
export function bindFrame(node: WindowFrameNode, orderExprs: readonly BoundExpr[], ctx: BindContext): Frame {
  const sql = ctx.sql;
  if (node.start.kind === 'unboundedFollowing') throw new SqlError('A frame cannot start at UNBOUNDED FOLLOWING', sql, node.start.pos);
  if (node.end.kind === 'unboundedPreceding') throw new SqlError('A frame cannot end at UNBOUNDED PRECEDING', sql, node.end.pos);
  if (BOUND_ORDER.indexOf(node.start.kind) > BOUND_ORDER.indexOf(node.end.kind)) throw new SqlError('The frame ends before it starts', sql, node.end.pos);
  if (node.unit === 'GROUPS' && orderExprs.length === 0) throw new SqlError('GROUPS needs ORDER BY in the window', sql, node.pos);
  const bound = (b: FrameBoundNode, which: string): FrameBound => (b.offset ? { kind: b.kind, offset: frameOffset(node.unit, b, which, orderExprs, ctx) } : { kind: b.kind });
  const frame: Frame = { unit: node.unit, start: bound(node.start, 'start'), end: bound(node.end, 'end'), text: frameText(node, ctx) };
  if (node.exclude) frame.exclude = node.exclude;
  return frame;
}

/** A bound's offset: a constant, not NULL, not negative; for RANGE of the ORDER BY key's kind. */
function frameOffset(unit: WindowFrameNode['unit'], b: FrameBoundNode, which: string, orderExprs: readonly BoundExpr[], ctx: BindContext): number | Interval {
  const node = b.offset!;
  const refuse = (reason: string): SqlError => new SqlError(reason, ctx.sql, node.pos);
  if (unit === 'RANGE' && orderExprs.length !== 1) throw refuse('RANGE with an offset PRECEDING or FOLLOWING needs exactly one ORDER BY key');
  let value: SqlValue;
  try {
    value = compileExpr(bindExpr(node, { ...ctx, scope: null }))([]);
  } catch (error) {
    if (error instanceof SqlError) throw refuse(`The frame ${which} offset must be a constant`);
    throw error;
  }
  if (value === null) throw refuse(`The frame ${which} offset must not be NULL`);
  if (unit !== 'RANGE') {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw refuse(`The frame ${which} offset must be a whole number of ${unit === 'ROWS' ? 'rows' : 'groups'}`);
    if (value < 0) throw refuse(`The frame ${which} offset must not be negative`);
    return value;
  }
  const keyType = orderExprs[0]!.type;
  if (keyType === 'Datetime' || keyType === 'Date') {
    const interval = value instanceof Interval ? value : typeof value === 'string' ? parseInterval(value) : null;
    if (!interval) throw refuse(`RANGE over a ${keyType} key takes an interval offset (INTERVAL '7 days')`);
    if (interval.totalMs() < 0) throw refuse(`The frame ${which} offset must not be negative`);
    return interval;
  }
  if (keyType === null || isNumericType(keyType)) {
    // A decimal literal (2.5) is an exact numeric; the frame's bounds are found in doubles.
    const offset = typeof value === 'string' ? null : toNumber(value);
    if (offset === null) throw refuse('RANGE over a numeric key takes a numeric offset');
    if (offset < 0) throw refuse(`The frame ${which} offset must not be negative`);
    return offset;
  }
  throw refuse(`RANGE with an offset PRECEDING or FOLLOWING is not supported for a ${keyType} key; order by a number, timestamp or date`);
}

function frameText(node: WindowFrameNode, ctx: BindContext): string {
  const bound = (b: FrameBoundNode): string => {
    if (b.offset) return `${formatExpr(bindExpr(b.offset, { ...ctx, scope: null }))} ${b.kind === 'preceding' ? 'PRECEDING' : 'FOLLOWING'}`;
    return { unboundedPreceding: 'UNBOUNDED PRECEDING', currentRow: 'CURRENT ROW', unboundedFollowing: 'UNBOUNDED FOLLOWING' }[b.kind as 'currentRow'];
  };
  const exclude = node.exclude ? ` EXCLUDE ${node.exclude}` : '';
  return `${node.unit} BETWEEN ${bound(node.start)} AND ${bound(node.end)}${exclude}`;
}

/** The end (exclusive) of each position's peer group: rows equal to it in the window's order. */
export function peerEnds(indexes: number[], peer: Peer): number[] {
  const ends = new Array<number>(indexes.length);
  let start = 0;
  while (start < indexes.length) {
    let end = start + 1;
    while (end < indexes.length && peer(indexes[start]!, indexes[end]!)) end++;
    for (let p = start; p < end; p++) ends[p] = end;
    start = end;
  }
  return ends;
}

function peerStarts(indexes: number[], peer: Peer): number[] {
  const starts = new Array<number>(indexes.length);
  for (let p = 0; p < indexes.length; p++) starts[p] = p > 0 && peer(indexes[p - 1]!, indexes[p]!) ? starts[p - 1]! : p;
  return starts;
}

/** The positions of each row's frame: its bounds, the list, and what EXCLUDE takes out of the bounds. */
export interface FrameMembers {
  /** [first, last] before EXCLUDE (first > last: empty). */
  bounds: [number, number][];
  /** The positions the frame holds, in window order, EXCLUDE applied. */
  members: (p: number) => number[];
  /** The positions within the bounds that EXCLUDE takes out (none without EXCLUDE). */
  excluded: (p: number) => number[];
}

/**
 * For each position of the partition, the positions its frame holds, in window order (EXCLUDE
 * applied): as [first, last] when nothing is excluded (first > last: empty), else as a list.
 */
export function frameMembers(frame: Frame, part: FramePartition): FrameMembers {
  const { indexes, peer } = part;
  const count = indexes.length;
  const starts = peerStarts(indexes, peer);
  const ends = peerEnds(indexes, peer);
  const groups = frame.unit === 'GROUPS' ? groupsOf(starts, ends) : undefined;
  const range = frame.unit === 'RANGE' && (frame.start.offset !== undefined || frame.end.offset !== undefined) ? rangeSearch(part, starts, ends) : undefined;
  const at = (b: FrameBound, p: number, isEnd: boolean): number => {
    switch (b.kind) {
      case 'unboundedPreceding':
        return 0;
      case 'unboundedFollowing':
        return count - 1;
      case 'currentRow':
        return frame.unit === 'ROWS' ? p : isEnd ? ends[p]! - 1 : starts[p]!;
    }
    const forward = b.kind === 'following';
    switch (frame.unit) {
      case 'ROWS':
        return forward ? p + (b.offset as number) : p - (b.offset as number);
      case 'GROUPS':
        return groups!(p, forward ? (b.offset as number) : -(b.offset as number), isEnd);
      case 'RANGE':
        return range!(p, b.offset!, forward, isEnd);
    }
  };
  const bounds = indexes.map((_, p): [number, number] => [Math.max(0, at(frame.start, p, false)), Math.min(count - 1, at(frame.end, p, true))]);
  const excluded = (p: number, q: number): boolean => {
    switch (frame.exclude) {
      case 'CURRENT ROW':
        return q === p;
      case 'GROUP':
        return q >= starts[p]! && q < ends[p]!;
      case 'TIES':
        return q !== p && q >= starts[p]! && q < ends[p]!;
      default:
        return false;
    }
  };
  const members = (p: number): number[] => {
    const [lo, hi] = bounds[p]!;
    const list: number[] = [];
    for (let q = lo; q <= hi; q++) if (!excluded(p, q)) list.push(q);
    return list;
  };
  const excludedWithin = (p: number): number[] => {
    if (!frame.exclude) return [];
    const [lo, hi] = bounds[p]!;
    const [first, last] = frame.exclude === 'CURRENT ROW' ? [p, p] : [Math.max(lo, starts[p]!), Math.min(hi, ends[p]! - 1)];
    const list: number[] = [];
    for (let q = Math.max(lo, first); q <= Math.min(hi, last); q++) if (excluded(p, q)) list.push(q);
    return list;
  };
  return { bounds, members, excluded: excludedWithin };
}

/** GROUPS: the first (or, for an end, last) position of the peer group `shift` groups from p's. */
function groupsOf(starts: number[], ends: number[]): (p: number, shift: number, isEnd: boolean) => number {
  const groupStarts: number[] = [];
  const groupOf = starts.map((s, p) => {
    if (s === p) groupStarts.push(p);
    return groupStarts.length - 1;
  });
  const count = starts.length;
  return (p, shift, isEnd) => {
    const g = groupOf[p]! + shift;
    if (g < 0) return isEnd ? -1 : 0;
    if (g >= groupStarts.length) return isEnd ? count - 1 : count;
    return isEnd ? ends[groupStarts[g]!]! - 1 : groupStarts[g]!;
  };
}

/**
 * RANGE with an offset: the first position whose key is at or after `key ∓ offset` in window
 * order (a start), or the last at or before it (an end), among the positions with a key. Asked
 * for the positions in order, each bound's answer only moves forward (the keys are sorted), so
 * each bound keeps a cursor that walks the partition once instead of searching it for each row.
 */
function rangeSearch(part: FramePartition, starts: number[], ends: number[]): (p: number, offset: number | Interval, forward: boolean, isEnd: boolean) => number {
  const { key, descending } = part;
  const count = part.indexes.length;
  // NULL keys sit together at one end of the partition.
  let first = 0;
  while (first < count && key(first) === null) first++;
  let last = count - 1;
  while (last >= 0 && key(last) === null) last--;
  const order = (a: SqlValue, b: SqlValue): number => (descending ? -compareValues(a, b)! : compareValues(a, b)!);
  // Per bound (start or end, preceding or following): the position its last answer stopped at.
  const cursors = new Map<string, number>();
  return (p, offset, forward, isEnd) => {
    const value = key(p);
    if (value === null) return isEnd ? ends[p]! - 1 : starts[p]!;
    // Forward in window order is up the key when ascending, down it when descending.
    const up = forward !== descending;
    const target = shifted(value, offset, up);
    const bound = `${forward}${isEnd}`;
    // First position whose key is after the target (an end), or at or after it (a start).
    let at = cursors.get(bound) ?? first;
    while (at <= last) {
      const c = order(key(at), target);
      if (c > 0 || (!isEnd && c === 0)) break;
      at++;
    }
    cursors.set(bound, at);
    return isEnd ? at - 1 : at;
  };
}

function shifted(value: SqlValue, offset: number | Interval, up: boolean): SqlValue {
  if (offset instanceof Interval) return (up ? offset : offset.negate()).addTo(value as Date);
  const key = toNumber(value);
  return key === null ? null : key + (up ? offset : -offset);
}
