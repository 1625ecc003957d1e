import { synthesize, type SynthesisContext } from './generic/synthesize.js';
import { makeId } from './ids.js';
import type { Prng } from './prng.js';
import type { Store, StripeObject } from './store.js';

// The money side of the demo data, built on what seed.ts already made (customers, prices,
// checkout sessions): every id a session names (payment intent, subscription, invoice,
// setup intent, payment link) becomes a real object, with the charges, refunds, disputes,
// balance transactions, payouts, coupons and events that go with it. Runs after seed.ts
// with its own generator, so the older objects keep their ids.

const DAY = 86400;

export class MoneySeeder {
  private readonly customers: StripeObject[];
  private readonly prices: StripeObject[];
  private readonly events: Array<{ type: string; object: StripeObject }> = [];
  private readonly charges: StripeObject[] = [];
  private readonly invoiceCounts = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly account: string,
    private readonly prng: Prng,
  ) {
    this.customers = [...store.list(account, 'customer')];
    this.prices = [...store.list(account, 'price')];
  }

  private synth(type: string, created: number, overrides: Record<string, unknown>): StripeObject {
    const ctx: SynthesisContext = { newId: (prefix) => makeId(this.prng, prefix), created, pickReference: () => null };
    const object = synthesize(type, ctx, overrides);
    this.store.put(this.account, object);
    return object;
  }

  private customer(id: unknown): StripeObject | undefined {
    return typeof id === 'string' ? this.customers.find((customer) => customer.id === id) : undefined;
  }

  seed(): void {
    const sessions = [...this.store.list(this.account, 'checkout.session')].reverse();
    const paymentMethods = this.seedPaymentMethods();
    const links = new Map<string, StripeObject>();
    for (const session of sessions) {
      const created = session.created as number;
      const customer = this.customer(session.customer);
      const pm = customer ? paymentMethods.get(customer.id) ?? null : null;
      if (typeof session.payment_link === 'string' && !links.has(session.payment_link)) {
        links.set(session.payment_link, this.seedPaymentLink(session));
      }
      if (typeof session.payment_intent === 'string') {
        this.seedPayment(session.payment_intent, created + 5, session.amount_total as number, session.currency as string, customer, pm, 'succeeded', null);
      }
      if (typeof session.subscription === 'string') this.seedSubscription(session, customer!, pm);
      if (typeof session.setup_intent === 'string') {
        const done = session.status === 'complete';
        this.synth('setup_intent', created + 3, {
          id: session.setup_intent,
          customer: customer?.id ?? null,
          status: done ? 'succeeded' : session.status === 'expired' ? 'canceled' : 'requires_payment_method',
          payment_method: done ? pm?.id ?? null : null,
          payment_method_types: ['card'],
          usage: 'off_session',
          client_secret: `${session.setup_intent}_secret_${this.prng.alphanumeric(24)}`,
          metadata: {},
        });
      }
    }
    this.seedLoosePayments(paymentMethods);
    this.seedRefundsAndDisputes();
    this.seedOneOffInvoices();
    this.seedCoupons();
    this.seedPayouts();
    this.seedEvents();
  }

  private seedPaymentMethods(): Map<string, StripeObject> {
    const byCustomer = new Map<string, StripeObject>();
    const brands = ['visa', 'mastercard', 'amex'];
    this.customers.forEach((customer, index) => {
      if (index % 4 === 3) return;
      const brand = brands[index % brands.length] as string;
      const pm = this.synth('payment_method', (customer.created as number) + 60, {
        customer: customer.id,
        type: 'card',
        billing_details: { address: customer.address ?? null, email: customer.email, name: customer.name, phone: customer.phone },
        card: {
          brand,
          checks: { address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'pass' },
          country: 'US',
          display_brand: brand,
          exp_month: this.prng.int(1, 12),
          exp_year: this.prng.int(2025, 2030),
          fingerprint: this.prng.alphanumeric(16),
          funding: 'credit',
          generated_from: null,
          last4: String(this.prng.int(1000, 9999)),
          networks: { available: [brand], preferred: null },
          three_d_secure_usage: { supported: true },
          wallet: null,
        },
        metadata: {},
      });
      byCustomer.set(customer.id, pm);
    });
    return byCustomer;
  }

  private balanceTransaction(created: number, amount: number, currency: string, type: string, source: string): StripeObject {
    const fee = type === 'charge' ? Math.round(amount * 0.029) + 30 : 0;
    return this.synth('balance_transaction', created, {
      amount,
      available_on: created + 2 * DAY,
      currency,
      description: null,
      exchange_rate: null,
      fee,
      fee_details: fee > 0 ? [{ amount: fee, application: null, currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
      net: amount - fee,
      reporting_category: type,
      source,
      status: 'available',
      type,
    });
  }

  /** A payment intent and, unless it never got that far, its charge and balance transaction. */
  private seedPayment(
    id: string | null,
    created: number,
    amount: number,
    currency: string,
    customer: StripeObject | undefined,
    pm: StripeObject | null,
    status: 'succeeded' | 'requires_payment_method' | 'canceled' | 'failed',
    invoice: string | null,
  ): StripeObject {
    const piId = id ?? makeId(this.prng, 'pi');
    let charge: StripeObject | null = null;
    if (status === 'succeeded' || status === 'failed') {
      const chargeId = makeId(this.prng, 'ch');
      const paid = status === 'succeeded';
      const txn = paid ? this.balanceTransaction(created, amount, currency, 'charge', chargeId) : null;
      charge = this.synth('charge', created, {
        id: chargeId,
        amount,
        amount_captured: paid ? amount : 0,
        amount_refunded: 0,
        balance_transaction: txn?.id ?? null,
        billing_details: pm ? (pm.billing_details as object) : { address: null, email: null, name: null, phone: null },
        calculated_statement_descriptor: 'DEMO SHOP',
        captured: paid,
        currency,
        customer: customer?.id ?? null,
        description: invoice ? 'Subscription update' : null,
        disputed: false,
        failure_code: paid ? null : 'card_declined',
        failure_message: paid ? null : 'Your card was declined.',
        invoice,
        metadata: {},
        outcome: { network_status: paid ? 'approved_by_network' : 'declined_by_network', reason: paid ? null : 'generic_decline', risk_level: 'normal', risk_score: this.prng.int(5, 60), seller_message: paid ? 'Payment complete.' : 'The bank did not return any further details with this decline.', type: paid ? 'authorized' : 'issuer_declined' },
        paid,
        payment_intent: piId,
        payment_method: pm?.id ?? null,
        payment_method_details: pm ? { card: cardDetails(pm.card as CardFields), type: 'card' } : null,
        receipt_email: customer ? (customer.email as string) : null,
        receipt_url: `https://pay.stripe.com/receipts/payment/${this.prng.alphanumeric(40)}`,
        refunded: false,
        status: paid ? 'succeeded' : 'failed',
      });
      this.charges.push(charge);
      this.events.push({ type: paid ? 'charge.succeeded' : 'charge.failed', object: charge });
    }
    const pi = this.synth('payment_intent', created - 2, {
      id: piId,
      amount,
      amount_capturable: 0,
      amount_received: status === 'succeeded' ? amount : 0,
      canceled_at: status === 'canceled' ? created + DAY : null,
      cancellation_reason: status === 'canceled' ? 'abandoned' : null,
      capture_method: 'automatic',
      client_secret: `${piId}_secret_${this.prng.alphanumeric(24)}`,
      confirmation_method: 'automatic',
      currency,
      customer: customer?.id ?? null,
      invoice,
      last_payment_error: status === 'failed' ? { code: 'card_declined', message: 'Your card was declined.', type: 'card_error' } : null,
      latest_charge: charge?.id ?? null,
      metadata: {},
      payment_method: status === 'succeeded' ? pm?.id ?? null : null,
      payment_method_types: ['card'],
      status: status === 'failed' ? 'requires_payment_method' : status,
    });
    if (status === 'succeeded') this.events.push({ type: 'payment_intent.succeeded', object: pi });
    return pi;
  }

  private seedLoosePayments(paymentMethods: Map<string, StripeObject>): void {
    const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'requires_payment_method', 'canceled'] as const;
    for (let i = 0; i < 30; i++) {
      const customer = this.prng.pick(this.customers);
      const created = (customer.created as number) + this.prng.int(40, 150) * DAY;
      const currency = customer.currency === 'eur' ? 'eur' : 'usd';
      this.seedPayment(null, created, this.prng.int(5, 400) * 100, currency, customer, paymentMethods.get(customer.id) ?? null, statuses[i % statuses.length]!, null);
    }
  }

  private seedRefundsAndDisputes(): void {
    const paid = this.charges.filter((charge) => charge.paid === true);
    paid.forEach((charge, index) => {
      const created = (charge.created as number) + this.prng.int(1, 20) * DAY;
      const amount = charge.amount as number;
      if (index % 9 === 4) {
        const partial = index % 2 === 0;
        const refunded = partial ? Math.floor(amount / 2) : amount;
        const refundId = makeId(this.prng, 're');
        const txn = this.balanceTransaction(created, -refunded, charge.currency as string, 'refund', refundId);
        const refund = this.synth('refund', created, {
          id: refundId,
          amount: refunded,
          balance_transaction: txn.id,
          charge: charge.id,
          currency: charge.currency,
          metadata: {},
          payment_intent: charge.payment_intent,
          reason: partial ? 'requested_by_customer' : 'duplicate',
          status: 'succeeded',
        });
        charge.amount_refunded = refunded;
        charge.refunded = !partial;
        this.events.push({ type: 'charge.refunded', object: refund });
      } else if (index % 25 === 7) {
        const statuses = ['needs_response', 'won', 'lost', 'under_review'];
        const dispute = this.synth('dispute', created, {
          amount,
          balance_transactions: [],
          charge: charge.id,
          currency: charge.currency,
          is_charge_refundable: false,
          metadata: {},
          payment_intent: charge.payment_intent,
          reason: index % 2 === 0 ? 'fraudulent' : 'product_not_received',
          status: statuses[Math.floor(index / 25) % statuses.length],
        });
        charge.disputed = true;
        this.events.push({ type: 'charge.dispute.created', object: dispute });
      }
    });
  }

  private priceById(id: string): StripeObject | undefined {
    return this.prices.find((price) => price.id === id);
  }

  private seedSubscription(session: StripeObject, customer: StripeObject, pm: StripeObject | null): void {
    const created = (session.created as number) + 5;
    const id = session.subscription as string;
    const lines = this.store.children(this.account, session.id, 'line_items');
    const recurring = lines.map((line) => this.priceById((line.price as { id: string }).id)).filter((price): price is StripeObject => price?.type === 'recurring');
    const roll = this.prng.next();
    const status = roll < 0.68 ? 'active' : roll < 0.78 ? 'trialing' : roll < 0.86 ? 'past_due' : roll < 0.96 ? 'canceled' : 'incomplete_expired';
    const interval = ((recurring[0]?.recurring as { interval: string } | null)?.interval ?? 'month') === 'year' ? 365 : 30;
    const periodStart = created + Math.floor((Date.UTC(2024, 5, 30) / 1000 - created) / (interval * DAY)) * interval * DAY;
    const items = recurring.map((price) =>
      this.synth('subscription_item', created, {
        billing_thresholds: null,
        discounts: [],
        metadata: {},
        price: structuredClone(price),
        quantity: (lines.find((line) => (line.price as { id: string }).id === price.id)?.quantity as number) ?? 1,
        subscription: id,
        tax_rates: [],
      }),
    );
    const subscription = this.synth('subscription', created, {
      id,
      billing_cycle_anchor: created,
      cancel_at_period_end: false,
      canceled_at: status === 'canceled' ? periodStart : null,
      currency: session.currency,
      current_period_end: periodStart + interval * DAY,
      current_period_start: periodStart,
      customer: customer.id,
      default_payment_method: pm?.id ?? null,
      ended_at: status === 'canceled' || status === 'incomplete_expired' ? periodStart : null,
      items: { object: 'list', data: items.map((item) => structuredClone(item)), has_more: false, total_count: items.length, url: `/v1/subscription_items?subscription=${id}` },
      latest_invoice: session.invoice ?? null,
      metadata: {},
      start_date: created,
      status,
      trial_end: status === 'trialing' ? created + 14 * DAY : null,
      trial_start: status === 'trialing' ? created : null,
    });
    this.events.push({ type: 'customer.subscription.created', object: subscription });
    if (typeof session.invoice === 'string') {
      this.seedInvoice(session.invoice as string, created, customer, subscription, items, status === 'past_due' ? 'open' : 'paid', pm);
    }
  }

  private seedInvoice(
    id: string,
    created: number,
    customer: StripeObject,
    subscription: StripeObject | null,
    items: Array<{ price: StripeObject; quantity: number; subscriptionItem?: string; invoiceItem?: string }> | StripeObject[],
    status: 'paid' | 'open' | 'draft' | 'void',
    pm: StripeObject | null,
  ): StripeObject {
    const currency = (subscription?.currency as string | undefined) ?? (customer.currency as string | null) ?? 'usd';
    const lines = (items as Array<Record<string, unknown>>).map((item) => {
      const price = item.price as StripeObject;
      const quantity = (item.quantity as number) ?? 1;
      const amount = (price.unit_amount as number) * quantity;
      return this.synth('line_item', created, {
        amount,
        amount_excluding_tax: amount,
        currency: price.currency,
        description: `${quantity} × ${price.nickname ?? 'item'}`,
        discountable: true,
        discounts: [],
        invoice: id,
        ...(item.object === 'invoiceitem' ? { invoice_item: item.id } : {}),
        metadata: {},
        period: { end: created + 30 * DAY, start: created },
        price: structuredClone(price),
        proration: false,
        quantity,
        subscription: subscription?.id ?? null,
        ...(item.object === 'subscription_item' ? { subscription_item: item.id } : {}),
        type: item.object === 'subscription_item' ? 'subscription' : 'invoiceitem',
      });
    });
    const total = lines.reduce((sum, line) => sum + (line.amount as number), 0);
    // Numbers count per customer here; the customer objects themselves stay as seed.ts made them.
    const sequence = (this.invoiceCounts.get(customer.id) ?? 0) + 1;
    this.invoiceCounts.set(customer.id, sequence);
    const number = status === 'draft' ? null : `${customer.invoice_prefix as string}-${String(sequence).padStart(4, '0')}`;
    const payment = status === 'paid' || status === 'open' ? this.seedPayment(null, created + 60, total, currency, customer, pm, status === 'paid' ? 'succeeded' : 'failed', id) : null;
    const invoice = this.synth('invoice', created, {
      id,
      account_country: 'US',
      account_name: 'Demo Shop',
      amount_due: total,
      amount_paid: status === 'paid' ? total : 0,
      amount_remaining: status === 'paid' || status === 'void' ? 0 : total,
      attempt_count: payment ? 1 : 0,
      attempted: payment !== null,
      auto_advance: status === 'draft',
      billing_reason: subscription ? 'subscription_create' : 'manual',
      charge: (payment?.latest_charge as string | null | undefined) ?? null,
      collection_method: 'charge_automatically',
      currency,
      customer: customer.id,
      customer_email: customer.email,
      customer_name: customer.name,
      hosted_invoice_url: status === 'draft' ? null : `https://invoice.stripe.com/i/acct_demo/${this.prng.alphanumeric(24)}`,
      lines: { object: 'list', data: lines.map((line) => structuredClone(line)), has_more: false, total_count: lines.length, url: `/v1/invoices/${id}/lines` },
      metadata: {},
      number,
      paid: status === 'paid',
      payment_intent: payment?.id ?? null,
      period_end: created,
      period_start: created,
      status,
      status_transitions: { finalized_at: status === 'draft' ? null : created + 60, marked_uncollectible_at: null, paid_at: status === 'paid' ? created + 60 : null, voided_at: status === 'void' ? created + DAY : null },
      subscription: subscription?.id ?? null,
      subtotal: total,
      subtotal_excluding_tax: total,
      total,
      total_excluding_tax: total,
    });
    if (status === 'paid') this.events.push({ type: 'invoice.paid', object: invoice });
    return invoice;
  }

  private seedOneOffInvoices(): void {
    const oneTime = this.prices.filter((price) => price.type === 'one_time' && price.active === true && price.currency === 'usd');
    const statuses = ['paid', 'open', 'draft', 'void'] as const;
    for (let i = 0; i < 8; i++) {
      const customer = this.customers[(i * 5) % this.customers.length]!;
      const created = (customer.created as number) + (60 + i) * DAY;
      const invoiceId = makeId(this.prng, 'in');
      const price = oneTime[i % oneTime.length]!;
      const status = statuses[i % statuses.length]!;
      const item = this.synth('invoiceitem', created - 100, {
        amount: price.unit_amount,
        currency: price.currency,
        customer: customer.id,
        date: created - 100,
        description: `One-off ${i + 1}`,
        discountable: true,
        discounts: [],
        invoice: invoiceId,
        metadata: {},
        period: { end: created, start: created },
        price: structuredClone(price),
        proration: false,
        quantity: 1,
        unit_amount: price.unit_amount,
        unit_amount_decimal: String(price.unit_amount),
      });
      this.seedInvoice(invoiceId, created, customer, null, [{ ...item, quantity: 1 } as StripeObject], status, null);
    }
    // Pending items, not on any invoice yet.
    for (let i = 0; i < 3; i++) {
      const customer = this.customers[i + 1]!;
      const price = oneTime[(i + 3) % oneTime.length]!;
      const created = Date.UTC(2024, 5, 20 + i) / 1000;
      this.synth('invoiceitem', created, {
        amount: price.unit_amount,
        currency: price.currency,
        customer: customer.id,
        date: created,
        description: `Pending ${i + 1}`,
        discountable: true,
        discounts: [],
        invoice: null,
        metadata: {},
        period: { end: created, start: created },
        price: structuredClone(price),
        proration: false,
        quantity: 1,
        unit_amount: price.unit_amount,
        unit_amount_decimal: String(price.unit_amount),
      });
    }
  }

  private seedPaymentLink(session: StripeObject): StripeObject {
    const id = session.payment_link as string;
    const lines = this.store.children(this.account, session.id, 'line_items');
    const created = (session.created as number) - 7 * DAY;
    const link = this.synth('payment_link', created, {
      id,
      active: true,
      currency: session.currency,
      metadata: {},
      payment_method_types: null,
      url: `https://buy.stripe.com/test_${this.prng.alphanumeric(14)}`,
    });
    this.store.setChildren(this.account, id, 'item', lines.slice(0, 1).map((line) => ({ ...structuredClone(line), quantity: 1 })));
    return link;
  }

  private seedCoupons(): void {
    const specs = [
      { id: 'SPRING25', percent_off: 25, amount_off: null, duration: 'once', code: 'SPRING25' },
      { id: 'WELCOME10', percent_off: null, amount_off: 1000, duration: 'once', code: 'WELCOME' },
      { id: 'LOYAL15', percent_off: 15, amount_off: null, duration: 'forever', code: 'LOYALTY' },
      { id: 'TEAM3M', percent_off: 20, amount_off: null, duration: 'repeating', code: 'TEAMSTART' },
    ];
    specs.forEach((spec, index) => {
      const created = Date.UTC(2024, 0, 5 + index * 7) / 1000;
      const coupon = this.synth('coupon', created, {
        id: spec.id,
        amount_off: spec.amount_off,
        currency: spec.amount_off === null ? null : 'usd',
        duration: spec.duration,
        duration_in_months: spec.duration === 'repeating' ? 3 : null,
        max_redemptions: index === 0 ? 100 : null,
        metadata: {},
        name: spec.code,
        percent_off: spec.percent_off,
        times_redeemed: this.prng.int(0, 20),
        valid: index !== 3,
      });
      this.synth('promotion_code', created + 60, {
        active: index !== 3,
        code: spec.code,
        coupon: structuredClone(coupon),
        customer: index === 2 ? this.customers[0]!.id : null,
        max_redemptions: null,
        metadata: {},
        restrictions: { first_time_transaction: index === 1, minimum_amount: null, minimum_amount_currency: null },
        times_redeemed: this.prng.int(0, 10),
      });
    });
  }

  private seedPayouts(): void {
    for (let week = 0; week < 12; week++) {
      const created = Date.UTC(2024, 1, 2) / 1000 + week * 7 * DAY;
      const amount = this.prng.int(200, 3000) * 100;
      const payoutId = makeId(this.prng, 'po');
      const txn = this.balanceTransaction(created, -amount, 'usd', 'payout', payoutId);
      this.synth('payout', created, {
        id: payoutId,
        amount,
        arrival_date: created + 2 * DAY,
        automatic: true,
        balance_transaction: txn.id,
        currency: 'usd',
        description: 'STRIPE PAYOUT',
        metadata: {},
        method: 'standard',
        reconciliation_status: 'completed',
        source_type: 'card',
        status: week === 11 ? 'in_transit' : 'paid',
        statement_descriptor: null,
        type: 'bank_account',
      });
    }
  }

  private seedEvents(): void {
    const sources = [...this.customers.map((object) => ({ type: 'customer.created', object })), ...this.events];
    for (const { type, object } of sources) {
      this.synth('event', object.created as number, {
        api_version: '2024-04-10',
        data: { object: JSON.parse(JSON.stringify(object)) as StripeObject },
        pending_webhooks: 0,
        request: { id: null, idempotency_key: null },
        type,
      });
    }
    for (const event of this.store.list(this.account, 'event')) {
      delete event.account;
    }
  }
}

interface CardFields {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

/** What a charge says of the card it was paid with (brand, last four digits, expiry: the spec requires the expiry). */
function cardDetails(card: CardFields): CardFields {
  return { brand: card.brand, exp_month: card.exp_month, exp_year: card.exp_year, last4: card.last4 };
}
