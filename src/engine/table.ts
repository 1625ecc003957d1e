// The one contract between the engine and every table it reads or writes (Stripe tables,
// temporary tables, system tables). Modelled on Calcite's FilterableTable and Trino's
// applyFilter: the planner offers predicates, the table says which it guarantees, the engine
// evaluates the rest. The engine never asks which kind of table it holds.

import type { ColumnarSource } from './column-vectors.js';
import type { Interval } from './interval.js';
import type { Numeric } from './numeric.js';
import type { SqlArray, SqlRecord } from './composite.js';

export type DataType = 'String' | 'Boolean' | 'Integer' | 'Long' | 'Decimal' | 'Double' | 'Datetime' | 'Date' | 'Interval' | 'Array' | 'Record';

/**
 * A value as the engine holds it. Datetime is a JS Date (UTC); Date (PostgreSQL's date) a JS Date
 * at UTC midnight, told apart from a Datetime by its type alone; Integer and Double are numbers;
 * Long a number, or a bigint beyond ±2^53 (exact to 2^63, see values.ts); Decimal a Numeric
 * (exact, numeric.ts); Interval (PostgreSQL's, from date arithmetic) an Interval. No table
 * column is an Interval. Array and Record (PostgreSQL's arrays and row values) are a SqlArray and a
 * SqlRecord (composite.ts): catalog columns and array expressions hold them, no Stripe column does.
 */
export type SqlValue = string | number | bigint | boolean | Date | Interval | Numeric | SqlArray | SqlRecord | null;

/** A row is an array aligned with `Table.columns` (pseudo-columns included). */
export type Row = SqlValue[];

export interface Column {
  name: string;
  type: DataType;
  /** Pseudo-column: usable in WHERE and INSERT, never part of `SELECT *`. */
  pseudo?: boolean;
  key?: boolean;
  readOnly?: boolean;
  nullable?: boolean;
  description?: string;
  /** The values are JSON text (an object or array), which JSON output nests instead of quoting. */
  json?: boolean;
  /** DECIMAL(p, s) of a temporary table: a value is rounded to s digits, refused past p (numeric(p,s)). */
  numeric?: { precision: number; scale: number };
  /** SMALLINT of a temporary table: an Integer kept within PostgreSQL's smallint range (±2^15). */
  smallint?: boolean;
  /**
   * Compared case-insensitively (a case-insensitive collation): `=`, `<>`, IN and LIKE against
   * this column ignore case, so names stored as `Customers` match `'customers'` (collation.ts).
   */
  caseInsensitive?: boolean;
  /**
   * The source's own name for the column's type, finer than `type` (a catalog's `name`, `oid`,
   * `int2`): kept on the result when a query selects the column as is (ResultColumn.typeName).
   */
  typeName?: string;
}

export type PredicateOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IN' | 'IS NULL' | 'IS NOT NULL' | 'LIKE' | 'OR';

/**
 * One conjunct of the WHERE clause in the form `column op constant(s)`, its value already
 * coerced to the column's type (so a Datetime column is compared with a Date); or, with op
 * `OR`, a disjunction of such conditions (see `alternatives`).
 */
export interface Predicate {
  /** Unique within one ScanRequest. */
  id: number;
  /** '' for OR: its terms name their own columns. */
  column: string;
  op: PredicateOp;
  /** For every op but IN / IS [NOT] NULL / OR. */
  value?: SqlValue;
  /** For IN. */
  values?: SqlValue[];
  /**
   * For OR: the conjunct holds when every term of one alternative holds. A lone condition on
   * a JSON member (`Metadata->>'plan' = 'pro'`) is an OR of one alternative of one term. A table
   * that does not read alternatives leaves the predicate residual.
   */
  alternatives?: PredicateTerm[][];
  /** SQL text of the predicate, for EXPLAIN. */
  text: string;
}

/**
 * A condition inside an OR predicate: `column op value(s)` as in a Predicate, or with `path` a
 * condition on a member of a JSON column (`Metadata->>'plan'` and `JSON_EXTRACT(Metadata,
 * '$.plan')`: column Metadata, path ['plan']). A column term's value is coerced to the column's
 * type; a path term's is the constant as written.
 */
export interface PredicateTerm {
  column: string;
  path?: string[];
  op: Exclude<PredicateOp, 'OR'>;
  value?: SqlValue;
  values?: SqlValue[];
}

export interface OrderKey {
  column: string;
  direction: 'ASC' | 'DESC';
}

export interface ScanRequest {
  predicates: Predicate[];
  /** Columns the query needs (by name); a table may leave the others null. */
  columns: string[];
  orderBy: OrderKey[];
  /**
   * Rows the query will take at most (LIMIT + OFFSET). Only set when nothing but the offered
   * predicates and order sits above the scan; honour it only if every predicate is pushed
   * and the order is satisfied.
   */
  limit?: number;
}

export interface ScanPlan {
  /** Predicates the source guarantees; the engine does not evaluate them again. */
  pushed: Predicate[];
  /** Predicates the engine must evaluate on the returned rows. */
  residual: Predicate[];
  /** True when rows arrive in the requested ORDER BY order. */
  orderSatisfied: boolean;
  /** True when the scan stops after `request.limit` rows by itself. */
  limitApplied: boolean;
  /** True when the predicates contradict each other: no rows, and no I/O needed. */
  empty?: boolean;
  /** Estimated remote requests (0 for in-memory tables); undefined when unknown. */
  estimatedRequests?: number;
  /** Human-readable lines for EXPLAIN (what will be requested and why). */
  describe(): string[];
}

/** A table's answer to keyLookup(): how it would fetch rows by keys, and what that costs. */
export interface KeyLookup {
  /** 'IN': a batch of keys in one fetch (`column IN (…)`); '=': one fetch per key. */
  readonly op: 'IN' | '=';
  /**
   * Remote requests one fetch makes: for 'IN' a full batch of `batchSize` keys, for '=' one
   * key. 0 for in-memory tables; undefined when unknown.
   */
  readonly requestsPerFetch: number | undefined;
  /** Lines for EXPLAIN: what one fetch requests, the keys written as placeholders. */
  describe(): string[];
}

/** What one remote request took beyond its own answer. */
export interface RequestCost {
  /** Attempts after the first. */
  retries: number;
  /** Of those, retries the source asked for by saying it was sent too much (HTTP 429). */
  throttled: number;
  /** Time the request waited for the source's rate budget before going out, ms. */
  waitedMs: number;
}

export interface ExecContext {
  signal?: AbortSignal;
  /**
   * Optional: a table calls this once per remote request it makes (reads and writes), with what
   * the request cost beyond itself when the table knows, so that EXPLAIN ANALYZE can report
   * requests, retries and waits for the source's rate budget per operator. The engine adds the
   * name of the table whose scan sent it, for progress reports.
   */
  onRequest?: (cost?: RequestCost, table?: string) => void;
  /**
   * Exactly-once prefix: row i of the statement sends Idempotency-Key `${idempotencyKey}-${i}`
   * (i 0-based, in statement row order), so re-running the same statement after a crash repeats
   * the same keys and Stripe replays instead of acting twice. Absent: a random key per row
   * (still stable across the transport's own retries of that row).
   */
  idempotencyKey?: string;
  /**
   * Resolves a temporary table's name (`'LineItems#TEMP'`) given as the value of an Aggregate
   * column to its rows, each an object keyed by column name. Undefined = no such table.
   */
  resolveTempTable?(name: string): Record<string, SqlValue>[] | undefined;
  /**
   * The most rows one operator may hold at once (a sort's buffer, an aggregate's groups, the rows
   * DISTINCT has seen, a hash join's build side); past it the query stops with an error naming
   * the operator (operators/row-budget.ts). Undefined: no cap. The MaxIntermediateRows property.
   */
  maxIntermediateRows?: number;
}

export interface InsertRequest {
  /** Column names as the table spells them (resolved case-insensitively by the engine). */
  columns: string[];
  /** Values coerced to each column's type, one array per VALUES row. */
  rows: SqlValue[][];
  /** Columns the statement reads back from the written rows (RETURNING): fetch them if needed. */
  returning?: readonly string[];
}

export interface WriteResult {
  rowsAffected: number;
  lastInsertId?: string;
}

export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  /**
   * Pure: no I/O. Throwing an Error refuses the request (a filter the source requires is missing, say): the
   * engine reports the message as a SqlError where the query names the table.
   */
  plan(request: ScanRequest): ScanPlan;
  scan(plan: ScanPlan, ctx: ExecContext): AsyncIterable<Row>;
  /**
   * Pure, no I/O. Whether the rows `request` selects can also be fetched by given values of
   * `column` — what a lookup join does with its inner table, one fetch per batch of outer keys —
   * and at what cost. The engine then plans each fetch as `request` plus `column IN (keys)`
   * (op 'IN': one fetch per batch of up to `batchSize` keys) or `column = key` (op '=': one fetch
   * per key), and checks whatever that plan leaves residual. Undefined, or the method absent:
   * the table cannot be fetched by that column, and is read whole.
   */
  keyLookup?(request: ScanRequest, column: string, batchSize: number): KeyLookup | undefined;
  /**
   * Optional, for speed: the same rows as scan(), in arrays of any size. The engine uses it
   * when it will read every row anyway (aggregates, no LIMIT), saving an async step per row.
   * The engine never modifies the rows it is given.
   */
  scanBatches?(plan: ScanPlan, ctx: ExecContext): AsyncIterable<Row[]>;
  /**
   * Optional, for speed, for a table held in memory: the rows `plan` reads, with their columns
   * as number vectors (column-vectors.ts), when the plan reads the rows as they are (nothing
   * pushed, no order, no limit); undefined otherwise. The engine filters and picks top rows on
   * the vectors and hands on the rows themselves.
   */
  columnar?(plan: ScanPlan): ColumnarSource | undefined;
  /** INSERT, all or nothing: throws on the first row that fails. */
  insert?(request: InsertRequest, ctx: ExecContext): Promise<WriteResult>;
  /**
   * The columns that name one row to update() and delete() (the key, a parent id, an account);
   * the engine reads them from the rows a WHERE selects. Absent: the whole row names it.
   */
  readonly rowIdentity?: readonly string[];
  /**
   * Pure, no I/O: throws when this table cannot take the write at all — no endpoint for the
   * verb, or a column that cannot be set (a ColumnValueError naming it). The engine calls it
   * while planning, so a refused statement sends nothing, not even the reads of its WHERE.
   */
  checkWrite?(verb: WriteVerb, columns: readonly string[]): void;
  /**
   * Checks the new values a statement fixes while planning (UPDATE's constant SET values, by
   * column name) the way each row's will be checked when written, so that a value the table
   * cannot take is refused before the rows of the WHERE are read: a ColumnValueError naming
   * the column. `ctx` resolves the temporary tables a value may name.
   */
  checkValues?(verb: WriteVerb, values: Readonly<Record<string, SqlValue>>, ctx: ExecContext): void;
  /** INSERT with a report per row and the created objects as rows (for INSERT … RETURNING). */
  insertRows?(request: InsertRequest, ctx: ExecContext): Promise<WriteOutcome>;
  /** UPDATE … WHERE Id = …: every row is validated before any request; each row then reported. */
  update?(request: UpdateRequest, ctx: ExecContext): Promise<WriteOutcome>;
  /** DELETE … WHERE Id = …: as update(). */
  delete?(request: DeleteRequest, ctx: ExecContext): Promise<WriteOutcome>;
}

export type WriteVerb = 'INSERT' | 'UPDATE' | 'DELETE';

/** How the engine finds tables by name (case-insensitive). */
export interface Catalog {
  getTable(name: string): Table | undefined;
  tableNames(): string[];
  /**
   * Functions of this catalog beyond the engine's own (name upper-cased, schema-qualified when
   * written so: `INFORMATION_SCHEMA._PG_EXPANDARRAY`). A cast to a type the engine does not know
   * (`'x'::regclass`) calls the catalog's function of the type's name.
   */
  function?(name: string): import('./functions.js').ScalarFunction | undefined;
  procedures?(): ProcedureDef[];
  /** `EXEC name @p = v, …`: validates `args` (case-insensitive names) before any request. */
  callProcedure?(name: string, args: Record<string, SqlValue>, ctx: ExecContext): Promise<ProcedureResult>;
  /** Where `CACHE …` statements keep rows: a local replica. Absent: CACHE is refused. */
  cache?: CacheTarget;
}

/** A local copy of some tables, filled by `CACHE table` and `CACHE SELECT …`. */
export interface CacheTarget {
  /** The tables as their source serves them, never the copy: what CACHE reads. */
  readonly source: Catalog;
  /** `CACHE table`: `table` (of `source`) read whole and stored; rows its source no longer has removed. Resolves to the rows stored. */
  refresh(table: Table, ctx: ExecContext): Promise<number>;
  /** `CACHE SELECT`: these rows of `table`, aligned with its columns, added or updated; nothing removed. Resolves to the rows stored. */
  merge(table: Table, rows: AsyncIterable<Row>, ctx: ExecContext): Promise<number>;
  /** Where the copy is, for EXPLAIN. */
  readonly location: string;
}

/**
 * Thrown by a table when a value it was given cannot be written (missing required column,
 * invalid JSON, no such parameter). The engine turns it into a SqlError pointing at the
 * column in the statement.
 */
export class ColumnValueError extends Error {
  override name = 'ColumnValueError';
  constructor(
    readonly column: string,
    message: string,
    /** 0-based VALUES row, when the problem belongs to one row. */
    readonly rowIndex?: number,
  ) {
    super(message);
  }
}

/**
 * Thrown by a table that refuses the statement as written: a read it cannot make without a
 * filter the WHERE leaves out, a verb it has no endpoint for. The message reads like a
 * SqlError's reason; the engine turns it into a SqlError at the table's name in the statement.
 */
export class TableRefusal extends Error {
  override name = 'TableRefusal';
}

// ---- Writes beyond INSERT, and stored procedures (the catalog implements, the engine calls) ----

export interface UpdateRequest {
  rows: {
    /** The row's identity: its rowIdentity columns (Id, and a parent id for child objects), or the whole row. */
    key: Record<string, SqlValue>;
    /** Column → new value; NULL clears (for Metadata keys: removes the key). */
    set: Record<string, SqlValue>;
  }[];
  /** Columns the statement reads back from the written rows (RETURNING): fetch them if needed. */
  returning?: readonly string[];
}

export interface DeleteRequest {
  keys: Record<string, SqlValue>[];
}

/** What happened to one row of a write; every row is reported, never dropped silently. */
export type RowOutcome =
  | { index: number; ok: true; id?: string; /** The row as written (the object the source sent back), aligned with the table's columns. */ row?: Row }
  | {
      index: number;
      ok: false;
      id?: string;
      error: Error;
      /**
       * UPDATE / DELETE of a row that is not there (Stripe: 404 "No such …"): nothing changed,
       * as when a WHERE matches nothing — counted neither as affected nor as a failure.
       */
      absent?: boolean;
      /** Never sent: the statement stopped (an earlier row failed, or it was cancelled) before this row began. Nothing changed. */
      notSent?: boolean;
      /**
       * Cancelled while in progress: the request may have reached the source and been carried
       * out without the answer arriving. Running the statement again with the same idempotency
       * key settles it (the source replays what it did, or does it now).
       */
      outcomeUnknown?: boolean;
    };

export interface WriteOutcome extends WriteResult {
  /** One entry per requested row, in request order. */
  rows: RowOutcome[];
}

export interface ProcedureParameter {
  name: string;
  type: DataType;
  required: boolean;
  description: string;
}

export interface ProcedureDef {
  name: string;
  description: string;
  parameters: ProcedureParameter[];
  resultColumns: Column[];
}

export interface ProcedureResult {
  columns: Column[];
  rows: Row[];
}

