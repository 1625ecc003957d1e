import { paramError } from '../errors.js';
import type { Lifecycle } from './machine.js';
import { move } from './machine.js';
import { find, put } from './payments.js';
import { advanceSubscriptions } from './renewals.js';

// The rest of Billing's lifecycles, each a table of status moves: quotes (draft → open →
// accepted, or canceled), subscription schedules (canceled or released while not_started or
// active), credit notes (issued → void), meters (active ⇄ inactive) and test clocks (advanced
// at once: the emulator runs no renewals on them yet).

export const quoteLifecycle: Lifecycle = {
  object: 'quote',
  noun: 'quote',
  actions: {
    finalize: move(['draft'], 'open', 'finalized', { stamp: ['status_transitions.finalized_at'] }),
    accept: move(['open'], 'accepted', 'accepted', { stamp: ['status_transitions.accepted_at'] }),
    cancel: move(['draft', 'open'], 'canceled', 'canceled', { stamp: ['status_transitions.canceled_at'] }),
  },
};

export const subscriptionScheduleLifecycle: Lifecycle = {
  object: 'subscription_schedule',
  noun: 'subscription schedule',
  actions: {
    cancel: move(['not_started', 'active'], 'canceled', 'canceled', {
      stamp: ['canceled_at'],
      // Canceling a schedule cancels the subscription it manages.
      effect(ctx, schedule) {
        const subscription = find(ctx, 'subscription', schedule.subscription);
        if (subscription && subscription.status !== 'canceled') {
          put(ctx, { ...structuredClone(subscription), status: 'canceled', canceled_at: ctx.now(), ended_at: ctx.now() });
        }
      },
    }),
    release: move(['not_started', 'active'], 'released', 'released', {
      stamp: ['released_at'],
      // The subscription goes on without the schedule.
      effect(_ctx, schedule) {
        schedule.released_subscription = schedule.subscription ?? null;
        schedule.subscription = null;
      },
    }),
  },
};

export const creditNoteLifecycle: Lifecycle = {
  object: 'credit_note',
  noun: 'credit note',
  actions: { void: move(['issued'], 'void', 'voided', { stamp: ['voided_at'] }) },
};

export const meterLifecycle: Lifecycle = {
  object: 'billing.meter',
  noun: 'meter',
  actions: {
    deactivate: move(['active'], 'inactive', 'deactivated', { stamp: ['status_transitions.deactivated_at'] }),
    reactivate: move(['inactive'], 'active', 'reactivated', {
      effect(_ctx, meter) {
        meter.status_transitions = { ...(meter.status_transitions as object), deactivated_at: null };
      },
    }),
  },
};

export const testClockLifecycle: Lifecycle = {
  object: 'test_helpers.test_clock',
  noun: 'test clock',
  actions: {
    // Stripe answers `advancing` and moves to `ready` once everything up to the new time has
    // run; the emulator runs it all before answering (test_helpers.test_clock.advancing, then .ready).
    advance: move(['ready'], 'ready', 'advanced', {
      effect(ctx, clock, params) {
        const target = params.frozen_time as number;
        if (target <= (clock.frozen_time as number)) {
          throw paramError('The frozen_time must be later than the test clock\'s current frozen_time.', 'frozen_time');
        }
        put(ctx, { ...structuredClone(clock), status: 'advancing' });
        advanceSubscriptions(ctx, clock.id, target);
        clock.frozen_time = target;
      },
    }),
  },
  create: {
    created(_ctx, clock) {
      // A clock is deleted 30 days after it was made, with its customers.
      Object.assign(clock, { status: 'ready', deletes_after: (clock.created as number) + 30 * DAY });
    },
  },
};

const DAY = 86400;
