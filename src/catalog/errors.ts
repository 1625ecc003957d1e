// Errors a Stripe table raises at plan time, before any request is sent.

/**
 * The query leaves out a value Stripe cannot list without (a required list parameter, the parent
 * of a child whose parents cannot be listed, or the Id of an object Stripe only reads by id).
 * The message names the columns and reads like a SqlError's reason.
 */
export class MissingFilterError extends Error {
  override name = 'MissingFilterError';
  constructor(
    readonly table: string,
    /** The columns the WHERE clause must give with `=` or `IN`. */
    readonly columns: string[],
    reason: string,
  ) {
    super(`${table} needs ${columns.map((c) => `${c} = …`).join(' and ')} in WHERE (or IN (…)): ${reason}`);
  }
}
