import type { HandlerContext } from '../context.js';
import { checkExpandPaths, declareExpandable, render } from '../expand.js';
import { errors } from '../errors.js';
import { childList } from '../generic/routes.js';
import { attachTo } from '../lifecycle/payment-methods.js';
import { cardPaymentMethod, put, resolveToken } from '../lifecycle/payments.js';
import {
  deleteRoute,
  expandList,
  findOrThrow,
  listRoute,
  mergeMetadata,
  retrieveRoute,
  type ResourceType,
  type Route,
} from '../routes.js';
import { searchRoute } from '../search.js';
import { s, type Schema, type Validated } from '../schema.js';
import type { StripeObject } from '../store.js';

export const customerResource: ResourceType = { objectType: 'customer', path: '/v1/customers', idParam: 'customer' };

const address = (emptyable: boolean): Schema =>
  s.object(
    {
      city: s.string({ maxLength: 5000 }),
      country: s.string({ maxLength: 5000 }),
      line1: s.string({ maxLength: 5000 }),
      line2: s.string({ maxLength: 5000 }),
      postal_code: s.string({ maxLength: 5000 }),
      state: s.string({ maxLength: 5000 }),
    },
    [],
    emptyable,
  );

const shipping = (): Schema =>
  s.object({ address: address(false), name: s.string({ maxLength: 5000 }), phone: s.string({ maxLength: 5000 }) }, ['address', 'name'], true);

const invoiceSettings = (): Schema =>
  s.object({
    custom_fields: s.opaque(),
    default_payment_method: s.string({ maxLength: 5000 }),
    footer: s.string({ maxLength: 5000 }),
    rendering_options: s.opaque(),
  });

const sharedWritable: Record<string, Schema> = {
  address: address(true),
  balance: s.integer(),
  cash_balance: s.opaque(),
  coupon: s.string({ maxLength: 5000 }),
  description: s.string({ maxLength: 5000 }),
  email: s.string({ maxLength: 512 }),
  expand: s.array(s.string({ maxLength: 5000 })),
  invoice_prefix: s.string({ maxLength: 5000 }),
  invoice_settings: invoiceSettings(),
  metadata: s.map(),
  name: s.string({ maxLength: 256 }),
  next_invoice_sequence: s.integer(),
  phone: s.string({ maxLength: 20 }),
  preferred_locales: s.array(s.string({ maxLength: 5000 })),
  promotion_code: s.string({ maxLength: 5000 }),
  shipping: shipping(),
  source: s.string({ maxLength: 5000 }),
  tax: s.opaque(),
  tax_exempt: s.enum(['', 'exempt', 'none', 'reverse'], true),
};

const createParams = s.object({
  ...sharedWritable,
  payment_method: s.string({ maxLength: 5000 }),
  tax_id_data: s.opaque(),
  test_clock: s.string({ maxLength: 5000 }),
});

const updateParams = s.object({
  ...sharedWritable,
  bank_account: s.opaque(),
  card: s.opaque(),
  default_alipay_account: s.string({ maxLength: 500 }),
  default_bank_account: s.string({ maxLength: 500 }),
  default_card: s.string({ maxLength: 500 }),
  default_source: s.string({ maxLength: 500 }),
});

export interface CustomerSeed {
  id: string;
  created: number;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  address?: Record<string, string | null> | null;
  currency?: string | null;
  invoicePrefix: string;
  metadata?: Record<string, string>;
}

/** Every field of the 2024-04-10 `customer` object that Stripe returns by default. */
export function buildCustomer(seed: CustomerSeed): StripeObject {
  return {
    id: seed.id,
    object: 'customer',
    address: seed.address ?? null,
    balance: 0,
    created: seed.created,
    currency: seed.currency ?? null,
    default_source: null,
    delinquent: false,
    description: seed.description ?? null,
    discount: null,
    email: seed.email ?? null,
    invoice_prefix: seed.invoicePrefix,
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: seed.metadata ?? {},
    name: seed.name ?? null,
    next_invoice_sequence: 1,
    phone: seed.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

function emptyList(url: string) {
  return { object: 'list', data: [], has_more: false, url };
}

declareExpandable('customer', {
  address: { kind: 'embedded', type: 'address' },
  cash_balance: { kind: 'include', type: 'cash_balance', build: () => null },
  default_source: { kind: 'foreign' },
  invoice_credit_balance: { kind: 'include', type: 'map', build: () => ({}) },
  // Its default_payment_method expands by the generated rules of `customer.invoice_settings`.
  invoice_settings: { kind: 'embedded', type: 'customer.invoice_settings' },
  sources: {
    kind: 'include',
    type: 'list:source',
    build: (ctx, c) => childList(ctx, 'customer', c, 'bank_account') ?? emptyList(`/v1/customers/${c.id}/sources`),
  },
  subscriptions: {
    kind: 'include',
    type: 'list:subscription',
    build: (ctx, c) => childList(ctx, 'customer', c, 'subscription') ?? emptyList(`/v1/customers/${c.id}/subscriptions`),
  },
  tax: {
    kind: 'include',
    type: 'customer_tax',
    build: () => ({ automatic_tax: 'unrecognized_location', ip_address: null, location: null }),
  },
  tax_ids: {
    kind: 'include',
    type: 'list:tax_id',
    build: (ctx, c) => childList(ctx, 'customer', c, 'tax_id') ?? emptyList(`/v1/customers/${c.id}/tax_ids`),
  },
  test_clock: { kind: 'foreign' },
});

/** What an unset ("") parameter leaves in the field. */
const UNSET_VALUES: Record<string, unknown> = { balance: 0, preferred_locales: [], tax_exempt: 'none' };

function applyWritable(customer: StripeObject, params: Validated): void {
  const direct = ['address', 'balance', 'description', 'email', 'name', 'next_invoice_sequence', 'phone', 'preferred_locales', 'shipping', 'tax_exempt'];
  for (const key of direct) {
    if (key in params) customer[key] = params[key] ?? UNSET_VALUES[key] ?? null;
  }
  if (typeof params.invoice_prefix === 'string') customer.invoice_prefix = params.invoice_prefix;
  if ('metadata' in params) customer.metadata = mergeMetadata(customer.metadata, params.metadata);
  if (params.invoice_settings && typeof params.invoice_settings === 'object') {
    customer.invoice_settings = { ...(customer.invoice_settings as object), ...(params.invoice_settings as object) };
  }
}

/**
 * What a customer is given to pay with: `payment_method` is attached (a test name such as
 * pm_card_visa becomes a new one, and invoice_settings naming the same value follow it), and
 * `source` (a test token) becomes its default card source.
 */
function applyPaymentMeans(ctx: HandlerContext, customer: StripeObject, params: Validated): void {
  if (typeof params.payment_method === 'string') {
    const pm = attachTo(ctx, params.payment_method, customer.id, 'payment_method');
    const settings = customer.invoice_settings as { default_payment_method?: unknown };
    if (settings.default_payment_method === params.payment_method) customer.invoice_settings = { ...settings, default_payment_method: pm.id };
  }
  if (typeof params.source === 'string') {
    const card = put(ctx, { ...cardPaymentMethod(ctx, resolveToken(params.source, 'source'), customer.id), id: ctx.newId('card') });
    customer.default_source = card.id;
  }
}

function invoicePrefix(ctx: HandlerContext): string {
  return ctx.token(8).toUpperCase();
}

export const customerRoutes: Route[] = [
  listRoute(customerResource, {
    created: { schema: s.range() },
    email: { schema: s.string({ maxLength: 512 }) },
    test_clock: { schema: s.string({ maxLength: 5000 }) },
  }),
  {
    method: 'POST',
    path: customerResource.path,
    params: createParams,
    handle(ctx, _pathParams, params) {
      checkExpandPaths('customer', expandList(params));
      const customer = buildCustomer({ id: ctx.newId('cus'), created: ctx.now(), invoicePrefix: invoicePrefix(ctx) });
      if (typeof params.test_clock === 'string') {
        // A customer on a test clock is made at the clock's time.
        const clock = ctx.store.get(ctx.account, 'test_helpers.test_clock', params.test_clock);
        if (!clock) throw errors.referenceMissing('test_clock', params.test_clock, 'test_clock');
        Object.assign(customer, { created: clock.frozen_time, test_clock: clock.id });
      }
      applyWritable(customer, params);
      applyPaymentMeans(ctx, customer, params);
      ctx.store.put(ctx.account, customer);
      return { body: render(ctx, customer, 'customer', expandList(params)) };
    },
  },
  // Before retrieve, so `/search` is not taken for an id.
  searchRoute(customerResource, 'customers', {
    created: { kind: 'number' },
    email: { kind: 'string' },
    metadata: { kind: 'metadata' },
    name: { kind: 'string' },
    phone: { kind: 'string' },
  }),
  retrieveRoute(customerResource, { onDeleted: (id) => ({ id, object: 'customer', deleted: true }) }),
  {
    method: 'POST',
    path: `${customerResource.path}/{customer}`,
    params: updateParams,
    handle(ctx, pathParams, params) {
      checkExpandPaths('customer', expandList(params));
      const customer = structuredClone(findOrThrow(ctx, 'customer', pathParams.customer as string));
      applyWritable(customer, params);
      applyPaymentMeans(ctx, customer, params);
      ctx.store.put(ctx.account, customer);
      return { body: render(ctx, customer, 'customer', expandList(params)) };
    },
  },
  deleteRoute(customerResource),
];
