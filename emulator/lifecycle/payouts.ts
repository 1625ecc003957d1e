import type { Lifecycle } from './machine.js';
import { build, find, put } from './payments.js';

// Money moving out of (payouts) or into (top-ups) the balance: either can be canceled only
// while it is still pending.

const DAY = 86400;
/** Standard payouts (and top-ups) arrive in about two business days. */
const ARRIVAL_DAYS = 2;

export const payoutLifecycle: Lifecycle = {
  object: 'payout',
  noun: 'payout',
  // A paid payout that was reversed stays paid and names its reversal.
  state: (payout) => (typeof payout.reversed_by === 'string' ? 'reversed' : String(payout.status)),
  actions: {
    // A paid payout is reversed by a new payout debiting the same destination; that one is the answer.
    reverse: {
      from: ['paid'],
      to: ['reversed'],
      done: 'reversed',
      run(ctx, payout, params) {
        const reversal = put(ctx, build(ctx, 'payout', {
          amount: payout.amount,
          arrival_date: ctx.now(),
          automatic: false,
          currency: payout.currency,
          destination: payout.destination ?? null,
          metadata: params.metadata ?? {},
          method: payout.method,
          original_payout: payout.id,
          reconciliation_status: 'not_applicable',
          source_type: payout.source_type,
          status: 'pending',
          type: payout.type,
        }));
        payout.reversed_by = reversal.id;
      },
      answer: (ctx, payout) => find(ctx, 'payout', payout.reversed_by),
    },
    cancel: {
      from: ['pending'],
      to: ['canceled'],
      done: 'canceled',
      run(_ctx, payout) {
        payout.status = 'canceled';
      },
    },
  },
  // A payout made through the API is pending until it reaches the bank.
  create: {
    created(ctx, payout, params) {
      Object.assign(payout, {
        arrival_date: ctx.now() + ARRIVAL_DAYS * DAY,
        automatic: false,
        method: params.method ?? 'standard',
        reconciliation_status: 'not_applicable',
        source_type: params.source_type ?? 'card',
        status: 'pending',
        type: 'bank_account',
      });
    },
  },
};

export const topupLifecycle: Lifecycle = {
  object: 'topup',
  noun: 'top-up',
  actions: {
    cancel: {
      from: ['pending'],
      to: ['canceled'],
      done: 'canceled',
      run(_ctx, topup) {
        topup.status = 'canceled';
      },
    },
  },
  create: {
    created(ctx, topup) {
      Object.assign(topup, { expected_availability_date: ctx.now() + ARRIVAL_DAYS * DAY, status: 'pending' });
    },
  },
};
