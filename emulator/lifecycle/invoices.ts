import type { HandlerContext } from '../context.js';
import { errors, invalidRequest, paramError, StripeError, withCode } from '../errors.js';
import type { Validated } from '../schema.js';
import type { StripeObject } from '../store.js';
import type { Lifecycle, Outcome } from './machine.js';
import { build, find, materialize, put } from './payments.js';
import { attemptPayment, initialFields } from './payment-intents.js';
import { computeTotals, discountsFor, heldDiscounts, holdDiscounts, taxRatesFor, type TaxAmount } from './amounts.js';

// Invoice (docs: invoicing/overview#invoice-lifecycle): draft → open (finalize) → paid, void
// or uncollectible; uncollectible can still be paid or voided; paid and void are final.
// Finalizing numbers the invoice and opens a PaymentIntent for what is due; paying confirms it
// with the invoice's, the subscription's or the customer's default payment method (a declined
// card answers 402 and leaves the invoice open). Invoice items are its lines while it is a
// draft: an invoice takes the customer's pending items when asked to
// (pending_invoice_items_behavior=include, as Stripe's default is exclude), and an item
// created with `invoice` joins that draft. Totals follow the lines (no tax or discounts).

const DAY = 86400;
/** Stripe retries a failed automatic collection; the first retry comes after this. */
export const RETRY_AFTER = 3 * DAY;
const DAYS_UNTIL_DUE = 30;

export interface LineSpec {
  amount: number;
  currency: string;
  description: string | null;
  price: StripeObject | null;
  quantity: number;
  period: { start: number; end: number };
  type: 'invoiceitem' | 'subscription';
  invoiceItem?: string;
  subscription?: string | null;
  subscriptionItem?: string;
  /** A proration's line: part of a period, for a change made in it. */
  proration?: boolean;
  /** The line's own tax rates (else the invoice's default_tax_rates apply). */
  taxRates?: readonly StripeObject[];
  discountable?: boolean;
}

function lineItem(ctx: HandlerContext, invoice: StripeObject, spec: LineSpec): StripeObject {
  return build(ctx, 'line_item', {
    amount: spec.amount,
    amount_excluding_tax: spec.amount,
    currency: spec.currency,
    description: spec.description,
    discount_amounts: [],
    discountable: spec.discountable ?? true,
    discounts: [],
    invoice: invoice.id ?? null,
    ...(spec.invoiceItem ? { invoice_item: spec.invoiceItem } : {}),
    metadata: {},
    period: spec.period,
    price: spec.price ? structuredClone(spec.price) : null,
    proration: spec.proration ?? false,
    proration_details: { credited_items: null },
    quantity: spec.quantity,
    subscription: spec.subscription ?? null,
    ...(spec.subscriptionItem ? { subscription_item: spec.subscriptionItem } : {}),
    tax_amounts: [],
    tax_rates: structuredClone(spec.taxRates ?? []),
    type: spec.type,
    unit_amount_excluding_tax: spec.quantity > 0 ? String(spec.amount / spec.quantity) : null,
  });
}

/**
 * Adds lines to a draft and recomputes what it comes to. The lines are stored (listed at
 * /v1/invoices/{invoice}/lines) unless the invoice is a preview, which Stripe never stores.
 */
export function addLines(ctx: HandlerContext, invoice: StripeObject, specs: readonly LineSpec[], preview?: { url: string }): void {
  const current = (invoice.lines as { data?: StripeObject[] } | null)?.data ?? [];
  const lines = [...current, ...specs.map((spec) => lineItem(ctx, invoice, spec))];
  invoice.lines = { object: 'list', data: lines, has_more: false, total_count: lines.length, url: preview?.url ?? `/v1/invoices/${invoice.id}/lines` };
  retotal(ctx, invoice);
  // Every line is stored again: a new line changes how an amount_off discount is shared.
  if (!preview) for (const line of lines) put(ctx, line);
}

/** The discounts an invoice applies: its own, and its subscription's that have not ended. */
export function invoiceDiscounts(ctx: HandlerContext, invoice: StripeObject): StripeObject[] {
  const own = typeof invoice.id === 'string' ? heldDiscounts(ctx, invoice.id) : [];
  const subscription = typeof invoice.subscription === 'string' ? heldDiscounts(ctx, invoice.subscription) : [];
  const at = (invoice.created as number | undefined) ?? ctx.now();
  return [...own, ...subscription.filter((discount) => discount.end === null || (discount.end as number) > at)];
}

/** Totals from the lines, their discounts and tax (amounts.ts), onto the invoice and each line. */
function retotal(ctx: HandlerContext, invoice: StripeObject): void {
  const lines = (invoice.lines as { data: StripeObject[] }).data;
  const defaults = (invoice.default_tax_rates as StripeObject[] | null) ?? [];
  const discounts = invoiceDiscounts(ctx, invoice);
  const totals = computeTotals(
    lines.map((line) => {
      const own = line.tax_rates as StripeObject[];
      return { amount: line.amount as number, discountable: line.discountable !== false, taxRates: own.length > 0 ? own : defaults };
    }),
    discounts,
    invoice.currency as string,
  );
  const taxAmount = (tax: TaxAmount) => ({ amount: tax.amount, inclusive: tax.inclusive, tax_rate: tax.rate.id, taxability_reason: null, taxable_amount: tax.taxable_amount });
  lines.forEach((line, index) => {
    const computed = totals.lines[index]!;
    const quantity = line.quantity as number | null;
    Object.assign(line, {
      amount_excluding_tax: computed.amountExcludingTax,
      discount_amounts: computed.discounts.map((entry) => ({ amount: entry.amount, discount: entry.discount.id })),
      tax_amounts: computed.taxes.map(taxAmount),
      unit_amount_excluding_tax: quantity ? String(computed.amountExcludingTax / quantity) : null,
    });
  });
  const due = Math.max(0, totals.total + ((invoice.starting_balance as number | null) ?? 0));
  Object.assign(invoice, {
    discount: discounts.length === 1 ? structuredClone(discounts[0]) : null,
    discounts: discounts.map((discount) => discount.id),
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotalExcludingTax,
    tax: totals.taxes.length > 0 ? totals.tax : null,
    total: totals.total,
    total_discount_amounts: totals.discounts.map((entry) => ({ amount: entry.amount, discount: entry.discount.id })),
    total_excluding_tax: totals.totalExcludingTax,
    total_tax_amounts: totals.taxes.map(taxAmount),
    amount_due: due,
    amount_remaining: due - (invoice.amount_paid as number),
  });
}

/** Everything a new draft invoice for `customer` holds besides its lines. */
export function draftFields(ctx: HandlerContext, invoice: StripeObject, customer: StripeObject, params: Validated): Record<string, unknown> {
  const now = ctx.now();
  const collection = (params.collection_method as string | undefined) ?? 'charge_automatically';
  const daysUntilDue = (params.days_until_due as number | undefined) ?? DAYS_UNTIL_DUE;
  return {
    account_country: 'US',
    account_name: 'Demo Shop',
    account_tax_ids: null,
    amount_due: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    attempt_count: 0,
    attempted: false,
    auto_advance: params.auto_advance ?? true,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_reason: 'manual',
    charge: null,
    collection_method: collection,
    currency: params.currency ?? customer.currency ?? 'usd',
    custom_fields: null,
    customer: customer.id,
    customer_address: customer.address ?? null,
    customer_email: customer.email ?? null,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: customer.shipping ?? null,
    customer_tax_exempt: customer.tax_exempt ?? 'none',
    customer_tax_ids: [],
    default_tax_rates: [],
    discount: null,
    discounts: [],
    due_date: collection === 'send_invoice' ? (params.due_date ?? now + daysUntilDue * DAY) : null,
    effective_at: null,
    ending_balance: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    lines: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/invoices/${invoice.id}/lines` },
    metadata: invoice.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    paid: false,
    paid_out_of_band: false,
    payment_intent: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: now,
    period_start: now,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    starting_balance: customer.balance ?? 0,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subscription: null,
    subscription_details: null,
    subtotal: 0,
    subtotal_excluding_tax: 0,
    tax: null,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_tax_amounts: [],
    webhooks_delivered_at: null,
  };
}

/** The customer's next invoice number: its prefix and a running count. */
function nextNumber(ctx: HandlerContext, customer: StripeObject | undefined): string {
  const prefix = (customer?.invoice_prefix as string | undefined) ?? 'DEMO';
  const numbered = ctx.store.list(ctx.account, 'invoice').filter((invoice) => invoice.customer === customer?.id && typeof invoice.number === 'string');
  return `${prefix}-${String(numbered.length + 1).padStart(4, '0')}`;
}

/** draft → open: numbered, dated, and a PaymentIntent for what is due; nothing due → paid. */
export function finalize(ctx: HandlerContext, invoice: StripeObject): void {
  const now = ctx.now();
  const customer = find(ctx, 'customer', invoice.customer);
  Object.assign(invoice, {
    status: 'open',
    number: nextNumber(ctx, customer),
    effective_at: now,
    ending_balance: invoice.starting_balance,
    hosted_invoice_url: `https://invoice.stripe.com/i/acct_demo/test_${ctx.token(40)}`,
    invoice_pdf: `https://pay.stripe.com/invoice/acct_demo/test_${ctx.token(40)}/pdf`,
    status_transitions: { ...(invoice.status_transitions as object), finalized_at: now },
  });
  if ((invoice.amount_due as number) === 0) {
    markPaid(ctx, invoice, null);
    return;
  }
  const intent = build(ctx, 'payment_intent', {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: invoice.customer,
    description: invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : null,
    invoice: invoice.id,
    metadata: {},
    payment_method: null,
    setup_future_usage: invoice.subscription ? 'off_session' : null,
  });
  Object.assign(intent, initialFields(ctx, intent, { payment_method_types: ['card'], capture_method: 'automatic' }));
  put(ctx, intent);
  invoice.payment_intent = intent.id;
  if (invoice.collection_method === 'charge_automatically') invoice.next_payment_attempt = now;
}

/** Paid: by its PaymentIntent's charge, or out of band (`charge` null). A subscription waiting on it becomes active. */
function markPaid(ctx: HandlerContext, invoice: StripeObject, charge: string | null): void {
  Object.assign(invoice, {
    status: 'paid',
    paid: true,
    amount_paid: invoice.amount_due,
    amount_remaining: 0,
    charge,
    next_payment_attempt: null,
    status_transitions: { ...(invoice.status_transitions as object), paid_at: ctx.now() },
  });
  const subscription = find(ctx, 'subscription', invoice.subscription);
  if (subscription && ['incomplete', 'past_due', 'unpaid'].includes(subscription.status as string)) {
    put(ctx, { ...structuredClone(subscription), status: 'active' });
  }
}

function customerDefaultMethod(customer: StripeObject | undefined): unknown {
  return (customer?.invoice_settings as { default_payment_method?: unknown } | null | undefined)?.default_payment_method ?? null;
}

/** The payment method an invoice is charged with (docs: billing/subscriptions/payment-methods-setting). */
function paymentMethodFor(ctx: HandlerContext, invoice: StripeObject, given: unknown): string | null {
  const subscription = find(ctx, 'subscription', invoice.subscription);
  const chosen = given ?? invoice.default_payment_method ?? subscription?.default_payment_method ?? customerDefaultMethod(find(ctx, 'customer', invoice.customer));
  return typeof chosen === 'string' ? chosen : null;
}

export const NO_PAYMENT_METHOD =
  'This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.';

/**
 * One attempt to collect an open invoice with its PaymentIntent: paid, or still open with
 * the decline (402) to answer. Without any payment method to use, a 400 and no attempt.
 */
export function collect(ctx: HandlerContext, invoice: StripeObject, options: { paymentMethod?: unknown; offSession?: boolean }): Outcome {
  const stored = find(ctx, 'payment_intent', invoice.payment_intent);
  if (!stored) {
    markPaid(ctx, invoice, null);
    return;
  }
  const pm = paymentMethodFor(ctx, invoice, options.paymentMethod);
  if (pm === null) throw invalidRequest(NO_PAYMENT_METHOD);
  const intent = structuredClone(stored);
  const outcome = attemptPayment(ctx, intent, { paymentMethod: pm, offSession: options.offSession ?? true });
  put(ctx, intent);
  Object.assign(invoice, { attempted: true, attempt_count: (invoice.attempt_count as number) + 1, charge: intent.latest_charge ?? null });
  if (intent.status === 'succeeded') {
    markPaid(ctx, invoice, intent.latest_charge as string);
    return;
  }
  invoice.next_payment_attempt = ctx.now() + RETRY_AFTER;
  if (outcome) return outcome;
  return new StripeError(402, {
    ...withCode('invoice_payment_intent_requires_action'),
    message: 'This payment requires additional user action before it can be completed successfully. Payment can be completed using the PaymentIntent associated with the invoice.',
    type: 'invalid_request_error',
  });
}

const ALREADY_FINALIZED = "This invoice is already finalized, you can't re-finalize a non-draft invoice.";

export const invoiceLifecycle: Lifecycle = {
  object: 'invoice',
  noun: 'invoice',
  actions: {
    finalize: {
      from: ['draft'],
      to: ['open', 'paid'],
      done: 'finalized',
      refusal: () => ALREADY_FINALIZED,
      run(ctx, invoice, params) {
        if (params.auto_advance !== undefined) invoice.auto_advance = params.auto_advance;
        finalize(ctx, invoice);
      },
    },
    pay: {
      // Paying a draft finalizes it on the way (docs: invoicing/integration).
      from: ['draft', 'open', 'uncollectible'],
      to: ['paid', 'open'],
      done: 'paid',
      refusals: { paid: 'Invoice is already paid', void: 'Voided invoices cannot be paid.' },
      run(ctx, invoice, params) {
        if (invoice.status === 'draft') finalize(ctx, invoice);
        if (invoice.status === 'paid') return;
        if (params.paid_out_of_band === true) {
          invoice.paid_out_of_band = true;
          cancelIntent(ctx, invoice, null);
          markPaid(ctx, invoice, null);
          return;
        }
        const paymentMethod = materialize(ctx, params.payment_method, 'payment_method');
        return collect(ctx, invoice, { paymentMethod, offSession: params.off_session !== false });
      },
    },
    void: {
      from: ['open', 'uncollectible'],
      to: ['void'],
      done: 'voided',
      run(ctx, invoice) {
        cancelIntent(ctx, invoice, 'void_invoice');
        Object.assign(invoice, { status: 'void', next_payment_attempt: null, status_transitions: { ...(invoice.status_transitions as object), voided_at: ctx.now() } });
      },
    },
    mark_uncollectible: {
      from: ['open'],
      to: ['uncollectible'],
      done: 'marked uncollectible',
      refusal: (state) =>
        `You cannot mark this invoice as uncollectible because it has a status of ${state}. Only an invoice with one of the following statuses may be marked uncollectible: open.`,
      run(ctx, invoice) {
        Object.assign(invoice, { status: 'uncollectible', next_payment_attempt: null, status_transitions: { ...(invoice.status_transitions as object), marked_uncollectible_at: ctx.now() } });
      },
    },
    send: {
      // Sending a draft finalizes it; Stripe emails the customer, which the emulator does not.
      from: ['draft', 'open'],
      to: ['open', 'paid'],
      done: 'sent',
      run(ctx, invoice) {
        if (invoice.status === 'draft') finalize(ctx, invoice);
      },
    },
  },
  create: {
    prepare: (ctx, params) => ({ ...params, default_payment_method: materialize(ctx, params.default_payment_method, 'default_payment_method') }),
    created(ctx, invoice, params) {
      if (typeof params.customer !== 'string') throw errors.missingParameter('customer');
      const customer = find(ctx, 'customer', params.customer)!;
      Object.assign(invoice, draftFields(ctx, invoice, customer, params), { default_tax_rates: taxRatesFor(ctx, params.default_tax_rates, 'default_tax_rates') });
      holdDiscounts(ctx, invoice.id, discountsFor(ctx, params, { invoice: invoice.id }));
      addLines(ctx, invoice, []);
      if (params.pending_invoice_items_behavior === 'include') {
        const pending = ctx.store
          .list(ctx.account, 'invoiceitem')
          .filter((item) => item.customer === customer.id && item.invoice === null && item.subscription === null && item.currency === invoice.currency)
          .reverse();
        for (const item of pending) put(ctx, { ...structuredClone(item), invoice: invoice.id });
        addLines(ctx, invoice, pending.map(itemLine));
      }
    },
  },
};

export function cancelIntent(ctx: HandlerContext, invoice: StripeObject, reason: string | null): void {
  const intent = find(ctx, 'payment_intent', invoice.payment_intent);
  if (intent && !['succeeded', 'canceled'].includes(intent.status as string)) {
    put(ctx, { ...structuredClone(intent), status: 'canceled', canceled_at: ctx.now(), cancellation_reason: reason, next_action: null });
  }
}

export function itemLine(item: StripeObject): LineSpec {
  return {
    amount: item.amount as number,
    currency: item.currency as string,
    description: (item.description as string | null) ?? null,
    price: (item.price as StripeObject | null) ?? null,
    quantity: (item.quantity as number) ?? 1,
    period: item.period as { start: number; end: number },
    type: 'invoiceitem',
    invoiceItem: item.id,
    proration: item.proration === true,
    subscription: (item.subscription as string | null) ?? null,
    taxRates: (item.tax_rates as StripeObject[] | null) ?? [],
    discountable: item.discountable !== false,
  };
}

/** The customer's invoice items not on any invoice yet, oldest first: what its next subscription invoice takes. */
export function pendingItemsOf(ctx: HandlerContext, customer: string, currency: string): StripeObject[] {
  return ctx.store
    .list(ctx.account, 'invoiceitem')
    .filter((item) => item.customer === customer && item.invoice === null && item.currency === currency)
    .reverse()
    .sort((a, b) => (a.created as number) - (b.created as number) || creditFirst(a) - creditFirst(b));
}

/** Items made in the same second keep a change's order: its credit, then its charge. */
function creditFirst(item: StripeObject): number {
  return item.proration === true && (item.amount as number) < 0 ? 0 : 1;
}

/**
 * Invoice items: their amount from the price (or amount, or unit_amount) times the quantity;
 * one created with `invoice` becomes a line of that draft.
 */
export const invoiceItemLifecycle: Lifecycle = {
  object: 'invoiceitem',
  noun: 'invoice item',
  actions: {},
  create: {
    created(ctx, item, params) {
      const now = ctx.now();
      const quantity = (params.quantity as number | undefined) ?? 1;
      let price: StripeObject | null = null;
      if (typeof params.price === 'string') {
        price = find(ctx, 'price', params.price) ?? null;
        if (!price) throw errors.referenceMissing('price', params.price, 'price');
      }
      const priceData = params.price_data as { currency?: string; unit_amount?: number; unit_amount_decimal?: string } | undefined;
      const unit = (price?.unit_amount as number | null | undefined) ?? priceData?.unit_amount ?? (params.unit_amount as number | undefined) ?? (typeof params.amount === 'number' ? (params.amount as number) / quantity : undefined);
      if (unit === undefined) throw paramError('You must specify either `amount`, `unit_amount`, `price` or `price_data`.', 'amount', 'parameter_missing');
      const customer = find(ctx, 'customer', params.customer);
      const currency = (params.currency as string | undefined) ?? (price?.currency as string | undefined) ?? priceData?.currency ?? (customer?.currency as string | null | undefined) ?? 'usd';
      Object.assign(item, {
        amount: typeof params.amount === 'number' ? params.amount : unit * quantity,
        currency,
        date: now,
        description: params.description ?? null,
        discountable: params.discountable ?? true,
        discounts: [],
        invoice: params.invoice ?? null,
        metadata: item.metadata ?? {},
        period: params.period ?? { end: now, start: now },
        price: price ? structuredClone(price) : null,
        proration: false,
        quantity,
        subscription: params.subscription ?? null,
        tax_rates: taxRatesFor(ctx, params.tax_rates, 'tax_rates'),
        test_clock: null,
        unit_amount: unit,
        unit_amount_decimal: String(unit),
      });
      if (typeof params.invoice === 'string') {
        const stored = find(ctx, 'invoice', params.invoice)!;
        if (stored.status !== 'draft') {
          throw invalidRequest(`You can only add invoice items to draft invoices. This invoice has a status of ${String(stored.status)}.`, 'invoice', 'invoice_not_editable');
        }
        const invoice = structuredClone(stored);
        addLines(ctx, invoice, [itemLine(item)]);
        put(ctx, invoice);
      }
    },
  },
};
