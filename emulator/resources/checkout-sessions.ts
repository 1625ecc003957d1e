import type { HandlerContext } from '../context.js';
import { errors, invalidRequest, paramError } from '../errors.js';
import { checkExpandPaths, declareExpandable, render } from '../expand.js';
import { readListWindow, type ListWindow } from '../list.js';
import { expandList, findOrThrow, listRoute, mergeMetadata, renderList, retrieveRoute, type ResourceType, type Route } from '../routes.js';
import { listParams, s, type Schema, type Validated } from '../schema.js';
import type { StripeObject } from '../store.js';
import { buildPrice, productFromData } from './prices.js';
import { computeTotals, discountsFor, taxRatesFor, type DiscountAmount, type TaxAmount } from '../lifecycle/amounts.js';

export const checkoutSessionResource: ResourceType = {
  objectType: 'checkout.session',
  path: '/v1/checkout/sessions',
  idParam: 'session',
};

const LINE_ITEMS = 'line_items';
const DAY = 24 * 60 * 60;

export type CheckoutMode = 'payment' | 'setup' | 'subscription';

/**
 * Every field of the 2024-04-10 `checkout.session` object, with the values Stripe gives a
 * fresh hosted session; `fields` overrides any of them. `line_items` is not a field by
 * default: Stripe includes it only on `expand[]=line_items`.
 */
export function buildCheckoutSession(
  base: { id: string; created: number; mode: CheckoutMode },
  fields: Partial<Record<string, unknown>> = {},
): StripeObject {
  const session: StripeObject = {
    id: base.id,
    object: 'checkout.session',
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: null,
    amount_total: null,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_address_collection: null,
    cancel_url: null,
    client_reference_id: null,
    client_secret: null,
    consent: null,
    consent_collection: null,
    created: base.created,
    currency: null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_creation: null,
    customer_details: null,
    customer_email: null,
    expires_at: base.created + DAY,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    metadata: {},
    mode: base.mode,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: base.mode === 'subscription' ? 'always' : null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: base.mode === 'setup' ? 'no_payment_required' : 'unpaid',
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_details: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: null,
    tax_id_collection: { enabled: false },
    total_details: null,
    ui_mode: 'hosted',
    url: `https://checkout.stripe.com/c/pay/${base.id}`,
  };
  Object.assign(session, fields);
  return session;
}

/** A `item` (line item) with Stripe's amounts for `quantity` of `price`. */
export function buildLineItem(id: string, price: StripeObject, quantity: number, description: string): StripeObject {
  const amount = ((price.unit_amount as number | null) ?? 0) * quantity;
  return {
    id,
    object: 'item',
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description,
    price: structuredClone(price),
    quantity,
  };
}

export function zeroTotals(): Record<string, number> {
  return { amount_discount: 0, amount_shipping: 0, amount_tax: 0 };
}

function lineItemsList(ctx: HandlerContext, session: StripeObject): unknown {
  const items = ctx.store.children(ctx.account, session.id, LINE_ITEMS);
  return {
    object: 'list',
    data: structuredClone(items.slice(0, 10)),
    has_more: items.length > 10,
    url: `/v1/checkout/sessions/${session.id}/line_items`,
  };
}

declareExpandable('checkout.session', {
  customer: { kind: 'reference', type: 'customer' },
  invoice: { kind: 'reference', type: 'invoice' },
  line_items: { kind: 'include', type: 'list:item', build: lineItemsList },
  payment_intent: { kind: 'reference', type: 'payment_intent' },
  payment_link: { kind: 'reference', type: 'payment_link' },
  setup_intent: { kind: 'reference', type: 'setup_intent' },
  subscription: { kind: 'reference', type: 'subscription' },
});
/** A session's and its line items' discounts and taxes, as `expand[]` shows them (kept beside them). */
function discountEntry(entry: DiscountAmount): Record<string, unknown> {
  return { amount: entry.amount, discount: structuredClone(entry.discount) };
}

function taxEntry(entry: TaxAmount): Record<string, unknown> {
  return { amount: entry.amount, rate: structuredClone(entry.rate), taxability_reason: null, taxable_amount: entry.taxable_amount };
}

declareExpandable('checkout.session', {
  // The breakdown of total_details is kept under the session's id; expanding shows it.
  total_details: {
    kind: 'include',
    type: 'checkout.total_details',
    refresh: true,
    build: (ctx, session) => {
      const details = session.total_details as Record<string, unknown> | null;
      const breakdown = ctx.store.children(ctx.account, session.id, 'breakdown')[0] ?? { discounts: [], taxes: [] };
      return details === null ? null : { ...details, breakdown: structuredClone(breakdown) };
    },
  },
});
declareExpandable('checkout.total_details', {
  // Put there by the session's total_details rule above.
  breakdown: { kind: 'include', type: 'checkout.breakdown', build: () => ({ discounts: [], taxes: [] }) },
});
declareExpandable('item', {
  discounts: { kind: 'include', type: 'discounts', build: (ctx, item) => structuredClone(ctx.store.children(ctx.account, item.id, 'discounts')) },
  price: { kind: 'embedded', type: 'price' },
  taxes: { kind: 'include', type: 'taxes', build: (ctx, item) => structuredClone(ctx.store.children(ctx.account, item.id, 'taxes')) },
});

const customTextPosition = (): Schema => s.object({ message: s.string({ maxLength: 1200 }) }, ['message'], true);

const lengthLimits = () => s.object({ maximum_length: s.integer(), minimum_length: s.integer() });

const customFieldParam = s.object(
  {
    dropdown: s.object(
      { options: s.array(s.object({ label: s.string({ maxLength: 100 }), value: s.string({ maxLength: 100 }) }, ['label', 'value'])) },
      ['options'],
    ),
    key: s.string({ maxLength: 200 }),
    label: s.object({ custom: s.string({ maxLength: 50 }), type: s.enum(['custom']) }, ['custom', 'type']),
    numeric: lengthLimits(),
    optional: s.boolean(),
    text: lengthLimits(),
    type: s.enum(['dropdown', 'numeric', 'text']),
  },
  ['key', 'label', 'type'],
);

/** A custom field as the session shows it: only the object of its own type is present. */
function buildCustomField(param: Validated): Record<string, unknown> {
  const type = param.type as 'dropdown' | 'numeric' | 'text';
  const field: Record<string, unknown> = {
    key: param.key,
    label: param.label,
    optional: param.optional ?? false,
    type,
  };
  if (type === 'dropdown') {
    field.dropdown = { options: (param.dropdown as { options?: unknown[] } | undefined)?.options ?? [], value: null };
  } else {
    const limits = (param[type] as { maximum_length?: number; minimum_length?: number } | undefined) ?? {};
    field[type] = { maximum_length: limits.maximum_length ?? null, minimum_length: limits.minimum_length ?? null, value: null };
  }
  return field;
}

const lineItemParam = s.object({
  adjustable_quantity: s.opaque(),
  dynamic_tax_rates: s.array(s.string({ maxLength: 5000 })),
  price: s.string({ maxLength: 5000 }),
  price_data: s.object(
    {
      currency: s.string(),
      product: s.string({ maxLength: 5000 }),
      product_data: s.object(
        {
          description: s.string({ maxLength: 40000 }),
          images: s.array(s.string()),
          metadata: s.map(),
          name: s.string({ maxLength: 5000 }),
          tax_code: s.string({ maxLength: 5000 }),
        },
        ['name'],
      ),
      recurring: s.object({ interval: s.enum(['day', 'month', 'week', 'year']), interval_count: s.integer() }, ['interval']),
      tax_behavior: s.enum(['exclusive', 'inclusive', 'unspecified']),
      unit_amount: s.integer(),
      unit_amount_decimal: s.string(),
    },
    ['currency'],
  ),
  quantity: s.integer(),
  tax_rates: s.array(s.string({ maxLength: 5000 })),
});

const LOCALES = ['auto', 'bg', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'es-419', 'et', 'fi', 'fil', 'fr', 'fr-CA', 'hr', 'hu', 'id', 'it', 'ja', 'ko', 'lt', 'lv', 'ms', 'mt', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr', 'vi', 'zh', 'zh-HK', 'zh-TW'];

const createParams = s.object({
  after_expiration: s.object({
    recovery: s.object({ allow_promotion_codes: s.boolean(), enabled: s.boolean() }, ['enabled']),
  }),
  allow_promotion_codes: s.boolean(),
  automatic_tax: s.object(
    {
      enabled: s.boolean(),
      liability: s.object({ account: s.string(), type: s.enum(['account', 'self']) }, ['type']),
    },
    ['enabled'],
  ),
  billing_address_collection: s.enum(['auto', 'required']),
  cancel_url: s.string({ maxLength: 5000 }),
  client_reference_id: s.string({ maxLength: 200 }),
  consent_collection: s.object({
    payment_method_reuse_agreement: s.object({ position: s.enum(['auto', 'hidden']) }, ['position']),
    promotions: s.enum(['auto', 'none']),
    terms_of_service: s.enum(['none', 'required']),
  }),
  currency: s.string(),
  custom_fields: s.array(customFieldParam),
  custom_text: s.object({
    after_submit: customTextPosition(),
    shipping_address: customTextPosition(),
    submit: customTextPosition(),
    terms_of_service_acceptance: customTextPosition(),
  }),
  customer: s.string({ maxLength: 5000 }),
  customer_creation: s.enum(['always', 'if_required']),
  customer_email: s.string(),
  customer_update: s.object({
    address: s.enum(['auto', 'never']),
    name: s.enum(['auto', 'never']),
    shipping: s.enum(['auto', 'never']),
  }),
  discounts: s.array(s.object({ coupon: s.string({ maxLength: 5000 }), promotion_code: s.string({ maxLength: 5000 }) })),
  expand: s.array(s.string({ maxLength: 5000 })),
  expires_at: s.integer(),
  invoice_creation: s.object({ enabled: s.boolean(), invoice_data: s.opaque() }, ['enabled']),
  line_items: s.array(lineItemParam),
  locale: s.enum(LOCALES),
  metadata: s.map(),
  mode: s.enum(['payment', 'setup', 'subscription']),
  payment_intent_data: s.opaque(),
  payment_method_collection: s.enum(['always', 'if_required']),
  payment_method_configuration: s.string({ maxLength: 100 }),
  payment_method_data: s.object({ allow_redisplay: s.enum(['always', 'limited', 'unspecified']) }),
  payment_method_options: s.opaque(),
  payment_method_types: s.array(s.string()),
  phone_number_collection: s.object({ enabled: s.boolean() }, ['enabled']),
  redirect_on_completion: s.enum(['always', 'if_required', 'never']),
  return_url: s.string({ maxLength: 5000 }),
  saved_payment_method_options: s.opaque(),
  setup_intent_data: s.opaque(),
  shipping_address_collection: s.object({ allowed_countries: s.array(s.string()) }, ['allowed_countries']),
  shipping_options: s.array(s.object({ shipping_rate: s.string({ maxLength: 5000 }), shipping_rate_data: s.opaque() })),
  submit_type: s.enum(['auto', 'book', 'donate', 'pay']),
  subscription_data: s.opaque(),
  success_url: s.string({ maxLength: 5000 }),
  tax_id_collection: s.object({ enabled: s.boolean() }, ['enabled']),
  ui_mode: s.enum(['embedded', 'hosted']),
});

interface ResolvedLineItem {
  price: StripeObject;
  quantity: number;
  description: string;
  taxRates: StripeObject[];
}

/** Products made from `product_data` are returned, not stored: the request may still fail. */
function resolveLineItems(
  ctx: HandlerContext,
  raw: Validated[],
  created: number,
): { items: ResolvedLineItem[]; newProducts: StripeObject[] } {
  const newProducts: StripeObject[] = [];
  const items = raw.map((item, index) => {
    const at = (name: string) => `line_items[${index}][${name}]`;
    let price: StripeObject;
    if (typeof item.price === 'string') {
      const found = ctx.store.get(ctx.account, 'price', item.price);
      if (!found) throw errors.referenceMissing('price', item.price, at('price'));
      if (found.active === false) {
        throw invalidRequest('The price specified is inactive. This field only accepts active prices.', at('price'));
      }
      price = found;
    } else if (item.price_data) {
      const data = item.price_data as Validated;
      let product: string;
      if (typeof data.product === 'string') {
        if (!ctx.store.get(ctx.account, 'product', data.product)) {
          throw errors.referenceMissing('product', data.product, `line_items[${index}][price_data][product]`);
        }
        product = data.product;
      } else if (data.product_data) {
        const made = productFromData(ctx, data.product_data as Validated, created);
        newProducts.push(made);
        product = made.id;
      } else {
        throw paramError(
          `You must specify either \`product\` or \`product_data\` in \`line_items[${index}][price_data]\`.`,
          `line_items[${index}][price_data]`,
        );
      }
      const unitAmount =
        typeof data.unit_amount === 'number'
          ? data.unit_amount
          : typeof data.unit_amount_decimal === 'string'
            ? Math.round(Number(data.unit_amount_decimal))
            : null;
      if (unitAmount === null) throw errors.missingParameter(`line_items[${index}][price_data][unit_amount]`);
      const recurring = data.recurring as { interval: string; interval_count?: number } | undefined;
      // Inline prices exist only on the session: Stripe marks them inactive and lists them nowhere.
      price = buildPrice({
        id: ctx.newId('price'),
        created,
        product,
        currency: (data.currency as string).toLowerCase(),
        unitAmount,
        recurring: recurring ? { interval: recurring.interval, interval_count: recurring.interval_count ?? 1 } : null,
        active: false,
        taxBehavior: (data.tax_behavior as string | undefined) ?? 'unspecified',
      });
    } else {
      throw paramError(`You must specify either \`price\` or \`price_data\` in \`line_items[${index}]\`.`, `line_items[${index}]`);
    }
    if (typeof item.quantity !== 'number') throw errors.missingParameter(at('quantity'));
    if (item.quantity < 1) throw paramError('This value must be greater than or equal to 1.', at('quantity'));
    const product =
      ctx.store.get(ctx.account, 'product', price.product as string) ?? newProducts.find((made) => made.id === price.product);
    const taxRates = taxRatesFor(ctx, item.tax_rates, at('tax_rates'));
    return { price, quantity: item.quantity, description: (product?.name as string | undefined) ?? '', taxRates };
  });
  return { items, newProducts };
}

function createSession(ctx: HandlerContext, params: Validated): StripeObject {
  const mode = params.mode as CheckoutMode | undefined;
  if (!mode) throw errors.missingParameter('mode');
  const uiMode = (params.ui_mode as string | undefined) ?? 'hosted';
  if (uiMode === 'hosted') {
    if (params.success_url === undefined) throw errors.missingParameter('success_url');
    if (params.return_url !== undefined) {
      throw paramError('`return_url` can only be used with `ui_mode: embedded`.', 'return_url');
    }
  } else {
    if (params.success_url !== undefined) {
      throw paramError('`success_url` is not allowed when `ui_mode` is `embedded`. Use `return_url` instead.', 'success_url');
    }
    if (params.return_url === undefined && params.redirect_on_completion !== 'never') {
      throw errors.missingParameter('return_url');
    }
  }
  if (params.customer !== undefined && params.customer_email !== undefined) {
    throw paramError('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  }
  if (params.submit_type !== undefined && mode !== 'payment') {
    throw paramError('`submit_type` can only be used in `payment` mode.', 'submit_type');
  }
  if (params.payment_method_collection !== undefined && mode !== 'subscription') {
    throw paramError('`payment_method_collection` can only be used in `subscription` mode.', 'payment_method_collection');
  }
  const rawItems = (params.line_items as Validated[] | undefined) ?? [];
  if (mode === 'setup') {
    if (rawItems.length > 0) throw paramError('You cannot pass `line_items` in `setup` mode.', 'line_items');
    if (params.currency === undefined && params.payment_method_types === undefined) throw errors.missingParameter('currency');
  } else if (rawItems.length === 0) {
    throw errors.missingParameter('line_items');
  }

  const now = ctx.now();
  if (typeof params.expires_at === 'number') {
    if (params.expires_at > now + DAY) {
      throw paramError('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'expires_at');
    }
    if (params.expires_at < now + 30 * 60) {
      throw paramError('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'expires_at');
    }
  }

  let customer: StripeObject | undefined;
  if (typeof params.customer === 'string') {
    customer = ctx.store.get(ctx.account, 'customer', params.customer);
    if (!customer) throw errors.referenceMissing('customer', params.customer, 'customer');
  }

  const { items, newProducts } = resolveLineItems(ctx, rawItems, now);
  const currencies = new Set(items.map((item) => item.price.currency as string));
  if (currencies.size > 1) throw paramError('All line items must use the same currency.', 'line_items');
  items.forEach((item, index) => {
    if (mode === 'payment' && item.price.type === 'recurring') {
      throw paramError(
        'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
        `line_items[${index}][price]`,
      );
    }
  });
  if (mode === 'subscription' && !items.some((item) => item.price.type === 'recurring')) {
    throw paramError('You must provide at least one recurring price in `subscription` mode when using prices.', 'line_items');
  }

  if (params.discounts !== undefined && params.allow_promotion_codes === true) {
    throw paramError('You may only specify one of these parameters: allow_promotion_codes, discounts.', 'discounts');
  }
  const id = ctx.newId('cs');
  const currency =
    typeof params.currency === 'string' ? params.currency.toLowerCase() : ((items[0]?.price.currency as string | undefined) ?? null);
  const discounts = discountsFor(ctx, { discounts: params.discounts }, { checkout_session: id, customer: customer?.id ?? null });
  const totals = computeTotals(
    items.map((item) => ({ amount: ((item.price.unit_amount as number | null) ?? 0) * item.quantity, discountable: true, taxRates: item.taxRates })),
    discounts,
    currency ?? 'usd',
  );
  const automaticTax = params.automatic_tax as { enabled: boolean; liability?: { type: string; account?: string } } | undefined;
  const recovery = (params.after_expiration as { recovery?: { enabled: boolean; allow_promotion_codes?: boolean } } | undefined)
    ?.recovery;
  const consentCollection = params.consent_collection as Record<string, unknown> | undefined;
  const customText = (params.custom_text as Record<string, { message: string } | null> | undefined) ?? {};
  const customerEmail = (params.customer_email as string | undefined) ?? null;
  const detailsEmail = customer ? ((customer.email as string | null) ?? null) : customerEmail;
  const embedded = uiMode === 'embedded';

  const fields: Record<string, unknown> = {
    after_expiration: recovery
      ? { recovery: { allow_promotion_codes: recovery.allow_promotion_codes ?? false, enabled: recovery.enabled, expires_at: null, url: null } }
      : null,
    allow_promotion_codes: params.allow_promotion_codes ?? null,
    amount_subtotal: mode === 'setup' ? null : totals.subtotal,
    amount_total: mode === 'setup' ? null : totals.total,
    automatic_tax: {
      enabled: automaticTax?.enabled ?? false,
      liability: automaticTax?.enabled
        ? automaticTax.liability?.type === 'account'
          ? { account: automaticTax.liability.account ?? null, type: 'account' }
          : { type: 'self' }
        : null,
      status: automaticTax?.enabled ? 'requires_location_inputs' : null,
    },
    billing_address_collection: params.billing_address_collection ?? null,
    cancel_url: params.cancel_url ?? null,
    client_reference_id: params.client_reference_id ?? null,
    client_secret: embedded ? `${id}_secret_${ctx.token(24)}` : null,
    consent_collection: consentCollection
      ? {
          payment_method_reuse_agreement: consentCollection.payment_method_reuse_agreement ?? null,
          promotions: consentCollection.promotions ?? null,
          terms_of_service: consentCollection.terms_of_service ?? null,
        }
      : null,
    currency,
    custom_fields: ((params.custom_fields as Validated[] | undefined) ?? []).map(buildCustomField),
    custom_text: {
      after_submit: customText.after_submit ?? null,
      shipping_address: customText.shipping_address ?? null,
      submit: customText.submit ?? null,
      terms_of_service_acceptance: customText.terms_of_service_acceptance ?? null,
    },
    customer: customer ? customer.id : null,
    customer_creation: params.customer_creation ?? (mode === 'payment' && !customer ? 'if_required' : null),
    customer_details:
      detailsEmail !== null
        ? { address: null, email: detailsEmail, name: null, phone: null, tax_exempt: 'none', tax_ids: null }
        : null,
    customer_email: customerEmail,
    expires_at: typeof params.expires_at === 'number' ? params.expires_at : now + DAY,
    invoice_creation:
      mode === 'payment'
        ? {
            enabled: (params.invoice_creation as { enabled?: boolean } | undefined)?.enabled ?? false,
            invoice_data: {
              account_tax_ids: null,
              custom_fields: null,
              description: null,
              footer: null,
              issuer: null,
              metadata: {},
              rendering_options: null,
            },
          }
        : null,
    livemode: ctx.livemode,
    locale: params.locale ?? null,
    metadata: mergeMetadata({}, params.metadata),
    payment_method_collection: mode === 'subscription' ? (params.payment_method_collection ?? 'always') : null,
    payment_method_options: typeof params.payment_method_options === 'object' && params.payment_method_options ? params.payment_method_options : {},
    payment_method_types: (params.payment_method_types as string[] | undefined) ?? ['card'],
    phone_number_collection: { enabled: (params.phone_number_collection as { enabled?: boolean } | undefined)?.enabled ?? false },
    saved_payment_method_options:
      customer && mode !== 'setup' ? { allow_redisplay_filters: ['always'], payment_method_save: null } : null,
    setup_intent: mode === 'setup' ? ctx.newId('seti') : null,
    shipping_address_collection: params.shipping_address_collection ?? null,
    shipping_options: ((params.shipping_options as Array<{ shipping_rate?: string }> | undefined) ?? []).map((option) => ({
      shipping_amount: 0,
      shipping_rate: option.shipping_rate ?? ctx.newId('shr'),
    })),
    submit_type: params.submit_type ?? null,
    success_url: params.success_url ?? null,
    tax_id_collection: { enabled: (params.tax_id_collection as { enabled?: boolean } | undefined)?.enabled ?? false },
    total_details: mode === 'setup' ? null : { amount_discount: totals.discountTotal, amount_shipping: 0, amount_tax: totals.tax },
    ui_mode: uiMode,
    url: embedded ? null : `https://checkout.stripe.com/c/pay/${id}`,
  };
  if (embedded) {
    fields.redirect_on_completion = params.redirect_on_completion ?? 'always';
    if (params.return_url !== undefined) fields.return_url = params.return_url;
  }
  const session = buildCheckoutSession({ id, created: now, mode }, fields);
  for (const product of newProducts) ctx.store.put(ctx.account, product);
  ctx.store.put(ctx.account, session);
  const lineItems = items.map((item, index) => {
    const line = buildLineItem(ctx.newId('li'), item.price, item.quantity, item.description);
    const amounts = totals.lines[index]!;
    const tax = amounts.taxes.reduce((sum, entry) => sum + entry.amount, 0);
    const discount = amounts.discounts.reduce((sum, entry) => sum + entry.amount, 0);
    Object.assign(line, { amount_discount: discount, amount_tax: tax, amount_total: amounts.total });
    ctx.store.setChildren(ctx.account, line.id, 'discounts', amounts.discounts.map(discountEntry) as unknown as StripeObject[]);
    ctx.store.setChildren(ctx.account, line.id, 'taxes', amounts.taxes.map(taxEntry) as unknown as StripeObject[]);
    return line;
  });
  ctx.store.setChildren(ctx.account, id, LINE_ITEMS, lineItems);
  const breakdown = { discounts: totals.discounts.map(discountEntry), taxes: totals.taxes.map(taxEntry) };
  ctx.store.setChildren(ctx.account, id, 'breakdown', [breakdown as unknown as StripeObject]);
  return session;
}

function expireSession(ctx: HandlerContext, id: string): StripeObject {
  const session = structuredClone(findOrThrow(ctx, 'checkout.session', id));
  if (session.status !== 'open') {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of \`${String(session.status)}\`.`,
    );
  }
  session.status = 'expired';
  session.url = null;
  const recovery = (session.after_expiration as { recovery?: Record<string, unknown> | null } | null)?.recovery;
  if (recovery?.enabled) {
    recovery.expires_at = ctx.now() + 30 * DAY;
    recovery.url = `https://buy.stripe.com/r/${ctx.livemode ? 'live' : 'test'}_${ctx.token(24)}`;
  }
  ctx.store.put(ctx.account, session);
  return session;
}

export const checkoutSessionRoutes: Route[] = [
  listRoute(checkoutSessionResource, {
    created: { schema: s.range() },
    customer: { schema: s.string({ maxLength: 5000 }) },
    customer_details: {
      schema: s.object({ email: s.string() }, ['email']),
      matches: (session, value) =>
        (session.customer_details as { email?: unknown } | null)?.email === (value as { email: string }).email,
    },
    payment_intent: { schema: s.string({ maxLength: 5000 }) },
    payment_link: { schema: s.string({ maxLength: 5000 }) },
    status: { schema: s.enum(['complete', 'expired', 'open']) },
    subscription: { schema: s.string({ maxLength: 5000 }) },
  }),
  {
    method: 'POST',
    path: checkoutSessionResource.path,
    params: createParams,
    handle(ctx, _pathParams, params) {
      const expand = expandList(params);
      checkExpandPaths('checkout.session', expand);
      return { body: render(ctx, createSession(ctx, params), 'checkout.session', expand) };
    },
  },
  retrieveRoute(checkoutSessionResource),
  {
    method: 'POST',
    path: `${checkoutSessionResource.path}/{session}/expire`,
    params: s.object({ expand: s.array(s.string({ maxLength: 5000 })) }),
    handle(ctx, pathParams, params) {
      const expand = expandList(params);
      checkExpandPaths('checkout.session', expand);
      return { body: render(ctx, expireSession(ctx, pathParams.session as string), 'checkout.session', expand) };
    },
  },
  {
    method: 'GET',
    path: `${checkoutSessionResource.path}/{session}/line_items`,
    params: s.object({ ...listParams }),
    handle(ctx, pathParams, params) {
      const id = pathParams.session as string;
      const window = readListWindow(params);
      const expand = expandList(params);
      checkExpandPaths('list:item', expand);
      findOrThrow(ctx, 'checkout.session', id);
      // Line items keep the order they were given in; cursors walk that order.
      const items = ctx.store.children(ctx.account, id, LINE_ITEMS);
      const page = pageInOrder(items, window);
      return { body: renderList(ctx, 'item', page.data, page.hasMore, `/v1/checkout/sessions/${id}/line_items`, expand) };
    },
  },
];

function pageInOrder(
  items: readonly StripeObject[],
  window: ListWindow,
): { data: StripeObject[]; hasMore: boolean } {
  const indexOf = (id: string, param: string) => {
    const index = items.findIndex((item) => item.id === id);
    if (index === -1) throw errors.referenceMissing('item', id, param);
    return index;
  };
  if (window.startingAfter !== undefined) {
    const rest = items.slice(indexOf(window.startingAfter, 'starting_after') + 1);
    return { data: rest.slice(0, window.limit), hasMore: rest.length > window.limit };
  }
  if (window.endingBefore !== undefined) {
    const before = items.slice(0, indexOf(window.endingBefore, 'ending_before'));
    return { data: before.slice(Math.max(0, before.length - window.limit)), hasMore: before.length > window.limit };
  }
  return { data: items.slice(0, window.limit), hasMore: items.length > window.limit };
}
