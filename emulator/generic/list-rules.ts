import { fieldAt } from '../list.js';
import type { StripeObject } from '../store.js';

// List filters whose meaning is not "the field equals the value", and defaults that hide
// rows when a filter is absent. Keyed by object type, then parameter name.

export type FilterRule = (object: StripeObject, value: unknown) => boolean;

const ENDED = new Set(['canceled', 'incomplete_expired']);

export const FILTER_RULES: Record<string, Record<string, FilterRule>> = {
  subscription: {
    // `all` lifts the default, `ended` covers both ways a subscription stops.
    status: (object, value) => value === 'all' || (value === 'ended' ? ENDED.has(object.status as string) : object.status === value),
    price: (object, value) => itemsOf(object).some((item) => priceId(item.price) === value),
  },
  subscription_item: {
    price: (object, value) => priceId(object.price) === value,
  },
  event: {
    // `charge.*` matches every charge event.
    type: (object, value) => matchesEventType(object.type as string, value as string),
    types: (object, value) => (value as string[]).some((type) => matchesEventType(object.type as string, type)),
  },
  'tax.registration': {
    status: (object, value) => value === 'all' || object.status === value,
  },
  // Summaries inside the window [start_time, end_time); the customer is not on the object.
  'billing.meter_event_summary': {
    start_time: (object, value) => typeof object.start_time === 'number' && object.start_time >= (value as number),
    end_time: (object, value) => typeof object.end_time === 'number' && object.end_time <= (value as number),
  },
  invoiceitem: {
    pending: (object, value) => (object.invoice === null) === value,
  },
};

/** Rows a list leaves out unless the named parameter is given. */
export const DEFAULT_HIDDEN: Record<string, { param: string; hides: (object: StripeObject) => boolean }> = {
  subscription: { param: 'status', hides: (object) => object.status === 'canceled' },
};

function itemsOf(subscription: StripeObject): Array<Record<string, unknown>> {
  const data = fieldAt(subscription, 'items.data');
  return Array.isArray(data) ? (data as Array<Record<string, unknown>>) : [];
}

function priceId(price: unknown): unknown {
  return price !== null && typeof price === 'object' ? (price as { id?: unknown }).id : price;
}

function matchesEventType(type: string, pattern: string): boolean {
  return pattern.endsWith('.*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}
