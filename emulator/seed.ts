import { makeId } from './ids.js';
import { Prng } from './prng.js';
import { buildCheckoutSession, buildLineItem, zeroTotals, type CheckoutMode } from './resources/checkout-sessions.js';
import { buildCustomer } from './resources/customers.js';
import { buildPrice } from './resources/prices.js';
import { buildProduct } from './resources/products.js';
import { seedGeneric } from './seed-generic.js';
import { seedWalkable } from './seed-walkable.js';
import { MoneySeeder } from './seed-payments.js';
import { PLATFORM_ACCOUNT, Store, type StripeObject } from './store.js';

// Deterministic demo data: the same objects, ids and times on every start. Times fall in
// 2024-01-01 .. 2024-06-30 (UTC); some objects share a created second on purpose, so list
// order's tie-break (id descending) is exercised.

export const CONNECTED_ACCOUNT = 'acct_1DemoConnected00';
export const SEED = 20240410;

/** Ids quoted in the reference documentation's examples, so those statements run as written. */
export const DOCUMENTED_CUSTOMER_ID = 'cus_N8rO0qc7j1SJJ9';
export const DOCUMENTED_PRICE_ID = 'price_1OPuMb2eZvKYlo2CVkxTmqYN';

const START = Date.UTC(2024, 0, 1) / 1000;
const END = Date.UTC(2024, 5, 30, 23, 59, 59) / 1000;
const JANUARY_END = Date.UTC(2024, 0, 31, 23, 59, 59) / 1000;
// Sessions start once every customer and price exists.
const FEBRUARY_START = Date.UTC(2024, 1, 1) / 1000;

const FIRST_NAMES = ['Ada', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farah', 'Gustav', 'Hana', 'Ivan', 'Julia', 'Kenji', 'Lena', 'Marco', 'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq'];
const LAST_NAMES = ['Lovelace', 'Okafor', 'Martin', 'Novak', 'Garcia', 'Haddad', 'Berg', 'Sato', 'Petrov', 'Rossi', 'Tanaka', 'Schmidt', 'Costa', 'Ali', 'Patel'];
const CITIES = [
  { city: 'Berlin', country: 'DE', postal_code: '10115', state: null },
  { city: 'Paris', country: 'FR', postal_code: '75001', state: null },
  { city: 'Austin', country: 'US', postal_code: '78701', state: 'TX' },
  { city: 'Seattle', country: 'US', postal_code: '98101', state: 'WA' },
  { city: 'Madrid', country: 'ES', postal_code: '28001', state: null },
  { city: 'Toronto', country: 'CA', postal_code: 'M5H 2N2', state: 'ON' },
];

interface CatalogEntry {
  name: string;
  description: string;
  plan: boolean;
  usd: number;
  eur?: number;
}

const CATALOG: CatalogEntry[] = [
  { name: 'Starter Plan', description: 'For individuals getting started', plan: true, usd: 900, eur: 900 },
  { name: 'Pro Plan', description: 'For growing teams', plan: true, usd: 2900, eur: 2700 },
  { name: 'Team Plan', description: 'Collaboration for up to 20 seats', plan: true, usd: 7900, eur: 7500 },
  { name: 'Enterprise Plan', description: 'Unlimited seats and priority support', plan: true, usd: 29900 },
  { name: 'T-shirt', description: 'Comfortable cotton t-shirt', plan: false, usd: 2000, eur: 1900 },
  { name: 'Hoodie', description: 'Warm fleece hoodie', plan: false, usd: 4500, eur: 4200 },
  { name: 'Coffee Mug', description: 'Ceramic mug, 350 ml', plan: false, usd: 1200 },
  { name: 'Sticker Pack', description: 'Ten vinyl stickers', plan: false, usd: 500, eur: 500 },
  { name: 'Notebook', description: 'Dotted A5 notebook', plan: false, usd: 1500 },
  { name: 'Water Bottle', description: 'Insulated steel bottle', plan: false, usd: 2500, eur: 2300 },
  { name: 'Tote Bag', description: 'Organic canvas tote', plan: false, usd: 1800 },
  { name: 'Gift Card', description: 'Store credit', plan: false, usd: 5000, eur: 5000 },
  { name: 'Workshop Ticket', description: 'Half-day online workshop', plan: false, usd: 9900 },
  { name: 'E-book', description: 'The complete guide, PDF and EPUB', plan: false, usd: 1900, eur: 1700 },
];

interface AccountPlan {
  customers: number;
  /** Catalog entries (by name) this account sells. */
  products: readonly string[];
  sessions: number;
  paymentLinks: number;
}

interface Seeded {
  customers: StripeObject[];
  prices: StripeObject[];
  productNames: Map<string, string>;
}

// Seeding is deterministic, so it runs once per process; each emulator copies the result.
let seeded: Store | null = null;

export function seedStore(store: Store): void {
  if (!seeded) {
    seeded = new Store();
    buildSeed(seeded);
  }
  store.copyFrom(seeded);
}

/** Builds the demo data from scratch (what seedStore copies). */
export function buildSeed(store: Store): void {
  const prng = new Prng(SEED);
  seedAccount(store, PLATFORM_ACCOUNT, prng, { customers: 36, products: CATALOG.map((entry) => entry.name), sessions: 340, paymentLinks: 4 });
  store.addAccount(CONNECTED_ACCOUNT);
  seedAccount(store, CONNECTED_ACCOUNT, prng, { customers: 5, products: ['Pro Plan', 'T-shirt', 'Coffee Mug', 'Sticker Pack'], sessions: 14, paymentLinks: 1 });
  // Added later, each with its own generator so the objects above keep their ids.
  new MoneySeeder(store, PLATFORM_ACCOUNT, new Prng(SEED + 1)).seed();
  new MoneySeeder(store, CONNECTED_ACCOUNT, new Prng(SEED + 2)).seed();
  seedGeneric(store, PLATFORM_ACCOUNT, new Prng(SEED + 3), CONNECTED_ACCOUNT);
  seedWalkable(store, PLATFORM_ACCOUNT, new Prng(SEED + 4));
}

function timeBetween(prng: Prng, from: number, to: number): number {
  return prng.int(from, to);
}

function seedAccount(store: Store, account: string, prng: Prng, plan: AccountPlan): void {
  const seeded: Seeded = { customers: [], prices: [], productNames: new Map() };
  seedCustomers(store, account, prng, plan.customers, seeded);
  seedCatalog(store, account, prng, plan.products, seeded);
  const links = seedPaymentLinks(prng, plan.paymentLinks, seeded);
  seedSessions(store, account, prng, plan.sessions, seeded, links);
}

function seedCustomers(store: Store, account: string, prng: Prng, count: number, seeded: Seeded): void {
  let previousCreated = START;
  for (let i = 0; i < count; i++) {
    // The last few customers reuse earlier names: same name, different person and email.
    const sameNameAs = i >= count - 4 && i >= 4 ? seeded.customers[i - (count - 4)] : undefined;
    const first = sameNameAs ? (sameNameAs.name as string).split(' ')[0]! : prng.pick(FIRST_NAMES);
    const last = sameNameAs ? (sameNameAs.name as string).split(' ')[1]! : prng.pick(LAST_NAMES);
    const created = i > 0 && i % 9 === 0 ? previousCreated : timeBetween(prng, START, JANUARY_END);
    previousCreated = created;
    const place = prng.pick(CITIES);
    const generatedId = makeId(prng, 'cus');
    const customer = buildCustomer({
      id: account === PLATFORM_ACCOUNT && i === 0 ? DOCUMENTED_CUSTOMER_ID : generatedId,
      created,
      name: `${first} ${last}`,
      email: `${first}.${last}${i + 1}@example.com`.toLowerCase(),
      phone: prng.chance(0.5) ? `+1555${String(prng.int(1000000, 9999999))}` : null,
      address: prng.chance(0.6) ? { ...place, line1: `${prng.int(1, 200)} Demo Street`, line2: null } : null,
      currency: prng.chance(0.7) ? (place.country === 'US' || place.country === 'CA' ? 'usd' : 'eur') : null,
      invoicePrefix: prng.alphanumeric(8).toUpperCase(),
      metadata: i % 5 === 0 ? { segment: prng.pick(['smb', 'mid-market', 'enterprise']) } : {},
    });
    store.put(account, customer);
    seeded.customers.push(customer);
  }
}

function seedCatalog(store: Store, account: string, prng: Prng, names: readonly string[], seeded: Seeded): void {
  for (const entry of CATALOG.filter((candidate) => names.includes(candidate.name))) {
    const created = timeBetween(prng, START, JANUARY_END);
    const product = buildProduct({
      id: makeId(prng, 'prod'),
      created,
      name: entry.name,
      description: entry.description,
      shippable: entry.plan ? null : !['Gift Card', 'Workshop Ticket', 'E-book'].includes(entry.name),
      unitLabel: entry.plan ? 'seat' : null,
      metadata: { category: entry.plan ? 'subscription' : 'merchandise' },
    });
    seeded.productNames.set(product.id, entry.name);
    const prices: StripeObject[] = [];
    const add = (currency: string, amount: number, recurring: { interval: string; interval_count: number } | null, nickname: string | null) => {
      const generatedId = makeId(prng, 'price');
      const documented = account === PLATFORM_ACCOUNT && entry.name === 'T-shirt' && currency === 'usd' && !recurring;
      const price = buildPrice({
        id: documented ? DOCUMENTED_PRICE_ID : generatedId,
        created: created + prices.length,
        product: product.id,
        currency,
        unitAmount: amount,
        recurring,
        nickname,
        lookupKey: `${entry.name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${currency}_${recurring ? recurring.interval : 'once'}`,
      });
      prices.push(price);
    };
    if (entry.plan) {
      add('usd', entry.usd, { interval: 'month', interval_count: 1 }, 'Monthly');
      add('usd', entry.usd * 10, { interval: 'year', interval_count: 1 }, 'Yearly');
      if (entry.eur !== undefined) add('eur', entry.eur, { interval: 'month', interval_count: 1 }, 'Monthly (EUR)');
    } else {
      add('usd', entry.usd, null, null);
      if (entry.eur !== undefined) add('eur', entry.eur, null, null);
    }
    // One retired price per account, so `active=false` has something to find.
    if (entry.name === 'T-shirt') {
      const retired = buildPrice({ id: makeId(prng, 'price'), created: created + 10, product: product.id, currency: 'usd', unitAmount: 1800, active: false, nickname: 'Launch price' });
      prices.push(retired);
    }
    product.default_price = prices[0]!.id;
    store.put(account, product);
    for (const price of prices) {
      store.put(account, price);
      seeded.prices.push(price);
    }
  }
}

interface PaymentLink {
  id: string;
  price: StripeObject;
}

function seedPaymentLinks(prng: Prng, count: number, seeded: Seeded): PaymentLink[] {
  const oneTimeUsd = seeded.prices.filter((price) => price.type === 'one_time' && price.currency === 'usd' && price.active);
  const links: PaymentLink[] = [];
  for (let i = 0; i < count; i++) links.push({ id: makeId(prng, 'plink'), price: oneTimeUsd[i % oneTimeUsd.length]! });
  return links;
}

function seedSessions(store: Store, account: string, prng: Prng, count: number, seeded: Seeded, links: PaymentLink[]): void {
  const activePrices = seeded.prices.filter((price) => price.active);
  // The newest few customers never bought anything, so customer filters can come back empty.
  const regularCustomers = seeded.customers.length > 10 ? seeded.customers.slice(0, -6) : seeded.customers;
  let previousCreated = START;
  for (let i = 0; i < count; i++) {
    const created = i > 0 && i % 13 === 0 ? previousCreated : timeBetween(prng, FEBRUARY_START, END);
    previousCreated = created;
    const modeRoll = prng.next();
    const mode: CheckoutMode = modeRoll < 0.6 ? 'payment' : modeRoll < 0.85 ? 'subscription' : 'setup';
    const statusRoll = prng.next();
    const status = statusRoll < 0.62 ? 'complete' : statusRoll < 0.87 ? 'expired' : 'open';
    const guest = mode === 'payment' && prng.chance(0.2);
    const customer = guest ? null : prng.pick(regularCustomers);
    const currency = prng.chance(0.75) ? 'usd' : 'eur';
    const id = makeId(prng, 'cs');

    const items: Array<{ price: StripeObject; quantity: number }> = [];
    let paymentLink: string | null = null;
    const pool = (type: string) => activePrices.filter((price) => price.type === type && price.currency === currency);
    if (mode === 'payment') {
      const link = currency === 'usd' && links.length > 0 && prng.chance(0.15) ? prng.pick(links) : null;
      if (link) {
        paymentLink = link.id;
        items.push({ price: link.price, quantity: prng.int(1, 3) });
      } else {
        const inCurrency = pool('one_time');
        const candidates = inCurrency.length > 0 ? inCurrency : activePrices.filter((price) => price.type === 'one_time');
        const wanted = prng.int(1, Math.min(3, candidates.length));
        while (items.length < wanted) {
          const price = prng.pick(candidates);
          if (!items.some((item) => item.price.id === price.id)) items.push({ price, quantity: prng.int(1, 4) });
        }
      }
    } else if (mode === 'subscription') {
      const recurring = pool('recurring');
      items.push({ price: prng.pick(recurring.length > 0 ? recurring : activePrices.filter((p) => p.type === 'recurring')), quantity: prng.int(1, 5) });
      const extras = pool('one_time').filter((price) => price.currency === items[0]!.price.currency);
      if (extras.length > 0 && prng.chance(0.3)) items.push({ price: prng.pick(extras), quantity: 1 });
    }
    const sessionCurrency = items.length > 0 ? (items[0]!.price.currency as string) : currency;
    const amount = items.reduce((sum, item) => sum + (item.price.unit_amount as number) * item.quantity, 0);
    const guestEmail = `guest${i + 1}@example.org`;
    const email = customer ? (customer.email as string) : guestEmail;
    const wantsPhone = prng.chance(0.25);
    const place = prng.pick(CITIES);

    const fields: Record<string, unknown> = {
      amount_subtotal: mode === 'setup' ? null : amount,
      amount_total: mode === 'setup' ? null : amount,
      billing_address_collection: prng.chance(0.2) ? 'required' : null,
      cancel_url: 'https://example.com/cancel',
      client_reference_id: prng.chance(0.2) ? `order_${1000 + i}` : null,
      currency: sessionCurrency,
      customer: customer ? customer.id : null,
      customer_creation: mode === 'payment' && !customer ? 'if_required' : null,
      customer_email: guest && status !== 'complete' && prng.chance(0.5) ? guestEmail : null,
      expires_at: created + 86400,
      invoice_creation:
        mode === 'payment'
          ? { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } }
          : null,
      locale: prng.chance(0.3) ? 'auto' : null,
      metadata: prng.chance(0.3) ? { order_id: String(5000 + i) } : {},
      payment_link: paymentLink,
      phone_number_collection: { enabled: wantsPhone },
      saved_payment_method_options: customer && mode !== 'setup' ? { allow_redisplay_filters: ['always'], payment_method_save: null } : null,
      setup_intent: mode === 'setup' ? makeId(prng, 'seti') : null,
      status,
      success_url: 'https://example.com/success?session_id={CHECKOUT_SESSION_ID}',
      total_details: mode === 'setup' ? null : zeroTotals(),
      url: status === 'open' ? `https://checkout.stripe.com/c/pay/${id}` : null,
    };
    if (status === 'complete') {
      fields.payment_status = mode === 'setup' ? 'no_payment_required' : 'paid';
      fields.customer_details = {
        address: { city: place.city, country: place.country, line1: `${prng.int(1, 300)} Checkout Avenue`, line2: null, postal_code: place.postal_code, state: place.state },
        email,
        name: customer ? (customer.name as string) : `Guest ${i + 1}`,
        phone: wantsPhone ? `+1555${String(prng.int(1000000, 9999999))}` : null,
        tax_exempt: 'none',
        tax_ids: [],
      };
      if (mode === 'payment') fields.payment_intent = makeId(prng, 'pi');
      if (mode === 'subscription') {
        fields.subscription = makeId(prng, 'sub');
        fields.invoice = makeId(prng, 'in');
      }
    } else if (customer || fields.customer_email) {
      fields.customer_details = { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: null };
    }
    const session = buildCheckoutSession({ id, created, mode }, fields);
    store.put(account, session);
    store.setChildren(
      account,
      id,
      'line_items',
      items.map((item) => buildLineItem(makeId(prng, 'li'), item.price, item.quantity, seeded.productNames.get(item.price.product as string) ?? '')),
    );
  }
}
