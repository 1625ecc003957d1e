import type { HandlerContext } from '../context.js';
import { errors, paramError } from '../errors.js';
import type { StripeObject } from '../store.js';
import type { Lifecycle } from './machine.js';
import { cardDetails, find, put, resolvePaymentMethod, resolveToken } from './payments.js';
import { testPaymentMethod } from './test-cards.js';

// PaymentMethod: detached until attached to a customer, and back. Its state is derived from
// `customer`. A card payment method is made from a test token (`card[token]=tok_visa`); the
// test names (`pm_card_visa`) are made into a new payment method wherever they are used.

const customerDefault = (customer: StripeObject) => (customer.invoice_settings as { default_payment_method?: unknown } | null)?.default_payment_method;

export const paymentMethodLifecycle: Lifecycle = {
  object: 'payment_method',
  noun: 'PaymentMethod',
  code: 'payment_method_unexpected_state',
  state: (pm) => (typeof pm.customer === 'string' ? 'attached' : 'detached'),
  find: (ctx, id, param) => (testPaymentMethod(id) ? resolvePaymentMethod(ctx, id, param) : find(ctx, 'payment_method', id)),
  actions: {
    attach: {
      from: ['detached'],
      to: ['attached'],
      done: 'attached',
      refusals: { attached: 'The payment method you provided has already been attached to a customer.' },
      run(ctx, pm, params) {
        const customer = params.customer as string;
        if (!find(ctx, 'customer', customer)) throw errors.referenceMissing('customer', customer, 'customer');
        pm.customer = customer;
      },
    },
    detach: {
      from: ['attached'],
      to: ['detached'],
      done: 'detached',
      refusals: { detached: 'The payment method you provided is not attached to a customer so detachment is impossible.' },
      run(ctx, pm) {
        const customer = find(ctx, 'customer', pm.customer);
        // A customer's default payment method is unset when it is detached.
        if (customer && customerDefault(customer) === pm.id) {
          put(ctx, { ...structuredClone(customer), invoice_settings: { ...(customer.invoice_settings as object), default_payment_method: null } });
        }
        pm.customer = null;
      },
    },
  },
  create: {
    created(_ctx, pm, params) {
      pm.allow_redisplay = params.allow_redisplay ?? 'unspecified';
      if (pm.type !== 'card') return;
      const card = params.card as { token?: unknown } | undefined;
      if (typeof card?.token !== 'string') {
        throw paramError('Card details are taken from a test token here: pass card[token]=tok_visa (or another of Stripe\'s test tokens).', 'card[token]', 'parameter_missing');
      }
      pm.card = cardDetails(resolveToken(card.token, 'card[token]'));
    },
  },
};

/** Attaches a payment method to a customer when it is not yet attached (a customer created with `payment_method`). */
export function attachTo(ctx: HandlerContext, pmId: string, customer: string, param: string): StripeObject {
  const pm = resolvePaymentMethod(ctx, pmId, param);
  if (pm.customer === customer) return pm;
  if (typeof pm.customer === 'string') throw paramError('The payment method you provided has already been attached to a customer.', param, 'payment_method_unexpected_state');
  return put(ctx, { ...structuredClone(pm), customer });
}
