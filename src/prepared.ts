// A prepared statement: parsed once and its types inferred once, so its parameters and result
// columns are known before any value arrives (what PostgreSQL's Parse/Describe answer). Each run
// converts the values to the parameter types, refusing a wrong one before any request, and
// plans again with them as constants: planning does no I/O, and only a plan that sees the
// values can push `WHERE CustomerId = $1` down as `customer=…` (engine/params.ts says more).

import type { ParameterBinding, ParameterDescription, ParamValues, ResultColumn, StatementParameterTypes, StatementPlan } from './engine/index.js';
import type { SqlValue } from './engine/table.js';
import type { ExecuteResult, QueryOptions, QueryResult, RowObject } from './connection.js';
import { ConnectionError } from './stripe/errors.js';

export type { ParameterDescription } from './engine/index.js';

/** What a prepared statement needs of its connection: planning against its catalog and session, and running plans. */
export interface StatementRunner {
  plan(binding: ParameterBinding | undefined): StatementPlan;
  query(plan: StatementPlan, options: QueryOptions): Promise<QueryResult<RowObject | SqlValue[]>>;
  stream(plan: StatementPlan, signal: AbortSignal | undefined): AsyncGenerator<RowObject>;
  execute(plan: StatementPlan, options: { signal?: AbortSignal; idempotencyKey?: string }): Promise<ExecuteResult>;
}

export class PreparedStatement {
  /** Each parameter in value order (`$1`, `$2`, … then `@name`s), typed from its context; String where nothing says. */
  readonly parameters: readonly ParameterDescription[];
  /** The result columns with their types; empty for a write without RETURNING. */
  readonly columns: readonly ResultColumn[];
  readonly #types: StatementParameterTypes;
  readonly #runner: StatementRunner;
  #closed = false;

  constructor(
    readonly sql: string,
    description: { types: StatementParameterTypes; parameters: ParameterDescription[]; columns: ResultColumn[] },
    runner: StatementRunner,
  ) {
    this.parameters = Object.freeze(description.parameters.map((p) => Object.freeze({ ...p })));
    this.columns = Object.freeze(description.columns.map((c) => Object.freeze({ ...c })));
    this.#types = description.types;
    this.#runner = runner;
  }

  /** Runs the statement with these values and collects its rows (as Connection.query). */
  async query(values?: ParamValues, options?: QueryOptions & { rowMode?: 'object' }): Promise<QueryResult<RowObject>>;
  async query(values: ParamValues | undefined, options: QueryOptions & { rowMode: 'array' }): Promise<QueryResult<SqlValue[]>>;
  async query(values?: ParamValues, options: QueryOptions = {}): Promise<QueryResult<RowObject | SqlValue[]>> {
    return this.#runner.query(this.#plan(values), options);
  }

  /** Rows as they arrive (as Connection.stream). The values are checked on the first `next()`. */
  async *stream(values?: ParamValues, options: { signal?: AbortSignal } = {}): AsyncGenerator<RowObject> {
    yield* this.#runner.stream(this.#plan(values), options.signal);
  }

  /** Runs the statement for its effect (as Connection.execute). */
  async execute(values?: ParamValues, options: { signal?: AbortSignal; idempotencyKey?: string } = {}): Promise<ExecuteResult> {
    return this.#runner.execute(this.#plan(values), options);
  }

  /** The plan these values give, as text: what pushdown made of them. No I/O. */
  explain(values?: ParamValues): string[] {
    return this.#plan(values).explain();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Later runs fail; runs already started finish. */
  close(): void {
    this.#closed = true;
  }

  #plan(values: ParamValues | undefined): StatementPlan {
    if (this.#closed) throw new ConnectionError('Prepared statement is closed');
    return this.#runner.plan(this.#types.bind(values, { untyped: 'String' }));
  }
}
