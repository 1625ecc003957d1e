import type { StripeObject } from '../store.js';
import type { Action, Lifecycle } from './machine.js';
import { move } from './machine.js';
import { build, find, put } from './payments.js';

// Issuing and Treasury objects that move by status: an authorization is approved (still
// pending until captured), declined, captured, expired or reversed; a dispute is submitted; a
// card design is reviewed; money movements are canceled while processing, or moved by the
// test helpers (succeed, fail, post, return) as the networks would.

/** An outbound payment or transfer: canceled or posted while processing, failed, returned once posted. */
function outboundMoves(): Record<string, Action> {
  return {
    cancel: move(['processing'], 'canceled', 'canceled', { stamp: ['status_transitions.canceled_at'] }),
    post: move(['processing'], 'posted', 'posted', { stamp: ['status_transitions.posted_at'] }),
    fail: move(['processing'], 'failed', 'failed', { stamp: ['status_transitions.failed_at'] }),
    return: move(['posted'], 'returned', 'returned', { stamp: ['status_transitions.returned_at'] }),
  };
}

export const issuingAuthorizationLifecycle: Lifecycle = {
  object: 'issuing.authorization',
  noun: 'authorization',
  actions: {
    approve: move(['pending'], 'pending', 'approved', {
      effect(_ctx, authorization) {
        authorization.approved = true;
      },
    }),
    decline: move(['pending'], 'closed', 'declined', {
      effect(_ctx, authorization) {
        authorization.approved = false;
      },
    }),
    capture: move(['pending'], 'closed', 'captured'),
    expire: move(['pending'], 'closed', 'expired'),
    increment: move(['pending'], 'pending', 'incremented', {
      effect(_ctx, authorization, params) {
        authorization.amount = (authorization.amount as number) + (params.increment_amount as number);
      },
    }),
    reverse: move(['pending'], 'reversed', 'reversed'),
  },
};

export const issuingDisputeLifecycle: Lifecycle = {
  object: 'issuing.dispute',
  noun: 'dispute',
  actions: { submit: move(['unsubmitted'], 'submitted', 'submitted') },
};

export const personalizationDesignLifecycle: Lifecycle = {
  object: 'issuing.personalization_design',
  noun: 'personalization design',
  actions: {
    activate: move(['review', 'inactive', 'rejected'], 'active', 'activated'),
    deactivate: move(['review', 'active', 'rejected'], 'inactive', 'deactivated'),
    reject: move(['review', 'active', 'inactive'], 'rejected', 'rejected', {
      effect(_ctx, design, params) {
        design.rejection_reasons = params.rejection_reasons ?? design.rejection_reasons;
      },
    }),
  },
};

export const inboundTransferLifecycle: Lifecycle = {
  object: 'treasury.inbound_transfer',
  noun: 'InboundTransfer',
  actions: {
    cancel: move(['processing'], 'canceled', 'canceled', { stamp: ['status_transitions.canceled_at'] }),
    succeed: move(['processing'], 'succeeded', 'succeeded', { stamp: ['status_transitions.succeeded_at'] }),
    fail: move(['processing'], 'failed', 'failed', {
      stamp: ['status_transitions.failed_at'],
      effect(_ctx, transfer, params) {
        transfer.failure_details = { code: (params.failure_details as { code?: string } | undefined)?.code ?? 'account_closed' };
      },
    }),
    // A returned transfer stays succeeded and says it was returned.
    return: move(['succeeded'], 'succeeded', 'returned', {
      effect(_ctx, transfer) {
        transfer.returned = true;
      },
    }),
  },
};

export const outboundPaymentLifecycle: Lifecycle = {
  object: 'treasury.outbound_payment',
  noun: 'OutboundPayment',
  actions: outboundMoves(),
};

export const outboundTransferLifecycle: Lifecycle = {
  object: 'treasury.outbound_transfer',
  noun: 'OutboundTransfer',
  actions: outboundMoves(),
};

/** The refund a request made, by the capture it acted on (the spec has no field linking them). */
const refundOf = new WeakMap<StripeObject, string>();

/** Test helper: a captured transaction is refunded by a new `refund` transaction, which answers. */
export const issuingTransactionLifecycle: Lifecycle = {
  object: 'issuing.transaction',
  noun: 'transaction',
  state: (transaction) => String(transaction.type),
  actions: {
    refund: {
      from: ['capture'],
      to: ['capture'],
      done: 'refunded',
      run(ctx, capture, params) {
        const amount = (params.refund_amount as number | undefined) ?? Math.abs(capture.amount as number);
        const refund = put(ctx, build(ctx, 'issuing.transaction', {
          ...structuredClone(capture),
          id: ctx.newId('ipi'),
          created: ctx.now(),
          amount,
          merchant_amount: amount,
          type: 'refund',
        }));
        refundOf.set(capture, refund.id);
      },
      answer: (ctx, capture) => find(ctx, 'issuing.transaction', refundOf.get(capture)),
    },
  },
};
