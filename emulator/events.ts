import { EVENT_TYPES } from './generated/resources.js';
import { Prng } from './prng.js';
import type { Store, StripeObject } from './store.js';
import { synthesize } from './generic/synthesize.js';
import { API_VERSION, type EventRequest } from './server.js';

// Events: every change to a stored object becomes the events Stripe sends for it, decided by
// comparing the object before and after. The event types are the API version's own (the
// spec's list of webhook event types), so no event is made that Stripe does not have:
//   created / deleted            <prefix>.created, <prefix>.deleted
//   a new status                 <prefix>.<status>, or the name the table below gives it
//   a field that means a step    (a charge captured or refunded, a payment method attached, …)
//   anything else that changed   <prefix>.updated, with previous_attributes

const KNOWN = new Set(EVENT_TYPES);
const EVENT_SEED = 0xe7e7;

/** The prefix of an object's events where it is not the object type itself. */
const PREFIXES: Record<string, string> = {
  subscription: 'customer.subscription',
  tax_id: 'customer.tax_id',
  discount: 'customer.discount',
  dispute: 'charge.dispute',
  'issuing.authorization': 'issuing_authorization',
  'issuing.card': 'issuing_card',
  'issuing.cardholder': 'issuing_cardholder',
  'issuing.dispute': 'issuing_dispute',
  'issuing.token': 'issuing_token',
  'issuing.transaction': 'issuing_transaction',
};

function prefixOf(type: string): string {
  return PREFIXES[type] ?? type;
}

interface Change {
  before: StripeObject | undefined;
  after: StripeObject;
}

/** Event names for a status that are not `<prefix>.<status>`; an empty list sends none. */
const STATUS_EVENTS: Record<string, Record<string, (change: Change) => string[]>> = {
  // A failed attempt is read from last_payment_error / last_setup_error (below).
  payment_intent: {
    requires_capture: () => ['payment_intent.amount_capturable_updated'],
    requires_payment_method: () => [],
    requires_confirmation: () => [],
  },
  setup_intent: { requires_payment_method: () => [] },
  // An invoice's steps are read from its status_transitions (below), which a single change may cross several of.
  invoice: { draft: () => [], open: () => [], paid: () => [], void: () => [], uncollectible: () => [] },
  subscription: {
    canceled: () => ['customer.subscription.deleted'],
    active: (change) => (change.before?.status === 'paused' ? ['customer.subscription.resumed'] : []),
  },
  'test_helpers.test_clock': { advancing: () => ['test_helpers.test_clock.advancing'], ready: (change) => (change.before ? ['test_helpers.test_clock.ready'] : []) },
  'checkout.session': { complete: () => ['checkout.session.completed'] },
  quote: { open: () => ['quote.finalized'] },
};

/** The field now holds a value it did not hold before. */
const changedTo = (change: Change, read: (object: StripeObject) => unknown) =>
  read(change.after) !== undefined &&
  read(change.after) !== null &&
  (change.before === undefined || JSON.stringify(read(change.before)) !== JSON.stringify(read(change.after)));

const transition = (name: string) => (object: StripeObject) => (object.status_transitions as Record<string, unknown> | null | undefined)?.[name];

/** Steps some objects take in a field rather than in their status. */
const FIELD_EVENTS: Record<string, Array<{ type: string; when: (change: Change) => boolean }>> = {
  payment_intent: [{ type: 'payment_intent.payment_failed', when: (c) => changedTo(c, (o) => o.last_payment_error) }],
  setup_intent: [{ type: 'setup_intent.setup_failed', when: (c) => changedTo(c, (o) => o.last_setup_error) }],
  charge: [
    { type: 'charge.captured', when: (c) => c.before !== undefined && c.before.captured === false && c.after.captured === true },
    { type: 'charge.refunded', when: (c) => (c.after.amount_refunded as number) > ((c.before?.amount_refunded as number | undefined) ?? 0) && c.after.status === 'succeeded' },
  ],
  payment_method: [
    { type: 'payment_method.attached', when: (c) => typeof c.after.customer === 'string' && c.before?.customer !== c.after.customer },
    { type: 'payment_method.detached', when: (c) => c.after.customer === null && typeof c.before?.customer === 'string' },
  ],
  invoice: [
    { type: 'invoice.finalized', when: (c) => changedTo(c, transition('finalized_at')) },
    { type: 'invoice.payment_failed', when: (c) => c.after.status !== 'paid' && (c.after.attempt_count as number) > ((c.before?.attempt_count as number | undefined) ?? 0) },
    { type: 'invoice.paid', when: (c) => changedTo(c, transition('paid_at')) },
    { type: 'invoice.payment_succeeded', when: (c) => changedTo(c, transition('paid_at')) && c.after.paid_out_of_band !== true },
    { type: 'invoice.marked_uncollectible', when: (c) => changedTo(c, transition('marked_uncollectible_at')) },
    { type: 'invoice.voided', when: (c) => changedTo(c, transition('voided_at')) },
  ],
};

/** The event types one change makes, in the order Stripe sends them. */
export function eventTypesFor(before: StripeObject | undefined, after: StripeObject | undefined): string[] {
  const object = after ?? before;
  if (!object || object.object === 'event') return [];
  const prefix = prefixOf(object.object);
  if (!after) return [`${prefix}.deleted`].filter((type) => KNOWN.has(type));
  const change: Change = { before, after };
  const types: string[] = [];
  if (!before) types.push(`${prefix}.created`);
  const status = after.status;
  if (typeof status === 'string' && status !== before?.status) {
    const named = STATUS_EVENTS[after.object]?.[status];
    types.push(...(named ? named(change) : [`${prefix}.${status}`]));
  }
  for (const rule of FIELD_EVENTS[after.object] ?? []) if (rule.when(change)) types.push(rule.type);
  // A status with no event of its own (a subscription now past_due) is told as an update.
  const known = [...new Set(types)].filter((type) => KNOWN.has(type));
  const stepped = known.length > (before ? 0 : 1);
  if (before && !stepped && Object.keys(previousAttributes(before, after)).length > 0 && KNOWN.has(`${prefix}.updated`)) known.push(`${prefix}.updated`);
  return known;
}

/** The top-level fields that changed, with their old values (Stripe's previous_attributes). */
export function previousAttributes(before: StripeObject, after: StripeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = before[key] ?? null;
  }
  return out;
}

const ID_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Leading characters of an event id that count events up; the rest of Stripe's 23 are random. */
const SEQUENCE_LENGTH = 6;
const ID_LENGTH = 23;

/**
 * `evt_1…` whose first characters count up, so events made in the same second list in the
 * order they were made (lists break ties by id, newest first), as Stripe lists them.
 */
function eventId(sequence: number, prng: Prng): string {
  let digits = '';
  for (let rest = sequence; digits.length < SEQUENCE_LENGTH; rest = Math.floor(rest / ID_DIGITS.length)) digits = ID_DIGITS[rest % ID_DIGITS.length] + digits;
  return `evt_1${digits}${prng.alphanumeric(ID_LENGTH - SEQUENCE_LENGTH)}`;
}

export type EventListener = (account: string, event: StripeObject) => void;

/** Turns the store's changes into stored events and tells the listeners (webhooks) of each. */
export class EventRecorder {
  private readonly ids = new Prng(EVENT_SEED);
  private sequence = 0;
  private readonly listeners: EventListener[] = [];
  private muted = 0;

  constructor(
    private readonly store: Store,
    /** The API request being handled, named in each event's `request`. */
    private readonly request: () => EventRequest = () => ({ id: null, idempotency_key: null }),
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    store.onChange((account, before, after) => {
      if (this.muted === 0) this.record(account, before, after);
    });
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Runs `write` without making events (bulk data for tests and benchmarks). */
  quietly<T>(write: () => T): T {
    this.muted++;
    try {
      return write();
    } finally {
      this.muted--;
    }
  }

  /** An event no change makes: something announced ahead of time (a trial about to end). */
  announce(account: string, type: string, object: StripeObject): void {
    if (this.muted === 0 && KNOWN.has(type)) this.emit(account, type, { object: structuredClone(object) }, object);
  }

  private record(account: string, before: StripeObject | undefined, after: StripeObject | undefined): void {
    const object = (after ?? before)!;
    for (const type of eventTypesFor(before, after)) {
      const data: Record<string, unknown> = { object: structuredClone(object) };
      if (before && after && type.endsWith('.updated')) data.previous_attributes = previousAttributes(before, after);
      this.emit(account, type, data, object);
    }
  }

  private emit(account: string, type: string, data: Record<string, unknown>, object: StripeObject): void {
    const event = synthesize('event', { newId: () => '', created: this.now(), pickReference: () => null }, {
      id: eventId(++this.sequence, this.ids),
      api_version: API_VERSION,
      data,
      livemode: object.livemode === true,
      pending_webhooks: 0,
      request: { ...this.request() },
      type,
    });
    delete event.account;
    this.store.put(account, event);
    for (const listener of this.listeners) listener(account, event);
  }
}
