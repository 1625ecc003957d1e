// Declarative table definitions: one TableDef per Stripe resource, plain data (so a generator
// can emit them from the OpenAPI spec) plus optional hooks where a hand-written override needs
// code. StripeTable turns any TableDef into an engine Table.

import type { Column, PredicateOp, SqlValue } from '../engine/table.js';
import type { StripeList, StripeParams, StripeRequest } from '../stripe/types.js';

/**
 * How a Stripe field becomes a SQL value:
 * - scalar: as Stripe sends it (string, number, boolean)
 * - json: objects and arrays kept as JSON text
 * - id: an expandable reference; the id string, or the expanded object's `id`
 * - time: Unix seconds in Stripe, a Date in SQL
 * - account: not a field at all; the connected account the row was read from or written to
 *   (the Stripe-Account header)
 */
export type ColumnEncoding = 'scalar' | 'json' | 'id' | 'time' | 'account';

export interface ColumnDef extends Column {
  /** Stripe dot path, e.g. `customer_details.email`. Absent for the account pseudo-column. */
  field?: string;
  encoding: ColumnEncoding;
  /** Bracket path of the create parameter (`after_expiration[recovery][enabled]`); absent = not settable on create. */
  createParam?: string;
  /** For writable json columns: the JSON shape the value must have. */
  jsonShape?: 'array' | 'object';
  /**
   * A field Stripe only includes when asked to (`expand[]`). Fetched only when the query needs
   * the column. `retrieve` is also where the embedded list sits in the object; when that list
   * has more pages, they are read from `morePath` (`{id}` = the object's id).
   */
  expand?: { list: string; retrieve: string; morePath?: string };
}

/**
 * One server-side filter of the list endpoint.
 * - equals: `column = v` → `param=v`; `IN (a, b)` → one list request per value (the field holds
 *   one value per object, so the lists are disjoint)
 * - range: `column <,<=,>,>=,= t` (Datetime) → `param[gt|gte|lt|lte]=unix seconds`
 * - retrieve: `column = v` / `IN (…)` → GET the retrieve path, one request per value
 * - account: `column = v` / `IN (…)` → the Stripe-Account header
 */
export interface FilterCapability {
  column: string;
  ops: PredicateOp[];
  /** Bracket path of the list parameter (`customer_details[email]`); unused for retrieve/account. */
  param: string;
  kind: 'equals' | 'range' | 'retrieve' | 'account';
  /** When the parameter is an enum, a value outside it can match nothing (Stripe would reject it). */
  enum?: string[];
}

/** A problem a validate hook found in one row of an INSERT. */
export interface InsertProblem {
  column: string;
  message: string;
}

export interface InsertDef {
  /** Columns every INSERT row must give (not NULL). */
  required: string[];
  /** Rules that depend on several columns. Values are keyed by the table's column names. */
  validate?(values: Readonly<Record<string, SqlValue>>): InsertProblem | undefined;
}

export interface TableDef {
  /** SQL name, e.g. `CheckoutSession`. */
  name: string;
  description: string;
  /** Stripe object type, e.g. `checkout.session`. */
  resource: string;
  /** `{id}` stands for the object's id. */
  paths: { list?: string; retrieve?: string; create?: string; update?: string; delete?: string };
  columns: ColumnDef[];
  filters: FilterCapability[];
  insert?: InsertDef;
}

export interface ListPagesOptions {
  /** Stripe-Account for every page; the transport's own account when absent. */
  accountId?: string;
  signal?: AbortSignal;
}

/**
 * What a Stripe table needs from the transport. The real StripeClient has exactly this shape;
 * tests pass a fake that records calls.
 */
export interface StripeTransport {
  request<T>(req: StripeRequest): Promise<T>;
  /** GETs `path` with `params`, following `starting_after` cursors; yields one envelope per page. */
  listPages(path: string, params: StripeParams, opts?: ListPagesOptions): AsyncGenerator<StripeList>;
}
