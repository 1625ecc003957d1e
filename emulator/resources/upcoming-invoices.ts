import type { HandlerContext } from '../context.js';
import { errors, invalidRequest } from '../errors.js';
import { checkExpandPaths, render } from '../expand.js';
import { toObjectSchema } from '../generic/param-schema.js';
import { endpointsOf } from '../generic/registry.js';
import { addLines, draftFields, itemLine, pendingItemsOf } from '../lifecycle/invoices.js';
import { build, find } from '../lifecycle/payments.js';
import { addInterval, itemLines } from '../lifecycle/subscriptions.js';
import { readListWindow } from '../list.js';
import { expandList, renderList, type Route } from '../routes.js';
import { expandParam, listParams, type Validated } from '../schema.js';
import { Store, type StripeObject } from '../store.js';
import { changeItems, itemChanges } from '../lifecycle/prorations.js';

// The upcoming invoice (GET /v1/invoices/upcoming and its /lines): a preview of the next
// invoice of a customer's subscription — each item for the period after the current one —
// with the customer's pending invoice items. Stripe computes it on request and stores nothing:
// it has no id. No subscription and nothing pending: 404 invoice_upcoming_none.

const LIVE = ['active', 'trialing', 'past_due', 'unpaid', 'incomplete'];
/** Stripe attempts a subscription's renewal about an hour after the period ends. */
const RENEWAL_DELAY = 3600;

/** The spec's parameters of the preview (the same for the invoice and its lines). */
function previewParams() {
  const endpoint = endpointsOf('line_item', 'list').find((candidate) => candidate.path === '/v1/invoices/upcoming/lines');
  return toObjectSchema(endpoint?.params ?? {}, endpoint?.required ?? []);
}

function upcomingInvoice(requestCtx: HandlerContext, params: Validated, url: string): StripeObject {
  let ctx = requestCtx;
  let subscription: StripeObject | undefined;
  if (typeof params.subscription === 'string') {
    subscription = find(ctx, 'subscription', params.subscription);
    if (!subscription) throw errors.referenceMissing('subscription', params.subscription, 'subscription');
  }
  const customerId = params.customer ?? subscription?.customer;
  if (typeof customerId !== 'string') throw invalidRequest('Missing required param: customer.', 'customer', 'parameter_missing');
  const customer = find(ctx, 'customer', customerId);
  if (!customer) throw errors.referenceMissing('customer', customerId, 'customer');
  subscription ??= ctx.store.list(ctx.account, 'subscription').find((candidate) => candidate.customer === customerId && LIVE.includes(candidate.status as string));
  if (subscription && Array.isArray(params.subscription_items)) ({ ctx, subscription } = withProposedChange(ctx, subscription, params));
  const currency = (subscription?.currency as string | undefined) ?? (customer.currency as string | null) ?? 'usd';
  const pending = pendingItemsOf(ctx, customerId, currency);
  if (!subscription && pending.length === 0) {
    throw invalidRequest(`No upcoming invoices for customer: ${customerId}`, undefined, 'invoice_upcoming_none', 404);
  }
  const invoice = build(ctx, 'invoice', {});
  // An upcoming invoice has no id (the spec: "always present unless the invoice is an upcoming invoice").
  Reflect.deleteProperty(invoice, 'id');
  Object.assign(invoice, draftFields(ctx, invoice, customer, { currency: subscription?.currency ?? customer.currency ?? 'usd' }), { billing_reason: 'upcoming' });
  if (subscription) {
    const periodEnd = subscription.current_period_end as number;
    const items = ((subscription.items as { data?: StripeObject[] } | null)?.data ?? []);
    const recurring = (items[0]?.price as { recurring?: { interval: 'day' | 'week' | 'month' | 'year'; interval_count: number } } | undefined)?.recurring;
    const next = recurring ? addInterval(periodEnd, recurring) : periodEnd;
    Object.assign(invoice, {
      billing_reason: 'subscription_cycle',
      created: periodEnd,
      next_payment_attempt: periodEnd + RENEWAL_DELAY,
      period_end: periodEnd,
      period_start: subscription.current_period_start,
      subscription: subscription.id,
      subscription_details: { metadata: structuredClone(subscription.metadata ?? {}) },
    });
    addLines(ctx, invoice, itemLines(ctx, subscription, items, { start: periodEnd, end: next }, false), { url });
  }
  addLines(ctx, invoice, pending.map(itemLine), { url });
  return invoice;
}

/**
 * The preview of a change not made (subscription_items, subscription_proration_behavior,
 * subscription_proration_date): the change runs on a scratch copy of the account's objects,
 * so its prorations and new prices show in the preview and nothing is stored. always_invoice
 * previews like create_prorations: the next invoice with the prorations on it.
 */
function withProposedChange(ctx: HandlerContext, subscription: StripeObject, params: Validated): { ctx: HandlerContext; subscription: StripeObject } {
  const scratch = new Store();
  scratch.copyFrom(ctx.store);
  const preview: HandlerContext = { ...ctx, store: scratch };
  const proposed = structuredClone(subscription);
  const behavior = params.subscription_proration_behavior === 'none' ? 'none' : 'create_prorations';
  changeItems(preview, proposed, itemChanges(preview, subscription, params.subscription_items as Validated[]), behavior, params.subscription_proration_date as number | undefined);
  scratch.put(ctx.account, proposed);
  return { ctx: preview, subscription: proposed };
}

function linesUrl(params: Validated): string {
  const query = ['customer', 'subscription'].filter((name) => typeof params[name] === 'string').map((name) => `${name}=${String(params[name])}`);
  return `/v1/invoices/upcoming/lines${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

export const upcomingInvoiceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/invoices/upcoming',
    params: (() => {
      const schema = previewParams();
      schema.properties.expand = expandParam.expand!;
      return schema;
    })(),
    handle(ctx, _pathParams, params) {
      const expand = expandList(params);
      checkExpandPaths('invoice', expand);
      return { body: render(ctx, upcomingInvoice(ctx, params, linesUrl(params)), 'invoice', expand) };
    },
  },
  {
    method: 'GET',
    path: '/v1/invoices/upcoming/lines',
    params: (() => {
      const schema = previewParams();
      Object.assign(schema.properties, listParams);
      return schema;
    })(),
    handle(ctx, _pathParams, params) {
      const window = readListWindow(params);
      const expand = expandList(params);
      checkExpandPaths('list:line_item', expand);
      const lines = (upcomingInvoice(ctx, params, linesUrl(params)).lines as { data: StripeObject[] }).data;
      // Lines keep their order; cursors walk it.
      const start = window.startingAfter !== undefined ? lines.findIndex((line) => line.id === window.startingAfter) + 1 : 0;
      const page = lines.slice(start, start + window.limit);
      return { body: renderList(ctx, 'line_item', page, start + window.limit < lines.length, '/v1/invoices/upcoming/lines', expand) };
    },
  },
];
