// Runs a script one statement at a time and streams each statement's rows to the output as
// they arrive. Statements are numbered across the whole run (every -c, -f and argument), and
// statement n sends its rows with the Idempotency-Key prefix `${prefix}-${n}`: running the same
// script again with the same prefix replays what Stripe already did instead of doing it twice.
import type { Connection } from '../connection.js';
import { SqlError, positionAt } from '../sql/errors.js';
import { createFormatter, type OutputFormat, type TableDisplay } from './format.js';
import type { Output } from './output.js';
import { splitStatements } from './statements.js';

export interface RunSettings {
  format: OutputFormat;
  /** Print each statement's plan instead of running it. */
  explain: boolean;
  /** Prefix of every write's idempotency keys (see the header). */
  idempotencyKey: string;
  /** The table format's layout (the prompt changes it between statements). */
  display?: TableDisplay;
  /** Text formats put a blank line between statements' results (default); the prompt, which prints each on its own, does not. */
  separateResults?: boolean;
  /**
   * Shows a result held to its end (table, markdown) some other way: in a pager. Resolves false
   * to have it written to the output as usual.
   */
  present?: (text: string) => Promise<boolean>;
  /** A status line while a statement runs (progress.ts). */
  progress?: { start(): void; row(): void; stop(): void; planned(expectedRequests: number | undefined): void; request(table: string | undefined): void };
  /** Called after each statement that ran to its end, with how long it took (the prompt's \timing). */
  onStatementEnd?: (elapsedMs: number) => void | Promise<void>;
}

export class ScriptRunner {
  #statements = 0;

  constructor(
    private readonly db: Connection,
    /** Where results go; the prompt's \o replaces it. */
    public output: Output,
    private readonly settings: RunSettings,
  ) {}

  /** Statements run so far in this run. */
  get statementCount(): number {
    return this.#statements;
  }

  /**
   * Runs the statements of `script` in order and stops at the first failure, which is thrown.
   * A SqlError's line and column are those of the script, not of the statement alone.
   */
  async run(script: string, signal: AbortSignal): Promise<void> {
    for (const statement of splitStatements(script).statements) {
      if (this.output.closed) return;
      signal.throwIfAborted();
      try {
        await this.#runStatement(statement.text, signal);
      } catch (error) {
        if (error instanceof SqlError) throw new SqlError(error.reason, script, positionAt(script, statement.offset + error.offset));
        throw error;
      }
    }
  }

  async #runStatement(sql: string, signal: AbortSignal): Promise<void> {
    const n = ++this.#statements;
    if (this.settings.explain) {
      await this.output.write(this.db.explain(sql).join('\n') + '\n');
      return;
    }
    const formatter = createFormatter(this.settings.format, this.settings.separateResults === false ? 0 : n - 1, this.settings.display);
    const output = this.output;
    const started = performance.now();
    const progress = this.settings.progress;
    progress?.start();
    let result;
    try {
      result = await this.db.query(sql, undefined, {
        rowMode: 'array',
        signal,
        idempotencyKey: `${this.settings.idempotencyKey}-${n}`,
        onColumns: (columns) => void output.write(formatter.begin(columns)),
        ...(progress ? { onPlanned: (plan) => progress.planned(plan.expectedRequests), onRequest: (table) => progress.request(table) } : {}),
        onRow: (row) => {
          progress?.row();
          return output.write(formatter.row(row));
        },
      });
    } finally {
      progress?.stop();
    }
    const rest = formatter.end(result);
    if (!(this.settings.present && rest !== '' && (await this.settings.present(rest)))) await output.write(rest);
    await this.settings.onStatementEnd?.(performance.now() - started);
  }
}
