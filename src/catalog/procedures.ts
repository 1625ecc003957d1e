// Stored procedures: `EXEC CancelSubscription SubscriptionId = 'sub_1', InvoiceNow = true` →
// `DELETE /v1/subscriptions/sub_1?invoice_now=true`. Arguments are checked before any request;
// the result set is `Success` plus the returned object mapped through its table's columns.

import {
  ColumnValueError, TableRefusal, type Column, type ExecContext, type ProcedureDef, type ProcedureResult, type SqlValue,
} from '../engine/table.js';
import { StripeApiError } from '../stripe/errors.js';
import type { StripeObject, StripeParams } from '../stripe/types.js';
import { generatedProcedures } from './generated/procedures.js';
import { idempotencyKeyFor } from './idempotency.js';
import { parseJsonInput } from './json-input.js';
import type { ProcedureParamDef, StripeProcedureDef } from './procedure-types.js';
import { mapRow } from './row-mapper.js';
import type { ColumnDef, StripeTransport, TableDef } from './types.js';
import { StripeWriteError } from './write-error.js';

/** Every procedure takes it: the connected account to act for (the Stripe-Account header). */
const ACCOUNT_PARAMETER: ProcedureParamDef = {
  name: 'AccountId', type: 'String', required: false, in: 'body',
  description: 'The connected account to act for (Stripe-Account header); the connection\'s own when absent.',
};

const SUCCESS: Column = { name: 'Success', type: 'Boolean', description: 'True when Stripe carried out the action.' };

export class StripeProcedures {
  private readonly byName: Map<string, StripeProcedureDef>;

  constructor(
    private readonly tables: readonly TableDef[],
    private readonly transport: StripeTransport,
    private readonly options: { accountId?: string } = {},
    procedures: readonly StripeProcedureDef[] = generatedProcedures,
  ) {
    this.byName = new Map(procedures.map((p) => [p.name.toLowerCase(), p]));
  }

  list(): ProcedureDef[] {
    return [...this.byName.values()].map((p) => this.publicDef(p));
  }

  /** The procedure's public shape: parameters (AccountId added) and result columns. */
  publicDef(p: StripeProcedureDef): ProcedureDef {
    return {
      name: p.name,
      description: p.description,
      parameters: [...p.parameters, ACCOUNT_PARAMETER].map(({ name, type, required, description }) => ({ name, type, required, description })),
      resultColumns: [SUCCESS, ...this.resultColumnsOf(p).map(({ name, type, description, key, nullable }) =>
        ({ name, type, ...(description !== undefined ? { description } : {}), ...(key ? { key } : {}), ...(nullable !== undefined ? { nullable } : {}) }))],
    };
  }

  async call(name: string, args: Record<string, SqlValue>, ctx: ExecContext): Promise<ProcedureResult> {
    const p = this.byName.get(name.toLowerCase());
    if (!p) throw new TableRefusal(`No stored procedure ${name}`);
    const request = buildProcedureRequest(p, args);
    let object: StripeObject;
    try {
      object = await this.transport.request<StripeObject>({
        method: p.method,
        path: request.path,
        ...(Object.keys(request.params).length > 0 ? { params: request.params } : {}),
        ...(request.accountId !== undefined ? { accountId: request.accountId } : {}),
        ...(p.method === 'POST' ? { idempotencyKey: idempotencyKeyFor(ctx, 0) } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
      });
    } catch (error) {
      throw procedureError(p, error);
    }
    const columns = this.resultColumnsOf(p);
    const publicDef = this.publicDef(p);
    const mapped = columns.length > 0 ? mapRow(columns, object, request.accountId ?? this.options.accountId) : [];
    return { columns: publicDef.resultColumns, rows: [[true, ...mapped]] };
  }

  /** The returned object's columns (pseudo-columns left out): those of its table. */
  private resultColumnsOf(p: StripeProcedureDef): ColumnDef[] {
    const table = p.resultTable === undefined ? undefined : this.tables.find((t) => t.name === p.resultTable);
    return (table?.columns ?? []).filter((c) => !c.pseudo);
  }
}

export interface ProcedureRequest {
  path: string;
  params: StripeParams;
  accountId?: string;
}

/** Checks `args` against the procedure (names case-insensitive) and builds the request; throws before any I/O. */
export function buildProcedureRequest(p: StripeProcedureDef, args: Record<string, SqlValue>): ProcedureRequest {
  const known = new Map([...p.parameters, ACCOUNT_PARAMETER].map((q) => [q.name.toLowerCase(), q]));
  const given = new Map<string, SqlValue>();
  for (const [name, value] of Object.entries(args)) {
    const param = known.get(name.toLowerCase());
    if (!param) throw new ColumnValueError(name, `${p.name} has no parameter ${name}; it takes ${[...known.values()].map((q) => q.name).join(', ')}`);
    given.set(param.name, value);
  }
  for (const param of p.parameters) {
    const value = given.get(param.name);
    if (param.required && (value === undefined || value === null || value === '')) {
      throw new ColumnValueError(param.name, `${p.name} needs ${param.name}`);
    }
  }
  let path = p.path;
  const params: StripeParams = {};
  let accountId: string | undefined;
  for (const [name, value] of given) {
    if (value === null) continue;
    if (name === ACCOUNT_PARAMETER.name) {
      accountId = String(value);
      continue;
    }
    const param = p.parameters.find((q) => q.name === name)!;
    if (param.in === 'path') {
      if (typeof value !== 'string') throw new ColumnValueError(name, `${p.name}: ${name} must be an id string`);
      path = path.replace(param.placeholder!, encodeURIComponent(value));
      continue;
    }
    params[param.param!] = argumentValue(p, param, value);
  }
  return { path, params, ...(accountId !== undefined ? { accountId } : {}) };
}

function argumentValue(p: StripeProcedureDef, param: ProcedureParamDef, value: Exclude<SqlValue, null>): unknown {
  if (param.json) {
    if (typeof value !== 'string') throw new ColumnValueError(param.name, `${p.name}: ${param.name} must be JSON text`);
    const parsed = parseJsonInput(value);
    // A nested parameter that also takes a plain value (an id) may be given as one.
    if (!parsed.ok) return value;
    return parsed.value;
  }
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (param.type === 'Boolean' && typeof value !== 'boolean') throw new ColumnValueError(param.name, `${p.name}: ${param.name} must be true or false`);
  if ((param.type === 'Long' || param.type === 'Integer' || param.type === 'Datetime') && (typeof value !== 'number' || !Number.isInteger(value))) {
    throw new ColumnValueError(param.name, `${p.name}: ${param.name} must be a whole number`);
  }
  return value;
}

/** Stripe's refusal naming the procedure parameter behind its `param`. */
function procedureError(p: StripeProcedureDef, error: unknown): unknown {
  if (!(error instanceof StripeApiError)) return error;
  const top = error.param?.split('[', 1)[0];
  const param = top === undefined ? undefined : p.parameters.find((q) => q.param === top);
  const rest = param && error.param !== top ? error.param!.slice(top!.length) : '';
  return new StripeWriteError(error, param?.name, param ? `${p.name}: ${param.name}${rest}` : p.name, undefined);
}
