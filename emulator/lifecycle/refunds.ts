import type { HandlerContext } from '../context.js';
import { errors, invalidRequest, paramError } from '../errors.js';
import type { Validated } from '../schema.js';
import type { StripeObject } from '../store.js';
import type { Lifecycle } from './machine.js';
import { balanceTransaction, find, put } from './payments.js';

// Refund: of a charge, or of a PaymentIntent's charge. It takes what is left when no amount is
// given, never more, and the charge keeps count (amount_refunded, refunded once all of it is).
// Card refunds succeed at once; only a refund waiting on the customer (requires_action) can be
// canceled.

/** The charge a refund is of: named, or the PaymentIntent's latest. */
function chargeToRefund(ctx: HandlerContext, params: Validated, object: StripeObject): StripeObject {
  const chargeId = object.charge ?? params.charge;
  if (typeof chargeId === 'string') {
    const charge = find(ctx, 'charge', chargeId);
    if (!charge) throw errors.referenceMissing('charge', chargeId, 'charge');
    return charge;
  }
  const intentId = params.payment_intent;
  if (typeof intentId !== 'string') {
    throw paramError('One of the following params should be provided for this request: payment_intent or charge.', 'charge', 'parameter_missing');
  }
  const intent = find(ctx, 'payment_intent', intentId);
  if (!intent) throw errors.referenceMissing('payment_intent', intentId, 'payment_intent');
  const charge = intent.status === 'succeeded' ? find(ctx, 'charge', intent.latest_charge) : undefined;
  if (!charge) {
    throw invalidRequest(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, 'payment_intent', 'charge_not_refundable');
  }
  return charge;
}

/**
 * Refunds `amount` (default: all that is left) of a charge: counts it on `charge` (a private
 * copy the caller stores), makes the refund's balance transaction, and fills `refund` in.
 */
export function refundCharge(ctx: HandlerContext, charge: StripeObject, refund: StripeObject, amount: number | undefined): void {
  const left = (charge.amount_captured as number) - (charge.amount_refunded as number);
  if (left <= 0 || charge.refunded === true) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge', 'charge_already_refunded');
  const refunded = amount ?? left;
  if (refunded > left) {
    throw invalidRequest(
      `Refund amount (${money(refunded, charge.currency as string)}) is greater than unrefunded amount on charge (${money(left, charge.currency as string)})`,
      'amount',
      'amount_too_large',
    );
  }
  charge.amount_refunded = (charge.amount_refunded as number) + refunded;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  Object.assign(refund, {
    amount: refunded,
    balance_transaction: balanceTransaction(ctx, -refunded, charge.currency as string, 'refund', refund.id).id,
    charge: charge.id,
    currency: charge.currency,
    metadata: refund.metadata ?? {},
    payment_intent: charge.payment_intent ?? null,
    status: 'succeeded',
  });
}

function money(amount: number, currency: string): string {
  return `${currency === 'usd' ? '$' : `${currency.toUpperCase()} `}${(amount / 100).toFixed(2)}`;
}

export const refundLifecycle: Lifecycle = {
  object: 'refund',
  noun: 'Refund',
  actions: {
    cancel: {
      from: ['requires_action'],
      to: ['canceled'],
      done: 'canceled',
      refusal: (state, refund) => `Refund ${refund.id} cannot be canceled because it has a status of ${state}. Only refunds with a status of requires_action can be canceled.`,
      run(_ctx, refund) {
        refund.status = 'canceled';
      },
    },
    // Test helper: the customer never gave what the refund waited for.
    expire: {
      from: ['requires_action'],
      to: ['canceled'],
      done: 'expired',
      run(_ctx, refund) {
        refund.status = 'canceled';
      },
    },
  },
  create: {
    created(ctx, refund, params) {
      const charge = structuredClone(chargeToRefund(ctx, params, refund));
      refundCharge(ctx, charge, refund, params.amount as number | undefined);
      put(ctx, charge);
    },
  },
};
