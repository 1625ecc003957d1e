import { allResources, listEndpoints, resourceFor } from './generic/registry.js';
import { synthesize } from './generic/synthesize.js';
import { makeId } from './ids.js';
import type { Prng } from './prng.js';
import { TAX_CALCULATION, TAX_CALCULATION_LINE_ITEM } from './resources/tax-calculations.js';
import type { Store, StripeObject } from './store.js';

// Runs after seedGeneric, with its own generator so every id seeded before keeps its value.
// It makes every resource readable the way Stripe reads it: objects Stripe only retrieves by
// id exist, children name the parent their list is filtered by (a treasury transaction's
// `financial_account`), and children that need a second key (an owner's `ownership`, a
// summary's time window) carry one that matches their parent.

const FIRST_CREATED = Date.UTC(2024, 3, 1) / 1000;
const DAY = 86_400;
const PER_RESOURCE = 3;

/** List filters naming a parent whose id the synthesized child does not hold yet. */
const PARENT_FILTERS: Record<string, string> = {
  financial_account: 'treasury.financial_account',
  value_list: 'radar.value_list',
  account: 'financial_connections.account',
};

/** The summaries' windows start here, a day each (Stripe aligns them to the grouping window). */
export const METER_SUMMARY_START = Date.UTC(2024, 2, 1) / 1000;

export function seedWalkable(store: Store, account: string, prng: Prng): void {
  let created = FIRST_CREATED;
  const context = () => ({
    newId: (prefix: string) => makeId(prng, prefix),
    created: (created += 3613),
    pickReference: (type: string) => store.list(account, type)[0]?.id ?? null,
  });
  seedRetrieveOnly(store, account, context);
  linkChildrenToParents(store, account);
  seedAccountOwnership(store, account, prng);
  alignMeterSummaries(store, account);
  seedTaxCalculations(store, account, prng, context);
}

type Context = () => Parameters<typeof synthesize>[1];

/** Tokens, mandates, settlements, confirmation tokens: Stripe has no list, only a read by id. */
function seedRetrieveOnly(store: Store, account: string, context: Context): void {
  const listed = new Set(listEndpoints().map(({ resource }) => resource.object));
  for (const resource of allResources()) {
    const readById = resource.endpoints.some((endpoint) => endpoint.kind === 'retrieve' && !endpoint.parent);
    if (!readById || listed.has(resource.object) || store.list(account, resource.object).length > 0) continue;
    for (let i = 0; i < PER_RESOURCE; i++) store.put(account, synthesize(resource.object, context(), overridesFor(resource.object, i, context)));
  }
}

/** Tokens come in kinds; each carries the details of its kind, as Stripe returns them. */
function overridesFor(type: string, index: number, context: Context): Record<string, unknown> {
  if (type !== 'token') return {};
  if (index === 1) {
    const bankAccount = synthesize('bank_account', context(), { account: null, customer: null, bank_name: 'STRIPE TEST BANK', last4: '6789', routing_number: '110000000' });
    return { type: 'bank_account', bank_account: bankAccount };
  }
  const card = synthesize('card', context(), { customer: null, brand: 'Visa', last4: index === 0 ? '4242' : '1881', exp_month: 12, exp_year: 2030 });
  return { type: 'card', card };
}

/** Spreads the children of each filter-by-parent list over the parents, newest parent first. */
function linkChildrenToParents(store: Store, account: string): void {
  for (const { resource, endpoint } of listEndpoints()) {
    if (endpoint.parent) continue;
    for (const [param, parentType] of Object.entries(PARENT_FILTERS)) {
      if (endpoint.fields?.[param] !== param || !resourceFor(parentType)) continue;
      const parents = store.list(account, parentType);
      if (parents.length === 0) continue;
      const children = [...store.list(account, resource.object)];
      children.forEach((child, index) => {
        const parentId = (parents[index % parents.length] as StripeObject).id;
        if (child[param] !== parentId) store.put(account, { ...child, [param]: parentId });
      });
    }
  }
}

/** An account's owners belong to its ownership: the `ownership` filter must find them. */
function seedAccountOwnership(store: Store, account: string, prng: Prng): void {
  for (const fcAccount of store.list(account, 'financial_connections.account')) {
    const owners = store.children(account, fcAccount.id, 'financial_connections.account_owner');
    if (owners.length === 0) continue;
    const ownership = makeId(prng, 'fcaowns');
    store.put(account, { ...fcAccount, ownership });
    store.setChildren(account, fcAccount.id, 'financial_connections.account_owner', owners.map((owner) => ({ ...owner, ownership })));
  }
}

/** Each summary covers one day of its meter, so a start_time/end_time window selects them. */
function alignMeterSummaries(store: Store, account: string): void {
  for (const meter of store.list(account, 'billing.meter')) {
    const summaries = store.children(account, meter.id, 'billing.meter_event_summary');
    if (summaries.length === 0) continue;
    const aligned = summaries.map((summary, index) => {
      const startTime = METER_SUMMARY_START + (summaries.length - 1 - index) * DAY;
      return { ...summary, aggregated_value: 10 * (index + 1), end_time: startTime + DAY, meter: meter.id, start_time: startTime };
    });
    store.setChildren(account, meter.id, 'billing.meter_event_summary', aligned);
  }
}

/**
 * Tax calculations are created, never listed or retrieved; their line items are read under
 * one. The first calculation takes over the synthesized line items; the second gets copies.
 */
function seedTaxCalculations(store: Store, account: string, prng: Prng, context: Context): void {
  const items = store.list(account, TAX_CALCULATION_LINE_ITEM);
  if (items.length === 0 || store.list(account, TAX_CALCULATION).length > 0) return;
  const calculations = [0, 1].map((nth) => {
    const { created } = context();
    const lines = items.map((item, index) => ({
      ...item,
      id: nth === 0 ? item.id : makeId(prng, 'taxli'),
      amount: 1000 * (index + 1),
      amount_tax: 80 * (index + 1),
    }));
    const calculation: StripeObject = {
      id: makeId(prng, 'taxcalc'),
      object: TAX_CALCULATION,
      amount_total: lines.reduce((sum, line) => sum + line.amount + line.amount_tax, 0),
      currency: 'usd',
      customer: store.list(account, 'customer')[0]?.id ?? null,
      customer_details: { address: null, address_source: null, ip_address: null, tax_ids: [], taxability_override: 'none' },
      expires_at: created + 90 * DAY,
      livemode: false,
      ship_from_details: null,
      shipping_cost: null,
      tax_amount_exclusive: lines.reduce((sum, line) => sum + line.amount_tax, 0),
      tax_amount_inclusive: 0,
      tax_breakdown: [],
      tax_date: created,
    };
    return { calculation, lines };
  });
  for (const { calculation, lines } of calculations) {
    store.put(account, calculation);
    store.setChildren(account, calculation.id, TAX_CALCULATION_LINE_ITEM, lines);
  }
}
