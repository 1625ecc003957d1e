import type { HandlerContext } from '../context.js';
import { errors, invalidRequest, paramError } from '../errors.js';
import type { StripeObject } from '../store.js';
import type { Lifecycle } from './machine.js';
import { balanceTransaction, build, cardError, cardPaymentMethod, find, outcomeFor, put, recordCharge, resolveToken } from './payments.js';
import { refundCharge } from './refunds.js';

// Charge (the Charges API, docs: api/charges): a charge made directly from a test token
// (`source=tok_visa`) or a customer's default source succeeds, or is declined (402, the failed
// charge kept); `capture=false` only authorizes it until captured. Its state is derived:
// failed, uncaptured or captured. Refunding through the charge counts on it as /v1/refunds does.

function sourceFor(ctx: HandlerContext, source: unknown, customer: StripeObject | undefined): StripeObject {
  if (typeof source === 'string') {
    if (source.startsWith('tok_')) return put(ctx, { ...cardPaymentMethod(ctx, resolveToken(source, 'source')), id: ctx.newId('card') });
    const stored = find(ctx, 'payment_method', source);
    if (!stored) throw errors.referenceMissing('source', source, 'source');
    return stored;
  }
  if (!customer) throw paramError('Must provide source or customer.', 'source', 'parameter_missing');
  const fallback = find(ctx, 'payment_method', customer.default_source);
  if (!fallback) throw invalidRequest('Cannot charge a customer that has no active card', 'card');
  return fallback;
}

export const chargeLifecycle: Lifecycle = {
  object: 'charge',
  noun: 'charge',
  state: (charge) => (charge.status !== 'succeeded' ? String(charge.status) : charge.captured === true ? 'captured' : 'uncaptured'),
  actions: {
    capture: {
      from: ['uncaptured'],
      to: ['captured'],
      done: 'captured',
      refusal: (state, charge) => (state === 'captured' ? `Charge ${charge.id} has already been captured.` : `Charge ${charge.id} cannot be captured because it has a status of ${state}.`),
      run(ctx, charge, params) {
        const amount = (params.amount as number | undefined) ?? (charge.amount as number);
        if (amount > (charge.amount as number)) throw paramError(`Amount to capture (${amount}) exceeds the charge's amount (${String(charge.amount)}).`, 'amount', 'amount_too_large');
        Object.assign(charge, {
          amount_captured: amount,
          amount_refunded: (charge.amount as number) - amount,
          balance_transaction: balanceTransaction(ctx, amount, charge.currency as string, 'charge', charge.id).id,
          captured: true,
        });
        const intent = find(ctx, 'payment_intent', charge.payment_intent);
        if (intent?.status === 'requires_capture') put(ctx, { ...structuredClone(intent), status: 'succeeded', amount_capturable: 0, amount_received: amount });
      },
    },
    refund: {
      from: ['captured'],
      to: ['captured'],
      done: 'refunded',
      run(ctx, charge, params) {
        const refund = build(ctx, 'refund', { metadata: params.metadata ?? {}, reason: params.reason ?? null });
        refundCharge(ctx, charge, refund, params.amount as number | undefined);
        put(ctx, refund);
      },
    },
  },
  create: {
    created(ctx, charge, params) {
      const customer = find(ctx, 'customer', params.customer);
      const pm = sourceFor(ctx, params.source, customer);
      const outcome = outcomeFor(pm);
      const declined = outcome.kind === 'decline' ? outcome : null;
      const made = recordCharge(ctx, {
        id: charge.id,
        amount: params.amount as number,
        currency: params.currency as string,
        customer: customer?.id ?? null,
        paymentMethod: pm,
        paymentIntent: null,
        description: (params.description as string | undefined) ?? null,
        receiptEmail: (params.receipt_email as string | undefined) ?? null,
        metadata: params.metadata ?? {},
        capture: params.capture !== false,
        declined,
      });
      Object.assign(charge, made);
      if (declined) return cardError(ctx, declined, charge.id, null, null);
    },
  },
};
