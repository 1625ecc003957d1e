import type { StripeObject } from '../store.js';
import type { Lifecycle } from './machine.js';
import { move } from './machine.js';

// Lifecycles of the remaining resources with actions: disputes closed (accepted as lost),
// reviews approved, Terminal readers busy with one action at a time, climate orders canceled
// while open, Financial Connections accounts disconnected, identity sessions canceled or
// redacted, connected accounts rejected, application fees refunded, bank accounts verified,
// and the two that have no state to move (payment method domains validate).

export const disputeLifecycle: Lifecycle = {
  object: 'dispute',
  noun: 'dispute',
  actions: {
    // Closing a dispute accepts it: lost, or closed for an inquiry (warning).
    close: {
      from: ['needs_response', 'warning_needs_response'],
      to: ['lost', 'warning_closed'],
      done: 'closed',
      run(_ctx, dispute) {
        dispute.status = dispute.status === 'warning_needs_response' ? 'warning_closed' : 'lost';
      },
    },
  },
};

export const reviewLifecycle: Lifecycle = {
  object: 'review',
  noun: 'review',
  state: (review) => (review.open === true ? 'open' : 'closed'),
  actions: {
    approve: {
      from: ['open'],
      to: ['closed'],
      done: 'approved',
      run(_ctx, review) {
        Object.assign(review, { open: false, closed_reason: 'approved' });
      },
    },
  },
};

const readerState = (reader: StripeObject) => (reader.action as { status?: string } | null)?.status ?? 'idle';
const IDLE = ['idle', 'succeeded', 'failed'];

/** A reader starts an action only when it is not busy with another. */
function readerAction(type: string, detail: (params: Record<string, unknown>) => Record<string, unknown>) {
  return {
    from: IDLE,
    to: ['in_progress'],
    done: 'started',
    code: 'terminal_reader_busy',
    refusal: () => 'Reader is currently busy processing another request. Please reference the docs for more information: https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors',
    run(_ctx: unknown, reader: StripeObject, params: Record<string, unknown>) {
      reader.action = { failure_code: null, failure_message: null, [type]: detail(params), status: 'in_progress', type };
    },
  };
}

export const terminalReaderLifecycle: Lifecycle = {
  object: 'terminal.reader',
  noun: 'reader',
  state: readerState,
  actions: {
    process_payment_intent: readerAction('process_payment_intent', (p) => ({ payment_intent: p.payment_intent, process_config: p.process_config ?? null })),
    process_setup_intent: readerAction('process_setup_intent', (p) => ({ generated_card: null, setup_intent: p.setup_intent, process_config: p.process_config ?? null })),
    refund_payment: readerAction('refund_payment', (p) => ({ amount: p.amount ?? null, charge: p.charge ?? null, metadata: p.metadata ?? {}, payment_intent: p.payment_intent ?? null, reason: null, refund: null })),
    set_reader_display: readerAction('set_reader_display', (p) => ({ cart: p.cart ?? null, type: p.type })),
    cancel_action: {
      from: ['in_progress'],
      to: ['idle'],
      done: 'canceled',
      refusal: () => 'This reader has no action in progress to cancel.',
      run(_ctx, reader) {
        reader.action = null;
      },
    },
    // Test helper: the customer presents a card and the action completes.
    present_payment_method: {
      from: ['in_progress'],
      to: ['succeeded'],
      done: 'presented',
      refusal: () => 'This reader has no action in progress to present a payment method to.',
      run(_ctx, reader) {
        reader.action = { ...(reader.action as object), status: 'succeeded' };
      },
    },
  },
};

export const climateOrderLifecycle: Lifecycle = {
  object: 'climate.order',
  noun: 'order',
  actions: {
    cancel: move(['open', 'awaiting_funds'], 'canceled', 'canceled', {
      stamp: ['canceled_at'],
      effect(_ctx, order) {
        order.cancellation_reason = 'requested';
      },
    }),
  },
};

export const financialConnectionsAccountLifecycle: Lifecycle = {
  object: 'financial_connections.account',
  noun: 'account',
  actions: {
    disconnect: move(['active', 'inactive'], 'disconnected', 'disconnected'),
    refresh: move(['active'], 'active', 'refreshed', {
      effect(ctx, account, params) {
        for (const feature of (params.features as string[] | undefined) ?? []) {
          account[`${feature}_refresh`] = { last_attempted_at: ctx.now(), status: 'pending' };
        }
      },
    }),
    subscribe: move(['active'], 'active', 'subscribed', {
      effect(_ctx, account, params) {
        account.subscriptions = [...new Set([...((account.subscriptions as string[] | null) ?? []), ...((params.features as string[] | undefined) ?? [])])];
      },
    }),
    unsubscribe: move(['active'], 'active', 'unsubscribed', {
      effect(_ctx, account, params) {
        const dropped = new Set((params.features as string[] | undefined) ?? []);
        account.subscriptions = ((account.subscriptions as string[] | null) ?? []).filter((feature) => !dropped.has(feature));
      },
    }),
  },
};

export const verificationSessionLifecycle: Lifecycle = {
  object: 'identity.verification_session',
  noun: 'VerificationSession',
  actions: {
    cancel: move(['requires_input'], 'canceled', 'canceled'),
    // Redaction keeps the status and removes the collected data.
    redact: {
      from: ['requires_input', 'canceled', 'verified'],
      to: ['requires_input', 'canceled', 'verified'],
      done: 'redacted',
      run(_ctx, session) {
        Object.assign(session, { redaction: { status: 'redacted' }, verified_outputs: null });
      },
    },
  },
};

export const accountLifecycle: Lifecycle = {
  object: 'account',
  noun: 'account',
  state: (account) => (String((account.requirements as { disabled_reason?: unknown } | null)?.disabled_reason ?? '').startsWith('rejected') ? 'rejected' : 'active'),
  actions: {
    reject: {
      from: ['active'],
      to: ['rejected'],
      done: 'rejected',
      run(_ctx, account, params) {
        Object.assign(account, {
          charges_enabled: false,
          payouts_enabled: false,
          requirements: { ...(account.requirements as object), disabled_reason: `rejected.${String(params.reason)}` },
        });
      },
    },
  },
};

export const applicationFeeLifecycle: Lifecycle = {
  object: 'application_fee',
  noun: 'application fee',
  state: (fee) => (fee.refunded === true ? 'refunded' : 'collected'),
  actions: {
    refund: {
      from: ['collected'],
      to: ['collected', 'refunded'],
      done: 'refunded',
      run(_ctx, fee, params) {
        const left = (fee.amount as number) - (fee.amount_refunded as number);
        const amount = Math.min(left, (params.amount as number | undefined) ?? left);
        fee.amount_refunded = (fee.amount_refunded as number) + amount;
        fee.refunded = fee.amount_refunded === fee.amount;
      },
    },
  },
};

export const bankAccountLifecycle: Lifecycle = {
  object: 'bank_account',
  noun: 'bank account',
  actions: { verify: move(['new', 'validated'], 'verified', 'verified') },
};

export const paymentMethodDomainLifecycle: Lifecycle = {
  object: 'payment_method_domain',
  noun: 'payment method domain',
  state: () => 'registered',
  actions: {
    validate: {
      from: ['registered'],
      to: ['registered'],
      done: 'validated',
      run() {},
    },
  },
};

export const sourceLifecycle: Lifecycle = {
  object: 'source',
  noun: 'source',
  actions: { verify: move(['pending'], 'chargeable', 'verified') },
};
