// A Connection ties the pieces together: SQL text → parser → engine (which plans against the
// Stripe catalog) → rows. It owns one transport, so one request budget per connection.
import { parse, parseScript } from './sql/parser.js';
import type { StatementNode } from './sql/ast.js';
import { planStatement, Session, type ParamValues, type ResultColumn, type StatementPlan, type WriteStatementResult } from './engine/index.js';
import { checkScriptValues, describeStatement, typeParameters, type BindOptions, type ParameterBinding } from './engine/index.js';
import { asStatementError, planAsJson, type JsonPlanNode } from './engine/index.js';
import { PreparedStatement } from './prepared.js';
import type { ExecContext, Row, SqlValue } from './engine/table.js';
import { flatten } from './engine/operators/batches.js';
import { limitBatches } from './engine/operators/limit.js';
import { createStripeCatalog } from './catalog/index.js';
import { StripeClient } from './stripe/client.js';
import { ConnectionError } from './stripe/errors.js';
import type { TransportStats } from './stripe/types.js';
import { parseConnectionString, rowCapsOf, type ConnectOptions } from './connection-options.js';
import { buildConnectionCatalog, type ConnectionCatalog } from './connection-catalog.js';
import type { TableMetadata } from './catalog/system.js';
import { expectedRequests } from './engine/plan/expected-requests.js';
import { BatchError, mapWithConcurrency, type BatchItemResult, type BatchResult } from './batch.js';
import { SqlError } from './sql/errors.js';
import { offlineStats, offlineTransport, openReplica, type Replica, type SyncProgress, type SyncReport } from './replica/index.js';

export type { ConnectOptions } from './connection-options.js';
export type { ResultColumn } from './engine/index.js';
export type { SqlValue } from './engine/table.js';

export type RowObject = Record<string, SqlValue>;
export type { JsonPlanNode } from './engine/index.js';

export interface ExplainOptions {
  format?: 'text' | 'json';
}

/** `{ format: … }` and nothing else: explain's options, not a parameter object. */
function isExplainOptions(value: unknown): value is ExplainOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'format' && ((value as ExplainOptions).format === 'json' || (value as ExplainOptions).format === 'text');
}
export type { TableMetadata } from './catalog/system.js';
export type { BatchResult, BatchItemResult } from './batch.js';

export interface QueryOptions<R = RowObject | SqlValue[]> {
  /** 'object' (default): each row is `{ column: value }`. 'array': each row is an array in select-list order. */
  rowMode?: 'object' | 'array';
  signal?: AbortSignal;
  /** For a write: row i is sent with the Idempotency-Key `${idempotencyKey}-${i}`, as with execute(). */
  idempotencyKey?: string;
  /** Called once the statement is planned, before any request: the columns its rows will have. */
  onColumns?: (columns: readonly ResultColumn[]) => void;
  /**
   * Takes each row as it arrives (a read's page by page, a write's RETURNING rows once it is
   * done) instead of collecting it: `rows` stays empty and `rowCount` counts. Awaited, so a slow
   * consumer (a full pipe) slows the reading instead of filling memory.
   */
  onRow?: (row: R) => void | Promise<void>;
  /**
   * Like onRow, a batch of rows at a time, as the engine makes them (a page of a Stripe list,
   * a chunk of a temporary table): one awaited call per batch, for consumers that write many
   * rows at once (the wire server). Not together with onRow.
   */
  onBatch?: (rows: R[]) => void | Promise<void>;
  /**
   * Called once planned, before any request: the requests the plan will send, when every part
   * of it can say in advance (reads by id, a LIMIT on a list); undefined when only reading tells.
   */
  onPlanned?: (plan: { expectedRequests: number | undefined }) => void;
  /** Called at each request the statement sends, with the table whose scan sent it when known. */
  onRequest?: (table: string | undefined) => void;
}

export interface QueryResult<R = RowObject> {
  columns: ResultColumn[];
  rows: R[];
  rowCount: number;
  /** For INSERT/UPDATE/DELETE: how many rows the statement changed. */
  rowsAffected?: number;
  /** For INSERT: the Id Stripe gave the last row created. */
  lastInsertId?: string;
}

export interface ExecuteResult {
  rowsAffected: number;
  lastInsertId?: string;
}

export class Connection {
  /** Absent offline (Offline=true): such a connection has no way to send anything. */
  readonly #client: StripeClient | undefined;
  readonly #catalog: ConnectionCatalog;
  /** The local replica (CacheLocation), when there is one. */
  readonly #replica: Replica | undefined;
  /** What the last write created, for sys_identity. */
  #identity: { id: string; operation: string; message: string }[] = [];
  readonly #closing = new AbortController();
  /** Temporary tables and the last created Id live as long as the connection. */
  readonly #session = new Session();
  /** Each plan's statement text, so that an error raised while the plan runs can point into it. */
  readonly #statements = new WeakMap<StatementPlan, string>();
  /** MaxRows and MaxIntermediateRows. */
  readonly #rowCaps: Pick<ConnectOptions, 'maxRows' | 'maxIntermediateRows'>;
  #closed = false;

  constructor(options: ConnectOptions) {
    const apiKey = options.apiKey ?? process.env.STRIPE_API_KEY;
    this.#rowCaps = rowCapsOf(options);
    if (options.offline && options.cache === undefined) {
      throw new ConnectionError('Offline=true reads only the replica: give CacheLocation (the cache option, --cache) too');
    }
    if (options.allConnectedAccounts && options.accountId) {
      throw new ConnectionError('AllConnectedAccounts=true reads every connected account of the platform: leave AccountId out (or filter by AccountId in the query)');
    }
    if (!apiKey && !options.offline) {
      throw new ConnectionError(
        'No Stripe API key: pass apiKey (or LiveAPIKey=… in the connection string), or set STRIPE_API_KEY',
      );
    }
    this.#client = options.offline || !apiKey ? undefined : new StripeClient({
      apiKey,
      baseUrl: options.baseUrl ?? process.env.STRIPE_BASE_URL,
      accountId: options.accountId,
      maxRequestsPerSecond: options.maxRequestsPerSecond,
      maxConcurrency: options.maxConcurrency,
      maxRetries: options.maxRetries,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      ...(options.budgets ? { budgets: options.budgets } : {}),
    });
    const live = createStripeCatalog(this.#client ?? offlineTransport, {
      accountId: options.accountId,
      ...(options.useSearch !== undefined ? { useSearch: options.useSearch } : {}),
      ...(options.allConnectedAccounts ? { allConnectedAccounts: true } : {}),
    });
    this.#replica = options.cache === undefined ? undefined : openReplica(options.cache, live, {
      offline: options.offline === true,
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
      ...(options.cacheTolerance !== undefined ? { toleranceSeconds: options.cacheTolerance } : {}),
    });
    const stripe = this.#replica?.catalog ?? live;
    this.#catalog = buildConnectionCatalog(stripe, options, () => this.#identity, () => stripe.procedures?.() ?? []);
  }

  /**
   * Runs one statement and collects its rows. `T` names the row's shape
   * (`db.query<{ Id: string; Created: Date }>(…)`); it is the caller's promise, not checked.
   */
  async query<T extends object = RowObject>(sql: string, params?: ParamValues, options?: QueryOptions<T> & { rowMode?: 'object' }): Promise<QueryResult<T>>;
  async query<T extends readonly unknown[] = SqlValue[]>(sql: string, params: ParamValues | undefined, options: QueryOptions<T> & { rowMode: 'array' }): Promise<QueryResult<T>>;
  async query(sql: string, params?: ParamValues, options: QueryOptions<never> = {}): Promise<QueryResult<unknown>> {
    await this.#refreshReplica();
    return this.#run(this.#plan(sql, params), options as QueryOptions);
  }

  async #run(plan: StatementPlan, options: QueryOptions): Promise<QueryResult<RowObject | SqlValue[]>> {
    try {
      return await this.#runPlan(plan, options);
    } catch (error) {
      throw this.#publicError(error, plan);
    }
  }

  async #runPlan(plan: StatementPlan, options: QueryOptions): Promise<QueryResult<RowObject | SqlValue[]>> {
    const signal = this.#signal(options.signal);
    const toRow: (row: Row) => RowObject | SqlValue[] = options.rowMode === 'array' ? (row) => row : objectMaker(plan.columns ?? []);
    options.onColumns?.(plan.columns ?? []);
    options.onPlanned?.({ expectedRequests: plan.kind === 'query' && plan.explainJson ? expectedRequests(plan.explainJson()) : undefined });
    const { onRow, onBatch, onRequest } = options;
    if (plan.kind === 'write') {
      const { rows = [], ...result } = await this.#write(plan, signal, options.idempotencyKey, onRequest);
      if (onRow) for (const row of rows) await onRow(toRow(row));
      if (onBatch && rows.length > 0) await onBatch(rows.map(toRow));
      return { columns: plan.columns ?? [], rows: onRow || onBatch ? [] : rows.map(toRow), rowCount: rows.length, ...result };
    }
    const rows: (RowObject | SqlValue[])[] = [];
    let rowCount = 0;
    if (onBatch) {
      for await (const batch of this.#batches(plan, signal, onRequest)) {
        if (batch.length === 0) continue;
        rowCount += batch.length;
        await onBatch(batch.map(toRow));
      }
      return { columns: plan.columns, rows, rowCount };
    }
    for await (const row of this.#rows(plan, signal, onRequest)) {
      rowCount++;
      if (onRow) await onRow(toRow(row));
      else rows.push(toRow(row));
    }
    return { columns: plan.columns, rows, rowCount };
  }

  /**
   * Runs statements separated by `;`, one after another, and returns one result per statement.
   * Each statement is planned only after the one before it has run. There are no transactions:
   * when a statement fails, those before it have taken effect and the error says which failed.
   */
  async queryScript(sql: string, params?: ParamValues, options: QueryOptions = {}): Promise<QueryResult<RowObject | SqlValue[]>[]> {
    this.#assertOpen();
    await this.#refreshReplica();
    const results: QueryResult<RowObject | SqlValue[]>[] = [];
    const statements = parseScript(sql);
    checkScriptValues(statements, sql, params);
    for (const statement of statements) {
      results.push(await this.#run(this.#planParsed(statement, sql, params, { extraValues: 'ignore' }), options));
    }
    return results;
  }

  /** Rows as they arrive, page by page; stop iterating to stop fetching. `T` names the row's shape, as for query(). */
  stream<T extends object = RowObject>(sql: string, params?: ParamValues, options?: { signal?: AbortSignal }): AsyncGenerator<T>;
  async *stream(sql: string, params?: ParamValues, options: { signal?: AbortSignal } = {}): AsyncGenerator<RowObject> {
    await this.#refreshReplica();
    yield* this.#stream(this.#plan(sql, params), options.signal);
  }

  async *#stream(plan: StatementPlan, callerSignal: AbortSignal | undefined): AsyncGenerator<RowObject> {
    try {
      yield* this.#streamPlan(plan, callerSignal);
    } catch (error) {
      throw this.#publicError(error, plan);
    }
  }

  async *#streamPlan(plan: StatementPlan, callerSignal: AbortSignal | undefined): AsyncGenerator<RowObject> {
    const toObject = objectMaker(plan.columns ?? []);
    if (plan.kind === 'write') {
      // A write's rows (RETURNING, EXEC) exist only once the write is done.
      const { rows = [] } = await this.#write(plan, this.#signal(callerSignal));
      for (const row of rows) yield toObject(row);
      return;
    }
    for await (const row of this.#rows(plan, this.#signal(callerSignal))) yield toObject(row);
  }

  /** Runs a statement for its effect: rows affected and, for INSERT, the last created Id. */
  /**
   * With `idempotencyKey`, row i of the statement is sent with the key `${idempotencyKey}-${i}`:
   * running the same statement again with the same key (after a crash, say) creates nothing twice.
   */
  async execute(sql: string, params?: ParamValues, options: { signal?: AbortSignal; idempotencyKey?: string } = {}): Promise<ExecuteResult> {
    await this.#refreshReplica();
    return this.#execute(this.#plan(sql, params), options);
  }

  async #execute(plan: StatementPlan, options: { signal?: AbortSignal; idempotencyKey?: string }): Promise<ExecuteResult> {
    const signal = this.#signal(options.signal);
    if (plan.kind !== 'write') return this.#countRows(plan, signal);
    const { rowsAffected, lastInsertId } = await this.#write(plan, signal, options.idempotencyKey);
    return { rowsAffected, ...(lastInsertId !== undefined ? { lastInsertId } : {}) };
  }

  async #countRows(plan: Extract<StatementPlan, { kind: 'query' }>, signal: AbortSignal): Promise<ExecuteResult> {
    let count = 0;
    try {
      for await (const _ of this.#rows(plan, signal)) count++;
    } catch (error) {
      throw this.#publicError(error, plan);
    }
    return { rowsAffected: count };
  }

  /**
   * Runs one INSERT (or other write) once per parameter set. Every set is bound and checked
   * before the first request; then at most `concurrency` run at once (the request budget still
   * applies). Throws BatchError, after every set has been tried, when any failed.
   */
  async executeBatch(sql: string, paramSets: readonly ParamValues[], options: { concurrency?: number; signal?: AbortSignal } = {}): Promise<BatchResult> {
    this.#assertOpen();
    await this.#refreshReplica();
    const statement = parse(sql);
    // Types are inferred once; each set is then bound to them and planned.
    const types = typeParameters(statement, sql, this.#catalog.catalog, this.#session);
    const plans = paramSets.map((params, index) => {
      try {
        return this.#planParsed(statement, sql, types.bind(params, { untyped: 'value' }));
      } catch (error) {
        if (error instanceof SqlError) throw new SqlError(`Parameter set ${index + 1}: ${error.reason}`, sql, error);
        throw error;
      }
    });
    const signal = this.#signal(options.signal);
    const results = await mapWithConcurrency(plans, options.concurrency ?? 4, async (plan, index): Promise<BatchItemResult> => {
      try {
        const { rowsAffected, lastInsertId } = plan.kind === 'write' ? await this.#write(plan, signal) : await this.#countRows(plan, signal);
        return { index, ok: true, rowsAffected, ...(lastInsertId !== undefined ? { lastInsertId } : {}) };
      } catch (error) {
        return { index, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    });
    if (results.some((r) => !r.ok)) throw new BatchError(results);
    return { rowsAffected: results.reduce((sum, r) => sum + (r.ok ? r.rowsAffected : 0), 0), results };
  }

  /**
   * The plan, without running anything: as text lines (operators, pushed and residual
   * predicates, the requests each scan makes), or with `{ format: 'json' }` as the plan tree
   * itself (the tree the text is printed from). No I/O.
   */
  explain(sql: string, options: ExplainOptions & { format: 'json' }): JsonPlanNode;
  explain(sql: string, params?: ParamValues): string[];
  explain(sql: string, params: ParamValues | undefined, options: ExplainOptions & { format: 'json' }): JsonPlanNode;
  explain(sql: string, paramsOrOptions?: ParamValues | ExplainOptions, maybeOptions?: ExplainOptions): string[] | JsonPlanNode {
    const options = maybeOptions ?? (isExplainOptions(paramsOrOptions) ? paramsOrOptions : undefined);
    const params = maybeOptions || !isExplainOptions(paramsOrOptions) ? (paramsOrOptions as ParamValues | undefined) : undefined;
    const plan = this.#plan(sql, params);
    return options?.format === 'json' ? planAsJson(plan) : plan.explain();
  }

  /**
   * Parses `sql` and infers its parameter types once: `parameters` and `columns` are known before
   * any value. Each run binds values (converted to the parameter types; a wrong one is a SqlError
   * naming the parameter, before any request) and plans again, so `WHERE CustomerId = $1`
   * pushes down like a literal. Parameters: `$1`, `$2`, … or `?` (an array), `@name` (an object).
   */
  prepare(sql: string): PreparedStatement {
    this.#assertOpen();
    const statement = parse(sql);
    const catalog = this.#catalog.catalog;
    let description: ReturnType<typeof describeStatement>;
    try {
      description = describeStatement(statement, sql, catalog, this.#session);
    } catch (error) {
      throw asStatementError(error, sql);
    }
    return new PreparedStatement(sql, description, {
      plan: (binding) => {
        this.#assertOpen();
        return this.#planParsed(statement, sql, binding);
      },
      query: (plan, options) => this.#run(plan, options),
      stream: (plan, signal) => this.#stream(plan, signal),
      execute: (plan, options) => this.#execute(plan, options),
    });
  }

  /** The tables and views this connection exposes, with their columns. */
  tables(): TableMetadata[] {
    return this.#catalog.describeAll();
  }

  /** The columns of one table (pseudo-columns included, marked `pseudo`); undefined if there is no such table. */
  columns(table: string): TableMetadata['columns'] | undefined {
    const found = this.#catalog.catalog.getTable(table);
    return found?.columns;
  }

  /** HTTP requests made so far (retries included), retries, and time spent waiting for the rate budget. */
  get stats(): Readonly<TransportStats> {
    return this.#client ? { ...this.#client.stats } : offlineStats();
  }

  /**
   * Copies tables from Stripe into the replica (the `cache` option): each read whole through the
   * same scans as `SELECT *` and stored a page per transaction, so a sync stopped at any point
   * loses nothing it stored and the next one completes it. Every listable table when `tables`
   * is not given; a table Stripe lists only with a filter is skipped (the report says why).
   */
  async sync(options: { tables?: readonly string[]; onProgress?: (progress: SyncProgress) => void; signal?: AbortSignal } = {}): Promise<SyncReport> {
    this.#assertOpen();
    if (!this.#replica) throw new ConnectionError('sync needs a replica: give CacheLocation (the cache option)');
    if (!this.#client) throw new ConnectionError('Offline=true: sync reads Stripe, and an offline connection sends nothing');
    return this.#replica.sync(options.tables, {
      signal: this.#signal(options.signal),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }

  /** A PostgreSQL replica's table states read again, so the statement is planned on what is stored now. */
  async #refreshReplica(): Promise<void> {
    if (!this.#closed) await this.#replica?.refresh();
  }

  /** Aborts requests in flight; later calls fail. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort(new ConnectionError('Connection closed'));
    await this.#replica?.close();
  }

  #plan(sql: string, params: ParamValues | undefined): StatementPlan {
    this.#assertOpen();
    return this.#planParsed(parse(sql), sql, params);
  }

  #planParsed(statement: StatementNode, sql: string, params: ParamValues | ParameterBinding | undefined, options?: BindOptions): StatementPlan {
    let plan: StatementPlan;
    try {
      plan = planStatement(statement, sql, this.#catalog.catalog, params, this.#session, options);
    } catch (error) {
      throw asStatementError(error, sql);
    }
    this.#statements.set(plan, sql);
    return plan;
  }

  /** The error as the caller gets it: one of the exported classes where the engine's own (engine/statement-errors.ts). */
  #publicError(error: unknown, plan: StatementPlan): unknown {
    const sql = this.#statements.get(plan);
    return sql === undefined ? error : asStatementError(error, sql);
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConnectionError('Connection is closed');
  }

  async #write(plan: Extract<StatementPlan, { kind: 'write' }>, signal: AbortSignal, idempotencyKey?: string, onRequest?: (table?: string) => void): Promise<WriteStatementResult> {
    let result: WriteStatementResult;
    try {
      result = await plan.execute({ ...this.#context(signal, onRequest), ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) });
    } catch (error) {
      throw this.#publicError(error, plan);
    }
    if (result.lastInsertId !== undefined) {
      this.#identity = [{ id: result.lastInsertId, operation: 'INSERT', message: `${result.rowsAffected} row(s) created` }];
    }
    return result;
  }

  /** A query's rows as the caller gets them: at most MaxRows of them (reading stops there). */
  #rows(plan: Extract<StatementPlan, { kind: 'query' }>, signal: AbortSignal, onRequest?: (table?: string) => void): AsyncIterable<Row> {
    const ctx = this.#context(signal, onRequest);
    const { maxRows } = this.#rowCaps;
    return maxRows === undefined ? plan.rows(ctx) : flatten(limitBatches(plan.batches(ctx), maxRows, 0, signal), signal);
  }

  /** The same rows, in the batches the engine makes them in. */
  #batches(plan: Extract<StatementPlan, { kind: 'query' }>, signal: AbortSignal, onRequest?: (table?: string) => void): AsyncIterable<Row[]> {
    const ctx = this.#context(signal, onRequest);
    const { maxRows } = this.#rowCaps;
    return maxRows === undefined ? plan.batches(ctx) : limitBatches(plan.batches(ctx), maxRows, 0, signal);
  }

  /** What a statement runs with: the cancel signal, MaxIntermediateRows for each operator, and who hears of its requests. */
  #context(signal: AbortSignal, onRequest?: (table?: string) => void): ExecContext {
    const { maxIntermediateRows } = this.#rowCaps;
    return {
      signal,
      ...(maxIntermediateRows !== undefined ? { maxIntermediateRows } : {}),
      ...(onRequest ? { onRequest: (_cost, table) => onRequest(table) } : {}),
    };
  }

  #signal(callerSignal: AbortSignal | undefined): AbortSignal {
    return callerSignal ? AbortSignal.any([callerSignal, this.#closing.signal]) : this.#closing.signal;
  }
}

/** A connection string (`AuthScheme=APIKey;LiveAPIKey=sk_…;AccountId=acct_…`) or an options object. */
export function connect(config: string | ConnectOptions = {}): Connection {
  return new Connection(typeof config === 'string' ? parseConnectionString(config) : config);
}

function objectMaker(columns: readonly ResultColumn[]): (row: Row) => RowObject {
  const names = objectKeys(columns.map((c) => c.name));
  return (row) => {
    const object: RowObject = {};
    for (let i = 0; i < names.length; i++) object[names[i]!] = row[i] ?? null;
    return object;
  };
}

/**
 * The keys of object rows. Columns are named as PostgreSQL names them, so two may share a name
 * (`SELECT count(*), count(Email)`, or `?column?` twice); a later one is keyed `name_2`,
 * `name_3`… (a number no other column takes), so that no value is lost. Array rows, `columns`
 * and the wire server keep the names as they are.
 */
function objectKeys(names: readonly string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name}_${n}`) || seen.has(`${name}_${n}`)) n++;
    const key = `${name}_${n}`;
    seen.add(key);
    return key;
  });
}
