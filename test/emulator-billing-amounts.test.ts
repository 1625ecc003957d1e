// What invoices, subscriptions and Checkout Sessions come to with coupons, promotion codes,
// tax rates and mid-period changes (prorations), driven by Stripe's own Node SDK against the
// emulator. The expected amounts are worked out by hand from Stripe's documented rules: a
// percentage coupon takes its share of each line, an amount_off coupon is shared across the
// lines in proportion, an exclusive rate adds p % of the discounted line, an inclusive rate is
// p/(100+p) of it, and a proration is the price × the unused share of the period.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import type { Emulator } from '../emulator/index.js';
import { startWithSdk } from './support/stripe-sdk.js';
import { assertConforms, storeProblems } from './support/spec-schema.js';

const DAY = 86400;
const HOUR = 3600;
/** 2025-01-15: the first period runs 31 days, to 2025-02-15. */
const START = Date.UTC(2025, 0, 15) / 1000;
const FEB_15 = Date.UTC(2025, 1, 15) / 1000;

let emulator: Emulator;
let stripe: Stripe;

before(async () => ({ emulator, stripe } = await startWithSdk()));
after(() => emulator.close());


async function payingCustomer(testClock?: string): Promise<Stripe.Customer> {
  return stripe.customers.create({ email: 'amounts@example.com', payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' }, ...(testClock ? { test_clock: testClock } : {}) });
}

async function monthly(unitAmount: number, name = 'Amounts Plan'): Promise<Stripe.Price> {
  return stripe.prices.create({ currency: 'usd', unit_amount: unitAmount, recurring: { interval: 'month' }, product_data: { name } });
}

async function failure(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof Stripe.errors.StripeError, String(error));
    return error;
  }
  assert.fail('the call succeeded');
}

describe('discounts and tax on invoices', () => {
  test('a 25 % coupon and a 10 % exclusive rate: each line discounted, then taxed; total, amount due and the charge follow', async () => {
    const customer = await payingCustomer();
    const coupon = await stripe.coupons.create({ percent_off: 25, duration: 'once' });
    const vat = await stripe.taxRates.create({ display_name: 'Sales tax', percentage: 10, inclusive: false });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 1000, currency: 'usd', description: 'Setup' });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 3000, currency: 'usd', description: 'Hours' });
    const draft = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include', discounts: [{ coupon: coupon.id }], default_tax_rates: [vat.id] });
    assertConforms('invoice', draft);
    const [discountId] = draft.discounts as string[];
    assert.match(String(discountId), /^di_/);
    assert.equal((draft.discount as Stripe.Discount).coupon.id, coupon.id);
    assert.equal(draft.subtotal, 4000);
    assert.deepEqual(draft.total_discount_amounts, [{ amount: 1000, discount: discountId }]);
    assert.deepEqual(draft.total_tax_amounts, [{ amount: 300, inclusive: false, tax_rate: vat.id, taxability_reason: null, taxable_amount: 3000 }]);
    assert.equal(draft.tax, 300);
    assert.equal(draft.total, 4000 - 1000 + 300);
    assert.equal(draft.total_excluding_tax, 3000);
    assert.equal(draft.amount_due, 3300);
    const lines = (await stripe.invoices.listLineItems(draft.id)).data.sort((a, b) => a.amount - b.amount);
    assert.deepEqual(
      lines.map((line) => [line.amount, line.discount_amounts?.[0]?.amount, line.tax_amounts![0]?.amount]),
      [[1000, 250, 75], [3000, 750, 225]],
    );
    assert.equal((await stripe.coupons.retrieve(coupon.id)).times_redeemed, 1);

    const paid = await stripe.invoices.pay(draft.id);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.amount_paid, 3300);
    assert.equal((await stripe.charges.retrieve(String(paid.charge))).amount, 3300);
  });

  test('an amount_off coupon is shared in proportion; an inclusive 20 % rate is already in the price', async () => {
    const customer = await payingCustomer();
    const coupon = await stripe.coupons.create({ amount_off: 600, currency: 'usd', duration: 'forever' });
    const vat = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: true });
    const draft = await stripe.invoices.create({ customer: customer.id, discounts: [{ coupon: coupon.id }], default_tax_rates: [vat.id] });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 2400, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 1200, currency: 'usd' });
    const invoice = await stripe.invoices.retrieve(draft.id);
    assertConforms('invoice', invoice);
    // 600 off 3600: 400 from the 2400 line, 200 from the 1200 one; VAT is 20/120 of what is left.
    assert.deepEqual(invoice.lines.data.map((line) => [line.discount_amounts?.[0]?.amount, line.tax_amounts![0]?.amount, line.tax_amounts![0]?.taxable_amount]), [[400, 333, 1667], [200, 167, 833]]);
    assert.equal(invoice.subtotal, 3600);
    assert.equal(invoice.subtotal_excluding_tax, 3000);
    assert.equal(invoice.total_discount_amounts![0]!.amount, 600);
    assert.deepEqual(invoice.total_tax_amounts, [{ amount: 500, inclusive: true, tax_rate: vat.id, taxability_reason: null, taxable_amount: 2500 }]);
    assert.equal(invoice.total, 3000);
    assert.equal(invoice.total_excluding_tax, 2500);
    assert.equal(invoice.amount_due, 3000);
  });

  test('an unknown coupon or tax rate is refused with resource_missing', async () => {
    const customer = await payingCustomer();
    const coupon = await failure(stripe.invoices.create({ customer: customer.id, discounts: [{ coupon: 'NOPE' }] }));
    assert.equal(coupon.code, 'resource_missing');
    assert.equal(coupon.param, 'discounts[0][coupon]');
    const legacy = await failure(stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthly(100)).id }], coupon: 'NOPE' }));
    assert.equal(legacy.param, 'coupon');
    const rate = await failure(stripe.invoices.create({ customer: customer.id, default_tax_rates: ['txr_nope'] }));
    assert.equal(rate.code, 'resource_missing');
    assert.equal(rate.param, 'default_tax_rates[0]');
  });
});

describe('discounts and tax on subscriptions', () => {
  test('a promotion code for a once coupon discounts the first invoice only; the tax rate applies every period', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await payingCustomer(clock.id);
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: 'once' });
    const promotion = await stripe.promotionCodes.create({ coupon: coupon.id, code: 'HALFOFF' });
    const tax = await stripe.taxRates.create({ display_name: 'Sales tax', percentage: 8, inclusive: false });
    const price = await monthly(5000);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], promotion_code: promotion.id, default_tax_rates: [tax.id] });
    assertConforms('subscription', subscription);
    assert.equal(subscription.status, 'active');
    assert.equal((subscription.discounts as string[]).length, 0, 'a once coupon is spent by the first invoice');
    const first = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    assert.equal(first.subtotal, 5000);
    assert.equal(first.total_discount_amounts![0]!.amount, 2500);
    assert.equal(first.tax, 200);
    assert.equal(first.total, 2700);
    assert.equal(first.amount_paid, 2700);
    assert.equal((first.discount as Stripe.Discount).promotion_code, promotion.id);
    assert.equal((await stripe.promotionCodes.retrieve(promotion.id)).times_redeemed, 1);

    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FEB_15 + HOUR });
    const renewal = await stripe.invoices.retrieve(String((await stripe.subscriptions.retrieve(subscription.id)).latest_invoice));
    assert.equal(renewal.billing_reason, 'subscription_cycle');
    assert.deepEqual(renewal.total_discount_amounts, []);
    assert.equal(renewal.tax, 400);
    assert.equal(renewal.total, 5400);
    assert.equal(renewal.status, 'paid');
  });

  test('a forever coupon keeps discounting renewals', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await payingCustomer(clock.id);
    const coupon = await stripe.coupons.create({ amount_off: 500, currency: 'usd', duration: 'forever' });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthly(2000)).id }], discounts: [{ coupon: coupon.id }] });
    assert.equal((subscription.discount as Stripe.Discount).coupon.id, coupon.id);
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FEB_15 + HOUR });
    const invoices = (await stripe.invoices.list({ subscription: subscription.id })).data;
    assert.deepEqual(invoices.map((invoice) => [invoice.billing_reason, invoice.total]), [['subscription_cycle', 1500], ['subscription_create', 1500]]);
  });
});

describe('prorations', () => {
  /** A subscription to a 3100 a month price on a clock at START, moved to 16 days before the period ends. */
  async function midPeriod(): Promise<{ clock: string; customer: Stripe.Customer; subscription: Stripe.Subscription; bigger: Stripe.Price }> {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await payingCustomer(clock.id);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthly(3100, 'Basic')).id }] });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: START + 15 * DAY });
    return { clock: clock.id, customer, subscription, bigger: await monthly(6200, 'Pro') };
  }

  test('create_prorations: a credit for the unused time and a charge for the rest of the period, billed with the renewal', async () => {
    const { clock, customer, subscription, bigger } = await midPeriod();
    const item = subscription.items.data[0]!;
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: bigger.id }] });
    assertConforms('subscription', updated);
    assert.equal(updated.items.data[0]!.id, item.id);
    assert.equal(updated.items.data[0]!.price.id, bigger.id);
    assert.equal(updated.latest_invoice, subscription.latest_invoice);

    // 16 of the period's 31 days are left: 3100 × 16/31 = 1600 back, 6200 × 16/31 = 3200 to pay.
    const pending = (await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data;
    assertConforms('invoiceitem', pending[0]);
    assert.deepEqual(
      pending.map((entry) => [entry.amount, entry.proration, entry.description, entry.period.start, entry.period.end, entry.discountable]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [-1600, true, 'Unused time on Basic after 30 Jan 2025', START + 15 * DAY, FEB_15, false],
        [3200, true, 'Remaining time on Pro after 30 Jan 2025', START + 15 * DAY, FEB_15, false],
      ],
    );

    const upcoming = await stripe.invoices.retrieveUpcoming({ customer: customer.id });
    assert.equal(upcoming.total, 6200 + 1600);
    assert.deepEqual(upcoming.lines.data.map((line) => [line.amount, line.proration]), [[6200, false], [-1600, true], [3200, true]]);

    await stripe.testHelpers.testClocks.advance(clock, { frozen_time: FEB_15 + HOUR });
    const renewal = await stripe.invoices.retrieve(String((await stripe.subscriptions.retrieve(subscription.id)).latest_invoice));
    assert.equal(renewal.total, 7800);
    assert.equal(renewal.status, 'paid');
    assert.deepEqual(renewal.lines.data.map((line) => [line.amount, line.proration]), [[6200, false], [-1600, true], [3200, true]]);
    assert.deepEqual((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data, []);
  });

  test('always_invoice: the prorations are billed and charged at once on a subscription_update invoice', async () => {
    const { customer, subscription, bigger } = await midPeriod();
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: bigger.id }], proration_behavior: 'always_invoice' });
    assert.notEqual(updated.latest_invoice, subscription.latest_invoice);
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    assertConforms('invoice', invoice);
    assert.equal(invoice.billing_reason, 'subscription_update');
    assert.equal(invoice.status, 'paid');
    assert.equal(invoice.total, 1600);
    assert.equal(invoice.amount_paid, 1600);
    assert.deepEqual((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data, []);
  });

  test('none: the price changes and nothing is billed for the rest of the period', async () => {
    const { customer, subscription, bigger } = await midPeriod();
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: bigger.id }], proration_behavior: 'none' });
    assert.equal(updated.items.data[0]!.price.id, bigger.id);
    assert.deepEqual((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data, []);
    assert.equal((await stripe.invoices.retrieveUpcoming({ customer: customer.id })).total, 6200);
  });

  test('a quantity change through the subscription item prorates the difference', async () => {
    const { customer, subscription } = await midPeriod();
    const item = await stripe.subscriptionItems.update(subscription.items.data[0]!.id, { quantity: 3 });
    assertConforms('subscription_item', item);
    assert.equal(item.quantity, 3);
    const pending = (await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data.sort((a, b) => a.amount - b.amount);
    assert.deepEqual(pending.map((entry) => [entry.amount, entry.quantity, entry.description]), [
      [-1600, 1, 'Unused time on Basic after 30 Jan 2025'],
      [4800, 3, 'Remaining time on 3 × Basic after 30 Jan 2025'],
    ]);
    assert.equal((await stripe.subscriptions.retrieve(subscription.id)).items.data[0]!.quantity, 3);
  });

  test('the upcoming invoice previews a change not made: its prorations and the new price, nothing stored', async () => {
    const { customer, subscription, bigger } = await midPeriod();
    const item = subscription.items.data[0]!;
    const preview = await stripe.invoices.retrieveUpcoming({
      customer: customer.id,
      subscription: subscription.id,
      subscription_items: [{ id: item.id, price: bigger.id }],
      subscription_proration_date: START + 15 * DAY,
    });
    assertConforms('invoice', preview);
    assert.deepEqual(
      preview.lines.data.map((line) => [line.amount, line.proration, line.price?.id]),
      [[6200, false, bigger.id], [-1600, true, item.price.id], [3200, true, bigger.id]],
    );
    assert.equal(preview.total, 7800);
    const without = await stripe.invoices.retrieveUpcoming({ customer: customer.id, subscription: subscription.id, subscription_items: [{ id: item.id, price: bigger.id }], subscription_proration_behavior: 'none' });
    assert.equal(without.total, 6200);
    // Nothing changed: the item keeps its price, no invoice item is pending.
    assert.equal((await stripe.subscriptionItems.retrieve(item.id)).price.id, item.price.id);
    assert.deepEqual((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data, []);
    assert.equal((await stripe.invoices.retrieveUpcoming({ customer: customer.id })).total, 3100);
  });

  test('a trial prorates nothing', async () => {
    const customer = await payingCustomer();
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthly(3100)).id }], trial_period_days: 14 });
    await stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, quantity: 2 }] });
    assert.deepEqual((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data, []);
  });
});

describe('discounts and tax in Checkout', () => {
  test('a session totals its line items after the coupon and their tax rates; line items and the breakdown show each', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'once' });
    const tax = await stripe.taxRates.create({ display_name: 'Sales tax', percentage: 5, inclusive: false });
    const vat = await stripe.taxRates.create({ display_name: 'VAT', percentage: 25, inclusive: true });
    const shirt = await stripe.prices.create({ currency: 'usd', unit_amount: 2000, product_data: { name: 'Shirt' } });
    const mug = await stripe.prices.create({ currency: 'usd', unit_amount: 1000, product_data: { name: 'Mug' } });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'https://example.com/done',
      line_items: [
        { price: shirt.id, quantity: 2, tax_rates: [tax.id] },
        { price: mug.id, quantity: 1, tax_rates: [vat.id] },
      ],
      discounts: [{ coupon: coupon.id }],
      expand: ['total_details.breakdown', 'line_items.data.taxes', 'line_items.data.discounts'],
    });
    assertConforms('checkout.session', session);
    // Shirts 4000 − 400 = 3600, + 5 % = 180; mug 1000 − 100 = 900, of which 25/125 = 180 is VAT.
    assert.equal(session.amount_subtotal, 5000);
    assert.deepEqual({ ...session.total_details, breakdown: undefined }, { amount_discount: 500, amount_shipping: 0, amount_tax: 360, breakdown: undefined });
    assert.equal(session.amount_total, 5000 - 500 + 180);
    const breakdown = session.total_details!.breakdown!;
    assert.deepEqual(breakdown.discounts.map((entry) => [entry.amount, entry.discount.coupon.id]), [[500, coupon.id]]);
    assert.deepEqual(breakdown.taxes.map((entry) => [entry.amount, entry.rate.id, entry.taxable_amount]), [[180, tax.id, 3600], [180, vat.id, 720]]);
    const items = session.line_items!.data;
    assert.deepEqual(items.map((item) => [item.amount_subtotal, item.amount_discount, item.amount_tax, item.amount_total]), [[4000, 400, 180, 3780], [1000, 100, 180, 900]]);
    assert.deepEqual(items.map((item) => item.taxes!.map((entry) => entry.rate.id)), [[tax.id], [vat.id]]);

    const plain = await stripe.checkout.sessions.retrieve(session.id);
    assert.equal('breakdown' in plain.total_details!, false);
  });

  test('discounts and allow_promotion_codes together are refused', async () => {
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Pin' } });
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'once' });
    const error = await failure(stripe.checkout.sessions.create({ mode: 'payment', success_url: 'https://example.com', line_items: [{ price: price.id, quantity: 1 }], discounts: [{ coupon: coupon.id }], allow_promotion_codes: true }));
    assert.equal(error.statusCode, 400);
  });
});

test('every object the emulator holds after these flows is what the spec says it is', () => {
  assert.deepEqual(storeProblems(emulator.allObjects()), []);
});
