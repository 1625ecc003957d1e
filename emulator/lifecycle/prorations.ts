import type { HandlerContext } from '../context.js';
import { errors, paramError, StripeError } from '../errors.js';
import type { Validated } from '../schema.js';
import type { StripeObject } from '../store.js';
import { taxRatesFor } from './amounts.js';
import { addLines, collect, draftFields, finalize, itemLine, pendingItemsOf } from './invoices.js';
import { build, find, put } from './payments.js';
import type { Lifecycle } from './machine.js';
import { onCustomerClock } from './renewals.js';

// Changing a subscription's items in the middle of a period (docs: billing/subscriptions/prorations):
// with proration_behavior create_prorations (the default) each changed item gets two pending
// invoice items for the rest of the period — a credit for the unused time on what it was and a
// charge for the remaining time on what it is now, each amount × (period end − now) / period —
// which the next invoice takes; always_invoice bills them at once on a subscription_update
// invoice, charged like a renewal; none changes the items only. A trial prorates nothing.
// Prorations are never discountable (Stripe's rule).

export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

export interface ItemChange {
  /** The item as stored; absent for an item added by the change. */
  item?: StripeObject;
  price?: StripeObject;
  quantity?: number;
  taxRates?: StripeObject[];
  deleted?: boolean;
  /** The id a new item takes (POST /v1/subscription_items has made one). */
  newId?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Stripe's date in proration descriptions: 05 Dec 2026. */
function day(time: number): string {
  const date = new Date(time * 1000);
  return `${String(date.getUTCDate()).padStart(2, '0')} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function productName(ctx: HandlerContext, price: StripeObject): string {
  return (find(ctx, 'product', price.product)?.name as string | undefined) ?? 'item';
}

function amountOf(price: StripeObject, quantity: number): number {
  return ((price.unit_amount as number | null) ?? 0) * quantity;
}

/** A price parameter: an existing recurring price. */
export function recurringPrice(ctx: HandlerContext, id: unknown, param: string): StripeObject | undefined {
  if (typeof id !== 'string') return undefined;
  const price = find(ctx, 'price', id);
  if (!price) throw errors.referenceMissing('price', id, param);
  if (price.type !== 'recurring') throw paramError('The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.', param);
  return price;
}

/** `items[]` of a subscription update: changes to its items (by id), new items, deletions. */
export function itemChanges(ctx: HandlerContext, subscription: StripeObject, given: readonly Validated[]): ItemChange[] {
  return given.map((entry, index) => {
    let item: StripeObject | undefined;
    if (typeof entry.id === 'string') {
      item = find(ctx, 'subscription_item', entry.id);
      if (!item || item.subscription !== subscription.id) throw errors.referenceMissing('subscription_item', entry.id, `items[${index}][id]`);
    }
    const price = recurringPrice(ctx, entry.price, `items[${index}][price]`);
    if (!item && !price) throw errors.missingParameter(`items[${index}][price]`);
    return {
      item,
      price,
      quantity: typeof entry.quantity === 'number' ? entry.quantity : undefined,
      taxRates: Array.isArray(entry.tax_rates) ? taxRatesFor(ctx, entry.tax_rates, `items[${index}][tax_rates]`) : undefined,
      deleted: entry.deleted === true,
    };
  });
}

/**
 * Applies the changes to `subscription` (a private copy the caller stores) and its items
 * (stored here), with the prorations `behavior` asks for. Answers the items as they are now.
 */
export function changeItems(requestCtx: HandlerContext, subscription: StripeObject, changes: readonly ItemChange[], behavior: ProrationBehavior, prorationDate?: number): StripeObject[] {
  const customer = find(requestCtx, 'customer', subscription.customer);
  const ctx = onCustomerClock(requestCtx, customer);
  const now = prorationDate ?? ctx.now();
  const start = subscription.current_period_start as number;
  const end = subscription.current_period_end as number;
  const share = end > start ? Math.max(0, end - now) / (end - start) : 0;
  const prorate = behavior !== 'none' && subscription.status !== 'trialing' && share > 0;
  let items = ((subscription.items as { data: StripeObject[] }).data).map((item) => structuredClone(item));
  const prorations: StripeObject[] = [];
  const prorationItem = (item: StripeObject, price: StripeObject, quantity: number, sign: 1 | -1): void => {
    const amount = sign * Math.round(amountOf(price, quantity) * share);
    const name = `${quantity === 1 ? '' : `${quantity} × `}${productName(ctx, price)}`;
    prorations.push(put(ctx, build(ctx, 'invoiceitem', {
      amount,
      currency: price.currency,
      customer: subscription.customer,
      date: now,
      description: `${sign < 0 ? 'Unused' : 'Remaining'} time on ${name} after ${day(now)}`,
      discountable: false,
      discounts: [],
      invoice: null,
      metadata: {},
      period: { end, start: now },
      price: structuredClone(price),
      proration: true,
      quantity,
      subscription: subscription.id,
      subscription_item: item.id,
      tax_rates: structuredClone((item.tax_rates as StripeObject[] | null) ?? []),
      test_clock: customer?.test_clock ?? null,
      unit_amount: Math.round(amount / quantity),
      unit_amount_decimal: String(amount / quantity),
    })));
  };
  for (const change of changes) {
    const before = change.item ? items.find((item) => item.id === change.item!.id) : undefined;
    if (change.deleted && before) {
      if (prorate) prorationItem(before, before.price as StripeObject, before.quantity as number, -1);
      requestCtx.store.remove(requestCtx.account, 'subscription_item', before.id);
      items = items.filter((item) => item.id !== before.id);
      continue;
    }
    const next: StripeObject = before
      ? { ...before, price: structuredClone(change.price ?? before.price), quantity: change.quantity ?? before.quantity, tax_rates: change.taxRates ?? before.tax_rates }
      : build(ctx, 'subscription_item', {
          billing_thresholds: null,
          created: now,
          discounts: [],
          metadata: {},
          price: structuredClone(change.price!),
          quantity: change.quantity ?? 1,
          subscription: subscription.id,
          tax_rates: change.taxRates ?? [],
          ...(change.newId ? { id: change.newId } : {}),
        });
    const oldAmount = before ? amountOf(before.price as StripeObject, before.quantity as number) : 0;
    if (prorate && oldAmount !== amountOf(next.price as StripeObject, next.quantity as number)) {
      if (before) prorationItem(before, before.price as StripeObject, before.quantity as number, -1);
      prorationItem(next, next.price as StripeObject, next.quantity as number, 1);
    }
    put(ctx, next);
    items = before ? items.map((item) => (item.id === next.id ? next : item)) : [...items, next];
  }
  subscription.items = { ...(subscription.items as object), data: items.map((item) => structuredClone(item)), total_count: items.length };
  if (behavior === 'always_invoice' && prorations.length > 0 && customer) invoiceNow(ctx, subscription, customer);
  return items;
}

/** always_invoice: the subscription's pending items on a subscription_update invoice, finalized and charged. */
function invoiceNow(ctx: HandlerContext, subscription: StripeObject, customer: StripeObject): void {
  const invoice = build(ctx, 'invoice', {});
  Object.assign(invoice, draftFields(ctx, invoice, customer, { currency: subscription.currency, collection_method: subscription.collection_method, days_until_due: subscription.days_until_due ?? undefined }), {
    billing_reason: 'subscription_update',
    subscription: subscription.id,
    subscription_details: { metadata: structuredClone(subscription.metadata) },
    test_clock: subscription.test_clock ?? null,
  });
  const pending = pendingItemsOf(ctx, customer.id, invoice.currency as string).filter((item) => item.subscription === subscription.id);
  addLines(ctx, invoice, pending.map((item) => put(ctx, { ...structuredClone(item), invoice: invoice.id })).map(itemLine));
  finalize(ctx, invoice);
  put(ctx, structuredClone(invoice));
  if (invoice.status === 'open' && invoice.collection_method === 'charge_automatically') {
    try {
      collect(ctx, invoice, { offSession: true });
    } catch (error) {
      // No payment method: the invoice stays open for the customer to pay.
      if (!(error instanceof StripeError)) throw error;
    }
  }
  put(ctx, invoice);
  subscription.latest_invoice = invoice.id;
  if (invoice.status !== 'paid' && subscription.status === 'active' && invoice.collection_method === 'charge_automatically') subscription.status = 'past_due';
}

export function prorationBehavior(params: Validated): ProrationBehavior {
  return (params.proration_behavior as ProrationBehavior | undefined) ?? 'create_prorations';
}

/**
 * Subscription items on their own (POST /v1/subscription_items, POST …/{item}): a new item or a
 * new price or quantity changes its subscription as the same change through items[] would.
 */
export const subscriptionItemLifecycle: Lifecycle = {
  object: 'subscription_item',
  noun: 'subscription item',
  actions: {},
  create: {
    created(ctx, item, params) {
      const stored = find(ctx, 'subscription', params.subscription);
      if (!stored) throw errors.referenceMissing('subscription', String(params.subscription), 'subscription');
      const price = recurringPrice(ctx, params.price, 'price');
      if (!price) throw errors.missingParameter('price');
      const subscription = structuredClone(stored);
      const taxRates = taxRatesFor(ctx, params.tax_rates, 'tax_rates');
      const items = changeItems(ctx, subscription, [{ price, quantity: params.quantity as number | undefined, taxRates, newId: item.id }], prorationBehavior(params), params.proration_date as number | undefined);
      put(ctx, subscription);
      Object.assign(item, items.find((candidate) => candidate.id === item.id));
    },
  },
  update: {
    updated(ctx, item, params, before) {
      const stored = find(ctx, 'subscription', before.subscription);
      if (!stored) return;
      const subscription = structuredClone(stored);
      // What the route already set on the item (metadata) goes along with the change.
      const embedded = (subscription.items as { data: StripeObject[] }).data.find((candidate) => candidate.id === item.id);
      if (embedded) embedded.metadata = item.metadata;
      const change: ItemChange = {
        item: before,
        price: recurringPrice(ctx, params.price, 'price'),
        quantity: params.quantity as number | undefined,
        taxRates: Array.isArray(params.tax_rates) ? taxRatesFor(ctx, params.tax_rates, 'tax_rates') : undefined,
      };
      const items = changeItems(ctx, subscription, [change], prorationBehavior(params), params.proration_date as number | undefined);
      put(ctx, subscription);
      Object.assign(item, items.find((candidate) => candidate.id === item.id));
    },
  },
};
