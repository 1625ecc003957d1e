// Errors a Stripe table raises at plan time, before any request is sent.

import { TableRefusal } from '../engine/table.js';

/**
 * The query leaves out a value Stripe cannot list without (a required list parameter, the parent
 * of a child whose parents cannot be listed, or the Id of an object Stripe only reads by id).
 * The message names the columns and reads like a SqlError's reason.
 */
export class MissingFilterError extends TableRefusal {
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

// Duck-typed, so any transport error of StripeApiError's shape counts.

/**
 * Stripe will not search for this caller (403: a restricted key; 400 or 404: search unavailable
 * to the account, or a field it does not take): the list can still answer.
 */
export function isSearchRefused(error: unknown): boolean {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return status === 400 || status === 403 || status === 404;
}

/** Any 404: for a read by id, no such object. */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}

/** Stripe's answer for an object (or its parent) that is not there: 404, code resource_missing. */
export function isMissing(error: unknown): boolean {
  return isNotFound(error) && (error as { code?: unknown }).code === 'resource_missing';
}

/**
 * Missing, but only on a retry after an attempt whose outcome is unknown (its answer was lost):
 * for a DELETE, that attempt is what removed the object.
 */
export function isMissingAfterUnknownAttempt(error: unknown): boolean {
  return isMissing(error) && (error as { earlierAttemptMayHaveApplied?: unknown }).earlierAttemptMayHaveApplied === true;
}
