// A Stripe resource as an engine Table, driven entirely by its TableDef: plan() decides what
// Stripe can filter exactly, scan() makes the fewest requests for it, insert() creates objects.

import type {
  DeleteRequest, ExecContext, InsertRequest, KeyLookup, Predicate, Row, ScanPlan, ScanRequest, SqlValue, Table, UpdateRequest, WriteOutcome, WriteResult,
  WriteVerb,
} from '../engine/table.js';
import { TableRefusal } from '../engine/table.js';
import { encodeParams } from '../stripe/encode.js';
import type { StripeObject, StripeParams } from '../stripe/types.js';
import { buildCreateCalls, checkCreateColumns, type WriteValueOptions } from './create-params.js';
import { buildDeleteTargets, buildUpdateCalls, checkUpdateColumns, checkUpdateValues, deletePathOf, targetPath, updatePathOf } from './update-params.js';
import { firstFailure, runWrites, type PlannedRequest } from './write-runner.js';
import { isNotFound, isSearchRefused, MissingFilterError } from './errors.js';
import { ACCOUNTS_PATH, spansConnectedAccounts, type ConnectedAccounts } from './connected-accounts.js';
import { interleave } from './interleave.js';
import { planPushdown, type Pushdown } from './pushdown.js';
import { summarizeFilters, type FilterSummary } from './filter-summary.js';
import { mapRow, readPath, type RowSource } from './row-mapper.js';
import type { ColumnDef, ListPagesOptions, ListPaging, StripeTransport, TableDef } from './types.js';

/** Stripe's largest page. */
const MAX_PAGE_SIZE = 100;
/**
 * Retrieves of one `Id IN (…)` in flight at once, at least; more when the budget needs more in
 * flight to stay busy (rate × latency, within the connection's cap), as for parents below.
 */
const RETRIEVES_IN_FLIGHT = 8;
/**
 * Parents whose children are read at once in a child table's full read, at least. Each
 * parent's list is a few hundred milliseconds of waiting for one or two requests: one parent
 * at a time would use a small part of the request budget. More than the connection's cap on
 * requests in flight before Stripe's latency is known (10), so that cap and the rate budget bound
 * the read; when the budget needs more in flight (rate × latency, within the cap), more.
 */
export const PARENTS_IN_FLIGHT = 16;
/**
 * Lists read at once when an IN fans out into a list per value (or a search per ten values),
 * a lookup join's batch of keys among them, at least: as for parents, more than the
 * connection's cap on requests in flight before the latency is known, and more when the
 * budget needs more in flight.
 */
const LISTS_IN_FLIGHT = PARENTS_IN_FLIGHT;
/**
 * Connected accounts read at once by one scan. Each account's read may itself run parallel
 * windows or parents; the connection's cap on requests in flight and each account's rate
 * budget bound them all.
 */
export const ACCOUNTS_IN_FLIGHT = 8;
/** The accounts of a scan that spans every connected account, before they are listed. */
const EVERY_ACCOUNT: readonly (string | undefined)[] = [];

/** One object as read, with what the request knew about it. */
interface Fetched {
  object: StripeObject;
  source: RowSource;
}

export interface StripeTableOptions {
  /** The connection's connected account (the transport sends it by default); shown as AccountId. */
  accountId?: string;
  /**
   * AllConnectedAccounts=true: a read without `AccountId = …` reads every connected account of
   * the platform (these), each under its own Stripe-Account header and budget, several at once.
   */
  connectedAccounts?: ConnectedAccounts;
  /**
   * `auto` (default): a table with Stripe's search reads through it what its list cannot filter
   * (`Email LIKE '%@acme.com'`, Metadata, ORs, IN lists); `never`: always the list.
   */
  useSearch?: 'auto' | 'never';
}

class StripeScanPlan implements ScanPlan {
  // Plain fields, not getters, so a copy of the plan ({...plan}) keeps them.
  readonly pushed: Predicate[];
  readonly residual: Predicate[];
  readonly empty: boolean;

  constructor(
    readonly table: StripeTable,
    readonly pushdown: Pushdown,
    readonly orderSatisfied: boolean,
    readonly limitApplied: boolean,
    /** Rows to stop after, when the limit is applied. */
    readonly rowLimit: number | undefined,
    /** Columns whose field Stripe sends only when expanded. */
    readonly expandColumns: ColumnDef[],
    readonly estimatedRequests: number | undefined,
    private readonly lines: () => string[],
    /**
     * The query wants no order and no row limit from the scan: a long list may be read in
     * parallel `created` windows (the transport decides when).
     */
    readonly unordered: boolean = false,
  ) {
    this.pushed = pushdown.pushed;
    this.residual = pushdown.residual;
    this.empty = pushdown.empty;
  }

  describe(): string[] {
    return this.lines();
  }
}

export class StripeTable implements Table {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** What names one object to update or delete: its id, its parent's id, the account it lives in. */
  readonly rowIdentity: readonly string[];

  constructor(
    readonly def: TableDef,
    private readonly transport: StripeTransport,
    private readonly options: StripeTableOptions = {},
  ) {
    this.name = def.name;
    // The engine knows JSON columns by Column.json, not by the catalog's encodings.
    this.columns = def.columns.map((c) => (c.encoding === 'json' ? { ...c, json: true } : c));
    const account = def.columns.find((c) => c.encoding === 'account');
    this.rowIdentity = [this.keyColumnName(), ...(def.parent ? [def.parent.column] : []), ...(account ? [account.name] : [])];
  }

  /** Refuses, before any request, a verb Stripe has no endpoint for or a column it cannot set. */
  checkWrite(verb: WriteVerb, columns: readonly string[]): void {
    if (verb === 'INSERT' && (!this.def.paths.create || this.def.kind === 'view')) {
      throw new TableRefusal(`${this.name} does not support INSERT: Stripe has no create endpoint for ${this.def.resource}`);
    }
    if (verb === 'INSERT') checkCreateColumns(this.def, columns);
    if (verb === 'UPDATE') checkUpdateColumns(this.def, columns);
    if (verb === 'DELETE') deletePathOf(this.def);
  }

  checkValues(verb: WriteVerb, values: Readonly<Record<string, SqlValue>>, ctx: ExecContext): void {
    if (verb === 'UPDATE') checkUpdateValues(this.def, values, writeOptions(ctx));
  }

  plan(request: ScanRequest): ScanPlan {
    const pushdown = planPushdown(this.def, request.predicates, { search: this.searches() });
    if (!pushdown.empty) this.checkRequired(pushdown);
    // Every connected account: how many is known only when read, so never one.
    const accounts = pushdown.accounts ?? (this.spansAccounts() ? EVERY_ACCOUNT : [this.options.accountId]);
    const accountCount = accounts === EVERY_ACCOUNT ? Infinity : accounts.length;
    const retrieveParents = retrievesUnderParent(this.def) ? (pushdown.parents?.length ?? 1) : 1;
    const singleRetrieve = pushdown.ids !== undefined && pushdown.ids.length * accountCount * retrieveParents <= 1;
    const oneParent = this.def.parent === undefined || pushdown.parents?.length === 1;
    const orderSatisfied = request.orderBy.length === 0 || singleRetrieve ||
      (pushdown.ids === undefined && !this.def.singleton && oneParent && accountCount === 1 && pushdown.lists.length === 1 && this.isNativeOrder(request.orderBy));
    const limitApplied = request.limit !== undefined && pushdown.residual.length === 0 && orderSatisfied;
    const rowLimit = limitApplied ? request.limit : undefined;
    const needed = new Set(request.columns.map((c) => c.toLowerCase()));
    const expandColumns = this.def.columns.filter((c) => c.expand && needed.has(c.name.toLowerCase()));
    const estimate = accountCount === Infinity ? undefined : estimateRequests(pushdown, accountCount, rowLimit, this.def);
    const unordered = request.orderBy.length === 0 && request.limit === undefined && this.listsByCreated() && pagedFully(this.def.paging);
    const plan: StripeScanPlan = new StripeScanPlan(this, pushdown, orderSatisfied, limitApplied, rowLimit, expandColumns, estimate,
      () => this.describePlan(plan, accounts), unordered);
    return plan;
  }

  /**
   * Keys go through the same plan() as any query, so a fetch costs what its plan says: an Id a
   * retrieve each, a customer or an email a list each (IN fans out into one list per key);
   * where the IN would be left to Stripe's search (loose, and a minute behind writes), a list
   * per key with `=` instead. What a batch costs depends on how many distinct keys a filter
   * gets, never on which, so it is planned with placeholders named after the column.
   */
  keyLookup(request: ScanRequest, column: string, batchSize: number): KeyLookup | undefined {
    const def = this.def.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
    if (!def || def.type !== 'String') return undefined;
    const placeholder = `{${def.name}}`;
    for (const op of ['IN', '='] as const) {
      const batch = op === 'IN' ? Array.from({ length: batchSize }, (_, i) => `${placeholder}${i}`) : [placeholder];
      const keyed = withKey(request, def.name, op, batch);
      const plan = this.planOrUndefined(keyed);
      if (!plan || plan.empty || !plan.pushed.includes(keyed.predicates.at(-1)!)) continue;
      const one = this.planOrUndefined(withKey(request, def.name, op, [placeholder]));
      const shown = (line: string): string => line.replaceAll(encodeURIComponent(placeholder), placeholder).replaceAll(`'${placeholder}'`, '…');
      return {
        op,
        requestsPerFetch: firstPageRequests(plan.pushdown, (plan.pushdown.accounts ?? [this.options.accountId]).length, this.def),
        describe: () => (one ? one.describe().map(shown) : []),
      };
    }
    return undefined;
  }

  /** The plan, or undefined where plan() refuses the request (a filter Stripe requires is missing). */
  private planOrUndefined(request: ScanRequest): StripeScanPlan | undefined {
    try {
      return this.plan(request) as StripeScanPlan;
    } catch (error) {
      if (error instanceof MissingFilterError || error instanceof TableRefusal) return undefined;
      throw error;
    }
  }

  async *scan(plan: ScanPlan, ctx: ExecContext): AsyncIterable<Row> {
    const own = this.ownPlan(plan);
    if (own.empty) return;
    const rowLimit = own.rowLimit ?? Infinity;
    if (rowLimit <= 0) return;
    const accounts = own.pushdown.accounts ?? (this.spansAccounts() ? await this.options.connectedAccounts!.list(ctx) : [undefined]);
    // Several accounts, every row wanted: read them at once, each under its own header and
    // budget, rows streaming out as they arrive. With a row limit, one after another.
    if (accounts.length > 1 && rowLimit === Infinity) {
      const reads = accounts.map((account) => (stop: AbortSignal) => this.accountRows(own, account, Infinity, withStop(ctx, stop)));
      yield* interleave(reads, ACCOUNTS_IN_FLIGHT);
      return;
    }
    let remaining = rowLimit;
    for (const account of accounts) {
      for await (const row of this.accountRows(own, account, remaining, ctx)) {
        yield row;
        if (--remaining <= 0) return;
      }
    }
  }

  /** The rows of one account (undefined: the connection's own), AccountId filled in. */
  private async *accountRows(plan: StripeScanPlan, account: string | undefined, rowLimit: number, ctx: ExecContext): AsyncGenerator<Row> {
    for await (const { object, source } of this.fetch(plan, account, rowLimit, ctx)) {
      const complete = await this.completeExpandedLists(plan.expandColumns, object, account, ctx);
      yield mapRow(this.columns, complete, account ?? this.options.accountId, source);
    }
  }

  /** Whether a read without `AccountId = …` reads every connected account (AllConnectedAccounts=true). */
  private spansAccounts(): boolean {
    return this.options.connectedAccounts !== undefined && spansConnectedAccounts(this.def);
  }

  /** Whether reads may go through Stripe's search. */
  /** Per column, what its comparisons become at Stripe: list parameters, a read by id, a search. */
  filterSummary(): FilterSummary {
    return summarizeFilters(this.def, this.searches());
  }

  private searches(): boolean {
    return this.options.useSearch !== 'never' && this.def.paths.search !== undefined && typeof this.transport.searchPages === 'function';
  }

  /** Stripe refuses the request without these; say so before sending anything. */
  private checkRequired(pushdown: Pushdown): void {
    if (pushdown.ids) return;
    const given = new Set(pushdown.pushed.filter((p) => p.op === '=' || p.op === 'IN').map((p) => p.column.toLowerCase()));
    const missing = this.def.filters.filter((f) => f.required && !given.has(f.column.toLowerCase())).map((f) => f.column);
    if (missing.length > 0) throw new MissingFilterError(this.name, [...new Set(missing)], 'Stripe cannot list them without it');
    if (!this.def.paths.list && !this.def.singleton) {
      if (!this.def.paths.retrieve) throw new TableRefusal(`${this.name} cannot be read: Stripe only creates them`);
      throw new MissingFilterError(this.name, [this.keyColumnName()], 'Stripe has no list of them, only a read by id');
    }
  }

  async insert(request: InsertRequest, ctx: ExecContext): Promise<WriteResult> {
    const outcome = await this.insertRows(request, ctx);
    const failure = firstFailure(outcome);
    if (failure) throw failure;
    return { rowsAffected: outcome.rowsAffected, ...(outcome.lastInsertId !== undefined ? { lastInsertId: outcome.lastInsertId } : {}) };
  }

  /** Every row validated first (nothing sent if one is bad), then one POST per row. */
  async insertRows(request: InsertRequest, ctx: ExecContext): Promise<WriteOutcome> {
    const create = this.def.paths.create;
    if (!create || this.def.kind === 'view') throw new TableRefusal(`${this.name} does not support INSERT: Stripe has no create endpoint for ${this.def.resource}`);
    const calls = buildCreateCalls(this.def, request, writeOptions(ctx));
    const expanded = this.expandedFor(request.returning);
    const planned = calls.map((call): PlannedRequest => ({
      method: 'POST',
      path: withParent(create, call.parentId),
      params: withExpand(call.params, expanded),
      ...(call.accountId !== undefined ? { accountId: call.accountId } : {}),
      ...(call.parentId !== undefined ? { parentId: call.parentId } : {}),
    }));
    return runWrites(this.transport, this.def, 'create', planned, ctx, (object, req) => this.writtenRow(object, req, expanded, ctx));
  }

  async update(request: UpdateRequest, ctx: ExecContext): Promise<WriteOutcome> {
    const path = updatePathOf(this.def);
    const calls = buildUpdateCalls(this.def, request, writeOptions(ctx));
    const expanded = this.expandedFor(request.returning);
    const planned = calls.map((call): PlannedRequest => ({
      method: 'POST', path: targetPath(path, call), params: withExpand(call.params, expanded), id: call.id,
      ...(call.accountId !== undefined ? { accountId: call.accountId } : {}),
      ...(call.parentId !== undefined ? { parentId: call.parentId } : {}),
    }));
    return runWrites(this.transport, this.def, 'update', planned, ctx, (object, req) => this.writtenRow(object, req, expanded, ctx));
  }

  async delete(request: DeleteRequest, ctx: ExecContext): Promise<WriteOutcome> {
    const path = deletePathOf(this.def);
    const planned = buildDeleteTargets(this.def, request).map((target): PlannedRequest => ({
      method: 'DELETE', path: targetPath(path, target), id: target.id,
      ...(target.accountId !== undefined ? { accountId: target.accountId } : {}),
    }));
    return runWrites(this.transport, this.def, 'delete', planned, ctx, () => undefined);
  }

  /** The object a create or update returned, as a row of this table (for RETURNING). */
  private async writtenRow(object: StripeObject, request: PlannedRequest, expanded: ColumnDef[], ctx: ExecContext): Promise<Row | undefined> {
    if (object === null || typeof object !== 'object') return undefined;
    const account = request.accountId ?? this.options.accountId;
    // The write is done whatever happens here: if the rest of an expanded list cannot be read,
    // the row shows the first page Stripe sent with the answer.
    const complete = await this.completeExpandedLists(expanded, object, request.accountId, ctx).catch(() => object);
    return mapRow(this.columns, complete, account, request.parentId !== undefined ? { parentId: request.parentId } : {});
  }

  /** Columns RETURNING reads that Stripe sends only when expanded. */
  private expandedFor(returning: readonly string[] | undefined): ColumnDef[] {
    if (!returning) return [];
    const wanted = new Set(returning.map((name) => name.toLowerCase()));
    return this.def.columns.filter((c) => c.expand && !c.expand.included && wanted.has(c.name.toLowerCase()));
  }

  /** Whether the list endpoint filters by `created` ranges (what parallel windows need). */
  private listsByCreated(): boolean {
    return this.def.filters.some((f) => f.kind === 'range' && f.param === 'created');
  }

  private isNativeOrder(orderBy: ScanRequest['orderBy']): boolean {
    // Stripe lists newest first; only a `created` range column can claim that order.
    const created = this.def.filters.find((f) => f.kind === 'range' && f.param === 'created');
    return orderBy.length === 1 && created !== undefined && orderBy[0]!.direction === 'DESC' &&
      orderBy[0]!.column.toLowerCase() === created.column.toLowerCase();
  }

  private ownPlan(plan: ScanPlan): StripeScanPlan {
    if (plan instanceof StripeScanPlan && plan.table === this) return plan;
    throw new Error(`${this.name}.scan() was given a plan made by another table`);
  }

  private async *fetch(plan: StripeScanPlan, account: string | undefined, rowLimit: number, ctx: ExecContext): AsyncIterable<Fetched> {
    if (plan.pushdown.ids) {
      let remaining = rowLimit;
      for (const parentId of this.retrieveParents(plan)) {
        const source: RowSource = parentId !== undefined ? { parentId } : {};
        for await (const object of this.retrieveEach(plan, plan.pushdown.ids, parentId, account, remaining, ctx)) {
          yield { object, source };
          if (--remaining <= 0) return;
        }
      }
      return;
    }
    if (plan.pushdown.search) {
      yield* this.searchOrList(plan, account, ctx);
      return;
    }
    // Every row of every parent is wanted: read several parents' children at once.
    if (this.def.parent && rowLimit === Infinity) {
      yield* this.fanOut(plan, account, ctx);
      return;
    }
    let remaining = rowLimit;
    for await (const parentId of this.parentIds(plan, account, ctx)) {
      for await (const fetched of this.childRows(plan, parentId, account, remaining, ctx)) {
        yield fetched;
        if (--remaining <= 0) return;
      }
    }
  }

  private childRows(plan: StripeScanPlan, parentId: string | undefined, account: string | undefined, rowLimit: number, ctx: ExecContext): AsyncIterable<Fetched> {
    return this.def.singleton ? this.readSingleton(parentId, account, ctx) : this.list(plan, parentId, account, rowLimit, ctx);
  }

  /**
   * How many of one read's small requests (parents' lists, retrieves, an IN's lists) to keep in
   * flight: enough to keep the account's rate budget busy at the latency seen (the connection's
   * requestsToKeepBusy, within its cap), never fewer than `floor`. Asked again as requests
   * start, so a read widens once the first answers show Stripe's latency.
   */
  private keepingBusy(account: string | undefined, floor: number): () => number {
    return () => Math.max(floor, this.transport.requestsToKeepBusy?.(account) ?? 0);
  }

  /**
   * The children of up to PARENTS_IN_FLIGHT parents read at once, yielded parent by parent in
   * parent order as each one's list is complete, so rows keep streaming. Stopping early aborts
   * the reads still running.
   */
  private async *fanOut(plan: StripeScanPlan, account: string | undefined, ctx: ExecContext): AsyncIterable<Fetched> {
    const stop = new AbortController();
    const stopSignals = ctx.signal ? [ctx.signal, stop.signal] : [stop.signal];
    const parents = this.parentIds(plan, account, ctx)[Symbol.asyncIterator]();
    const reading: Promise<Fetched[]>[] = [];
    // Each parent is a request at a time.
    const width = this.keepingBusy(account, PARENTS_IN_FLIGHT);
    let parentsLeft = true;
    const readNextParent = async (): Promise<void> => {
      const next = await parents.next();
      if (next.done) {
        parentsLeft = false;
        return;
      }
      // A signal of its own per parent: requests queued for the budget each listen to theirs,
      // so no one signal gathers the listeners of every parent in flight.
      const rows = collect(this.childRows(plan, next.value, account, Infinity, { ...ctx, signal: AbortSignal.any(stopSignals) }));
      // Awaited in turn below; marked handled now so that a failure while an earlier parent is
      // still being yielded cannot crash the process.
      rows.catch(() => undefined);
      reading.push(rows);
    };
    try {
      while (parentsLeft && reading.length < width()) await readNextParent();
      while (reading.length > 0) {
        const rows = await reading.shift()!;
        while (parentsLeft && reading.length < width()) await readNextParent();
        yield* rows;
      }
    } finally {
      stop.abort();
      await parents.return?.();
    }
  }

  /**
   * The parents to read children of: those the query names, else every parent (listed first,
   * a page at a time), else — a table with no parent — one pass with none.
   */
  private async *parentIds(plan: StripeScanPlan, account: string | undefined, ctx: ExecContext): AsyncIterable<string | undefined> {
    const parent = this.def.parent;
    if (!parent) {
      yield undefined;
      return;
    }
    if (plan.pushdown.parents) {
      yield* plan.pushdown.parents;
      return;
    }
    const pages = this.transport.listPages(parent.listPath!, pageParams({ ...parent.listParams }, parent.paging, MAX_PAGE_SIZE), {
      ...requestOptions(account, ctx),
      ...(parent.paging?.cursor === false ? { cursor: false } : {}),
    });
    for await (const page of pages) {
      for (const object of page.data) if (typeof object.id === 'string') yield object.id;
    }
  }

  /** A singleton read (GET /v1/balance): the object, or the elements of its `rows` array. */
  private async *readSingleton(parentId: string | undefined, account: string | undefined, ctx: ExecContext): AsyncIterable<Fetched> {
    const singleton = this.def.singleton!;
    const object = await this.transport.request<StripeObject>({
      method: 'GET',
      path: withParent(singleton.path, parentId),
      ...requestOptions(account, ctx),
    });
    const source: RowSource = parentId !== undefined ? { parentId } : {};
    if (!singleton.rows) {
      yield { object, source };
      return;
    }
    const rows = readPath(object, singleton.rows);
    if (Array.isArray(rows)) for (const row of rows) yield { object: row as StripeObject, source };
  }

  /** The parents whose path a retrieve goes under (`{parent}` in the path), else one pass with none. */
  private retrieveParents(plan: StripeScanPlan): (string | undefined)[] {
    return retrievesUnderParent(this.def) && plan.pushdown.parents ? plan.pushdown.parents : [undefined];
  }

  /**
   * Retrieves run as many at a time as keep the budget busy (the transport still enforces it), yielding in
   * id order. Never more in flight than rows still wanted, so `LIMIT 1` costs one request.
   */
  private async *retrieveEach(
    plan: StripeScanPlan, ids: string[], parentId: string | undefined, account: string | undefined, rowLimit: number, ctx: ExecContext,
  ): AsyncIterable<StripeObject> {
    const busy = this.keepingBusy(account, RETRIEVES_IN_FLIGHT);
    const window = () => Math.max(1, Math.min(busy(), rowLimit));
    const pending: Promise<StripeObject | undefined>[] = [];
    let next = 0;
    const start = () => {
      const retrieval = this.retrieve(plan, ids[next++]!, parentId, account, ctx);
      // Marked handled now: it is awaited later, and an early failure must not crash the process meanwhile.
      retrieval.catch(() => undefined);
      pending.push(retrieval);
    };
    while (next < ids.length && pending.length < window()) start();
    let wanted = rowLimit;
    while (pending.length > 0) {
      const object = await pending.shift()!;
      if (object) wanted--;
      while (next < ids.length && pending.length < Math.min(window(), wanted)) start();
      if (object) yield object;
    }
  }

  private async retrieve(plan: StripeScanPlan, id: string, parentId: string | undefined, account: string | undefined, ctx: ExecContext): Promise<StripeObject | undefined> {
    const params = this.retrieveParams(plan);
    try {
      const object = await this.transport.request<StripeObject>({
        method: 'GET',
        path: withParent(this.retrievePath(id), parentId),
        ...(params ? { params } : {}),
        ...requestOptions(account, ctx),
      });
      // A deleted customer (and the like) still answers, as `{ id, object, deleted: true }`:
      // it is no longer a row.
      return object?.deleted === true ? undefined : object;
    } catch (error) {
      // `Id = 'x'` with no such object is an empty result, as in any database.
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async *list(
    plan: StripeScanPlan, parentId: string | undefined, account: string | undefined, rowLimit: number, ctx: ExecContext,
    lists: readonly StripeParams[] = plan.pushdown.lists,
  ): AsyncIterable<Fetched> {
    const path = this.def.paths.list;
    if (!path) throw new TableRefusal(`${this.name} cannot be listed; filter it by ${this.keyColumnName()} instead`);
    // An IN fanned out into a list per value, every row wanted: several lists at once.
    if (lists.length > 1 && rowLimit === Infinity) {
      const walks = lists.map((filters) => (stop: AbortSignal) => this.listWalk(plan, filters, parentId, account, rowLimit, withStop(ctx, stop)));
      for await (const page of interleave(walks, this.keepingBusy(account, LISTS_IN_FLIGHT))) yield* page;
      return;
    }
    let remaining = rowLimit;
    for (const filters of lists) {
      for await (const page of this.listWalk(plan, filters, parentId, account, remaining, ctx)) {
        yield* page;
        remaining -= page.length;
      }
    }
  }

  /** One list request's pages. */
  private async *listWalk(
    plan: StripeScanPlan, filters: StripeParams, parentId: string | undefined, account: string | undefined, rowLimit: number, ctx: ExecContext,
  ): AsyncGenerator<Fetched[]> {
    const params = this.listParams(plan, filters, rowLimit, parentId);
    const source: RowSource = { params, ...(parentId !== undefined ? { parentId } : {}) };
    const pages = this.transport.listPages(this.listPath(parentId), params, {
      ...requestOptions(account, ctx),
      ...(plan.unordered ? { unordered: true } : {}),
      ...(this.def.paging?.cursor === false ? { cursor: false } : {}),
    });
    for await (const page of pages) yield page.data.map((object) => ({ object, source }));
  }

  /** The search, or the list when Stripe refuses the search before it found anything. */
  private async *searchOrList(plan: StripeScanPlan, account: string | undefined, ctx: ExecContext): AsyncIterable<Fetched> {
    const found = this.search(plan, account, ctx)[Symbol.asyncIterator]();
    try {
      let next: IteratorResult<Fetched>;
      try {
        next = await found.next();
      } catch (error) {
        if (!isSearchRefused(error)) throw error;
        yield* this.list(plan, undefined, account, Infinity, ctx, plan.pushdown.search!.lists);
        return;
      }
      for (; !next.done; next = await found.next()) yield next.value;
    } finally {
      await found.return?.();
    }
  }

  /**
   * Stripe's search: one query, or the queries of an IN's batches several at once, an object
   * found by two of them yielded once.
   */
  private async *search(plan: StripeScanPlan, account: string | undefined, ctx: ExecContext): AsyncIterable<Fetched> {
    const { queries } = plan.pushdown.search!;
    if (queries.length === 1) {
      for await (const page of this.searchWalk(plan, queries[0]!, account, ctx)) yield* page;
      return;
    }
    const seen = new Set<string>();
    const walks = queries.map((query) => (stop: AbortSignal) => this.searchWalk(plan, query, account, withStop(ctx, stop)));
    for await (const page of interleave(walks, this.keepingBusy(account, LISTS_IN_FLIGHT))) {
      for (const fetched of page) {
        const id = fetched.object.id;
        if (typeof id === 'string') {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        yield fetched;
      }
    }
  }

  private async *searchWalk(plan: StripeScanPlan, query: string, account: string | undefined, ctx: ExecContext): AsyncGenerator<Fetched[]> {
    const pages = this.transport.searchPages!(plan.pushdown.search!.path, this.searchParams(plan, query), requestOptions(account, ctx));
    for await (const page of pages) yield page.data.map((object) => ({ object, source: {} }));
  }

  private searchParams(plan: StripeScanPlan, query: string): StripeParams {
    const expand = plan.expandColumns.filter((c) => !c.expand!.included).map((c) => c.expand!.list);
    return { query, limit: MAX_PAGE_SIZE, ...(expand.length > 0 ? { expand } : {}) };
  }

  /** The list path, with the parent id in it when the parent sits in the path. */
  private listPath(parentId: string | undefined): string {
    const path = this.def.paths.list!;
    return this.def.parent?.in === 'path' ? withParent(path, parentId) : path;
  }

  private listParams(plan: StripeScanPlan, filters: StripeParams, rowLimit: number, parentId?: string): StripeParams {
    const params = pageParams({ ...filters }, this.def.paging, Math.max(1, Math.min(rowLimit, MAX_PAGE_SIZE)));
    if (this.def.parent?.in === 'query' && parentId !== undefined) params[this.def.parent.param] = parentId;
    const expand = plan.expandColumns.filter((c) => !c.expand!.included).map((c) => c.expand!.list);
    if (expand.length > 0) params.expand = expand;
    return params;
  }

  private retrieveParams(plan: StripeScanPlan): StripeParams | undefined {
    const expand = plan.expandColumns.filter((c) => !c.expand!.included).map((c) => c.expand!.retrieve);
    return expand.length > 0 ? { expand } : undefined;
  }

  private retrievePath(id: string): string {
    const path = this.def.paths.retrieve;
    if (!path) throw new TableRefusal(`${this.name} has no retrieve endpoint`);
    return path.replace('{id}', encodeURIComponent(id));
  }

  /** An embedded list is cut at its first page; read the rest so the column is whole. */
  private async completeExpandedLists(expandColumns: readonly ColumnDef[], object: StripeObject, account: string | undefined, ctx: ExecContext): Promise<StripeObject> {
    let result = object;
    for (const column of expandColumns) {
      const { retrieve: listField, morePath } = column.expand!;
      const embedded = readPath(result, listField) as { data?: StripeObject[]; has_more?: boolean } | null | undefined;
      if (!morePath || !embedded?.has_more || !Array.isArray(embedded.data) || typeof result.id !== 'string') continue;
      const data = [...embedded.data];
      const lastId = data[data.length - 1]?.id;
      const [morePathOnly, moreQuery] = morePath.replace('{id}', encodeURIComponent(result.id)).split('?') as [string, string | undefined];
      const pages = this.transport.listPages(
        morePathOnly,
        { ...Object.fromEntries(new URLSearchParams(moreQuery ?? '')), limit: MAX_PAGE_SIZE, ...(lastId !== undefined ? { starting_after: lastId } : {}) },
        requestOptions(account, ctx),
      );
      for await (const page of pages) data.push(...page.data);
      result = withField(result, listField, { ...embedded, data, has_more: false });
    }
    return result;
  }

  private describePlan(plan: StripeScanPlan, accounts: readonly (string | undefined)[]): string[] {
    const head = `StripeScan ${this.name}:`;
    const lines: string[] = [];
    if (plan.empty) {
      lines.push(`${head} no request (the predicates match nothing)`);
    } else if (plan.pushdown.search) {
      const { path, queries } = plan.pushdown.search;
      // The query as written, not percent-encoded, so it reads as Stripe's search language.
      const { query: _query, ...paging } = this.searchParams(plan, '');
      for (const query of queries) lines.push(`${head} GET ${path}?query=${query}&${encodeParams(paging)}`);
      lines.push(`search: ${queries.length === 1 ? 'the query narrows' : `${queries.length} queries narrow`} the read; Stripe's search is loose and lags writes by about a minute, so every condition is checked on the rows (and if Stripe refuses the search, the list is read)`);
    } else if (plan.pushdown.ids) {
      const params = this.retrieveParams(plan);
      const query = params ? `?${encodeParams(params)}` : '';
      for (const parentId of this.retrieveParents(plan)) {
        for (const id of plan.pushdown.ids) lines.push(`${head} GET ${withParent(this.retrievePath(id), parentId)}${query}`);
      }
    } else {
      const parent = this.def.parent;
      const parents: (string | undefined)[] = plan.pushdown.parents ?? [parent ? `{${parent.column}}` : undefined];
      if (parent && !plan.pushdown.parents) {
        lines.push(`${head} no ${parent.column} given: GET ${withQuery(parent.listPath!, encodeParams(pageParams({ ...parent.listParams }, parent.paging, MAX_PAGE_SIZE)))} for every ${parent.table} id, then for each one:`);
      }
      for (const parentId of parents) {
        // A placeholder for "each parent" is shown as is, not percent-encoded.
        const shown = (path: string) => (plan.pushdown.parents ? withParent(path, parentId) : path.replace('{parent}', parentId ?? '{parent}'));
        if (this.def.singleton) {
          lines.push(`${head} GET ${shown(this.def.singleton.path)}${this.def.singleton.rows ? ` (one row per ${this.def.singleton.rows} entry)` : ''}`);
          continue;
        }
        for (const filters of plan.pushdown.lists) {
          const encoded = encodeParams(this.listParams(plan, filters, plan.rowLimit ?? Infinity, parentId));
          const query = plan.pushdown.parents || !parentId ? encoded : encoded.replace(encodeURIComponent(parentId), parentId);
          const listPath = this.def.paths.list;
          lines.push(`${head} GET ${withQuery(listPath ? (this.def.parent?.in === 'path' ? shown(listPath) : listPath) : '(not listable)', query)}`);
        }
      }
    }
    if (plan.pushed.length > 0) lines.push(`pushed: ${predicateText(plan.pushed)}`);
    if (plan.residual.length > 0) lines.push(`residual: ${predicateText(plan.residual)}`);
    const named = accounts.filter((a): a is string => a !== undefined);
    if (accounts === EVERY_ACCOUNT) lines.push(`account: every connected account (GET ${ACCOUNTS_PATH}?limit=100 lists them), ${ACCOUNTS_IN_FLIGHT} read at once`);
    else if (named.length > 0) lines.push(`account: ${named.join(', ')}${named.length > 1 ? `, ${Math.min(ACCOUNTS_IN_FLIGHT, named.length)} read at once` : ''}`);
    if (plan.limitApplied) lines.push(`limit: ${plan.rowLimit} (stops after that many rows)`);
    if (plan.unordered && !plan.pushdown.ids && !plan.pushdown.search && !plan.empty && !this.def.singleton) lines.push('order not needed: a long list is read in parallel created windows after its first pages');
    return lines;
  }

  private keyColumnName(): string {
    return this.def.columns.find((c) => c.key)?.name ?? 'Id';
  }
}

function predicateText(predicates: Predicate[]): string {
  return predicates.map((p) => p.text).join(' AND ');
}

function estimateRequests(pushdown: Pushdown, accountCount: number, rowLimit: number | undefined, def: TableDef): number | undefined {
  if (pushdown.empty) return 0;
  if (pushdown.ids) return pushdown.ids.length * accountCount * (retrievesUnderParent(def) ? (pushdown.parents?.length ?? 1) : 1);
  // Exact values of an id or email field find few objects: about a page per query.
  if (pushdown.search) return pushdown.search.exactOnListFilters ? pushdown.search.queries.length * accountCount : undefined;
  if (def.parent && !pushdown.parents) return undefined;
  const parentCount = pushdown.parents?.length ?? 1;
  if (def.singleton) return parentCount * accountCount;
  if (pushdown.parents) return rowLimit === undefined ? undefined : parentCount * accountCount * pushdown.lists.length * Math.max(1, Math.ceil(rowLimit / MAX_PAGE_SIZE));
  if (rowLimit !== undefined) return rowLimit === 0 ? 0 : accountCount * pushdown.lists.length * Math.ceil(rowLimit / MAX_PAGE_SIZE);
  return undefined;
}

/** The request a lookup join's fetch makes: `request` and `column IN (keys)` or `column = key`. */
function withKey(request: ScanRequest, column: string, op: 'IN' | '=', keys: string[]): ScanRequest {
  const id = request.predicates.reduce((max, p) => Math.max(max, p.id), 0) + 1;
  const text = `${column} ${op === 'IN' ? `IN (${keys.map((k) => `'${k}'`).join(', ')})` : `= '${keys[0]}'`}`;
  const predicate: Predicate = op === 'IN' ? { id, column, op, values: keys, text } : { id, column, op, value: keys[0]!, text };
  return { ...request, predicates: [...request.predicates, predicate] };
}

/**
 * Requests a fetch by key makes when each list takes one page (a customer's charges, the
 * customers with an email): a keyed read is small, where a full read's size is unknown.
 */
function firstPageRequests(pushdown: Pushdown, accountCount: number, def: TableDef): number | undefined {
  if (pushdown.empty) return 0;
  if (pushdown.ids) return pushdown.ids.length * accountCount * (retrievesUnderParent(def) ? (pushdown.parents?.length ?? 1) : 1);
  if (pushdown.search) return pushdown.search.queries.length * accountCount;
  if (def.parent && !pushdown.parents) return undefined;
  const parentCount = pushdown.parents?.length ?? 1;
  return parentCount * accountCount * (def.singleton ? 1 : pushdown.lists.length);
}

/** List parameters with the page size, when the endpoint takes one (a few take no `limit`). */
function pageParams(params: StripeParams, paging: ListPaging | undefined, pageSize: number): StripeParams {
  return paging?.limit === false ? params : { ...params, limit: pageSize };
}

/** Whether a list takes both `limit` and cursors, as a read in parallel windows needs. */
function pagedFully(paging: ListPaging | undefined): boolean {
  return paging === undefined || (paging.limit && paging.cursor);
}

function withQuery(path: string, query: string): string {
  return query === '' ? path : `${path}?${query}`;
}

/** A request's account, the statement's signal, and EXPLAIN ANALYZE's count of what it cost. */
function requestOptions(account: string | undefined, ctx: ExecContext): Pick<ListPagesOptions, 'accountId' | 'signal' | 'onRequest'> {
  return {
    ...(account !== undefined ? { accountId: account } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.onRequest ? { onRequest: ctx.onRequest } : {}),
  };
}

/** The context with `stop` added to its signal. */
function withStop(ctx: ExecContext, stop: AbortSignal): ExecContext {
  return { ...ctx, signal: ctx.signal ? AbortSignal.any([ctx.signal, stop]) : stop };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** A write's parameters asking Stripe to include the expanded fields in its answer. */
function withExpand(params: StripeParams, expanded: readonly ColumnDef[]): StripeParams {
  return expanded.length === 0 ? params : { ...params, expand: expanded.map((c) => c.expand!.retrieve) };
}

/** `{parent}` in a path replaced by the (encoded) parent id. */
function withParent(path: string, parentId: string | undefined): string {
  return parentId === undefined ? path : path.replace('{parent}', encodeURIComponent(parentId));
}

/** A retrieve under the parent's path (`/v1/customers/{parent}/tax_ids/{id}`): one per parent named. */
function retrievesUnderParent(def: TableDef): boolean {
  return def.paths.retrieve?.includes('{parent}') === true;
}

/** A copy of `object` with the value at dot path `path` replaced. */
function withField(object: StripeObject, path: string, value: unknown): StripeObject {
  const [head, ...rest] = path.split('.');
  const inner = object[head!];
  const replaced = rest.length === 0 ? value
    : withField((inner && typeof inner === 'object' ? inner : {}) as StripeObject, rest.join('.'), value);
  return { ...object, [head!]: replaced };
}

/** What value conversion may use from the statement's context. */
function writeOptions(ctx: ExecContext): WriteValueOptions {
  return ctx.resolveTempTable ? { resolveTempTable: (name) => ctx.resolveTempTable!(name) } : {};
}
