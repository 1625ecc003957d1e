import type { HandlerContext } from '../context.js';
import { errors, StripeError, withCode } from '../errors.js';
import { render } from '../expand.js';
import { synthesize } from '../generic/synthesize.js';
import type { StripeObject } from '../store.js';
import { outcomeOf, testPaymentMethod, testToken, type CardOutcome, type TestCard } from './test-cards.js';

// What every money flow shares: payment methods (test names made real), a charge and its
// balance transaction for a payment attempt, and Stripe's card errors.

const DAY = 86400;
/** Stripe's standard US card pricing, for balance transaction fees. */
const FEE_PERCENT = 0.029;
const FEE_FIXED = 30;
const STATEMENT_DESCRIPTOR = 'DEMO SHOP';

/** A new object of `type` with Stripe's fields, created now; not stored. */
export function build(ctx: HandlerContext, type: string, overrides: Record<string, unknown>): StripeObject {
  return synthesize(type, { newId: (prefix) => ctx.newId(prefix), created: ctx.now(), pickReference: () => null }, overrides);
}

export function put(ctx: HandlerContext, object: StripeObject): StripeObject {
  ctx.store.put(ctx.account, object);
  return object;
}

export function find(ctx: HandlerContext, type: string, id: unknown): StripeObject | undefined {
  return typeof id === 'string' ? ctx.store.get(ctx.account, type, id) : undefined;
}

/** The `card` hash of a payment method (and, trimmed, of a charge's payment_method_details). */
export function cardDetails(card: TestCard): Record<string, unknown> {
  return {
    brand: card.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country: card.country,
    display_brand: card.brand,
    exp_month: 12,
    exp_year: 2034,
    fingerprint: card.fingerprint,
    funding: card.funding,
    generated_from: null,
    last4: card.last4,
    networks: { available: [card.brand], preferred: null },
    three_d_secure_usage: { supported: true },
    wallet: null,
  };
}

const EMPTY_BILLING = { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null };

export function cardPaymentMethod(ctx: HandlerContext, card: TestCard, customer: string | null = null): StripeObject {
  return build(ctx, 'payment_method', {
    allow_redisplay: 'unspecified',
    billing_details: structuredClone(EMPTY_BILLING),
    card: cardDetails(card),
    customer,
    metadata: {},
    type: 'card',
  });
}

/**
 * The payment method an id names. Stripe's test names (`pm_card_visa`) make a new one each
 * time, as Stripe does; anything else must exist (400 resource_missing, naming `param`).
 */
export function resolvePaymentMethod(ctx: HandlerContext, id: string, param: string): StripeObject {
  const test = testPaymentMethod(id);
  if (test) return put(ctx, cardPaymentMethod(ctx, test));
  const found = find(ctx, 'payment_method', id);
  if (!found) throw errors.referenceMissing('payment_method', id, param);
  return found;
}

/** The card a token names (`tok_visa`): 400 resource_missing for any other token. */
export function resolveToken(id: string, param: string): TestCard {
  const card = testToken(id);
  if (!card) throw errors.referenceMissing('token', id, param);
  return card;
}

/** Test names in a parameter become real payment methods, so references to them check out. */
export function materialize(ctx: HandlerContext, value: unknown, param: string): unknown {
  return typeof value === 'string' && testPaymentMethod(value) ? resolvePaymentMethod(ctx, value, param).id : value;
}

export function outcomeFor(pm: StripeObject): CardOutcome {
  return outcomeOf((pm.card as { fingerprint?: unknown } | undefined)?.fingerprint);
}

export function balanceTransaction(ctx: HandlerContext, amount: number, currency: string, type: 'charge' | 'refund', source: string): StripeObject {
  const fee = type === 'charge' ? Math.round(amount * FEE_PERCENT) + FEE_FIXED : 0;
  const now = ctx.now();
  return put(ctx, build(ctx, 'balance_transaction', {
    amount,
    available_on: now + 2 * DAY,
    currency,
    description: null,
    exchange_rate: null,
    fee,
    fee_details: fee > 0 ? [{ amount: fee, application: null, currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
    net: amount - fee,
    reporting_category: type,
    source,
    status: 'pending',
    type,
  }));
}

export interface ChargeRequest {
  /** The id a create already chose; a new one by default. */
  id?: string;
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethod: StripeObject;
  paymentIntent: string | null;
  invoice?: string | null;
  description?: string | null;
  receiptEmail?: string | null;
  metadata?: unknown;
  /** false: authorized only (capture_method manual). */
  capture: boolean;
  declined: Extract<CardOutcome, { kind: 'decline' }> | null;
}

/** The charge a payment attempt makes: succeeded (captured or held) or failed. */
export function recordCharge(ctx: HandlerContext, request: ChargeRequest): StripeObject {
  const id = request.id ?? ctx.newId('ch');
  const paid = request.declined === null;
  const captured = paid && request.capture;
  const pm = request.paymentMethod;
  const card = pm.card as Record<string, unknown> | undefined;
  const charge = build(ctx, 'charge', {
    id,
    amount: request.amount,
    amount_captured: captured ? request.amount : 0,
    amount_refunded: 0,
    balance_transaction: captured ? balanceTransaction(ctx, request.amount, request.currency, 'charge', id).id : null,
    billing_details: structuredClone(pm.billing_details ?? EMPTY_BILLING),
    calculated_statement_descriptor: STATEMENT_DESCRIPTOR,
    captured,
    currency: request.currency,
    customer: request.customer,
    description: request.description ?? null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: request.declined?.code ?? null,
    failure_message: request.declined?.message ?? null,
    fraud_details: {},
    invoice: request.invoice ?? null,
    metadata: request.metadata ?? {},
    outcome: {
      network_status: paid ? 'approved_by_network' : 'declined_by_network',
      reason: request.declined?.declineCode ?? null,
      risk_level: 'normal',
      risk_score: 20,
      seller_message: paid ? 'Payment complete.' : 'The bank did not return any further details with this decline.',
      type: paid ? 'authorized' : 'issuer_declined',
    },
    paid,
    payment_intent: request.paymentIntent,
    payment_method: pm.id,
    payment_method_details: card
      ? {
          card: {
            amount_authorized: paid ? request.amount : null,
            brand: card.brand,
            checks: card.checks,
            country: card.country,
            exp_month: card.exp_month,
            exp_year: card.exp_year,
            fingerprint: card.fingerprint,
            funding: card.funding,
            last4: card.last4,
            network: card.brand,
            three_d_secure: null,
            wallet: null,
          },
          type: 'card',
        }
      : { type: pm.type },
    receipt_email: request.receiptEmail ?? null,
    receipt_url: paid ? `https://pay.stripe.com/receipts/payment/${ctx.token(40)}` : null,
    refunded: false,
    shipping: null,
    status: paid ? 'succeeded' : 'failed',
  });
  return put(ctx, charge);
}

/** Stripe's 402 for a declined card, carrying the failed charge and the object that tried it. */
export function cardError(
  ctx: HandlerContext,
  declined: Extract<CardOutcome, { kind: 'decline' }>,
  charge: string | null,
  attempt: { field: 'payment_intent' | 'setup_intent'; object: StripeObject } | null,
  pm: StripeObject | null,
): StripeError {
  return new StripeError(402, {
    ...(charge ? { charge } : {}),
    ...withCode(declined.code),
    decline_code: declined.declineCode,
    message: declined.message,
    ...(attempt ? { [attempt.field]: render(ctx, attempt.object, attempt.object.object) } : {}),
    ...(pm ? { payment_method: render(ctx, pm, 'payment_method') } : {}),
    type: 'card_error',
  });
}

/** `last_payment_error` / `last_setup_error` for a decline. */
export function lastError(declined: Extract<CardOutcome, { kind: 'decline' }>, charge: string | null, ctx: HandlerContext, pm: StripeObject): Record<string, unknown> {
  return {
    ...(charge ? { charge } : {}),
    ...withCode(declined.code),
    decline_code: declined.declineCode,
    message: declined.message,
    payment_method: render(ctx, pm, 'payment_method'),
    type: 'card_error',
  };
}

/** A card needing 3-D Secure off session is declined this way (the customer is not there to authenticate). */
export const AUTHENTICATION_REQUIRED: Extract<CardOutcome, { kind: 'decline' }> = {
  kind: 'decline',
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

/** `next_action` for 3-D Secure: a redirect when a return_url was given, else Stripe.js handles it. */
export function authenticationAction(ctx: HandlerContext, returnUrl: unknown): Record<string, unknown> {
  const source = `src_1${ctx.token(23)}`;
  if (typeof returnUrl === 'string') {
    return { redirect_to_url: { return_url: returnUrl, url: `https://hooks.stripe.com/3d_secure_2/hosted?merchant=acct_demo&source=${source}` }, type: 'redirect_to_url' };
  }
  return {
    type: 'use_stripe_sdk',
    use_stripe_sdk: { source, stripe_js: `https://hooks.stripe.com/redirect/authenticate/${source}`, type: 'three_d_secure_redirect' },
  };
}
