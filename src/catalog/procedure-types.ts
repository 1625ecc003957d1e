// A stored procedure as plain data: one Stripe action endpoint (`POST /v1/invoices/{invoice}/pay`)
// with its inputs named as SQL parameters. Generated from the spec; run by procedures.ts.

import type { DataType } from '../engine/table.js';

export interface ProcedureParamDef {
  /** SQL name (`InvoiceId`, `PaidOutOfBand`). */
  name: string;
  type: DataType;
  required: boolean;
  description: string;
  /** `path`: fills `placeholder` in the path; `body`: the form parameter `param`. */
  in: 'path' | 'body';
  /** For path parameters: the `{…}` placeholder it fills. */
  placeholder?: string;
  /** For body parameters: the top-level form parameter. */
  param?: string;
  /** The value is JSON text sent as nested (bracket) parameters. */
  json?: boolean;
}

export interface StripeProcedureDef {
  name: string;
  description: string;
  method: 'POST' | 'DELETE';
  path: string;
  parameters: ProcedureParamDef[];
  /** The table whose columns describe the returned object; absent when it has none. */
  resultTable?: string;
}
