import type { HandlerContext } from '../context.js';
import { StripeError } from '../errors.js';
import type { StripeObject } from '../store.js';
import { addLines, cancelIntent, collect, draftFields, finalize, itemLine, pendingItemsOf, RETRY_AFTER } from './invoices.js';
import { build, find, put } from './payments.js';
import { addInterval, dropSpentDiscounts, itemLines, type Recurring } from './subscriptions.js';

// What happens to subscriptions while a test clock moves (docs: billing/testing/test-clocks,
// billing/subscriptions/overview). Each subscription of the clock's customers takes its steps
// in time order until the clock's new time:
//   a period ends        a trial ends (trialing → active), a new period starts and a draft
//                        invoice (subscription_cycle) bills it, with the customer's pending items;
//                        a subscription set to cancel then ends instead (customer.subscription.deleted)
//   an hour later        the draft is finalized and charged to the default payment method:
//                        paid, or open with the decline and the subscription past_due
//   a retry is due       the open invoice is charged again; after the last attempt the
//                        subscription is canceled (Stripe's default for exhausted retries)
//   23 hours unpaid      an incomplete subscription expires (incomplete_expired), its invoice void
//   3 days before a trial ends   customer.subscription.trial_will_end
// Everything made on the way is dated at the moment it happens on the clock.

const HOUR = 3600;
/** Stripe finalizes a subscription's renewal invoice about an hour after making it. */
export const FINALIZE_AFTER = HOUR;
/** An incomplete subscription whose first invoice is unpaid this long expires. */
const INCOMPLETE_FOR = 23 * HOUR;
/** Attempts at a renewal invoice before Stripe gives up on it (the first and three retries). */
const MAX_ATTEMPTS = 4;
const RUNNING = ['active', 'trialing', 'past_due', 'unpaid'];
/** customer.subscription.trial_will_end goes out this long before the trial ends (Stripe: three days). */
const TRIAL_WARNING = 3 * 24 * HOUR;
const TRIAL_WARNED = 'trial_will_end';

/** The context at another moment: what it makes is dated then. */
export function atTime(ctx: HandlerContext, time: number): HandlerContext {
  return { ...ctx, now: () => time };
}

/** The context on the customer's test clock, when it has one. */
export function onCustomerClock(ctx: HandlerContext, customer: StripeObject | undefined): HandlerContext {
  const clock = find(ctx, 'test_helpers.test_clock', customer?.test_clock);
  return clock ? atTime(ctx, clock.frozen_time as number) : ctx;
}

interface Step {
  at: number;
  /** Ties at one moment run in this order: an ending before a renewal before a charge. */
  rank: number;
  run(ctx: HandlerContext): void;
}

/** Moves every subscription of the clock's customers through what happens until `to`. */
export function advanceSubscriptions(ctx: HandlerContext, clockId: string, to: number): void {
  const customers = new Set(ctx.store.list(ctx.account, 'customer').filter((customer) => customer.test_clock === clockId).map((customer) => customer.id));
  const subscriptions = ctx.store.list(ctx.account, 'subscription').filter((subscription) => customers.has(subscription.customer as string));
  for (const { id } of [...subscriptions].reverse()) {
    for (;;) {
      const step = nextStep(ctx, id);
      if (!step || step.at > to) break;
      step.run(atTime(ctx, step.at));
    }
  }
}

function nextStep(ctx: HandlerContext, subscriptionId: string): Step | undefined {
  const subscription = find(ctx, 'subscription', subscriptionId)!;
  const steps: Step[] = [];
  const status = subscription.status as string;
  if (status === 'incomplete') {
    steps.push({ at: (subscription.created as number) + INCOMPLETE_FOR, rank: 0, run: (at) => expire(at, subscriptionId) });
  }
  const trialEnd = subscription.trial_end as number | null;
  const warnAt = trialEnd === null ? null : trialEnd - TRIAL_WARNING;
  if (status === 'trialing' && warnAt !== null && warnAt >= (subscription.created as number) && !announced(ctx, subscriptionId)) {
    steps.push({ at: warnAt, rank: 0, run: (at) => warnOfTrialEnd(at, subscriptionId) });
  }
  if (RUNNING.includes(status)) {
    const end = subscription.current_period_end as number;
    const cancelAt = subscription.cancel_at as number | null;
    if (cancelAt !== null && cancelAt <= end) steps.push({ at: cancelAt, rank: 0, run: (at) => endSubscription(at, subscriptionId, 'cancellation_requested') });
    else steps.push({ at: end, rank: 1, run: (at) => renew(at, subscriptionId) });
  }
  for (const invoice of ctx.store.list(ctx.account, 'invoice')) {
    if (invoice.subscription !== subscriptionId) continue;
    if (invoice.status === 'draft' && invoice.auto_advance === true) {
      steps.push({ at: (invoice.created as number) + FINALIZE_AFTER, rank: 2, run: (at) => finalizeAndCharge(at, invoice.id) });
    } else if (invoice.status === 'open' && invoice.collection_method === 'charge_automatically' && typeof invoice.next_payment_attempt === 'number' && invoice.billing_reason !== 'subscription_create') {
      steps.push({ at: invoice.next_payment_attempt, rank: 2, run: (at) => charge(at, invoice.id) });
    }
  }
  return steps.sort((a, b) => a.at - b.at || a.rank - b.rank)[0];
}

/** Whether customer.subscription.trial_will_end went out (kept beside the subscription). */
function announced(ctx: HandlerContext, subscriptionId: string): boolean {
  return ctx.store.children(ctx.account, subscriptionId, TRIAL_WARNED).length > 0;
}

function warnOfTrialEnd(ctx: HandlerContext, subscriptionId: string): void {
  const subscription = find(ctx, 'subscription', subscriptionId)!;
  ctx.store.setChildren(ctx.account, subscriptionId, TRIAL_WARNED, [subscription]);
  ctx.announce?.('customer.subscription.trial_will_end', subscription);
}

/** A period ends: the trial is over, the next period starts and its invoice is drafted. */
function renew(ctx: HandlerContext, subscriptionId: string): void {
  const subscription = structuredClone(find(ctx, 'subscription', subscriptionId)!);
  const customer = find(ctx, 'customer', subscription.customer)!;
  const items = (subscription.items as { data: StripeObject[] }).data;
  const start = subscription.current_period_end as number;
  const end = addInterval(start, (items[0]!.price as { recurring: Recurring }).recurring);
  const invoice = build(ctx, 'invoice', {});
  Object.assign(invoice, draftFields(ctx, invoice, customer, { currency: subscription.currency, collection_method: subscription.collection_method, days_until_due: subscription.days_until_due ?? undefined }), {
    auto_advance: true,
    billing_reason: 'subscription_cycle',
    period_end: start,
    period_start: subscription.current_period_start,
    subscription: subscription.id,
    subscription_details: { metadata: structuredClone(subscription.metadata) },
    test_clock: subscription.test_clock ?? null,
  });
  addLines(ctx, invoice, itemLines(ctx, subscription, items, { start, end }, false));
  // The customer's pending items (prorations among them) join the subscription's next invoice.
  const pending = pendingItemsOf(ctx, customer.id, invoice.currency as string);
  addLines(ctx, invoice, pending.map((item) => put(ctx, { ...structuredClone(item), invoice: invoice.id })).map(itemLine));
  put(ctx, invoice);
  dropSpentDiscounts(ctx, subscription);
  Object.assign(subscription, {
    status: subscription.status === 'trialing' ? 'active' : subscription.status,
    current_period_start: start,
    current_period_end: end,
    latest_invoice: invoice.id,
  });
  put(ctx, subscription);
}

/**
 * An hour after the renewal: the draft is finalized and, when something is due, charged
 * (send_invoice: left open for the customer to pay by its due date).
 */
function finalizeAndCharge(ctx: HandlerContext, invoiceId: string): void {
  const invoice = structuredClone(find(ctx, 'invoice', invoiceId)!);
  finalize(ctx, invoice);
  put(ctx, structuredClone(invoice));
  if (invoice.status === 'open' && invoice.collection_method === 'charge_automatically') attempt(ctx, invoice);
}

function charge(ctx: HandlerContext, invoiceId: string): void {
  attempt(ctx, structuredClone(find(ctx, 'invoice', invoiceId)!));
}

/** One automatic collection attempt; a failure makes the subscription past_due, the last one ends it. */
function attempt(ctx: HandlerContext, invoice: StripeObject): void {
  try {
    collect(ctx, invoice, { offSession: true });
  } catch (error) {
    // No payment method to charge: the attempt fails without a payment.
    if (!(error instanceof StripeError)) throw error;
    Object.assign(invoice, { attempted: true, attempt_count: (invoice.attempt_count as number) + 1, next_payment_attempt: ctx.now() + RETRY_AFTER });
  }
  if (invoice.status !== 'paid' && (invoice.attempt_count as number) >= MAX_ATTEMPTS) invoice.next_payment_attempt = null;
  put(ctx, invoice);
  if (invoice.status === 'paid') return;
  const subscription = find(ctx, 'subscription', invoice.subscription);
  if (!subscription) return;
  if (invoice.next_payment_attempt === null) endSubscription(ctx, subscription.id, 'payment_failed');
  else if (['active', 'trialing'].includes(subscription.status as string)) put(ctx, { ...structuredClone(subscription), status: 'past_due' });
}

/** The subscription ends now: canceled at the period's end as asked, or after its payments failed. */
function endSubscription(ctx: HandlerContext, subscriptionId: string, reason: 'cancellation_requested' | 'payment_failed'): void {
  const subscription = structuredClone(find(ctx, 'subscription', subscriptionId)!);
  Object.assign(subscription, {
    status: 'canceled',
    ended_at: ctx.now(),
    canceled_at: subscription.canceled_at ?? ctx.now(),
    cancellation_details: { ...(subscription.cancellation_details as object), reason },
  });
  put(ctx, subscription);
}

/** 23 hours after an unpaid first invoice: the subscription expires and its invoice is voided. */
function expire(ctx: HandlerContext, subscriptionId: string): void {
  const subscription = structuredClone(find(ctx, 'subscription', subscriptionId)!);
  const invoice = find(ctx, 'invoice', subscription.latest_invoice);
  if (invoice && invoice.status === 'open') {
    const voided = structuredClone(invoice);
    cancelIntent(ctx, voided, 'void_invoice');
    Object.assign(voided, { status: 'void', next_payment_attempt: null, status_transitions: { ...(voided.status_transitions as object), voided_at: ctx.now() } });
    put(ctx, voided);
  }
  Object.assign(subscription, { status: 'incomplete_expired', ended_at: ctx.now() });
  put(ctx, subscription);
}
