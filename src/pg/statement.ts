// What Parse makes of a statement and what Bind makes of a statement and values: a Statement
// announces its parameter and result types before it runs; a Portal runs it, and hands its
// rows out as Execute asks for them (all at once, or n at a time with PortalSuspended).
import type { Connection, PreparedStatement } from '../index.js';
import type { InputKind, WireValue } from './protocol/values.js';
import { OID } from './protocol/types.js';
import { pullRows, rowsAt, type Outcome, type RowSource, type WireRow } from './rows.js';
import { fieldsOfColumns, inputKindOf, inputKindOfOid, oidOfType, type ResultField } from './types.js';
import { leadingWords } from './sql-text.js';
import type { CopyOptions } from './copy.js';

export interface RunContext {
  /** Aborted by a CancelRequest, statement_timeout, or the portal being closed. */
  signal: AbortSignal;
}

export interface Execution {
  rows: RowSource;
  /** The result's columns when only running tells (FETCH from a cursor); else the statement's. */
  fields?: readonly ResultField[] | null;
  /** The CommandComplete tag. */
  tag(outcome: Outcome): string;
  /** The rows go out as COPY … TO STDOUT data. */
  copy?: CopyOptions;
}

export interface Statement {
  readonly sql: string;
  /** Announced in ParameterDescription; Bind must bring this many values. */
  readonly parameterOids: readonly number[];
  /** How each parameter's text is read. */
  readonly parameterKinds: readonly InputKind[];
  /** The result's columns; null when it returns no rows (Describe answers NoData). */
  readonly fields: readonly ResultField[] | null;
  /** Allowed in a failed transaction block (ROLLBACK, COMMIT). */
  readonly endsFailedTransaction?: boolean;
  /** A write to Stripe (kept track of to warn that ROLLBACK undoes nothing). */
  readonly writes?: boolean;
  start(values: readonly WireValue[], context: RunContext): Execution | Promise<Execution>;
}

/** A statement the connection runs: prepared once, its types known before any value. */
export function connectionStatement(db: Connection, sql: string, declaredOids: readonly number[]): Statement {
  const prepared: PreparedStatement = db.prepare(sql);
  const byIndex = new Map<number, string>();
  for (const p of prepared.parameters) if (p.index !== undefined) byIndex.set(p.index, p.type);
  const count = Math.max(declaredOids.length, ...byIndex.keys(), 0);
  const parameterOids: number[] = [];
  const parameterKinds: InputKind[] = [];
  for (let i = 1; i <= count; i++) {
    const type = byIndex.get(i);
    const declared = declaredOids[i - 1] ?? 0;
    parameterOids.push(declared !== 0 ? declared : type !== undefined ? oidOfType(type) : OID.text);
    parameterKinds.push(type !== undefined ? inputKindOf(type) : (inputKindOfOid(declared) ?? 'string'));
  }
  const tag = commandTag(sql);
  const words = leadingWords(sql, 1);
  return {
    sql,
    parameterOids,
    parameterKinds,
    fields: prepared.columns.length > 0 ? fieldsOfColumns(prepared.columns) : null,
    writes: ['INSERT', 'UPDATE', 'DELETE', 'EXEC', 'EXECUTE'].includes(words[0] ?? ''),
    start(values, context) {
      const rows = pullRows(
        async (push) => {
          const result = await prepared.query(count > 0 ? [...values] as never : undefined, { rowMode: 'array', signal: context.signal, onBatch: push as (rows: unknown[]) => void | Promise<void> });
          return { rowCount: result.rowCount, ...(result.rowsAffected !== undefined ? { rowsAffected: result.rowsAffected } : {}) };
        },
        () => {},
      );
      return { rows, tag };
    },
  };
}

/** CommandComplete's tag for a statement the connection ran, from its first words. */
export function commandTag(sql: string): (outcome: Outcome) => string {
  const [first = '', second = '', third = ''] = leadingWords(sql, 3);
  switch (first) {
    case 'INSERT':
      return (o) => `INSERT 0 ${o.rowsAffected ?? o.rowCount}`;
    case 'UPDATE':
    case 'DELETE':
      return (o) => `${first} ${o.rowsAffected ?? o.rowCount}`;
    case 'CREATE':
    case 'DROP': {
      const object = [second, third].find((w) => ['TABLE', 'VIEW', 'INDEX'].includes(w)) ?? 'TABLE';
      return () => `${first} ${object}`;
    }
    case 'EXPLAIN':
      return () => 'EXPLAIN';
    case 'REINDEX':
      return () => 'REINDEX';
    default:
      return (o) => `SELECT ${o.rowCount}`;
  }
}

/** A statement the session answers itself, from the rows `run` gives. */
export function localStatement(
  sql: string,
  fields: readonly ResultField[] | null,
  run: (values: readonly WireValue[]) => { rows?: readonly (readonly WireValue[])[]; tag: string | ((o: Outcome) => string) } | Promise<{ rows?: readonly (readonly WireValue[])[]; tag: string | ((o: Outcome) => string) }>,
  options: { parameters?: number; endsFailedTransaction?: boolean } = {},
): Statement {
  const count = options.parameters ?? 0;
  return {
    sql,
    parameterOids: Array.from({ length: count }, () => OID.text),
    parameterKinds: Array.from({ length: count }, () => 'string' as const),
    fields,
    ...(options.endsFailedTransaction ? { endsFailedTransaction: true } : {}),
    async start(values) {
      const { rows = [], tag } = await run(values);
      return { rows: rowsAt(rows as WireRow[]), tag: typeof tag === 'string' ? () => tag : tag };
    },
  };
}

/** A statement bound to values: what Execute runs, possibly a few rows at a time. */
export class Portal {
  #execution: Execution | undefined;
  #done = false;
  readonly #controller = new AbortController();
  /** Rows sent by earlier Executes (for MOVE / FETCH counts). */
  rowsSent = 0;

  constructor(
    readonly name: string,
    readonly statement: Statement,
    readonly values: readonly WireValue[],
    readonly resultFormats: readonly number[],
    /** A cursor WITH HOLD outlives its transaction. */
    readonly holdable = false,
  ) {}

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get done(): boolean {
    return this.#done;
  }

  get started(): boolean {
    return this.#execution !== undefined;
  }

  /** The running execution (started on first use). */
  async execution(): Promise<Execution> {
    this.#execution ??= await this.statement.start(this.values, { signal: this.#controller.signal });
    return this.#execution;
  }

  /** The result's columns: what the execution says, else what the statement announced. */
  fields(): readonly ResultField[] | null {
    return this.#execution?.fields !== undefined ? this.#execution.fields : this.statement.fields;
  }

  /** The CommandComplete tag it ended with (sent again if Execute comes back). */
  lastTag: string | undefined;

  finish(tag: string): void {
    this.#done = true;
    this.lastTag = tag;
  }

  /** Stops the run, with this reason for whoever is waiting on it. */
  abort(reason: unknown): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  close(): void {
    this.#done = true;
    this.#execution?.rows.close();
    this.abort(new Error('portal closed'));
  }
}
