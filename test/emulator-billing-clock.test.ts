// Subscriptions over time, driven by Stripe's own Node SDK against the emulator: a test clock
// moves its customers' subscriptions through renewals (a new period, an invoice drafted, an
// hour later finalized and charged), trial ends (announced three days ahead), failed renewals (past_due, retries, then
// canceled), cancel_at_period_end and unpaid first invoices expiring, with Stripe's events.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import type { Emulator } from '../emulator/index.js';
import { startWithSdk } from './support/stripe-sdk.js';
import { assertConforms, storeProblems } from './support/spec-schema.js';

const HOUR = 3600;
const DAY = 86400;
/** 2025-01-15T00:00:00Z: months from here are 31 and 28 days. */
const START = Date.UTC(2025, 0, 15) / 1000;
const FEB_15 = Date.UTC(2025, 1, 15) / 1000;
const MAR_15 = Date.UTC(2025, 2, 15) / 1000;

let emulator: Emulator;
let stripe: Stripe;

before(async () => ({ emulator, stripe } = await startWithSdk()));
after(() => emulator.close());


/** A clock at START, a customer on it paying with `card` by default, a monthly price. */
async function onClock(card: string, unitAmount = 2000): Promise<{ clock: Stripe.TestHelpers.TestClock; customer: Stripe.Customer; price: Stripe.Price }> {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START, name: 'renewals' });
  const customer = await stripe.customers.create({ test_clock: clock.id, payment_method: card, invoice_settings: { default_payment_method: card } });
  const price = await stripe.prices.create({ currency: 'usd', unit_amount: unitAmount, recurring: { interval: 'month' }, product_data: { name: 'Clock Plan' } });
  return { clock, customer, price };
}

async function advance(clock: string, to: number): Promise<Stripe.TestHelpers.TestClock> {
  return stripe.testHelpers.testClocks.advance(clock, { frozen_time: to });
}

async function invoicesOf(subscription: string): Promise<Stripe.Invoice[]> {
  return (await stripe.invoices.list({ subscription })).data;
}

/** The types of the events about `id` or its invoices (data.object), oldest first, made after `since`. */
async function eventsAbout(id: string, since: string): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100, ending_before: since });
  return events.data
    .filter((event) => {
      const object = event.data.object as { id?: string; subscription?: string };
      return object.id === id || object.subscription === id;
    })
    .map((event) => event.type)
    .reverse();
}

async function newestEvent(): Promise<string> {
  return (await stripe.events.list({ limit: 1 })).data[0]!.id;
}

describe('test clocks', () => {
  test('a new clock is ready at its frozen time; its customer and subscription are made then', async () => {
    const { clock, customer, price } = await onClock('pm_card_visa');
    assertConforms('test_helpers.test_clock', clock);
    assert.equal(clock.status, 'ready');
    assert.equal(clock.frozen_time, START);
    assert.equal(clock.deletes_after, clock.created + 30 * DAY);
    assert.equal(customer.test_clock, clock.id);
    assert.equal(customer.created, START);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    assert.equal(subscription.test_clock, clock.id);
    assert.equal(subscription.created, START);
    assert.equal(subscription.current_period_start, START);
    assert.equal(subscription.current_period_end, FEB_15);
    const unknown = await stripe.customers.create({ test_clock: 'clock_nope' }).catch((error: Stripe.errors.StripeError) => error);
    assert.ok(unknown instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(unknown.code, 'resource_missing');
  });

  test('a renewal: at the period end a new period and a draft invoice; an hour later it is finalized and paid', async () => {
    const { clock, customer, price } = await onClock('pm_card_visa', 2000);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 2 }] });
    const first = String(subscription.latest_invoice);
    const since = await newestEvent();

    // Nothing happens before the period ends.
    const early = await advance(clock.id, FEB_15 - 1);
    assert.equal(early.status, 'ready');
    assert.equal(early.frozen_time, FEB_15 - 1);
    assert.equal((await invoicesOf(subscription.id)).length, 1);

    await advance(clock.id, FEB_15 + 10);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    assertConforms('subscription', renewed);
    assert.equal(renewed.status, 'active');
    assert.equal(renewed.current_period_start, FEB_15);
    assert.equal(renewed.current_period_end, MAR_15);
    assert.notEqual(renewed.latest_invoice, first);
    const draft = await stripe.invoices.retrieve(String(renewed.latest_invoice));
    assertConforms('invoice', draft);
    assert.equal(draft.status, 'draft');
    assert.equal(draft.billing_reason, 'subscription_cycle');
    assert.equal(draft.created, FEB_15);
    assert.equal(draft.period_start, START);
    assert.equal(draft.period_end, FEB_15);
    assert.equal(draft.total, 4000);
    assert.deepEqual(draft.lines.data.map((line) => [line.amount, line.period.start, line.period.end, line.type]), [[4000, FEB_15, MAR_15, 'subscription']]);

    await advance(clock.id, FEB_15 + HOUR);
    const paid = await stripe.invoices.retrieve(draft.id, { expand: ['payment_intent'] });
    assertConforms('invoice', paid);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.amount_paid, 4000);
    assert.equal(paid.attempt_count, 1);
    assert.equal(paid.status_transitions.finalized_at, FEB_15 + HOUR);
    assert.equal(paid.status_transitions.paid_at, FEB_15 + HOUR);
    assert.match(String(paid.number), /-0002$/);
    const intent = paid.payment_intent as Stripe.PaymentIntent;
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.created, FEB_15 + HOUR);
    assert.equal((await stripe.charges.retrieve(String(paid.charge))).amount, 4000);

    assert.deepEqual(await eventsAbout(subscription.id, since), ['invoice.created', 'customer.subscription.updated', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']);
    const invoiceEvents = await eventsAbout(draft.id, since);
    assert.deepEqual(invoiceEvents, ['invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']);
    const clockEvents = await eventsAbout(clock.id, since);
    assert.deepEqual(clockEvents.slice(0, 2), ['test_helpers.test_clock.advancing', 'test_helpers.test_clock.ready']);

    // Two more months at once: each period renews and is paid in turn.
    await advance(clock.id, Date.UTC(2025, 4, 15, 2) / 1000);
    const later = await invoicesOf(subscription.id);
    assert.deepEqual(later.map((invoice) => [invoice.status, invoice.period_end]), [
      ['paid', Date.UTC(2025, 4, 15) / 1000],
      ['paid', Date.UTC(2025, 3, 15) / 1000],
      ['paid', MAR_15],
      ['paid', FEB_15],
      ['paid', START],
    ]);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).current_period_end, Date.UTC(2025, 5, 15) / 1000);
  });

  test('the end of a trial: active, and the first paid invoice bills the first full period', async () => {
    const { clock, customer, price } = await onClock('pm_card_visa', 1500);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_period_days: 7 });
    assert.equal(subscription.status, 'trialing');
    assert.equal(subscription.trial_end, START + 7 * DAY);
    const since = await newestEvent();

    // Three days before the trial ends, Stripe says so.
    await advance(clock.id, START + 4 * DAY - 1);
    assert.deepEqual(await eventsAbout(subscription.id, since), []);
    await advance(clock.id, START + 4 * DAY);
    assert.deepEqual(await eventsAbout(subscription.id, since), ['customer.subscription.trial_will_end']);
    const warning = (await stripe.events.list({ type: 'customer.subscription.trial_will_end', limit: 1 })).data[0]!;
    assert.equal((warning.data.object as Stripe.Subscription).status, 'trialing');

    await advance(clock.id, START + 7 * DAY + HOUR);
    const active = await stripe.subscriptions.retrieve(subscription.id);
    assert.equal(active.status, 'active');
    assert.equal(active.trial_end, START + 7 * DAY);
    assert.equal(active.current_period_start, START + 7 * DAY);
    assert.equal(active.current_period_end, Date.UTC(2025, 1, 22) / 1000);
    const invoice = await stripe.invoices.retrieve(String(active.latest_invoice));
    assert.equal(invoice.billing_reason, 'subscription_cycle');
    assert.equal(invoice.status, 'paid');
    assert.equal(invoice.amount_paid, 1500);
    const events = await eventsAbout(subscription.id, since);
    assert.deepEqual(events, ['customer.subscription.trial_will_end', 'invoice.created', 'customer.subscription.updated', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']);
    const update = (await stripe.events.list({ type: 'customer.subscription.updated', limit: 1 })).data[0]!;
    assert.equal((update.data.previous_attributes as { status?: string }).status, 'trialing');
  });

  test('a renewal charged to a failing card: the invoice stays open, the subscription is past_due, retries, then it is canceled', async () => {
    const { clock, customer, price } = await onClock('pm_card_visa', 3000);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    assert.equal(subscription.status, 'active');
    // The customer's card now fails (Stripe's 4000000000000341 attaches, then declines).
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    const since = await newestEvent();

    await advance(clock.id, FEB_15 + HOUR);
    const pastDue = await stripe.subscriptions.retrieve(subscription.id);
    assert.equal(pastDue.status, 'past_due');
    const invoice = await stripe.invoices.retrieve(String(pastDue.latest_invoice), { expand: ['payment_intent'] });
    assertConforms('invoice', invoice);
    assert.equal(invoice.status, 'open');
    assert.equal(invoice.attempted, true);
    assert.equal(invoice.attempt_count, 1);
    assert.equal(invoice.amount_remaining, 3000);
    assert.equal(invoice.next_payment_attempt, FEB_15 + HOUR + 3 * DAY);
    const intent = invoice.payment_intent as Stripe.PaymentIntent;
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.last_payment_error?.code, 'card_declined');
    assert.deepEqual(await eventsAbout(invoice.id, since), ['invoice.created', 'invoice.finalized', 'invoice.payment_failed']);
    // The renewal's update, then the one that makes it past_due.
    assert.deepEqual(await eventsAbout(subscription.id, since), ['invoice.created', 'customer.subscription.updated', 'invoice.finalized', 'invoice.payment_failed', 'customer.subscription.updated']);

    // The first retry fails too; paying with a working card makes the subscription active again.
    await advance(clock.id, FEB_15 + HOUR + 3 * DAY);
    assert.equal((await stripe.invoices.retrieve(invoice.id)).attempt_count, 2);
    const paid = await stripe.invoices.pay(invoice.id, { payment_method: (await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id })).id });
    assert.equal(paid.status, 'paid');
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).status, 'active');

    // Next month every attempt fails: after the last retry the subscription is canceled.
    await advance(clock.id, MAR_15 + HOUR + 9 * DAY);
    const gone = await stripe.subscriptions.retrieve(subscription.id);
    assert.equal(gone.status, 'canceled');
    assert.equal(gone.ended_at, MAR_15 + HOUR + 9 * DAY);
    assert.equal(gone.cancellation_details?.reason, 'payment_failed');
    const unpaid = await stripe.invoices.retrieve(String(gone.latest_invoice));
    assert.equal(unpaid.status, 'open');
    assert.equal(unpaid.attempt_count, 4);
    assert.equal(unpaid.next_payment_attempt, null);
  });

  test('cancel_at_period_end takes effect at the period end: canceled, no new invoice', async () => {
    const { clock, customer, price } = await onClock('pm_card_visa');
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const ending = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    assert.equal(ending.cancel_at, FEB_15);
    const since = await newestEvent();

    await advance(clock.id, FEB_15 - 1);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).status, 'active');
    await advance(clock.id, FEB_15 + 2 * HOUR);
    const canceled = await stripe.subscriptions.retrieve(subscription.id);
    assertConforms('subscription', canceled);
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.ended_at, FEB_15);
    assert.equal(canceled.canceled_at, ending.canceled_at);
    assert.equal(canceled.cancellation_details?.reason, 'cancellation_requested');
    assert.equal((await invoicesOf(subscription.id)).length, 1);
    assert.deepEqual(await eventsAbout(subscription.id, since), ['customer.subscription.deleted']);
  });

  test('an incomplete subscription whose first invoice stays unpaid expires after 23 hours', async () => {
    const { clock, customer, price } = await onClock('pm_card_chargeCustomerFail');
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    assert.equal(subscription.status, 'incomplete');
    await advance(clock.id, START + 22 * HOUR);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).status, 'incomplete');
    await advance(clock.id, START + 23 * HOUR);
    const expired = await stripe.subscriptions.retrieve(subscription.id);
    assert.equal(expired.status, 'incomplete_expired');
    assert.equal(expired.ended_at, START + 23 * HOUR);
    assert.equal((await stripe.invoices.retrieve(String(expired.latest_invoice))).status, 'void');
  });

  test('send_invoice: the renewal is finalized an hour later and left open for the customer to pay, not charged', async () => {
    const { clock, customer, price } = await onClock('pm_card_visa', 1200);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], collection_method: 'send_invoice', days_until_due: 14 });
    assert.equal(subscription.status, 'active');
    await advance(clock.id, FEB_15 + HOUR);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    assert.equal(renewed.status, 'active');
    const invoice = await stripe.invoices.retrieve(String(renewed.latest_invoice));
    assert.equal(invoice.billing_reason, 'subscription_cycle');
    assert.equal(invoice.collection_method, 'send_invoice');
    assert.equal(invoice.status, 'open');
    assert.equal(invoice.attempted, false);
    assert.equal(invoice.amount_remaining, 1200);
    assert.equal(invoice.charge, null);
  });

  test('a clock only moves forward', async () => {
    const { clock } = await onClock('pm_card_visa');
    const error = await advance(clock.id, START).catch((caught: Stripe.errors.StripeError) => caught);
    assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(error.param, 'frozen_time');
  });
});

test('every object the emulator holds after these renewals is what the spec says it is', () => {
  assert.deepEqual(storeProblems(emulator.allObjects()), []);
});
