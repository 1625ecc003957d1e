import type { HandlerContext } from '../context.js';
import { errors, invalidRequest, paramError } from '../errors.js';
import type { Validated } from '../schema.js';
import type { StripeObject } from '../store.js';
import { addLines, collect, draftFields, finalize, NO_PAYMENT_METHOD, type LineSpec } from './invoices.js';
import type { Lifecycle } from './machine.js';
import { build, find, materialize, put } from './payments.js';
import { onCustomerClock } from './renewals.js';
import { discountsFor, heldDiscounts, holdDiscounts, taxRatesFor } from './amounts.js';
import { changeItems, itemChanges, prorationBehavior } from './prorations.js';

// Subscription (docs: billing/subscriptions/overview): creating one makes its items and its
// first invoice (billing_reason subscription_create), finalized at once and charged to the
// default payment method (the subscription's, else the customer's invoice_settings one).
// Paid → active; a trial (trial_period_days / trial_end) → trialing with a zero invoice;
// send_invoice → active with the invoice open; unpaid → incomplete, or with
// payment_behavior=error_if_incomplete the decline itself and no subscription. Canceling
// (DELETE) ends any subscription that has not ended.

const DAY = 86400;
const LIVE = ['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused'];

export interface Recurring {
  interval: 'day' | 'week' | 'month' | 'year';
  interval_count: number;
}

/** `from` plus `count` intervals, months and years by the calendar (UTC), as Stripe bills. */
export function addInterval(from: number, recurring: Recurring): number {
  const date = new Date(from * 1000);
  const count = recurring.interval_count;
  switch (recurring.interval) {
    case 'day':
      return from + count * DAY;
    case 'week':
      return from + count * 7 * DAY;
    case 'month':
      date.setUTCMonth(date.getUTCMonth() + count);
      return Math.floor(date.getTime() / 1000);
    case 'year':
      date.setUTCFullYear(date.getUTCFullYear() + count);
      return Math.floor(date.getTime() / 1000);
  }
}

interface ItemParam {
  tax_rates?: string[];
  price?: string;
  price_data?: { currency: string; product: string; recurring: { interval: Recurring['interval']; interval_count?: string | number }; unit_amount?: string | number };
  quantity?: number;
  metadata?: Record<string, string>;
}

/** The recurring price of each item: an existing one or one made from price_data. */
function priceOf(ctx: HandlerContext, item: ItemParam, index: number): StripeObject {
  const param = `items[${index}][price]`;
  if (typeof item.price === 'string') {
    const price = find(ctx, 'price', item.price);
    if (!price) throw errors.referenceMissing('price', item.price, param);
    if (price.type !== 'recurring') {
      throw paramError('The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.', param);
    }
    return price;
  }
  const data = item.price_data;
  if (!data) throw errors.missingParameter(param);
  const unit = Number(data.unit_amount ?? 0);
  return put(ctx, build(ctx, 'price', {
    active: false,
    billing_scheme: 'per_unit',
    currency: data.currency,
    metadata: {},
    product: data.product,
    recurring: { aggregate_usage: null, interval: data.recurring.interval, interval_count: Number(data.recurring.interval_count ?? 1), meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    type: 'recurring',
    unit_amount: unit,
    unit_amount_decimal: String(unit),
  }));
}

function money(amount: number, currency: string): string {
  return `${currency === 'usd' ? '$' : `${currency.toUpperCase()} `}${(amount / 100).toFixed(2)}`;
}

/**
 * A subscription's invoice lines for one period: each item's price × quantity (nothing in a
 * trial), taxed at the item's rates, else the subscription's default_tax_rates.
 */
export function itemLines(ctx: HandlerContext, subscriptionObject: StripeObject, items: readonly StripeObject[], period: { start: number; end: number }, trial: boolean): LineSpec[] {
  const subscription = subscriptionObject.id;
  const defaults = (subscriptionObject.default_tax_rates as StripeObject[] | null) ?? [];
  return items.map((item) => {
    const own = (item.tax_rates as StripeObject[] | null) ?? [];
    const price = item.price as StripeObject;
    const quantity = item.quantity as number;
    const currency = price.currency as string;
    const product = (find(ctx, 'product', price.product)?.name as string | undefined) ?? 'item';
    const unit = (price.unit_amount as number | null) ?? 0;
    return {
      amount: trial ? 0 : unit * quantity,
      currency,
      description: trial ? `Trial period for ${product}` : `${quantity} × ${product} (at ${money(unit, currency)} / ${(price.recurring as Recurring).interval})`,
      price,
      quantity,
      period,
      type: 'subscription',
      subscription,
      subscriptionItem: item.id,
      taxRates: own.length > 0 ? own : defaults,
    };
  });
}

/** A `once` coupon is spent by the invoice it applied to: the subscription no longer carries it. */
export function dropSpentDiscounts(ctx: HandlerContext, subscription: StripeObject): void {
  const kept = heldDiscounts(ctx, subscription.id).filter((discount) => (discount.coupon as StripeObject).duration !== 'once');
  holdDiscounts(ctx, subscription.id, kept);
  Object.assign(subscription, { discount: kept.length === 1 ? structuredClone(kept[0]) : null, discounts: kept.map((discount) => discount.id) });
}

function trialEndOf(ctx: HandlerContext, params: Validated): number | null {
  const given = params.trial_end;
  if (given === 'now') return null;
  if (typeof given === 'string' && /^\d+$/.test(given)) {
    const end = Number(given);
    if (end <= ctx.now()) throw paramError('Invalid timestamp: must be an integer Unix timestamp in the future.', 'trial_end');
    return end;
  }
  if (typeof params.trial_period_days === 'number' && params.trial_period_days > 0) return ctx.now() + params.trial_period_days * DAY;
  return null;
}

function create(requestCtx: HandlerContext, subscription: StripeObject, params: Validated): void {
  // The customer is a parameter, or the path's parent (/v1/customers/{customer}/subscriptions).
  const customer = find(requestCtx, 'customer', subscription.customer);
  if (!customer) throw errors.missingParameter('customer');
  // A customer on a test clock lives at the clock's time: the subscription starts then.
  const ctx = onCustomerClock(requestCtx, customer);
  const given = (params.items as ItemParam[] | undefined) ?? [];
  if (given.length === 0) throw errors.missingParameter('items');
  const defaultPm = subscription.default_payment_method;
  if (typeof defaultPm === 'string' && find(ctx, 'payment_method', defaultPm)?.customer !== customer.id) {
    throw paramError(
      `The customer does not have a payment method with the ID ${defaultPm}. The payment method must be attached to the customer.`,
      'default_payment_method',
      'resource_missing',
    );
  }
  const now = ctx.now();
  const prices = given.map((item, index) => priceOf(ctx, item, index));
  const currency = prices[0]!.currency as string;
  const recurring = prices[0]!.recurring as Recurring;
  const trialEnd = trialEndOf(ctx, params);
  const periodEnd = trialEnd ?? addInterval(now, recurring);
  const collection = (params.collection_method as string | undefined) ?? 'charge_automatically';

  const items = given.map((item, index) =>
    put(ctx, build(ctx, 'subscription_item', {
      billing_thresholds: null,
      created: now,
      discounts: [],
      metadata: item.metadata ?? {},
      price: structuredClone(prices[index]!),
      quantity: item.quantity ?? 1,
      subscription: subscription.id,
      tax_rates: taxRatesFor(ctx, item.tax_rates, `items[${index}][tax_rates]`),
    })),
  );
  const discounts = discountsFor(ctx, params, { customer: customer.id, subscription: subscription.id });
  holdDiscounts(ctx, subscription.id, discounts);
  Object.assign(subscription, {
    automatic_tax: { enabled: false, liability: null },
    billing_cycle_anchor: trialEnd ?? now,
    cancel_at_period_end: params.cancel_at_period_end ?? false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: collection,
    created: now,
    currency,
    current_period_end: periodEnd,
    current_period_start: now,
    days_until_due: collection === 'send_invoice' ? ((params.days_until_due as number | undefined) ?? 30) : null,
    default_tax_rates: taxRatesFor(ctx, params.default_tax_rates, 'default_tax_rates'),
    discount: discounts.length === 1 ? structuredClone(discounts[0]) : null,
    discounts: discounts.map((discount) => discount.id),
    ended_at: null,
    items: { object: 'list', data: items.map((item) => structuredClone(item)), has_more: false, total_count: items.length, url: `/v1/subscription_items?subscription=${subscription.id}` },
    metadata: subscription.metadata ?? {},
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_setup_intent: null,
    pending_update: null,
    start_date: now,
    status: 'incomplete',
    test_clock: customer.test_clock ?? null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: trialEnd === null ? null : now,
  });

  const invoice = build(ctx, 'invoice', {});
  Object.assign(invoice, draftFields(ctx, invoice, customer, { collection_method: collection, days_until_due: subscription.days_until_due ?? undefined, currency }), {
    auto_advance: true,
    billing_reason: 'subscription_create',
    subscription: subscription.id,
    subscription_details: { metadata: structuredClone(subscription.metadata) },
    test_clock: customer.test_clock ?? null,
  });
  addLines(ctx, invoice, itemLines(ctx, subscription, items, { start: now, end: periodEnd }, trialEnd !== null));
  dropSpentDiscounts(ctx, subscription);
  finalize(ctx, invoice);
  subscription.latest_invoice = invoice.id;
  // Stored as finalized, then again once charged (the store keeps copies, so each step is its own change).
  put(ctx, structuredClone(invoice));

  if (invoice.status === 'paid') subscription.status = trialEnd === null ? 'active' : 'trialing';
  else if (collection === 'send_invoice') subscription.status = 'active';
  else if (params.payment_behavior !== 'default_incomplete') {
    chargeFirstInvoice(ctx, subscription, invoice, customer, params.payment_behavior === 'error_if_incomplete');
    put(ctx, invoice);
  }
}

/** Charges the first invoice; unpaid leaves the subscription incomplete, or fails the create. */
function chargeFirstInvoice(ctx: HandlerContext, subscription: StripeObject, invoice: StripeObject, customer: StripeObject, errorIfIncomplete: boolean): void {
  const customerDefault = (customer.invoice_settings as { default_payment_method?: unknown } | null)?.default_payment_method;
  const pm = subscription.default_payment_method ?? customerDefault;
  if (typeof pm !== 'string') {
    if (errorIfIncomplete) throw paramError(NO_PAYMENT_METHOD, 'default_payment_method');
    return;
  }
  const outcome = collect(ctx, invoice, { paymentMethod: pm, offSession: true });
  if (invoice.status === 'paid') subscription.status = 'active';
  // Stripe makes no subscription when error_if_incomplete's first payment fails.
  else if (errorIfIncomplete && outcome) throw outcome;
}

export const subscriptionLifecycle: Lifecycle = {
  object: 'subscription',
  noun: 'subscription',
  actions: {
    cancel: {
      via: 'delete',
      from: LIVE,
      // Stripe: a canceled subscription is as good as deleted (stripe-go#1887).
      gone: ['canceled', 'incomplete_expired'],
      to: ['canceled'],
      done: 'canceled',
      run(ctx, subscription, params) {
        const details = (params.cancellation_details as { comment?: string | null; feedback?: string | null } | undefined) ?? {};
        const now = ctx.now();
        Object.assign(subscription, {
          status: 'canceled',
          canceled_at: now,
          ended_at: now,
          cancellation_details: { comment: details.comment ?? null, feedback: details.feedback ?? null, reason: 'cancellation_requested' },
        });
      },
    },
    resume: {
      from: ['paused'],
      to: ['active'],
      done: 'resumed',
      run(_ctx, subscription) {
        Object.assign(subscription, { status: 'active', pause_collection: null });
      },
    },
  },
  create: {
    prepare: (ctx, params) => ({ ...params, default_payment_method: materialize(ctx, params.default_payment_method, 'default_payment_method') }),
    created: (ctx, subscription, params) => create(ctx, subscription, params),
  },
  update: {
    updated(ctx, subscription, params, before) {
      const changed = Object.keys(params).filter((name) => params[name] !== undefined && !['metadata', 'cancellation_details', 'expand'].includes(name));
      if (['canceled', 'incomplete_expired'].includes(before.status as string) && changed.length > 0) {
        throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
      }
      if (Array.isArray(params.items)) {
        changeItems(ctx, subscription, itemChanges(ctx, before, params.items as Validated[]), prorationBehavior(params), params.proration_date as number | undefined);
      }
      if ('default_tax_rates' in params) subscription.default_tax_rates = taxRatesFor(ctx, params.default_tax_rates, 'default_tax_rates');
      if (params.discounts !== undefined || params.coupon !== undefined || params.promotion_code !== undefined) {
        const discounts = discountsFor(ctx, params, { customer: subscription.customer as string, subscription: subscription.id });
        holdDiscounts(ctx, subscription.id, discounts);
        Object.assign(subscription, { discount: discounts.length === 1 ? structuredClone(discounts[0]) : null, discounts: discounts.map((discount) => discount.id) });
      }
      // Canceling at the period's end: it ends then, and says since when it was asked to.
      if (params.cancel_at_period_end === true) {
        Object.assign(subscription, {
          cancel_at: subscription.current_period_end,
          canceled_at: ctx.now(),
          cancellation_details: { ...(subscription.cancellation_details as object), reason: 'cancellation_requested' },
        });
      } else if (params.cancel_at_period_end === false) {
        Object.assign(subscription, { cancel_at: null, canceled_at: null, cancellation_details: { comment: null, feedback: null, reason: null } });
      }
    },
  },
};
