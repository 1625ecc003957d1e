// An in-memory Table: the reference implementation of the table contract, used by tests and
// temporary tables. Which predicates it accepts for pushdown is configurable, so tests can
// exercise every negotiation outcome; it records what it was asked and how much was read.
// Writes are staged and checked against the table's constraints before any row changes.

import { ColumnVectors, type ColumnarSource } from './column-vectors.js';
import { stageWithConflicts, type ConflictRule } from './conflicts.js';
import { TableConstraints } from './constraints.js';
import { compileScanPredicate } from './predicates.js';
import { rowComparator } from './operators/sort.js';
import { KeyIndexes, StagedWrite } from './staged-write.js';
import type {
  Column,
  ExecContext,
  InsertRequest,
  KeyLookup,
  PredicateOp,
  Row,
  RowOutcome,
  ScanPlan,
  ScanRequest,
  SqlValue,
  Table,
  UpdateRequest,
  DeleteRequest,
  WriteOutcome,
  WriteResult,
} from './table.js';
import { defaultNullsFirst, distinctKey } from './values.js';
import { ColumnValueError } from './table.js';
import { castFailure, castValue, type ResolvedType } from './cast.js';

export interface MemoryTableOptions {
  /** Predicate ops accepted per column name (case-insensitive); `*` applies to every column. Default: none. */
  pushdown?: Readonly<Record<string, readonly PredicateOp[]>>;
  /** Whether the table returns rows in a requested ORDER BY. Default false. */
  sortable?: boolean;
  /** Whether the table stops after `request.limit` rows. Default false. */
  limitable?: boolean;
  /** Without insert() (to model read-only tables). Default false. */
  readOnly?: boolean;
  /** NOT NULL, UNIQUE / PRIMARY KEY and CHECK, enforced on every write (temporary tables). Default: none. */
  constraints?: TableConstraints;
  /**
   * Whether requests, plans and inserts are kept for tests to read. Default true; temporary
   * tables keep none, so a long session does not hold on to every statement it ran.
   */
  record?: boolean;
  /** Integer columns hold PostgreSQL's integer (SMALLINT ones its smallint): a write past the range is refused (temporary tables). Default false. */
  integerRanges?: boolean;
  /** What plan() reports as estimatedRequests (to model a remote table); default 0. */
  estimateRequests?: (request: ScanRequest, pushed: readonly import('./table.js').Predicate[]) => number | undefined;
  /** What keyLookup() reports as requests per fetch by `column` (to model a remote table); default 0. */
  lookupRequests?: (column: string, op: 'IN' | '=') => number | undefined;
}

export class MemoryTable implements Table {
  /** The rows. Changed by the table's own writes; whoever changes them otherwise calls rowsChanged(). */
  readonly rows: Row[];
  /** Every ScanRequest passed to plan(), in order. */
  readonly requests: ScanRequest[] = [];
  /** Every plan passed to scan(), in order. */
  readonly scans: ScanPlan[] = [];
  /** Every InsertRequest received. */
  readonly inserts: InsertRequest[] = [];
  /** Rows handed to consumers across all scans. */
  rowsPulled = 0;
  /** Scans whose consumer stopped before the last row (iterator closed early). */
  scansClosedEarly = 0;
  // scan() needs the request a plan answers (the engine may plan twice and use either plan).
  private readonly requestOf = new WeakMap<ScanPlan, ScanRequest>();
  /** What every write is checked against; empty unless the table was created with constraints. */
  readonly constraints: TableConstraints;
  /** The unique keys' lookup maps, kept between statements. */
  readonly keyIndexes = new KeyIndexes();
  /** The columns as number vectors, built when a query first reads them so (column-vectors.ts). */
  private readonly vectors = new ColumnVectors();
  private readonly recording: boolean;
  /**
   * The columns whose written values are fitted to their declared type: DECIMAL(p, s) to its
   * precision and scale, INTEGER and SMALLINT to PostgreSQL's int4 and int2 ranges.
   */
  private readonly numericColumns: { index: number; column: Column; target: ResolvedType; fits: (value: SqlValue) => boolean }[];
  insert?: (request: InsertRequest, ctx: ExecContext) => Promise<WriteResult>;
  update?: (request: UpdateRequest, ctx: ExecContext) => Promise<WriteOutcome>;
  delete?: (request: DeleteRequest, ctx: ExecContext) => Promise<WriteOutcome>;

  constructor(
    readonly name: string,
    readonly columns: readonly Column[],
    rows: readonly (readonly SqlValue[])[] = [],
    private readonly options: MemoryTableOptions = {},
  ) {
    this.rows = rows.map((r) => [...r]);
    this.constraints = options.constraints ?? new TableConstraints(name, columns);
    this.recording = options.record ?? true;
    this.numericColumns = columns.flatMap((column, index) => {
      if (column.numeric) {
        const target: ResolvedType = { type: 'Decimal', text: `NUMERIC(${column.numeric.precision}, ${column.numeric.scale})`, ...column.numeric };
        return [{ index, column, target, fits: () => false }];
      }
      if (column.type !== 'Integer' || !options.integerRanges) return [];
      const [min, max] = column.smallint ? [-32768, 32767] : [-2147483648, 2147483647];
      const target: ResolvedType = { type: 'Integer', text: column.smallint ? 'SMALLINT' : 'INTEGER', range: [BigInt(min), BigInt(max)] };
      return [{ index, column, target, fits: (value: SqlValue) => typeof value === 'number' && value >= min && value <= max }];
    });
    if (!options.readOnly) {
      this.insert = async (request) => this.append(request);
      this.update = async (request) => this.change(request.rows.map((r) => r.key), (row, i) => this.assign(row, request.rows[i]!.set, i));
      this.delete = async (request) => this.change(request.keys, () => 'delete');
    }
  }

  plan(request: ScanRequest): ScanPlan {
    if (this.recording) this.requests.push(request);
    const pushed = request.predicates.filter((p) => this.accepts(p.op, p.column));
    const residual = request.predicates.filter((p) => !pushed.includes(p));
    const orderSatisfied = request.orderBy.length === 0 || this.options.sortable === true;
    const limitApplied =
      this.options.limitable === true && request.limit !== undefined && residual.length === 0 && orderSatisfied;
    const name = this.name;
    const plan: ScanPlan = {
      pushed,
      residual,
      orderSatisfied,
      limitApplied,
      estimatedRequests: this.options.estimateRequests ? this.options.estimateRequests(request, pushed) : 0,
      describe() {
        const lines = [`MemoryTable ${name}`];
        if (pushed.length > 0) lines.push(`pushed: ${pushed.map((p) => p.text).join(' AND ')}`);
        if (request.orderBy.length > 0 && orderSatisfied) {
          lines.push(`order: ${request.orderBy.map((k) => `${k.column} ${k.direction}`).join(', ')}`);
        }
        if (limitApplied) lines.push(`limit: ${request.limit}`);
        return lines;
      },
    };
    this.requestOf.set(plan, request);
    return plan;
  }

  /** By IN when the table pushes it for `column`, else by `=`; what it costs is the option's to say. */
  keyLookup(request: ScanRequest, column: string): KeyLookup | undefined {
    const op = this.accepts('IN', column) ? 'IN' : this.accepts('=', column) ? '=' : undefined;
    if (!op) return undefined;
    const name = this.name;
    const pushed = request.predicates.filter((p) => this.accepts(p.op, p.column)).map((p) => p.text);
    return {
      op,
      requestsPerFetch: this.options.lookupRequests ? this.options.lookupRequests(column, op) : 0,
      describe: () => [`MemoryTable ${name}`, `pushed: ${[...pushed, op === 'IN' ? `${column} IN (…)` : `${column} = …`].join(' AND ')}`],
    };
  }

  private accepts(op: PredicateOp, column: string): boolean {
    const pushdown = this.options.pushdown ?? {};
    const key = Object.keys(pushdown).find((k) => k.toLowerCase() === column.toLowerCase());
    return (key !== undefined && pushdown[key]!.includes(op)) || (pushdown['*']?.includes(op) ?? false);
  }

  async *scan(plan: ScanPlan, _ctx: ExecContext): AsyncGenerator<Row> {
    const rows = this.matching(plan);
    let finished = false;
    try {
      for (const row of rows) {
        this.rowsPulled++;
        yield [...row];
      }
      finished = true;
    } finally {
      if (!finished) this.scansClosedEarly++;
    }
  }

  /**
   * The rows scan() would give, in batches of up to 1024, without copying each row. A plain
   * read of every row slices its batches straight from the table: a copy of a million-row
   * array per query would be garbage for the old generation to collect.
   */
  async *scanBatches(plan: ScanPlan, _ctx: ExecContext): AsyncGenerator<Row[]> {
    const rows = this.readsAll(plan) ? this.rows : this.matching(plan);
    let finished = false;
    try {
      const end = rows.length;
      for (let i = 0; i < end; i += 1024) {
        const batch = rows.slice(i, Math.min(i + 1024, end));
        this.rowsPulled += batch.length;
        yield batch;
      }
      finished = true;
    } finally {
      if (!finished) this.scansClosedEarly++;
    }
  }

  /**
   * Says that `rows` was changed from outside the table's own writes, so that the column
   * vectors built from the old rows are dropped.
   */
  rowsChanged(): void {
    this.vectors.clear();
  }

  /** The rows as they are with their columns as vectors, for a plan that reads them so. */
  columnar(plan: ScanPlan): ColumnarSource | undefined {
    if (!this.isPlain(plan)) return undefined;
    return {
      open: (columns) => {
        if (this.recording) this.scans.push(plan);
        return {
          ...this.vectors.current(this.rows, columns),
          read: (count) => {
            this.rowsPulled += count;
          },
          closedEarly: () => {
            this.scansClosedEarly++;
          },
        };
      },
    };
  }

  /** Whether the plan reads the rows as they are (and then records the scan). */
  private readsAll(plan: ScanPlan): boolean {
    if (!this.isPlain(plan)) return false;
    if (this.recording) this.scans.push(plan);
    return true;
  }

  /** Nothing pushed, no order, no limit. */
  private isPlain(plan: ScanPlan): boolean {
    const request = this.requestOf.get(plan);
    return !(plan.pushed.length > 0 || plan.limitApplied || (plan.orderSatisfied && request && request.orderBy.length > 0));
  }

  private matching(plan: ScanPlan): Row[] {
    if (this.recording) this.scans.push(plan);
    const request = this.requestOf.get(plan);
    const index = (column: string): number => this.columns.findIndex((c) => c.name.toLowerCase() === column.toLowerCase());
    const tests = plan.pushed.map((p) => compileScanPredicate(p, index(p.column)));
    let rows = tests.length === 0 ? this.rows.slice() : this.rows.filter((row) => tests.every((test) => test(row)));
    if (plan.orderSatisfied && request && request.orderBy.length > 0) {
      const keys = request.orderBy.map((k) => ({
        index: index(k.column),
        descending: k.direction === 'DESC',
        nullsFirst: defaultNullsFirst(k.direction === 'DESC'),
      }));
      rows = [...rows].sort(rowComparator(keys));
    }
    if (plan.limitApplied && request?.limit !== undefined) rows = rows.slice(0, request.limit);
    return rows;
  }

  private append(request: InsertRequest): WriteResult {
    if (this.recording) this.inserts.push(request);
    const added = this.rowsOf(request);
    // Staged, so that a row breaking a constraint leaves the table as it was.
    this.vectors.clear();
    StagedWrite.apply(this, (stage) => {
      for (let i = 0; i < added.length; i++) stage.insert(added[i]!, i);
    });
    return { rowsAffected: added.length };
  }

  /**
   * INSERT … ON CONFLICT / INSERT OR REPLACE: each row by the rule (conflicts.ts), all or nothing.
   * Rows skipped by DO NOTHING (or DO UPDATE's WHERE) are reported absent.
   */
  upsert(request: InsertRequest, rule: ConflictRule): WriteOutcome {
    if (this.recording) this.inserts.push(request);
    this.vectors.clear();
    const rows = StagedWrite.apply(this, (stage) => stageWithConflicts(stage, this.rowsOf(request), rule));
    return { rowsAffected: rows.filter((r) => r.ok).length, rows };
  }

  /** The request's values as full rows; columns it does not name are NULL. */
  private rowsOf(request: InsertRequest): Row[] {
    const positions = request.columns.map((name) => this.columnIndex(name));
    // Every column in table order: the engine's arrays are kept as they are (no row is ever
    // changed in place, so sharing them is safe), saving a copy per row of a big INSERT.
    const fit = this.numericColumns.length > 0;
    if (positions.length === this.columns.length && positions.every((p, i) => p === i)) {
      return fit ? request.rows.map((row, i) => this.fitted(row, i)) : request.rows;
    }
    return request.rows.map((values, rowIndex) => {
      const row: Row = this.columns.map(() => null);
      positions.forEach((position, i) => {
        row[position] = values[i] ?? null;
      });
      return fit ? this.fitted(row, rowIndex) : row;
    });
  }

  /**
   * UPDATE / DELETE: a memory table has no key, so each request row names a row by all its
   * values (as the engine read it); identical rows are taken one per request row. Every change
   * is staged first: a new value that breaks a constraint changes no row.
   */
  private change(keys: readonly Record<string, SqlValue>[], apply: (row: Row, index: number) => 'delete' | Row): WriteOutcome {
    const find = this.rowFinder(keys[0] ? Object.keys(keys[0]) : []);
    this.vectors.clear();
    const outcomes = StagedWrite.apply(this, (stage) => {
      const updates: { old: Row; next: Row; rowIndex: number }[] = [];
      const results = keys.map((key, index): RowOutcome => {
        const row = find(key);
        if (!row) return { index, ok: false as const, error: new Error(`row ${index + 1} is no longer in ${this.name}`) };
        const result = apply(row, index);
        if (result === 'delete') stage.delete(row);
        else updates.push({ old: row, next: result, rowIndex: index });
        return { index, ok: true as const, ...(result === 'delete' ? {} : { row: [...result] }) };
      });
      stage.update(updates);
      return results;
    });
    return { rowsAffected: outcomes.filter((o) => o.ok).length, rows: outcomes };
  }

  /** Finds rows by the values of `columns`, each row at most once: one pass to index, then lookups. */
  private rowFinder(columns: readonly string[]): (key: Record<string, SqlValue>) => Row | undefined {
    const positions = columns.map((name) => this.columnIndex(name));
    const text = (values: readonly SqlValue[]): string => values.map((v) => distinctKey(v ?? null)).join('\u0000');
    let byKey: Map<string, Row[]> | undefined;
    return (key) => {
      if (!byKey) {
        byKey = new Map();
        for (const row of this.rows) {
          const k = text(positions.map((p) => row[p] ?? null));
          const list = byKey.get(k);
          if (list) list.push(row);
          else byKey.set(k, [row]);
        }
      }
      // Taken rows leave the list, so identical rows are matched one per request row.
      return byKey.get(text(columns.map((name) => key[name] ?? null)))?.shift();
    };
  }

  private assign(row: Row, set: Record<string, SqlValue>, rowIndex: number): Row {
    const next = [...row];
    for (const [name, value] of Object.entries(set)) next[this.columnIndex(name)] = value;
    return this.fitted(next, rowIndex);
  }

  /**
   * The row with each DECIMAL(p, s) value as PostgreSQL stores it: rounded to s digits (0.5
   * becomes 0.50); a value wider than p is refused (numeric field overflow), as is an integer
   * out of its column's range.
   */
  private fitted(row: Row, rowIndex: number): Row {
    let out = row;
    for (const { index, column, target, fits } of this.numericColumns) {
      const value = row[index] ?? null;
      if (value === null || fits(value)) continue;
      const fitted = castValue(value, target, target.type);
      if (fitted === undefined) throw new ColumnValueError(column.name, castFailure(value, target), rowIndex);
      if (out === row) out = [...row];
      out[index] = fitted;
    }
    return out;
  }

  private columnIndex(name: string): number {
    const lower = name.toLowerCase();
    const index = this.columns.findIndex((c) => c.name.toLowerCase() === lower);
    if (index < 0) throw new Error(`${this.name} has no column ${name}`);
    return index;
  }
}
