import type { HandlerContext } from '../context.js';
import { errors, invalidRequest } from '../errors.js';
import { checkExpandPaths, declareExpandable, render } from '../expand.js';
import { expandList, findOrThrow, listRoute, mergeMetadata, retrieveRoute, type ResourceType, type Route } from '../routes.js';
import { searchRoute } from '../search.js';
import { s, type Validated } from '../schema.js';
import type { StripeObject } from '../store.js';
import { buildProduct } from './products.js';

export const priceResource: ResourceType = { objectType: 'price', path: '/v1/prices', idParam: 'price' };

export interface PriceSeed {
  id: string;
  created: number;
  product: string;
  currency: string;
  unitAmount: number | null;
  /** unit_amount_decimal as given (Stripe keeps up to 12 decimal places); else unitAmount's text. */
  unitAmountDecimal?: string;
  recurring?: { interval: string; interval_count: number } | null;
  active?: boolean;
  nickname?: string | null;
  lookupKey?: string | null;
  taxBehavior?: string;
  metadata?: Record<string, string>;
}

/** Every field of the 2024-04-10 `price` object that Stripe returns by default. */
export function buildPrice(seed: PriceSeed): StripeObject {
  return {
    id: seed.id,
    object: 'price',
    active: seed.active ?? true,
    billing_scheme: 'per_unit',
    created: seed.created,
    currency: seed.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: seed.lookupKey ?? null,
    metadata: seed.metadata ?? {},
    nickname: seed.nickname ?? null,
    product: seed.product,
    recurring: seed.recurring
      ? {
          aggregate_usage: null,
          interval: seed.recurring.interval,
          interval_count: seed.recurring.interval_count,
          meter: null,
          usage_type: 'licensed',
        }
      : null,
    tax_behavior: seed.taxBehavior ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: seed.recurring ? 'recurring' : 'one_time',
    unit_amount: seed.unitAmount,
    unit_amount_decimal: seed.unitAmountDecimal ?? (seed.unitAmount === null ? null : String(seed.unitAmount)),
  };
}

declareExpandable('price', {
  currency_options: {
    kind: 'include',
    type: 'map',
    build: (_ctx, price) => ({
      [price.currency as string]: {
        custom_unit_amount: null,
        tax_behavior: price.tax_behavior,
        unit_amount: price.unit_amount,
        unit_amount_decimal: price.unit_amount_decimal,
      },
    }),
  },
  product: { kind: 'reference', type: 'product' },
  tiers: { kind: 'include', type: 'price_tiers', build: () => [] },
});

const recurringParam = s.object(
  {
    aggregate_usage: s.enum(['last_during_period', 'last_ever', 'max', 'sum']),
    interval: s.enum(['day', 'month', 'week', 'year']),
    interval_count: s.integer(),
    meter: s.string({ maxLength: 5000 }),
    usage_type: s.enum(['licensed', 'metered']),
  },
  ['interval'],
);

const createParams = s.object(
  {
    active: s.boolean(),
    billing_scheme: s.enum(['per_unit', 'tiered']),
    currency: s.string(),
    currency_options: s.opaque(),
    custom_unit_amount: s.opaque(),
    expand: s.array(s.string({ maxLength: 5000 })),
    lookup_key: s.string({ maxLength: 200 }),
    metadata: s.map(),
    nickname: s.string({ maxLength: 5000 }),
    product: s.string({ maxLength: 5000 }),
    product_data: s.object(
      {
        active: s.boolean(),
        id: s.string({ maxLength: 5000 }),
        metadata: s.map(),
        name: s.string({ maxLength: 5000 }),
        statement_descriptor: s.string({ maxLength: 22 }),
        tax_code: s.string({ maxLength: 5000 }),
        unit_label: s.string({ maxLength: 12 }),
      },
      ['name'],
    ),
    recurring: recurringParam,
    tax_behavior: s.enum(['exclusive', 'inclusive', 'unspecified']),
    tiers: s.opaque(),
    tiers_mode: s.enum(['graduated', 'volume']),
    transfer_lookup_key: s.boolean(),
    transform_quantity: s.opaque(),
    unit_amount: s.integer(),
    unit_amount_decimal: s.string(),
  },
  ['currency'],
);

const updateParams = s.object({
  active: s.boolean(),
  currency_options: s.opaque(),
  expand: s.array(s.string({ maxLength: 5000 })),
  lookup_key: s.string({ maxLength: 200 }),
  metadata: s.map(),
  nickname: s.string({ maxLength: 5000 }),
  tax_behavior: s.enum(['exclusive', 'inclusive', 'unspecified']),
  transfer_lookup_key: s.boolean(),
});

/**
 * A created price's amounts: a fractional unit_amount_decimal is kept as given, with a null
 * unit_amount, as Stripe answers (`unit_amount_decimal: "1234.5678"`, `unit_amount: null`).
 */
function unitAmountsOf(params: Validated): { unitAmount: number | null; unitAmountDecimal?: string } {
  const decimal = params.unit_amount_decimal;
  if (typeof params.unit_amount !== 'number' && typeof decimal === 'string' && !Number.isInteger(Number(decimal))) {
    return { unitAmount: null, unitAmountDecimal: decimal };
  }
  return { unitAmount: unitAmountOf(params, '') };
}

/** Unit amount from `unit_amount` or `unit_amount_decimal`, as Stripe accepts either. */
export function unitAmountOf(params: Validated, prefix: string): number {
  if (typeof params.unit_amount === 'number') return params.unit_amount;
  if (typeof params.unit_amount_decimal === 'string') return Math.round(Number(params.unit_amount_decimal));
  throw errors.missingParameter(prefix === '' ? 'unit_amount' : `${prefix}[unit_amount]`);
}

/** The product a `product_data` parameter describes (not stored yet). */
export function productFromData(ctx: HandlerContext, data: Validated, created: number): StripeObject {
  return buildProduct({
    id: typeof data.id === 'string' ? data.id : ctx.newId('prod'),
    created,
    name: data.name as string,
    description: (data.description as string | undefined) ?? null,
    active: (data.active as boolean | undefined) ?? true,
    images: (data.images as string[] | undefined) ?? [],
    statementDescriptor: (data.statement_descriptor as string | undefined) ?? null,
    taxCode: (data.tax_code as string | undefined) ?? null,
    unitLabel: (data.unit_label as string | undefined) ?? null,
    metadata: mergeMetadata({}, data.metadata),
  });
}

export const priceRoutes: Route[] = [
  listRoute(priceResource, {
    active: { schema: s.boolean() },
    created: { schema: s.range() },
    currency: { schema: s.string() },
    lookup_keys: {
      schema: s.array(s.string({ maxLength: 5000 })),
      matches: (price, keys) => (keys as string[]).includes(price.lookup_key as string),
    },
    product: { schema: s.string({ maxLength: 5000 }) },
    recurring: {
      schema: s.object({
        interval: s.enum(['day', 'month', 'week', 'year']),
        meter: s.string({ maxLength: 5000 }),
        usage_type: s.enum(['licensed', 'metered']),
      }),
      matches: (price, wanted) => {
        const recurring = price.recurring as Record<string, unknown> | null;
        if (!recurring) return false;
        return Object.entries(wanted as Record<string, unknown>).every(([key, value]) => recurring[key] === value);
      },
    },
    type: { schema: s.enum(['one_time', 'recurring']) },
  }),
  {
    method: 'POST',
    path: priceResource.path,
    params: createParams,
    handle(ctx, _pathParams, params) {
      checkExpandPaths('price', expandList(params));
      const created = ctx.now();
      let product: string;
      if (typeof params.product === 'string') {
        if (!ctx.store.get(ctx.account, 'product', params.product)) {
          throw errors.referenceMissing('product', params.product, 'product');
        }
        product = params.product;
      } else if (params.product_data) {
        const made = productFromData(ctx, params.product_data as Validated, created);
        ctx.store.put(ctx.account, made);
        product = made.id;
      } else {
        throw invalidRequest('You must specify either `product` or `product_data` when creating a price.', 'product');
      }
      const recurring = params.recurring as { interval: string; interval_count?: number } | undefined;
      const price = buildPrice({
        id: ctx.newId('price'),
        created,
        product,
        currency: (params.currency as string).toLowerCase(),
        ...unitAmountsOf(params),
        recurring: recurring ? { interval: recurring.interval, interval_count: recurring.interval_count ?? 1 } : null,
        active: (params.active as boolean | undefined) ?? true,
        nickname: (params.nickname as string | undefined) ?? null,
        lookupKey: (params.lookup_key as string | undefined) ?? null,
        taxBehavior: (params.tax_behavior as string | undefined) ?? 'unspecified',
        metadata: mergeMetadata({}, params.metadata),
      });
      ctx.store.put(ctx.account, price);
      return { body: render(ctx, price, 'price', expandList(params)) };
    },
  },
  // Before retrieve, so `/search` is not taken for an id.
  searchRoute(priceResource, 'prices', {
    active: { kind: 'boolean' },
    currency: { kind: 'string' },
    lookup_key: { kind: 'string' },
    metadata: { kind: 'metadata' },
    product: { kind: 'string' },
    type: { kind: 'string' },
  }),
  retrieveRoute(priceResource),
  {
    method: 'POST',
    path: `${priceResource.path}/{price}`,
    params: updateParams,
    handle(ctx, pathParams, params) {
      checkExpandPaths('price', expandList(params));
      const price = structuredClone(findOrThrow(ctx, 'price', pathParams.price as string));
      for (const key of ['active', 'nickname', 'lookup_key', 'tax_behavior'] as const) {
        if (key in params) price[key] = params[key] ?? null;
      }
      if ('metadata' in params) price.metadata = mergeMetadata(price.metadata, params.metadata);
      ctx.store.put(ctx.account, price);
      return { body: render(ctx, price, 'price', expandList(params)) };
    },
  },
];
