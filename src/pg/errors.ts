// Errors as PostgreSQL reports them: an SQLSTATE, a message without our position suffix, a
// detail and the 1-based position in the query string (psql draws its LINE/caret from it).
// The connection's errors carry no code of their own, so the SQLSTATE is read from the kind
// of error and, for SqlError, from the wording of its reason.
import { ConnectionError, PartialWriteError, SqlError, StripeApiError } from '../index.js';
import type { ErrorFields } from './protocol/backend.js';
import { ProtocolViolation } from './protocol/frontend.js';
import { BadValue } from './protocol/values.js';

/** An error this server raises itself, with its SQLSTATE. */
export class PgError extends Error {
  override name = 'PgError';
  constructor(
    readonly code: string,
    message: string,
    readonly extra: { detail?: string; hint?: string; position?: number } = {},
  ) {
    super(message);
  }
}

export const CANCELED_BY_USER = 'canceling statement due to user request';
export const CANCELED_BY_TIMEOUT = 'canceling statement due to statement timeout';

/** Why a statement was stopped from outside; the signal's reason, then turned into 57014. */
export class StatementCanceled extends Error {
  override name = 'StatementCanceled';
}

/** SqlError reasons and the SQLSTATE each kind gets; the first match wins. */
const SQL_ERROR_CODES: [RegExp, string][] = [
  [/^Unknown (table|view)\b/, '42P01'],
  [/^Unknown column\b|^Column \S+ named in the .* does not exist/, '42703'],
  [/^Unknown (function|stored procedure)\b|^Operator .* cannot be applied/, '42883'],
  [/^Unknown (type|index)\b/, '42704'],
  [/^Operator is not unique/, '42725'],
  [/^Expected |^Unexpected |^Unterminated |^MySQL's |^Write the interval |^Invalid (number|parameter)|^Empty quoted|^Number out of range|^Cannot mix |nested more than/, '42601'],
  [/already exists|is already a table/, '42P07'],
  [/^No value given for parameter/, '42P02'],
  [/^Parameter \S+ is given more than once|values given but/, '08P01'],
  [/^(bigint|integer|smallint) out of range|numeric field overflow|is out of range for type/, '22003'],
  [/^Invalid input syntax for type (TIMESTAMPTZ|TIMESTAMP|DATE|INTERVAL)\b/i, '22007'],
  [/^Parameter \S+ (must be|has an unsupported)|is not a valid |must be a non-negative integer|^Invalid input syntax for type /, '22P02'],
  [/^column ".*" is of type .* but expression is of type /, '42804'],
  [/^Aggregate |GROUP BY cannot|cannot be used here/, '42803'],
  [/does not support (INSERT|UPDATE|DELETE)|is a view: |works on temporary tables only|^Only temporary tables/, '0A000'],
  [/read-only and cannot be/, '428C9'],
  [/is (set|listed|defined) more than once|appears twice/, '42701'],
];

export function sqlStateOfSqlError(error: SqlError): string {
  for (const [pattern, code] of SQL_ERROR_CODES) if (pattern.test(error.reason)) return code;
  return '42000';
}

/**
 * The ErrorResponse for `error`, raised by the statement that starts at `statementStart`
 * (0-based, in characters) of the client's query string.
 */
export function errorFields(error: unknown, statementStart = 0): ErrorFields {
  if (error instanceof PgError) {
    return {
      severity: 'ERROR',
      code: error.code,
      message: error.message,
      ...(error.extra.detail !== undefined ? { detail: error.extra.detail } : {}),
      ...(error.extra.hint !== undefined ? { hint: error.extra.hint } : {}),
      ...(error.extra.position !== undefined ? { position: statementStart + error.extra.position } : {}),
    };
  }
  if (error instanceof SqlError) {
    return { severity: 'ERROR', code: sqlStateOfSqlError(error), message: error.reason, position: statementStart + error.offset + 1 };
  }
  if (error instanceof StripeApiError) {
    const about = [error.type, `HTTP ${error.status}`, error.param !== undefined ? `param ${error.param}` : '', error.requestId !== undefined ? `request ${error.requestId}` : '']
      .filter(Boolean)
      .join(', ');
    return { severity: 'ERROR', code: 'XX000', message: `Stripe: ${error.message}`, detail: `${error.code ?? error.type} (${about})` };
  }
  if (error instanceof PartialWriteError) {
    const cause = error.cause instanceof StripeApiError ? error.cause : undefined;
    return {
      severity: 'ERROR',
      code: 'XX000',
      message: error.message.split('\n')[0]!,
      detail: `${cause?.code ?? 'partial_write'}: ${error.rowsAffected} of ${error.rows.length} rows were written${error.succeededIds.length ? ` (${error.succeededIds.join(', ')})` : ''}`,
    };
  }
  if (error instanceof ConnectionError) {
    if (/read-only/i.test(error.message)) return { severity: 'ERROR', code: '25006', message: error.message };
    return { severity: 'ERROR', code: 'XX000', message: error.message };
  }
  if (error instanceof BadValue) return { severity: 'ERROR', code: error.code, message: error.message };
  if (error instanceof ProtocolViolation) return { severity: 'FATAL', code: '08P01', message: error.message };
  if (error instanceof StatementCanceled) return { severity: 'ERROR', code: '57014', message: error.message };
  const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
  return { severity: 'ERROR', code: 'XX000', message };
}
