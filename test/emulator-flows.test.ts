// Payment and billing flows against the emulator, driven by Stripe's own Node SDK (pinned to
// API 2024-04-10): every step asserts the states Stripe documents for it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { connect, type Connection } from '../src/index.js';
import { DEMO_API_KEY, type Emulator } from '../emulator/index.js';
import { startWithSdk } from './support/stripe-sdk.js';
import { assertConforms, storeProblems } from './support/spec-schema.js';

const DAY = 86400;

let emulator: Emulator;
let stripe: Stripe;

before(async () => ({ emulator, stripe } = await startWithSdk()));
after(() => emulator.close());


/** The Stripe error a call fails with. */
async function failure(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof Stripe.errors.StripeError, `a Stripe error, not ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

async function customerWithCard(card = 'pm_card_visa'): Promise<{ customer: Stripe.Customer; pm: Stripe.PaymentMethod }> {
  const customer = await stripe.customers.create({ email: 'flows@example.com', name: 'Flow Tester' });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { customer, pm };
}

async function monthlyPrice(unitAmount: number): Promise<Stripe.Price> {
  return stripe.prices.create({ currency: 'usd', unit_amount: unitAmount, recurring: { interval: 'month' }, product_data: { name: 'Flow Plan' } });
}

describe('PaymentIntent', () => {
  test('a payment: created waiting for a payment method, confirmed with pm_card_visa, its charge made', async () => {
    const created = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd' });
    assert.equal(created.status, 'requires_payment_method');
    assert.match(created.client_secret!, new RegExp(`^${created.id}_secret_\\w+$`));
    assert.equal(created.latest_charge, null);
    assert.equal(created.amount_received, 0);

    assertConforms('payment_intent', created);
    const confirmed = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    assertConforms('payment_intent', confirmed);
    assert.equal(confirmed.status, 'succeeded');
    assert.equal(confirmed.amount_received, 2000);
    assert.match(String(confirmed.payment_method), /^pm_/);
    assert.equal(confirmed.last_payment_error, null);

    const charge = await stripe.charges.retrieve(String(confirmed.latest_charge), { expand: ['balance_transaction'] });
    assert.equal(charge.amount, 2000);
    assert.equal(charge.amount_captured, 2000);
    assert.equal(charge.status, 'succeeded');
    assert.equal(charge.paid, true);
    assert.equal(charge.captured, true);
    assert.equal(charge.payment_intent, created.id);
    assert.equal(charge.payment_method_details?.card?.last4, '4242');
    assertConforms('charge', charge);
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    assert.equal(txn.amount, 2000);
    assert.equal(txn.type, 'charge');
    assert.equal(txn.net, 2000 - txn.fee);

    const expanded = await stripe.paymentIntents.retrieve(created.id, { expand: ['latest_charge'] });
    assert.equal((expanded.latest_charge as Stripe.Charge).id, charge.id);
  });

  test('a payment method on create means requires_confirmation; confirm: true pays at once', async () => {
    const waiting = await stripe.paymentIntents.create({ amount: 500, currency: 'usd', payment_method: 'pm_card_mastercard' });
    assert.equal(waiting.status, 'requires_confirmation');
    const paid = await stripe.paymentIntents.create({ amount: 700, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    assert.equal(paid.status, 'succeeded');
    assert.equal((await stripe.charges.retrieve(String(paid.latest_charge))).amount, 700);
  });

  test('manual capture: requires_capture holds the amount; capture takes part of it', async () => {
    const held = await stripe.paymentIntents.create({ amount: 3000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    assert.equal(held.status, 'requires_capture');
    assert.equal(held.amount_capturable, 3000);
    assert.equal(held.amount_received, 0);
    const authorized = await stripe.charges.retrieve(String(held.latest_charge));
    assert.equal(authorized.captured, false);
    assert.equal(authorized.paid, true);
    assert.equal(authorized.balance_transaction, null);

    const captured = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 2500 });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 2500);
    assert.equal(captured.amount_capturable, 0);
    const charge = await stripe.charges.retrieve(String(held.latest_charge));
    assert.equal(charge.captured, true);
    assert.equal(charge.amount_captured, 2500);
    assert.match(String(charge.balance_transaction), /^txn_/);
  });

  test('canceling an authorization releases the charge', async () => {
    const held = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    const canceled = await stripe.paymentIntents.cancel(held.id, { cancellation_reason: 'requested_by_customer' });
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.cancellation_reason, 'requested_by_customer');
    assert.equal(typeof canceled.canceled_at, 'number');
    const charge = await stripe.charges.retrieve(String(held.latest_charge));
    assert.equal(charge.refunded, true);
    assert.equal(charge.amount_refunded, 1200);
  });

  test('a declined card answers 402 card_declined and leaves requires_payment_method with last_payment_error', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd' });
    const error = await failure(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }));
    assert.ok(error instanceof Stripe.errors.StripeCardError);
    assert.equal(error.statusCode, 402);
    assert.equal(error.type, 'StripeCardError');
    assert.equal(error.code, 'card_declined');
    assert.equal(error.decline_code, 'generic_decline');
    assert.equal(error.message, 'Your card was declined.');
    assert.equal(error.payment_intent?.id, intent.id);
    assert.equal(error.payment_intent?.status, 'requires_payment_method');

    const after = await stripe.paymentIntents.retrieve(intent.id);
    assertConforms('payment_intent', after);
    assert.equal(after.status, 'requires_payment_method');
    assert.equal(after.last_payment_error?.code, 'card_declined');
    assert.equal(after.last_payment_error?.decline_code, 'generic_decline');
    assert.equal(after.last_payment_error?.type, 'card_error');
    const charge = await stripe.charges.retrieve(String(after.latest_charge));
    assert.equal(charge.status, 'failed');
    assert.equal(charge.paid, false);
    assert.equal(charge.failure_code, 'card_declined');
    assert.equal(charge.outcome?.reason, 'generic_decline');

    // The customer tries another card: the same intent succeeds.
    const retried = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    assert.equal(retried.status, 'succeeded');
    assert.equal(retried.last_payment_error, null);
  });

  test('insufficient funds is a decline with its own decline_code and message', async () => {
    const error = await failure(stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true }));
    assert.equal(error.statusCode, 402);
    assert.equal(error.code, 'card_declined');
    assert.equal(error.decline_code, 'insufficient_funds');
    assert.equal(error.message, 'Your card has insufficient funds.');
    const intent = await stripe.paymentIntents.retrieve(String(error.payment_intent?.id));
    assert.equal(intent.status, 'requires_payment_method');
  });

  test('a card needing authentication goes to requires_action; confirmed again after it, it succeeds', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 4200, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true });
    assert.equal(intent.status, 'requires_action');
    assert.equal(intent.next_action?.type, 'use_stripe_sdk');
    assert.equal(intent.latest_charge, null);
    const done = await stripe.paymentIntents.confirm(intent.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.next_action, null);

    const offSession = await failure(stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true, off_session: true }));
    assert.equal(offSession.code, 'authentication_required');
  });

  test('invalid transitions answer payment_intent_unexpected_state with Stripe\'s message', async () => {
    const paid = await stripe.paymentIntents.create({ amount: 800, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const capture = await failure(stripe.paymentIntents.capture(paid.id));
    assert.equal(capture.statusCode, 400);
    assert.equal(capture.type, 'StripeInvalidRequestError');
    assert.equal(capture.code, 'payment_intent_unexpected_state');
    assert.equal(capture.message, 'This PaymentIntent could not be captured because it has already been captured.');
    const cancel = await failure(stripe.paymentIntents.cancel(paid.id));
    assert.equal(cancel.code, 'payment_intent_unexpected_state');
    assert.equal(cancel.message, 'You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.');
    const confirm = await failure(stripe.paymentIntents.confirm(paid.id, { payment_method: 'pm_card_visa' }));
    assert.equal(confirm.code, 'payment_intent_unexpected_state');
    assert.equal(confirm.message, 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.');
    assert.equal(confirm.payment_intent?.status, 'succeeded');

    const bare = await stripe.paymentIntents.create({ amount: 800, currency: 'usd' });
    const missing = await failure(stripe.paymentIntents.confirm(bare.id));
    assert.equal(missing.code, 'payment_intent_unexpected_state');
    assert.match(missing.message, /missing a payment method/);
    assert.equal((await stripe.paymentIntents.retrieve(bare.id)).status, 'requires_payment_method');
  });
});

describe('Charge', () => {
  test('a charge from tok_visa succeeds; tok_chargeDeclined answers 402 and keeps the failed charge', async () => {
    const charge = await stripe.charges.create({ amount: 1999, currency: 'usd', source: 'tok_visa', description: 'Direct charge' });
    assertConforms('charge', charge);
    assert.equal(charge.status, 'succeeded');
    assert.equal(charge.paid, true);
    assert.equal(charge.captured, true);
    assert.equal(charge.amount_captured, 1999);
    assert.equal(charge.payment_intent, null);
    assert.equal(charge.payment_method_details?.card?.last4, '4242');
    assert.match(String(charge.balance_transaction), /^txn_/);

    const error = await failure(stripe.charges.create({ amount: 1999, currency: 'usd', source: 'tok_chargeDeclined' }));
    assert.equal(error.statusCode, 402);
    assert.equal(error.code, 'card_declined');
    assert.equal(error.decline_code, 'generic_decline');
    const failed = await stripe.charges.retrieve(String(error.charge));
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failure_code, 'card_declined');
  });

  test('capture=false authorizes; capture takes it once; a charge refunds through itself', async () => {
    const held = await stripe.charges.create({ amount: 5000, currency: 'usd', source: 'tok_mastercard', capture: false });
    assert.equal(held.captured, false);
    assert.equal(held.amount_captured, 0);
    const captured = await stripe.charges.capture(held.id);
    assert.equal(captured.captured, true);
    assert.equal(captured.amount_captured, 5000);
    const twice = await failure(stripe.charges.capture(held.id));
    assert.equal(twice.message, `Charge ${held.id} has already been captured.`);
    const refunded = await stripe.refunds.create({ charge: held.id, amount: 1000 });
    assert.equal(refunded.amount, 1000);
    assert.equal((await stripe.charges.retrieve(held.id)).amount_refunded, 1000);
  });

  test('a customer created with a test token is charged through its default source', async () => {
    const customer = await stripe.customers.create({ source: 'tok_amex' });
    assert.match(String(customer.default_source), /^card_/);
    const charge = await stripe.charges.create({ amount: 800, currency: 'usd', customer: customer.id });
    assert.equal(charge.status, 'succeeded');
    assert.equal(charge.customer, customer.id);
    assert.equal(charge.payment_method, customer.default_source);
    const missing = await failure(stripe.charges.create({ amount: 800, currency: 'usd' }));
    assert.equal(missing.message, 'Must provide source or customer.');
  });
});

describe('Refund', () => {
  test('refunds what is left by default, updates the charge, and refuses a charge already refunded', async () => {
    const paid = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const partial = await stripe.refunds.create({ payment_intent: paid.id, amount: 500, reason: 'requested_by_customer' });
    assertConforms('refund', partial);
    assert.equal(partial.status, 'succeeded');
    assert.equal(partial.amount, 500);
    assert.equal(partial.charge, paid.latest_charge);
    assert.equal(partial.payment_intent, paid.id);
    let charge = await stripe.charges.retrieve(String(paid.latest_charge));
    assert.equal(charge.amount_refunded, 500);
    assert.equal(charge.refunded, false);

    const rest = await stripe.refunds.create({ charge: charge.id });
    assert.equal(rest.amount, 1500);
    assert.match(String(rest.balance_transaction), /^txn_/);
    charge = await stripe.charges.retrieve(charge.id, { expand: ['refunds'] });
    assert.equal(charge.amount_refunded, 2000);
    assert.equal(charge.refunded, true);
    assert.deepEqual(new Set(charge.refunds?.data.map((refund) => refund.id)), new Set([partial.id, rest.id]));

    const again = await failure(stripe.refunds.create({ charge: charge.id }));
    assert.equal(again.code, 'charge_already_refunded');
    const tooMuch = await stripe.paymentIntents.create({ amount: 300, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const large = await failure(stripe.refunds.create({ payment_intent: tooMuch.id, amount: 301 }));
    assert.equal(large.code, 'amount_too_large');
    assert.equal(large.param, 'amount');
  });

  test('a succeeded refund cannot be canceled', async () => {
    const paid = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const refund = await stripe.refunds.create({ payment_intent: paid.id });
    const error = await failure(stripe.refunds.cancel(refund.id));
    assert.equal(error.statusCode, 400);
    assert.match(error.message, /cannot be canceled because it has a status of succeeded/);
  });
});

describe('SetupIntent and PaymentMethod', () => {
  test('a setup intent saves the card to its customer; a succeeded one cannot be canceled', async () => {
    const customer = await stripe.customers.create({ email: 'setup@example.com' });
    const intent = await stripe.setupIntents.create({ customer: customer.id });
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.usage, 'off_session');
    assert.match(intent.client_secret!, new RegExp(`^${intent.id}_secret_`));

    const confirmed = await stripe.setupIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    assertConforms('setup_intent', confirmed);
    assert.equal(confirmed.status, 'succeeded');
    const pm = await stripe.paymentMethods.retrieve(String(confirmed.payment_method));
    assert.equal(pm.customer, customer.id);
    assert.equal(pm.card?.brand, 'visa');

    const cancel = await failure(stripe.setupIntents.cancel(intent.id));
    assert.equal(cancel.code, 'setup_intent_unexpected_state');
    assert.equal(cancel.message, 'You cannot cancel this SetupIntent because it has a status of succeeded. Only a SetupIntent with one of the following statuses may be canceled: requires_payment_method, requires_confirmation, requires_action.');

    const open = await stripe.setupIntents.create({ customer: customer.id });
    assert.equal((await stripe.setupIntents.cancel(open.id, { cancellation_reason: 'abandoned' })).status, 'canceled');
    const declined = await failure(stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_card_chargeDeclined', confirm: true }));
    assert.equal(declined.statusCode, 402);
    assert.equal(declined.decline_code, 'generic_decline');
    assert.equal(declined.setup_intent?.status, 'requires_payment_method');
  });

  test('attach and detach follow the payment method\'s state', async () => {
    const customer = await stripe.customers.create({ email: 'attach@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_amex', { customer: customer.id });
    assertConforms('payment_method', pm);
    assert.match(pm.id, /^pm_1/);
    assert.equal(pm.customer, customer.id);
    assert.equal(pm.card?.last4, '8431');
    const listed = await stripe.customers.listPaymentMethods(customer.id);
    assert.deepEqual(listed.data.map((method) => method.id), [pm.id]);

    const twice = await failure(stripe.paymentMethods.attach(pm.id, { customer: customer.id }));
    assert.equal(twice.code, 'payment_method_unexpected_state');
    assert.equal(twice.message, 'The payment method you provided has already been attached to a customer.');

    const detached = await stripe.paymentMethods.detach(pm.id);
    assert.equal(detached.customer, null);
    const again = await failure(stripe.paymentMethods.detach(pm.id));
    assert.equal(again.message, 'The payment method you provided is not attached to a customer so detachment is impossible.');
  });

  test('a card payment method made from a test token carries its card and its behaviour', async () => {
    const visa = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    assert.equal(visa.card?.last4, '4242');
    assert.equal(visa.customer, null);
    const declining = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_chargeDeclined' } });
    const error = await failure(stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: declining.id, confirm: true }));
    assert.equal(error.code, 'card_declined');
    assert.equal(error.decline_code, 'generic_decline');
    const unknown = await failure(stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_nope' } }));
    assert.equal(unknown.code, 'resource_missing');
  });
});

describe('Subscription', () => {
  test('a trial: trialing, trial dates set, items made, a paid first invoice for nothing', async () => {
    // As Stripe's billing guides do it: one test payment method, attached and made the default.
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const pm = String(customer.invoice_settings.default_payment_method);
    assert.match(pm, /^pm_1/);
    assert.equal((await stripe.paymentMethods.retrieve(pm)).customer, customer.id);
    const price = await monthlyPrice(2900);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_period_days: 14, expand: ['latest_invoice'] });
    assertConforms('subscription', { ...subscription, latest_invoice: (subscription.latest_invoice as Stripe.Invoice).id });
    assertConforms('invoice', subscription.latest_invoice);
    assert.equal(subscription.status, 'trialing');
    assert.equal(typeof subscription.trial_start, 'number');
    assert.equal(subscription.trial_end, subscription.trial_start! + 14 * DAY);
    assert.equal(subscription.current_period_end, subscription.trial_end);
    assert.equal(subscription.items.data.length, 1);
    assert.equal(subscription.items.data[0]!.price.id, price.id);
    assert.equal(subscription.items.data[0]!.quantity, 1);
    const items = await stripe.subscriptionItems.list({ subscription: subscription.id });
    assert.deepEqual(items.data.map((item) => item.id), [subscription.items.data[0]!.id]);

    const invoice = subscription.latest_invoice as Stripe.Invoice;
    assert.equal(invoice.billing_reason, 'subscription_create');
    assert.equal(invoice.status, 'paid');
    assert.equal(invoice.subscription, subscription.id);
    assert.equal(invoice.total, 0);
    assert.equal(invoice.amount_due, 0);
    assert.equal(invoice.lines.data.length, 1);
    assert.equal(invoice.lines.data[0]!.amount, 0);
    assert.equal(invoice.lines.data[0]!.description, 'Trial period for Flow Plan');
  });

  test('with items: active, its first invoice totals the items and is paid with the default payment method', async () => {
    const { customer, pm } = await customerWithCard();
    const base = await monthlyPrice(2900);
    const seats = await monthlyPrice(1000);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: base.id }, { price: seats.id, quantity: 3 }] });
    assert.equal(subscription.status, 'active');
    assert.equal(subscription.trial_end, null);
    assert.equal(subscription.items.data.length, 2);
    const start = new Date(subscription.current_period_start * 1000);
    assert.equal(subscription.current_period_end, Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate(), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()) / 1000);

    assertConforms('subscription', subscription);
    const invoice = await stripe.invoices.retrieve(String(subscription.latest_invoice), { expand: ['payment_intent'] });
    assertConforms('invoice', invoice);
    assertConforms('subscription_item', (await stripe.subscriptionItems.list({ subscription: subscription.id })).data[0]);
    assert.equal(invoice.status, 'paid');
    assert.equal(invoice.paid, true);
    assert.equal(invoice.subtotal, 2900 + 3 * 1000);
    assert.equal(invoice.total, 5900);
    assert.equal(invoice.amount_due, 5900);
    assert.equal(invoice.amount_paid, 5900);
    assert.equal(invoice.amount_remaining, 0);
    assert.match(String(invoice.number), /^[A-Z0-9]+-0001$/);
    assert.deepEqual(invoice.lines.data.map((line) => [line.amount, line.quantity, line.type]), [[2900, 1, 'subscription'], [3000, 3, 'subscription']]);
    assert.equal(invoice.lines.data[1]!.description, '3 × Flow Plan (at $10.00 / month)');
    const intent = invoice.payment_intent as Stripe.PaymentIntent;
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.payment_method, pm.id);
    const charge = await stripe.charges.retrieve(String(invoice.charge));
    assert.equal(charge.amount, 5900);
    assert.equal(charge.invoice, invoice.id);

    const ending = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    assert.equal(ending.status, 'active');
    assert.equal(ending.cancel_at, ending.current_period_end);
    assert.equal(ending.cancellation_details?.reason, 'cancellation_requested');
    const kept = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: false });
    assert.equal(kept.cancel_at, null);
    assert.equal(kept.canceled_at, null);

    const canceled = await stripe.subscriptions.cancel(subscription.id);
    assert.equal(canceled.status, 'canceled');
    assert.equal(typeof canceled.canceled_at, 'number');
    assert.equal(canceled.ended_at, canceled.canceled_at);
    const again = await failure(stripe.subscriptions.cancel(subscription.id));
    // Stripe treats a canceled subscription as deleted: canceling it again is a 404.
    assert.equal(again.statusCode, 404);
    assert.equal(again.code, 'resource_missing');
    assert.equal(again.message, `No such subscription: '${subscription.id}'`);
    const late = await failure(stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true }));
    assert.equal(late.message, 'A canceled subscription can only update its cancellation_details and metadata.');
    assert.equal((await stripe.subscriptions.update(subscription.id, { metadata: { note: 'gone' } })).metadata.note, 'gone');
  });

  test('without a payment method the subscription is incomplete and its invoice open; a declined card likewise', async () => {
    const customer = await stripe.customers.create({ email: 'nocard@example.com' });
    const price = await monthlyPrice(1500);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    assert.equal(subscription.status, 'incomplete');
    const invoice = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    assert.equal(invoice.status, 'open');
    assert.equal(invoice.amount_remaining, 1500);

    const { customer: declining } = await customerWithCard('pm_card_chargeDeclinedInsufficientFunds');
    const failed = await stripe.subscriptions.create({ customer: declining.id, items: [{ price: price.id }], expand: ['latest_invoice.payment_intent'] });
    assert.equal(failed.status, 'incomplete');
    const failedInvoice = failed.latest_invoice as Stripe.Invoice;
    assert.equal(failedInvoice.status, 'open');
    assert.equal(failedInvoice.attempt_count, 1);
    assert.equal((failedInvoice.payment_intent as Stripe.PaymentIntent).last_payment_error?.decline_code, 'insufficient_funds');

    // Paying the open invoice with a working card activates the subscription.
    const paid = await stripe.invoices.pay(failedInvoice.id, { payment_method: 'pm_card_visa' });
    assert.equal(paid.status, 'paid');
    assert.equal((await stripe.subscriptions.retrieve(failed.id)).status, 'active');

    const refused = await failure(stripe.subscriptions.create({ customer: declining.id, items: [{ price: price.id }], payment_behavior: 'error_if_incomplete' }));
    assert.equal(refused.statusCode, 402);
    assert.equal(refused.decline_code, 'insufficient_funds');
  });

  test('the upcoming invoice previews the next period of the items and the pending items, storing nothing', async () => {
    const { customer } = await customerWithCard();
    const price = await monthlyPrice(2000);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 2 }] });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 350, currency: 'usd', description: 'Extra' });
    const invoicesBefore = (await stripe.invoices.list({ customer: customer.id })).data.length;

    const upcoming = await stripe.invoices.retrieveUpcoming({ customer: customer.id });
    assertConforms('invoice', upcoming);
    assert.equal('id' in upcoming, false);
    assert.equal(upcoming.status, 'draft');
    assert.equal(upcoming.subscription, subscription.id);
    assert.equal(upcoming.billing_reason, 'subscription_cycle');
    assert.equal(upcoming.total, 2 * 2000 + 350);
    assert.equal(upcoming.amount_due, 4350);
    const [renewal, extra] = upcoming.lines.data;
    assert.deepEqual(renewal!.period, { start: subscription.current_period_end, end: renewal!.period.end });
    assert.ok(renewal!.period.end > subscription.current_period_end);
    assert.equal(extra!.description, 'Extra');
    const lines = await stripe.invoices.listUpcomingLines({ customer: customer.id, limit: 1 });
    assert.equal(lines.data.length, 1);
    assert.equal(lines.has_more, true);
    assert.equal((await stripe.invoices.list({ customer: customer.id })).data.length, invoicesBefore);

    const nobody = await stripe.customers.create({ email: 'nothing-due@example.com' });
    const none = await failure(stripe.invoices.retrieveUpcoming({ customer: nobody.id }));
    assert.equal(none.statusCode, 404);
    assert.equal(none.code, 'invoice_upcoming_none');
  });

  test('a one-time price is refused for a subscription item', async () => {
    const { customer } = await customerWithCard();
    const oneTime = await stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Once' } });
    const error = await failure(stripe.subscriptions.create({ customer: customer.id, items: [{ price: oneTime.id }] }));
    assert.equal(error.param, 'items[0][price]');
  });
});

describe('Invoice', () => {
  test('collects pending items when asked, finalizes, pays; a paid invoice cannot be voided', async () => {
    const { customer } = await customerWithCard();
    await stripe.invoiceItems.create({ customer: customer.id, amount: 1200, currency: 'usd', description: 'Setup fee' });
    const product = await stripe.products.create({ name: 'Widget' });
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 450, product: product.id });
    await stripe.invoiceItems.create({ customer: customer.id, price: price.id, quantity: 2 });

    const draft = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    assertConforms('invoice', draft);
    assert.equal(draft.status, 'draft');
    assert.equal(draft.number, null);
    assert.equal(draft.lines.data.length, 2);
    assert.equal(draft.subtotal, 1200 + 900);
    assert.equal(draft.total, 2100);
    assert.equal(draft.amount_due, 2100);
    assert.equal(draft.amount_remaining, 2100);
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    assert.equal(pending.data.filter((item) => item.invoice === null).length, 0);

    // An item added to the draft joins its lines.
    await stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'usd', invoice: draft.id });
    const grown = await stripe.invoices.retrieve(draft.id);
    assert.equal(grown.total, 2200);
    const lines = await stripe.invoices.listLineItems(draft.id);
    assert.equal(lines.data.length, 3);
    for (const line of lines.data) assertConforms('line_item', line);
    assertConforms('invoiceitem', (await stripe.invoiceItems.list({ invoice: draft.id })).data[0]);

    const open = await stripe.invoices.finalizeInvoice(draft.id);
    assert.equal(open.status, 'open');
    assert.match(String(open.number), /-\d{4}$/);
    assert.equal(typeof open.status_transitions.finalized_at, 'number');
    assert.match(String(open.payment_intent), /^pi_/);
    assert.match(String(open.hosted_invoice_url), /^https:\/\/invoice\.stripe\.com\//);
    const refinalize = await failure(stripe.invoices.finalizeInvoice(draft.id));
    assert.equal(refinalize.message, "This invoice is already finalized, you can't re-finalize a non-draft invoice.");
    const lateItem = await failure(stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'usd', invoice: draft.id }));
    assert.equal(lateItem.code, 'invoice_not_editable');

    const paid = await stripe.invoices.pay(draft.id);
    assertConforms('invoice', paid);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.amount_paid, 2200);
    assert.equal(paid.amount_remaining, 0);
    assert.equal(typeof paid.status_transitions.paid_at, 'number');
    const charge = await stripe.charges.retrieve(String(paid.charge));
    assert.equal(charge.amount, 2200);

    const voidPaid = await failure(stripe.invoices.voidInvoice(draft.id));
    assert.equal(voidPaid.statusCode, 400);
    assert.equal(voidPaid.message, 'You cannot void this invoice because it has a status of paid. Only an invoice with one of the following statuses may be voided: open, uncollectible.');
    assert.equal((await failure(stripe.invoices.pay(draft.id))).message, 'Invoice is already paid');
  });

  test('void and uncollectible: void is final; uncollectible can still be paid out of band', async () => {
    const { customer } = await customerWithCard();
    const first = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 800, currency: 'usd', invoice: first.id });
    await stripe.invoices.finalizeInvoice(first.id);
    const voided = await stripe.invoices.voidInvoice(first.id);
    assert.equal(voided.status, 'void');
    assert.equal(typeof voided.status_transitions.voided_at, 'number');
    assert.equal((await stripe.paymentIntents.retrieve(String(voided.payment_intent))).status, 'canceled');
    assert.equal((await failure(stripe.invoices.pay(first.id))).message, 'Voided invoices cannot be paid.');
    const voidAgain = await failure(stripe.invoices.voidInvoice(first.id));
    assert.match(voidAgain.message, /because it has a status of void/);

    const second = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 7 });
    assert.equal(second.due_date, second.created + 7 * DAY);
    await stripe.invoiceItems.create({ customer: customer.id, amount: 600, currency: 'usd', invoice: second.id });
    await stripe.invoices.finalizeInvoice(second.id);
    const bad = await stripe.invoices.markUncollectible(second.id);
    assert.equal(bad.status, 'uncollectible');
    const settled = await stripe.invoices.pay(second.id, { paid_out_of_band: true });
    assert.equal(settled.status, 'paid');
    assert.equal(settled.paid_out_of_band, true);
    assert.equal(settled.charge, null);

    const draft = await stripe.invoices.create({ customer: customer.id });
    const early = await failure(stripe.invoices.markUncollectible(draft.id));
    assert.match(early.message, /status of draft/);
  });

  test('paying a draft finalizes it first; paying with a declined card answers 402 and leaves it open', async () => {
    const { customer } = await customerWithCard('pm_card_chargeDeclined');
    const invoice = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 2500, currency: 'usd', invoice: invoice.id });
    const error = await failure(stripe.invoices.pay(invoice.id));
    assert.equal(error.statusCode, 402);
    assert.equal(error.code, 'card_declined');
    const open = await stripe.invoices.retrieve(invoice.id);
    assert.equal(open.status, 'open');
    assert.equal(open.attempted, true);
    assert.equal(open.attempt_count, 1);
    assert.equal((await stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_visa' })).status, 'paid');
  });
});

describe('Payout', () => {
  test('a new payout is pending and can be canceled once; a paid one is reversed by a new payout', async () => {
    const payout = await stripe.payouts.create({ amount: 5000, currency: 'usd' });
    assertConforms('payout', payout);
    assert.equal(payout.status, 'pending');
    assert.equal((await stripe.payouts.cancel(payout.id)).status, 'canceled');
    assert.match((await failure(stripe.payouts.cancel(payout.id))).message, /because it has a status of canceled/);

    const paid = emulator.objects('payout').find((p) => p.status === 'paid' && p.reversed_by === null)!;
    const reversal = await stripe.payouts.reverse(String(paid.id));
    assert.notEqual(reversal.id, paid.id);
    assert.equal(reversal.original_payout, paid.id);
    assert.equal(reversal.amount, paid.amount);
    assert.equal(reversal.status, 'pending');
    assert.equal((await stripe.payouts.retrieve(String(paid.id))).reversed_by, reversal.id);
    assert.match((await failure(stripe.payouts.reverse(String(paid.id)))).message, /status of reversed/);
  });
});

describe('cash balance', () => {
  test('funding instructions, a test-mode funding, and a customer_balance payment paid from it', async () => {
    const customer = await stripe.customers.create({ email: 'cash@example.com' });
    const instructions = await stripe.customers.createFundingInstructions(customer.id, { bank_transfer: { type: 'us_bank_transfer' }, currency: 'usd', funding_type: 'bank_transfer' });
    assertConforms('funding_instructions', instructions);
    assert.equal(instructions.bank_transfer.financial_addresses[0]!.type, 'aba');

    const funded = await stripe.testHelpers.customers.fundCashBalance(customer.id, { amount: 3000, currency: 'usd' });
    assertConforms('customer_cash_balance_transaction', funded);
    assert.equal(funded.type, 'funded');
    assert.equal(funded.ending_balance, 3000);
    assert.deepEqual((await stripe.customers.retrieveCashBalance(customer.id)).available, { usd: 3000 });

    const intent = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', customer: customer.id, payment_method_types: ['customer_balance'] });
    const paid = await stripe.paymentIntents.applyCustomerBalance(intent.id);
    assert.equal(paid.status, 'succeeded');
    assert.equal(paid.amount_received, 2000);
    assert.deepEqual((await stripe.customers.retrieveCashBalance(customer.id)).available, { usd: 1000 });
    const card = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', customer: customer.id });
    assert.equal((await failure(stripe.paymentIntents.applyCustomerBalance(card.id))).code, 'payment_intent_unexpected_state');
  });
});

describe('nested expand', () => {
  test('follows the spec\'s expandable fields through embedded objects and references', async () => {
    const { customer, pm } = await customerWithCard();
    const expanded = await stripe.customers.retrieve(customer.id, { expand: ['invoice_settings.default_payment_method'] }) as Stripe.Customer;
    assert.equal((expanded.invoice_settings.default_payment_method as Stripe.PaymentMethod).id, pm.id);

    const session = (await stripe.checkout.sessions.list({ status: 'complete', limit: 10 })).data.find((s) => s.payment_intent !== null)!;
    const deep = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge.balance_transaction'] });
    const intent = deep.payment_intent as Stripe.PaymentIntent;
    assert.equal(intent.id, session.payment_intent);
    const charge = intent.latest_charge as Stripe.Charge;
    assert.equal(charge.object, 'charge');
    assert.equal((charge.balance_transaction as Stripe.BalanceTransaction).object, 'balance_transaction');
  });
});

describe('through SQL', () => {
  let db: Connection;
  before(() => {
    db = connect({ apiKey: DEMO_API_KEY, baseUrl: emulator.url, maxRequestsPerSecond: 1000 });
  });
  after(async () => {
    await db.close();
  });

  test('EXEC CancelPaymentIntent cancels, and a second EXEC answers Stripe\'s unexpected-state error', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const result = await db.query(`EXEC CancelPaymentIntent @PaymentIntentId = '${intent.id}', @CancellationReason = 'abandoned'`);
    assert.equal(result.rows.length, 1);
    assert.equal(result.rows[0]!.Success, true);
    assert.equal(result.rows[0]!.Id, intent.id);
    assert.equal(result.rows[0]!.Status, 'canceled');
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).cancellation_reason, 'abandoned');
    await assert.rejects(db.query(`EXEC CancelPaymentIntent @PaymentIntentId = '${intent.id}'`), /You cannot cancel this PaymentIntent because it has a status of canceled/);
  });
});

describe('shapes', () => {
  test('every object the emulator holds after these flows, seeded or created, is what the spec says it is', () => {
    const objects = emulator.allObjects();
    assert.ok(objects.length > 2500, `${objects.length} objects`);
    assert.ok(objects.some(({ object }) => object.object === 'subscription' && object.customer !== undefined && (object.created as number) > Date.now() / 1000 - 3600));
    assert.deepEqual(storeProblems(objects), []);
  });
});
