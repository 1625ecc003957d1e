import { listEndpoints, resourceFor } from './generic/registry.js';
import { synthesize } from './generic/synthesize.js';
import { makeId } from './ids.js';
import type { Prng } from './prng.js';
import type { Store, StripeObject } from './store.js';

// A few synthesized objects for every listable resource the hand-made seed leaves empty,
// so every list endpoint answers with well-formed rows. References point at the newest
// object of the referenced type when there is one. Nested lists (a customer's tax ids, an
// account's persons) get rows under the newest parent.

const PER_RESOURCE = 3;
const FIRST_CREATED = Date.UTC(2024, 2, 1) / 1000;

/** Ids that are names rather than random tokens. */
const NAMED_IDS: Record<string, string[]> = {
  capability: ['card_payments', 'transfers', 'tax_reporting_us_1099_k'],
  country_spec: ['US', 'DE', 'FR'],
  exchange_rate: ['usd', 'eur', 'gbp'],
  'reporting.report_type': ['balance.summary.1', 'payouts.itemized.3', 'activity.itemized.2'],
  tax_code: ['txcd_99999999', 'txcd_10000000', 'txcd_20030000'],
};

/** Fields a synthesized object must not take from its first enum value: a test clock is ready, not advancing. */
const SEEDED_FIELDS: Record<string, Record<string, unknown>> = {
  'test_helpers.test_clock': { status: 'ready' },
};

export function seedGeneric(store: Store, account: string, prng: Prng, connectedAccount: string): void {
  let created = FIRST_CREATED;
  const nextCreated = () => (created += 3607);
  const newest = (type: string): StripeObject | undefined => store.list(account, type)[0];
  const seeded: StripeObject[] = [];
  const make = (type: string, index: number, overrides: Record<string, unknown> = {}): StripeObject => {
    const named = NAMED_IDS[type]?.[index];
    const id = type === 'account' && index === 0 ? connectedAccount : named;
    const object = synthesize(
      type,
      { newId: (prefix) => makeId(prng, prefix), created: nextCreated(), pickReference: (refType) => newest(refType)?.id ?? null },
      { ...SEEDED_FIELDS[type], ...(id ? { id } : {}), ...overrides },
    );
    seeded.push(object);
    return object;
  };
  const endpoints = listEndpoints().filter(({ endpoint }) => !/\/(upcoming|preview)\//.test(endpoint.path));
  const topLevel = endpoints.filter(({ endpoint }) => !endpoint.parent);
  const nested = endpoints.filter(({ endpoint }) => endpoint.parent);

  for (const { resource } of topLevel) {
    if (store.list(account, resource.object).length > 0) continue;
    for (let i = 0; i < PER_RESOURCE; i++) store.put(account, make(resource.object, i));
  }
  for (const { resource, endpoint } of nested) {
    const parent = endpoint.parent!;
    let owner = newest(parent.type);
    if (!owner && resourceFor(parent.type)) {
      for (let i = 0; i < 2; i++) store.put(account, make(parent.type, i));
      owner = newest(parent.type);
    }
    if (!owner) continue;
    const type = endpoint.types?.[0] ?? resource.object;
    if (parent.field === null) {
      if (store.children(account, owner.id, type).length > 0) continue;
      const children = Array.from({ length: PER_RESOURCE }, (_, i) => make(type, i));
      store.setChildren(account, owner.id, type, children);
    } else {
      const field = parent.field;
      if (store.list(account, type).some((object) => object[field] === owner!.id)) continue;
      for (let i = 0; i < 2; i++) store.put(account, make(type, i + PER_RESOURCE, { [field]: owner.id }));
    }
  }
  pointRequiredReferences(store, account, seeded);
}

/** Stripe's one Connect application in the demo: what application fees name. */
const DEMO_APPLICATION = { id: 'ca_1DemoApplication00000000', object: 'application', name: 'Demo Connect app' };

/**
 * A reference the spec requires (never null) that was synthesized before any object of its
 * type existed (a climate order made before the climate products) now names the newest one;
 * application fees name the demo Connect application.
 */
function pointRequiredReferences(store: Store, account: string, seeded: readonly StripeObject[]): void {
  for (const object of seeded) {
    const fields = resourceFor(object.object)?.fields ?? {};
    const fixes: Record<string, string> = {};
    for (const [field, shape] of Object.entries(fields)) {
      if (typeof shape !== 'string' || !shape.startsWith('r:') || object[field] !== null) continue;
      const type = shape.slice(2);
      if (type === 'application') {
        if (!store.get(account, 'application', DEMO_APPLICATION.id)) store.put(account, { ...DEMO_APPLICATION });
        fixes[field] = DEMO_APPLICATION.id;
      } else {
        const target = store.list(account, type)[0];
        if (target) fixes[field] = target.id;
      }
    }
    if (Object.keys(fixes).length > 0) store.put(account, { ...object, ...fixes });
  }
}
