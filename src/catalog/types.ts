// Declarative table definitions: one TableDef per Stripe resource, plain data (so a generator
// can emit them from the OpenAPI spec) plus optional hooks where a hand-written override needs
// code. StripeTable turns any TableDef into an engine Table.

import type { Column, PredicateOp, SqlValue } from '../engine/table.js';
import type { RequestCost, StripeList, StripeParams, StripeRequest, StripeSearchResult } from '../stripe/types.js';

/**
 * How a Stripe field becomes a SQL value:
 * - scalar: as Stripe sends it (string, number, boolean)
 * - json: objects and arrays kept as JSON text
 * - id: an expandable reference; the id string, or the expanded object's `id`
 * - time: Unix seconds in Stripe, a Date in SQL
 * - account: not a field at all; the connected account the row was read from or written to
 *   (the Stripe-Account header)
 * - decimal: a decimal string in Stripe (`format: decimal`), a number in SQL
 * - parent: the id of the parent object the row was listed under (`InvoiceId` on invoice lines);
 *   read from `field` when the object carries it, else the id the request named
 * - param: not a field; echoes the value sent for list parameter `param` (a required input such
 *   as the customer of a meter event summary)
 */
export type ColumnEncoding = 'scalar' | 'json' | 'id' | 'time' | 'account' | 'decimal' | 'parent' | 'param';

export interface ColumnDef extends Column {
  /** Stripe dot path, e.g. `customer_details.email`. Absent for the account pseudo-column. */
  field?: string;
  encoding: ColumnEncoding;
  /** Bracket path of the create parameter (`after_expiration[recovery][enabled]`); absent = not settable on create. */
  createParam?: string;
  /** Bracket path of the update parameter; absent = not settable by an update. */
  updateParam?: string;
  /** For encoding `id`: the table the id belongs to (its Id column), when the reference has one target. */
  references?: string;
  /** For encoding `param`: the list parameter whose value the column shows. */
  param?: string;
  /** For writable json columns: the JSON shape the value must have. */
  jsonShape?: 'array' | 'object';
  /**
   * A field Stripe only includes when asked to (`expand[]`). Fetched only when the query needs
   * the column. `retrieve` is also where the embedded list sits in the object; when that list
   * has more pages, they are read from `morePath` (`{id}` = the object's id).
   */
  expand?: {
    list: string;
    retrieve: string;
    /** `{id}` = the object's id; may carry a query (`/v1/subscription_items?subscription={id}`). */
    morePath?: string;
    /** Stripe sends the first page unasked (invoice `lines`): no `expand[]`, only the later pages are read. */
    included?: boolean;
  };
}

/**
 * One server-side filter of the list endpoint.
 * - equals: `column = v` → `param=v`; `IN (a, b)` → one list request per value (the field holds
 *   one value per object, so the lists are disjoint)
 * - range: `column <,<=,>,>=,= t` (Datetime) → `param[gt|gte|lt|lte]=unix seconds`
 * - retrieve: `column = v` / `IN (…)` → GET the retrieve path, one request per value
 * - account: `column = v` / `IN (…)` → the Stripe-Account header
 * - boolean: `column = true|false` → `param=true|false`; `column <> b` → `param=!b` (a boolean
 *   field that is NULL matches neither, in SQL and in Stripe)
 * - parent: `column = v` / `IN (…)` → the parent id in the list path (or its query parameter),
 *   one list per parent
 * Ranges also work on Integer columns (`amount[gte]=100`).
 */
export interface FilterCapability {
  column: string;
  ops: PredicateOp[];
  /** Bracket path of the list parameter (`customer_details[email]`); unused for retrieve/account. */
  param: string;
  kind: 'equals' | 'range' | 'retrieve' | 'account' | 'boolean' | 'parent';
  /** When the parameter is an enum, a value outside it can match nothing (Stripe would reject it). */
  enum?: string[];
  /** Stripe refuses the list without this parameter: the query must give `column =` or `IN`. */
  required?: boolean;
  /** Stripe reads this character in a value as a wildcard (events `type=charge.*`): such a value stays residual. */
  wildcard?: string;
  /**
   * A retrieve under the parent's path (`/v1/customers/{parent}/tax_ids/{id}`): possible only
   * when the query also names the parent; otherwise `Id =` is checked on the listed rows.
   */
  needsParent?: boolean;
}

/**
 * A child table's parent: the object whose id the list path (or a required query parameter)
 * names. When the query gives no parent id, the parents are listed first and each one's children
 * read in turn — possible only when `listPath` is known.
 */
export interface ParentDef {
  /** The child table's column holding the parent id (`InvoiceId`). */
  column: string;
  /** `path`: `{parent}` in `paths.list`; `query`: the list parameter `param`. */
  in: 'path' | 'query';
  param: string;
  /** The parent table, when the parent is itself listable. */
  table?: string;
  listPath?: string;
  /** Parameters the parent list needs so that no parent is hidden (`status=all`). */
  listParams?: Record<string, string>;
  /** The parent list's paging, when it lacks Stripe's usual parameters (see TableDef.paging). */
  paging?: ListPaging;
}

/**
 * Which of Stripe's usual paging parameters a list endpoint takes. A few take neither
 * (`/v1/accounts/{account}/capabilities`, `/v1/reporting/report_types`): they answer with
 * every object at once, and Stripe refuses a request carrying a parameter they do not take.
 */
export interface ListPaging {
  /** `limit` (page size). */
  limit: boolean;
  /** `starting_after` / `ending_before`. */
  cursor: boolean;
}

/** A list parameter sent unless the query pushed the parameter itself (Stripe's default would hide rows). */
export interface DefaultParam {
  param: string;
  value: string;
  /** Why: the default the spec describes. */
  reason: string;
}

/**
 * A read of one object per account (GET /v1/balance), not a list. `rows` names an array field
 * whose elements are the rows (AvailableBalance: `available`); otherwise the object is the row.
 */
export interface SingletonDef {
  path: string;
  rows?: string;
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
  /** Views are read-only (no create path is offered to INSERT). Default 'table'. */
  kind?: 'table' | 'view';
  /** `{id}` stands for the object's id, `{parent}` for the parent's id (see `parent`). */
  paths: { list?: string; retrieve?: string; create?: string; update?: string; delete?: string; search?: string };
  columns: ColumnDef[];
  filters: FilterCapability[];
  insert?: InsertDef;
  parent?: ParentDef;
  defaultParams?: DefaultParam[];
  singleton?: SingletonDef;
  /** Absent: the list takes `limit` and cursors, as nearly every Stripe list does. */
  paging?: ListPaging;
}

export interface ListPagesOptions {
  /** Stripe-Account for every page; the transport's own account when absent. */
  accountId?: string;
  signal?: AbortSignal;
  /** Order does not matter and every page will be read: the transport may read a long list in parallel. */
  unordered?: boolean;
  /** Called once per request the pages took, with its retries and budget wait (EXPLAIN ANALYZE). */
  onRequest?: (cost: RequestCost) => void;
  /** false: the endpoint takes no `starting_after`; its one page is the whole list. */
  cursor?: boolean;
}

/**
 * What a Stripe table needs from the transport. The real StripeClient has exactly this shape;
 * tests pass a fake that records calls.
 */
export interface StripeTransport {
  request<T>(req: StripeRequest): Promise<T>;
  /** GETs `path` with `params`, following `starting_after` cursors; yields one envelope per page. */
  listPages(path: string, params: StripeParams, opts?: ListPagesOptions): AsyncGenerator<StripeList>;
  /** GETs a search endpoint with `params` (`query`, `limit`), following `next_page`. Absent: tables never search. */
  searchPages?(path: string, params: StripeParams, opts?: Pick<ListPagesOptions, 'accountId' | 'signal' | 'onRequest'>): AsyncGenerator<StripeSearchResult>;
  /** Requests in flight that keep the account's rate budget busy (StripeClient.requestsToKeepBusy). Absent: tables use their own widths. */
  requestsToKeepBusy?(accountId?: string): number;
}
