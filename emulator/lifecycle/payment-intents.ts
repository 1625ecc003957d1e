import type { HandlerContext } from '../context.js';
import { invalidRequest, paramError } from '../errors.js';
import { render } from '../expand.js';
import type { Validated } from '../schema.js';
import type { StripeObject } from '../store.js';
import { cashBalances, recordCashTransaction } from '../resources/cash-balance.js';
import type { Lifecycle, Outcome } from './machine.js';
import {
  AUTHENTICATION_REQUIRED,
  authenticationAction,
  balanceTransaction,
  build,
  cardError,
  find,
  lastError,
  materialize,
  outcomeFor,
  put,
  recordCharge,
  resolvePaymentMethod,
} from './payments.js';

// PaymentIntent (docs: payments/paymentintents/lifecycle). A new one waits for a payment
// method (requires_payment_method) or, given one, for confirmation; confirming pays with the
// card: succeeded (its Charge and BalanceTransaction made), requires_capture (capture_method
// manual: the charge holds the amount), requires_action (3-D Secure), or back to
// requires_payment_method with last_payment_error when the card is declined (402).

const OPEN = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const CONFIRMABLE = ['requires_confirmation', 'requires_payment_method', 'requires_action'];
/** Where a payment attempt may leave an intent. */
const ATTEMPT_ENDS = ['succeeded', 'requires_capture', 'requires_action', 'requires_payment_method'];

export interface ConfirmOptions {
  paymentMethod?: unknown;
  offSession?: boolean;
  errorOnRequiresAction?: boolean;
  returnUrl?: unknown;
}

/**
 * One payment attempt with the intent's payment method (or the one given). Changes `intent`
 * in place and stores what it makes; a decline comes back as the 402 to answer.
 */
export function attemptPayment(ctx: HandlerContext, intent: StripeObject, options: ConfirmOptions): Outcome {
  const given = options.paymentMethod ?? intent.payment_method;
  if (typeof given !== 'string') {
    const error = invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      undefined,
      'payment_intent_unexpected_state',
    );
    error.body.payment_intent = render(ctx, intent, 'payment_intent');
    throw error;
  }
  const pm = resolvePaymentMethod(ctx, given, 'payment_method');
  let outcome = outcomeFor(pm);
  if (outcome.kind === 'authenticate') {
    // Confirming again with the same card after requires_action stands for the customer passing 3-D Secure.
    const authenticated = intent.status === 'requires_action' && intent.payment_method === pm.id;
    const offSession = options.offSession === true;
    if (authenticated || (offSession && outcome.offSessionApproves)) outcome = { kind: 'approve' };
    else if (offSession || options.errorOnRequiresAction === true) outcome = AUTHENTICATION_REQUIRED;
    else {
      Object.assign(intent, { status: 'requires_action', payment_method: pm.id, next_action: authenticationAction(ctx, options.returnUrl), last_payment_error: null });
      return;
    }
  }
  const customer = typeof intent.customer === 'string' ? intent.customer : null;
  const declined = outcome.kind === 'decline' ? outcome : null;
  const manual = intent.capture_method === 'manual';
  const charge = recordCharge(ctx, {
    amount: intent.amount as number,
    currency: intent.currency as string,
    customer,
    paymentMethod: pm,
    paymentIntent: intent.id,
    invoice: (intent.invoice as string | null) ?? null,
    description: (intent.description as string | null) ?? null,
    receiptEmail: (intent.receipt_email as string | null) ?? null,
    capture: !manual,
    declined,
  });
  intent.latest_charge = charge.id;
  intent.next_action = null;
  if (declined) {
    Object.assign(intent, { status: 'requires_payment_method', payment_method: null, last_payment_error: lastError(declined, charge.id, ctx, pm) });
    return cardError(ctx, declined, charge.id, { field: 'payment_intent', object: intent }, pm);
  }
  Object.assign(intent, {
    status: manual ? 'requires_capture' : 'succeeded',
    payment_method: pm.id,
    last_payment_error: null,
    amount_capturable: manual ? intent.amount : 0,
    amount_received: manual ? 0 : intent.amount,
  });
  // Saved for later payments: the card is attached to the intent's customer.
  if (intent.setup_future_usage && customer && pm.customer === null) put(ctx, { ...structuredClone(pm), customer });
}

/** Fields confirm takes over before paying. */
function applyConfirmParams(intent: StripeObject, params: Validated): void {
  for (const field of ['capture_method', 'payment_method_types', 'receipt_email', 'setup_future_usage', 'shipping']) {
    if (params[field] !== undefined) intent[field] = params[field];
  }
}

function confirmOptions(params: Validated): ConfirmOptions {
  return {
    paymentMethod: params.payment_method,
    // `off_session` is a boolean or one_off/recurring (taken as given: the spec says either).
    offSession: [true, 'true', 'one_off', 'recurring'].includes(params.off_session as string),
    errorOnRequiresAction: params.error_on_requires_action === true,
    returnUrl: params.return_url,
  };
}

function capture(ctx: HandlerContext, intent: StripeObject, params: Validated): Outcome {
  const capturable = intent.amount_capturable as number;
  const amount = (params.amount_to_capture as number | undefined) ?? capturable;
  if (amount > capturable) {
    throw paramError(`The amount to capture (${amount}) must be less than or equal to the amount capturable (${capturable}).`, 'amount_to_capture', 'amount_too_large');
  }
  const stored = find(ctx, 'charge', intent.latest_charge);
  if (stored) {
    const charge = structuredClone(stored);
    Object.assign(charge, {
      amount_captured: amount,
      // Before API 2025-03-31 the part not captured counts as refunded.
      amount_refunded: (charge.amount as number) - amount,
      balance_transaction: balanceTransaction(ctx, amount, charge.currency as string, 'charge', charge.id).id,
      captured: true,
    });
    put(ctx, charge);
  }
  if (params.metadata !== undefined) intent.metadata = { ...(intent.metadata as object), ...(params.metadata as object) };
  Object.assign(intent, { status: 'succeeded', amount_capturable: 0, amount_received: amount });
}

function cancel(ctx: HandlerContext, intent: StripeObject, params: Validated): Outcome {
  if (intent.status === 'requires_capture') {
    // The held amount is released: before API 2025-03-31 that is a refund of the whole charge.
    const stored = find(ctx, 'charge', intent.latest_charge);
    if (stored) {
      const charge: StripeObject = { ...structuredClone(stored), amount_refunded: stored.amount, refunded: true };
      put(ctx, charge);
      put(ctx, build(ctx, 'refund', {
        amount: charge.amount,
        balance_transaction: null,
        charge: charge.id,
        currency: charge.currency,
        metadata: {},
        payment_intent: intent.id,
        reason: null,
        status: 'succeeded',
      }));
    }
  }
  Object.assign(intent, {
    status: 'canceled',
    canceled_at: ctx.now(),
    cancellation_reason: params.cancellation_reason ?? null,
    amount_capturable: 0,
    next_action: null,
  });
}

/** What a new PaymentIntent holds besides its parameters. */
export function initialFields(ctx: HandlerContext, intent: StripeObject, params: Validated): Record<string, unknown> {
  const methods = params.payment_method_types as string[] | undefined;
  const automatic = params.automatic_payment_methods as { enabled?: boolean; allow_redirects?: string } | undefined;
  return {
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: params.capture_method ?? 'automatic_async',
    client_secret: `${intent.id}_secret_${ctx.token(25)}`,
    confirmation_method: params.confirmation_method ?? 'automatic',
    last_payment_error: null,
    latest_charge: null,
    next_action: null,
    // Since API 2023-08-16 automatic payment methods are on unless types are given.
    automatic_payment_methods: methods ? null : { allow_redirects: automatic?.allow_redirects ?? 'always', enabled: automatic?.enabled ?? true },
    payment_method_types: methods ?? ['card'],
    status: typeof intent.payment_method === 'string' ? 'requires_confirmation' : 'requires_payment_method',
  };
}

export const paymentIntentLifecycle: Lifecycle = {
  object: 'payment_intent',
  noun: 'PaymentIntent',
  code: 'payment_intent_unexpected_state',
  errorField: 'payment_intent',
  actions: {
    confirm: {
      from: CONFIRMABLE,
      to: ATTEMPT_ENDS,
      done: 'confirmed',
      refusals: { succeeded: 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.' },
      run(ctx, intent, params) {
        applyConfirmParams(intent, params);
        return attemptPayment(ctx, intent, confirmOptions(params));
      },
    },
    capture: {
      from: ['requires_capture'],
      to: ['succeeded'],
      done: 'captured',
      // Stripe's words for a second capture (stripe-php#818, cartalyst/stripe#211).
      refusals: { succeeded: 'This PaymentIntent could not be captured because it has already been captured.' },
      refusal: (state) =>
        `This PaymentIntent could not be captured because it has a status of ${state}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      run: capture,
    },
    cancel: { from: OPEN, to: ['canceled'], done: 'canceled', run: cancel },
    // A customer_balance intent takes what the customer's cash balance holds (docs: payments/bank-transfers).
    apply_customer_balance: {
      from: CONFIRMABLE,
      to: ['succeeded', 'requires_action'],
      done: 'paid from the customer balance',
      run(ctx, intent, params) {
        const customer = typeof intent.customer === 'string' ? intent.customer : null;
        if (!customer || !(intent.payment_method_types as string[]).includes('customer_balance')) {
          throw invalidRequest('This PaymentIntent cannot use the customer balance: it needs a customer and the customer_balance payment method type.', undefined, 'payment_intent_unexpected_state');
        }
        const currency = intent.currency as string;
        const due = (intent.amount as number) - (intent.amount_received as number);
        const available = cashBalances(ctx, customer)[currency] ?? 0;
        const applied = Math.min(due, available, (params.amount as number | undefined) ?? due);
        if (applied > 0) recordCashTransaction(ctx, customer, currency, -applied, 'applied_to_payment', { applied_to_payment: { payment_intent: intent.id } });
        intent.amount_received = (intent.amount_received as number) + applied;
        intent.status = intent.amount_received === intent.amount ? 'succeeded' : 'requires_action';
      },
    },
    // A bank account confirmed by its microdeposits starts the debit (docs: payments/ach-debit).
    verify_microdeposits: {
      from: ['requires_action'],
      to: ['processing'],
      done: 'verified',
      run(_ctx, intent) {
        if ((intent.next_action as { type?: string } | null)?.type !== 'verify_with_microdeposits') {
          throw invalidRequest('This PaymentIntent is not awaiting microdeposit verification.', undefined, 'payment_intent_unexpected_state');
        }
        Object.assign(intent, { status: 'processing', next_action: null });
      },
    },
    // A held amount grows to the new `amount` (docs: payments/incremental-authorization).
    increment_authorization: {
      from: ['requires_capture'],
      to: ['requires_capture'],
      done: 'incremented',
      run(_ctx, intent, params) {
        const amount = params.amount as number;
        if (amount <= (intent.amount as number)) {
          throw paramError(`The amount (${amount}) must be greater than the PaymentIntent's current amount (${String(intent.amount)}).`, 'amount');
        }
        Object.assign(intent, { amount, amount_capturable: amount });
      },
    },
  },
  create: {
    prepare: (ctx, params) => ({ ...params, payment_method: materialize(ctx, params.payment_method, 'payment_method') }),
    created(ctx, intent, params) {
      Object.assign(intent, initialFields(ctx, intent, params));
      if (params.confirm === true) return attemptPayment(ctx, intent, confirmOptions(params));
    },
  },
  update: {
    prepare: (ctx, params) => ({ ...params, payment_method: materialize(ctx, params.payment_method, 'payment_method') }),
    updated(ctx, intent, params, before) {
      const changed = ['amount', 'currency', 'payment_method'].find((field) => params[field] !== undefined);
      if (changed && !CONFIRMABLE.includes(before.status as string)) {
        throw invalidRequest(
          `This PaymentIntent's ${changed} could not be updated because it has a status of ${String(before.status)}. You may only update the ${changed} of a PaymentIntent with one of the following statuses: ${CONFIRMABLE.join(', ')}.`,
          undefined,
          'payment_intent_unexpected_state',
        );
      }
      if (typeof params.payment_method === 'string' && before.status === 'requires_payment_method') intent.status = 'requires_confirmation';
      if (params.payment_method === null) intent.status = 'requires_payment_method';
    },
  },
};
