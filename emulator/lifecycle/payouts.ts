import type { Lifecycle } from './machine.js';

// Money moving out of (payouts) or into (top-ups) the balance: either can be canceled only
// while it is still pending.

export const payoutLifecycle: Lifecycle = {
  object: 'payout',
  noun: 'payout',
  actions: {
    cancel: {
      from: ['pending'],
      to: ['canceled'],
      done: 'canceled',
      run(_ctx, payout) {
        payout.status = 'canceled';
      },
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
};
