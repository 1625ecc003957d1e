import type { HandlerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { render } from '../expand.js';
import type { StripeObject } from '../store.js';
import type { Lifecycle, Outcome } from './machine.js';
import { authenticationAction, cardError, lastError, materialize, outcomeFor, put, resolvePaymentMethod } from './payments.js';

// SetupIntent (docs: payments/setupintents/lifecycle): saves a payment method for later
// payments. Confirming checks the card: succeeded (the payment method attached to the
// intent's customer), requires_action (3-D Secure), or back to requires_payment_method with
// last_setup_error when the card is declined (402). No charge is made.

const CONFIRMABLE = ['requires_confirmation', 'requires_payment_method', 'requires_action'];

function confirmSetup(ctx: HandlerContext, intent: StripeObject, paymentMethod: unknown, returnUrl: unknown): Outcome {
  const given = paymentMethod ?? intent.payment_method;
  if (typeof given !== 'string') {
    const error = invalidRequest(
      "You cannot confirm this SetupIntent because it's missing a payment method. You can either update the SetupIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      undefined,
      'setup_intent_unexpected_state',
    );
    error.body.setup_intent = render(ctx, intent, 'setup_intent');
    throw error;
  }
  const pm = resolvePaymentMethod(ctx, given, 'payment_method');
  const outcome = outcomeFor(pm);
  const authenticated = intent.status === 'requires_action' && intent.payment_method === pm.id;
  if (outcome.kind === 'authenticate' && !authenticated) {
    Object.assign(intent, { status: 'requires_action', payment_method: pm.id, next_action: authenticationAction(ctx, returnUrl), last_setup_error: null });
    return;
  }
  if (outcome.kind === 'decline') {
    Object.assign(intent, { status: 'requires_payment_method', payment_method: null, next_action: null, last_setup_error: lastError(outcome, null, ctx, pm) });
    return cardError(ctx, outcome, null, { field: 'setup_intent', object: intent }, pm);
  }
  Object.assign(intent, { status: 'succeeded', payment_method: pm.id, next_action: null, last_setup_error: null });
  const customer = typeof intent.customer === 'string' ? intent.customer : null;
  if (customer && pm.customer === null) put(ctx, { ...structuredClone(pm), customer });
}

export const setupIntentLifecycle: Lifecycle = {
  object: 'setup_intent',
  noun: 'SetupIntent',
  code: 'setup_intent_unexpected_state',
  errorField: 'setup_intent',
  actions: {
    confirm: {
      from: CONFIRMABLE,
      to: ['succeeded', 'requires_action', 'requires_payment_method'],
      done: 'confirmed',
      refusals: { succeeded: 'You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed.' },
      run: (ctx, intent, params) => confirmSetup(ctx, intent, params.payment_method, params.return_url),
    },
    // A bank account confirmed by its microdeposits is set up.
    verify_microdeposits: {
      from: ['requires_action'],
      to: ['succeeded'],
      done: 'verified',
      run(_ctx, intent) {
        if ((intent.next_action as { type?: string } | null)?.type !== 'verify_with_microdeposits') {
          throw invalidRequest('This SetupIntent is not awaiting microdeposit verification.', undefined, 'setup_intent_unexpected_state');
        }
        Object.assign(intent, { status: 'succeeded', next_action: null });
      },
    },
    cancel: {
      from: ['requires_payment_method', 'requires_confirmation', 'requires_action'],
      to: ['canceled'],
      done: 'canceled',
      run(_ctx, intent, params) {
        Object.assign(intent, { status: 'canceled', cancellation_reason: params.cancellation_reason ?? null, next_action: null });
      },
    },
  },
  create: {
    prepare: (ctx, params) => ({ ...params, payment_method: materialize(ctx, params.payment_method, 'payment_method') }),
    created(ctx, intent, params) {
      const methods = params.payment_method_types as string[] | undefined;
      const automatic = params.automatic_payment_methods as { enabled?: boolean; allow_redirects?: string } | undefined;
      Object.assign(intent, {
        automatic_payment_methods: methods ? null : { allow_redirects: automatic?.allow_redirects ?? 'always', enabled: automatic?.enabled ?? true },
        cancellation_reason: null,
        client_secret: `${intent.id}_secret_${ctx.token(25)}`,
        flow_directions: params.flow_directions ?? null,
        last_setup_error: null,
        metadata: intent.metadata ?? {},
        next_action: null,
        payment_method_types: methods ?? ['card'],
        status: typeof intent.payment_method === 'string' ? 'requires_confirmation' : 'requires_payment_method',
        usage: params.usage ?? 'off_session',
      });
      if (params.confirm === true) return confirmSetup(ctx, intent, intent.payment_method, params.return_url);
    },
  },
  update: {
    prepare: (ctx, params) => ({ ...params, payment_method: materialize(ctx, params.payment_method, 'payment_method') }),
    updated(_ctx, intent, params, before) {
      if (typeof params.payment_method === 'string' && before.status === 'requires_payment_method') intent.status = 'requires_confirmation';
    },
  },
};
