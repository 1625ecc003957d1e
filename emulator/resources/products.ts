import { invalidRequest } from '../errors.js';
import { checkExpandPaths, declareExpandable, render } from '../expand.js';
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
import { buildPrice, unitAmountOf } from './prices.js';

export const productResource: ResourceType = { objectType: 'product', path: '/v1/products', idParam: 'id' };

export interface ProductSeed {
  id: string;
  created: number;
  name: string;
  description?: string | null;
  active?: boolean;
  shippable?: boolean | null;
  unitLabel?: string | null;
  statementDescriptor?: string | null;
  taxCode?: string | null;
  url?: string | null;
  images?: string[];
  metadata?: Record<string, string>;
}

/** Every field of the 2024-04-10 `product` object. */
export function buildProduct(seed: ProductSeed): StripeObject {
  return {
    id: seed.id,
    object: 'product',
    active: seed.active ?? true,
    created: seed.created,
    default_price: null,
    description: seed.description ?? null,
    images: seed.images ?? [],
    livemode: false,
    marketing_features: [],
    metadata: seed.metadata ?? {},
    name: seed.name,
    package_dimensions: null,
    shippable: seed.shippable ?? null,
    statement_descriptor: seed.statementDescriptor ?? null,
    tax_code: seed.taxCode ?? null,
    unit_label: seed.unitLabel ?? null,
    updated: seed.created,
    url: seed.url ?? null,
  };
}

declareExpandable('product', {
  default_price: { kind: 'reference', type: 'price' },
  tax_code: { kind: 'foreign' },
});

const packageDimensions = (emptyable: boolean): Schema =>
  s.object({ height: s.number(), length: s.number(), weight: s.number(), width: s.number() }, ['height', 'length', 'weight', 'width'], emptyable);

const marketingFeatures = (emptyable: boolean): Schema =>
  s.array(s.object({ name: s.string({ maxLength: 5000 }) }, ['name']), emptyable);

const createParams = s.object(
  {
    active: s.boolean(),
    default_price_data: s.object(
      {
        currency: s.string(),
        currency_options: s.opaque(),
        recurring: s.object({ interval: s.enum(['day', 'month', 'week', 'year']), interval_count: s.integer() }, ['interval']),
        tax_behavior: s.enum(['exclusive', 'inclusive', 'unspecified']),
        unit_amount: s.integer(),
        unit_amount_decimal: s.string(),
      },
      ['currency'],
    ),
    description: s.string({ maxLength: 40000 }),
    expand: s.array(s.string({ maxLength: 5000 })),
    id: s.string({ maxLength: 5000 }),
    images: s.array(s.string()),
    marketing_features: marketingFeatures(false),
    metadata: s.map(),
    name: s.string({ maxLength: 5000 }),
    package_dimensions: packageDimensions(false),
    shippable: s.boolean(),
    statement_descriptor: s.string({ maxLength: 22 }),
    tax_code: s.string(),
    unit_label: s.string({ maxLength: 12 }),
    url: s.string({ maxLength: 5000 }),
  },
  ['name'],
);

const updateParams = s.object({
  active: s.boolean(),
  default_price: s.string({ maxLength: 5000 }),
  description: s.string({ maxLength: 40000, emptyable: true }),
  expand: s.array(s.string({ maxLength: 5000 })),
  images: s.array(s.string(), true),
  marketing_features: marketingFeatures(true),
  metadata: s.map(),
  name: s.string({ maxLength: 5000 }),
  package_dimensions: packageDimensions(true),
  shippable: s.boolean(),
  statement_descriptor: s.string({ maxLength: 22 }),
  tax_code: s.string({ emptyable: true }),
  unit_label: s.string({ maxLength: 12, emptyable: true }),
  url: s.string({ emptyable: true }),
});

function applyWritable(product: StripeObject, params: Validated): void {
  for (const key of ['active', 'description', 'name', 'package_dimensions', 'shippable', 'statement_descriptor', 'tax_code', 'unit_label', 'url']) {
    if (key in params) product[key] = params[key] ?? null;
  }
  if ('images' in params) product.images = params.images ?? [];
  if ('marketing_features' in params) product.marketing_features = params.marketing_features ?? [];
  if ('metadata' in params) product.metadata = mergeMetadata(product.metadata, params.metadata);
}

export const productRoutes: Route[] = [
  listRoute(productResource, {
    active: { schema: s.boolean() },
    created: { schema: s.range() },
    ids: { schema: s.array(s.string({ maxLength: 5000 })), matches: (product, ids) => (ids as string[]).includes(product.id) },
    shippable: { schema: s.boolean() },
    url: { schema: s.string({ maxLength: 5000 }) },
  }),
  {
    method: 'POST',
    path: productResource.path,
    params: createParams,
    handle(ctx, _pathParams, params) {
      checkExpandPaths('product', expandList(params));
      const created = ctx.now();
      const id = typeof params.id === 'string' ? params.id : ctx.newId('prod');
      if (ctx.store.get(ctx.account, 'product', id)) {
        throw invalidRequest('Product already exists.', 'id', 'resource_already_exists');
      }
      const product = buildProduct({ id, created, name: params.name as string });
      applyWritable(product, params);
      const priceData = params.default_price_data as Validated | undefined;
      if (priceData) {
        const recurring = priceData.recurring as { interval: string; interval_count?: number } | undefined;
        const price = buildPrice({
          id: ctx.newId('price'),
          created,
          product: id,
          currency: (priceData.currency as string).toLowerCase(),
          unitAmount: unitAmountOf(priceData, 'default_price_data'),
          recurring: recurring ? { interval: recurring.interval, interval_count: recurring.interval_count ?? 1 } : null,
          taxBehavior: (priceData.tax_behavior as string | undefined) ?? 'unspecified',
        });
        ctx.store.put(ctx.account, price);
        product.default_price = price.id;
      }
      ctx.store.put(ctx.account, product);
      return { body: render(ctx, product, 'product', expandList(params)) };
    },
  },
  // Before retrieve, so `/search` is not taken for an id.
  searchRoute(productResource, 'products', {
    active: { kind: 'boolean' },
    created: { kind: 'number' },
    description: { kind: 'string' },
    metadata: { kind: 'metadata' },
    name: { kind: 'string' },
    shippable: { kind: 'boolean' },
    url: { kind: 'string' },
  }),
  retrieveRoute(productResource),
  {
    method: 'POST',
    path: `${productResource.path}/{id}`,
    params: updateParams,
    handle(ctx, pathParams, params) {
      checkExpandPaths('product', expandList(params));
      const product = structuredClone(findOrThrow(ctx, 'product', pathParams.id as string));
      applyWritable(product, params);
      if ('default_price' in params) {
        const priceId = params.default_price as string;
        const price = ctx.store.get(ctx.account, 'price', priceId);
        if (!price) throw invalidRequest(`No such price: '${priceId}'`, 'default_price', 'resource_missing');
        if (price.product !== product.id) {
          throw invalidRequest(`The price '${priceId}' does not belong to product '${product.id}'.`, 'default_price');
        }
        product.default_price = priceId;
      }
      product.updated = ctx.now();
      ctx.store.put(ctx.account, product);
      return { body: render(ctx, product, 'product', expandList(params)) };
    },
  },
  deleteRoute(productResource, (ctx, product) => {
    if (ctx.store.list(ctx.account, 'price').some((price) => price.product === product.id)) {
      throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.', undefined);
    }
  }),
];
