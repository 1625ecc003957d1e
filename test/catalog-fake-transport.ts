// Test double for the Stripe transport the catalog tables use: serves canned objects and list
// pages, and records every call with its parameters exactly as they would go on the wire.

import type { ListPagesOptions, StripeTransport } from '../src/catalog/types.js';
import type { OrderKey, Predicate, PredicateOp, ScanRequest, SqlValue } from '../src/engine/table.js';
import { encodeParams } from '../src/stripe/encode.js';
import { StripeApiError } from '../src/stripe/errors.js';
import type { StripeList, StripeObject, StripeParams, StripeRequest } from '../src/stripe/types.js';

export interface RecordedCall {
  /** `GET /v1/x?a=1`, `POST /v1/x`, or `LIST /v1/x?a=1` for listPages. */
  line: string;
  /** The form body of a POST. */
  body?: string;
  accountId?: string;
  idempotencyKey?: string;
}

export class FakeTransport implements StripeTransport {
  readonly calls: RecordedCall[] = [];
  /** Pages served so far by listPages (one GET each in the real transport). */
  pagesServed = 0;
  private readonly objects = new Map<string, StripeObject>();
  private readonly lists = new Map<string, StripeObject[][]>();
  private createdCount = 0;
  private readonly failures: Error[] = [];
  private readonly failuresAt = new Map<number, Error>();
  private readonly postAnswers = new Map<string, StripeObject>();

  /** The next request (after being recorded) throws `error`; queued, one per call. */
  failNextWith(error: Error): this {
    this.failures.push(error);
    return this;
  }

  /** Request number `callIndex` (0-based, counting every request() call) throws `error`. */
  failAt(callIndex: number, error: Error): this {
    this.failuresAt.set(callIndex, error);
    return this;
  }

  /** Answers a POST to `path` with `object` (default: a created checkout.session). */
  answerPost(path: string, object: StripeObject): this {
    this.postAnswers.set(path, object);
    return this;
  }

  /** Serves `object` for GET `path`. */
  addObject(path: string, object: StripeObject): this {
    this.objects.set(path, object);
    return this;
  }

  /** Serves these pages (has_more on all but the last) for listPages(`path`). */
  addList(path: string, pages: StripeObject[][]): this {
    this.lists.set(path, pages);
    return this;
  }

  async request<T>(req: StripeRequest): Promise<T> {
    const query = req.params && req.method !== 'POST' ? encodeParams(req.params) : '';
    this.calls.push({
      line: `${req.method} ${req.path}${query ? `?${query}` : ''}`,
      ...(req.method === 'POST' ? { body: encodeParams(req.params ?? {}) } : {}),
      ...(req.accountId !== undefined ? { accountId: req.accountId } : {}),
      ...(req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {}),
    });
    // As the real transport: once per request sent, answered or not.
    req.onRequest?.(NO_COST);
    const failure = this.failuresAt.get(this.calls.length - 1) ?? this.failures.shift();
    if (failure) throw failure;
    if (req.method === 'POST' && this.postAnswers.has(req.path)) return structuredClone(this.postAnswers.get(req.path)) as T;
    if (req.method === 'DELETE') return { id: decodeURIComponent(req.path.split('/').pop()!), deleted: true } as T;
    if (req.method === 'POST') {
      this.createdCount++;
      return { id: `cs_test_created${this.createdCount}`, object: 'checkout.session' } as T;
    }
    const object = this.objects.get(req.path);
    if (!object) {
      throw new StripeApiError({
        message: `No such checkout.session: '${req.path.split('/').pop()}'`,
        status: 404,
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'session',
      });
    }
    return structuredClone(object) as T;
  }

  async *listPages(path: string, params: StripeParams, opts?: ListPagesOptions): AsyncGenerator<StripeList> {
    this.calls.push({
      line: `LIST ${path}?${encodeParams(params)}`,
      ...(opts?.accountId !== undefined ? { accountId: opts.accountId } : {}),
    });
    const pages = this.lists.get(path) ?? [[]];
    for (let i = 0; i < pages.length; i++) {
      this.pagesServed++;
      opts?.onRequest?.(NO_COST);
      yield { object: 'list', data: structuredClone(pages[i]!), has_more: i < pages.length - 1, url: path };
    }
  }
}

/** A request answered at once: no retries, no wait. */
const NO_COST = { retries: 0, throttled: 0, waitedMs: 0 };

let nextPredicateId = 1;

/** A WHERE conjunct as the engine hands it to a table. */
export function pred(column: string, op: PredicateOp, value?: SqlValue | SqlValue[]): Predicate {
  const id = nextPredicateId++;
  const show = (v: SqlValue) => (v instanceof Date ? `'${v.toISOString()}'` : typeof v === 'string' ? `'${v}'` : String(v));
  if (op === 'IN') {
    const values = value as SqlValue[];
    return { id, column, op, values, text: `${column} IN (${values.map(show).join(', ')})` };
  }
  if (op === 'IS NULL' || op === 'IS NOT NULL') return { id, column, op, text: `${column} ${op}` };
  return { id, column, op, value: value as SqlValue, text: `${column} ${op} ${show(value as SqlValue)}` };
}

export function scanRequest(
  predicates: Predicate[],
  options: { columns?: string[]; orderBy?: OrderKey[]; limit?: number } = {},
): ScanRequest {
  return {
    predicates,
    columns: options.columns ?? ['Id', 'AmountTotal', 'CustomerId', 'Created'],
    orderBy: options.orderBy ?? [],
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  };
}

/** A complete checkout.session as API 2024-04-10 returns it, written by hand from the spec's schema. */
export function fullCheckoutSession(overrides: Partial<StripeObject> = {}): StripeObject {
  return {
    id: 'cs_test_a1b2c3',
    object: 'checkout.session',
    after_expiration: { recovery: { allow_promotion_codes: true, enabled: true, expires_at: 1706832000, url: 'https://buy.stripe.com/r/live_abc' } },
    allow_promotion_codes: false,
    amount_subtotal: 4600,
    amount_total: 5060,
    automatic_tax: { enabled: true, liability: { account: 'acct_1Liable', type: 'account' }, status: 'complete' },
    billing_address_collection: 'required',
    cancel_url: 'https://example.com/cancel',
    client_reference_id: 'order_42',
    client_secret: null,
    consent: { promotions: 'opt_in', terms_of_service: 'accepted' },
    consent_collection: { payment_method_reuse_agreement: null, promotions: 'auto', terms_of_service: 'required' },
    created: 1706745600,
    currency: 'usd',
    currency_conversion: null,
    custom_fields: [
      { key: 'engraving', label: { custom: 'Engraving', type: 'custom' }, optional: true, type: 'text', text: { maximum_length: 20, minimum_length: null, value: 'J.D.' } },
    ],
    custom_text: {
      after_submit: { message: 'Thanks!' },
      shipping_address: null,
      submit: { message: 'We ship in 2 days' },
      terms_of_service_acceptance: { message: 'I agree' },
    },
    customer: { id: 'cus_N8rO0qc7j1SJJ9', object: 'customer', email: 'jenny@example.com' },
    customer_creation: 'always',
    customer_details: {
      address: { city: 'Berlin', country: 'DE', line1: 'Alexanderplatz 1', line2: null, postal_code: '10178', state: null },
      email: 'jenny@example.com',
      name: 'Jenny Rosen',
      phone: '+4930123456',
      tax_exempt: 'none',
      tax_ids: [{ type: 'eu_vat', value: 'DE123456789' }],
    },
    customer_email: null,
    expires_at: 1706832000,
    invoice: 'in_1Abc',
    invoice_creation: { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } },
    livemode: false,
    locale: 'auto',
    metadata: { order: '42' },
    mode: 'payment',
    payment_intent: 'pi_3Abc',
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card', 'link'],
    payment_status: 'paid',
    phone_number_collection: { enabled: true },
    recovered_from: 'cs_test_old',
    redirect_on_completion: 'always',
    return_url: 'https://example.com/return',
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: { allowed_countries: ['DE', 'FR'] },
    shipping_cost: { amount_subtotal: 500, amount_tax: 0, amount_total: 500, shipping_rate: 'shr_1' },
    shipping_details: { address: { city: 'Berlin', country: 'DE', line1: 'Alexanderplatz 1', line2: null, postal_code: '10178', state: null }, name: 'Jenny Rosen' },
    shipping_options: [{ shipping_amount: 500, shipping_rate: 'shr_1' }],
    status: 'complete',
    submit_type: 'pay',
    subscription: null,
    success_url: 'https://example.com/success',
    tax_id_collection: { enabled: true },
    total_details: { amount_discount: 0, amount_shipping: 500, amount_tax: 0 },
    ui_mode: 'hosted',
    url: null,
    ...overrides,
  };
}

/** A line item (`item` in the spec). */
export function lineItem(id: string, quantity = 1): StripeObject {
  return {
    id, object: 'item', amount_discount: 0, amount_subtotal: 2300 * quantity, amount_tax: 0, amount_total: 2300 * quantity,
    currency: 'usd', description: 'T-shirt', price: { id: 'price_1', object: 'price', unit_amount: 2300 }, quantity,
  };
}
