import type { HandlerContext } from '../context.js';
import { cashBalances } from './cash-balance.js';
import { findOrThrow, type Route } from '../routes.js';
import { expandParam, s } from '../schema.js';

// Objects Stripe keeps one of per account (the balance, the tax settings) or per customer
// (the cash balance), read at a fixed path rather than listed. Shapes follow the spec's
// `balance`, `tax.settings` and `cash_balance` schemas.

interface Amount {
  amount: number;
  currency: string;
  source_types: { card: number };
}

/**
 * The balance is what the account's balance transactions add up to, per currency: `available`
 * for settled ones, `pending` for the rest. Stripe always lists at least the default currency.
 */
function balanceOf(ctx: HandlerContext): unknown {
  const totals = { available: new Map<string, number>(), pending: new Map<string, number>() };
  for (const txn of ctx.store.list(ctx.account, 'balance_transaction')) {
    const bucket = txn.status === 'available' ? totals.available : totals.pending;
    const currency = typeof txn.currency === 'string' ? txn.currency : 'usd';
    bucket.set(currency, (bucket.get(currency) ?? 0) + (typeof txn.net === 'number' ? txn.net : 0));
  }
  const amounts = (bucket: Map<string, number>): Amount[] => {
    if (!bucket.has('usd')) bucket.set('usd', 0);
    return [...bucket.keys()].sort().map((currency) => {
      const amount = bucket.get(currency) as number;
      return { amount, currency, source_types: { card: amount } };
    });
  };
  const available = amounts(totals.available);
  return {
    object: 'balance',
    available,
    connect_reserved: available.map(({ currency }) => ({ amount: 0, currency })),
    livemode: ctx.livemode,
    pending: amounts(totals.pending),
  };
}

function taxSettingsOf(ctx: HandlerContext): unknown {
  return {
    object: 'tax.settings',
    defaults: { tax_behavior: 'exclusive', tax_code: 'txcd_10000000' },
    head_office: {
      address: { city: 'South San Francisco', country: 'US', line1: '354 Oyster Point Blvd', line2: null, postal_code: '94080', state: 'CA' },
    },
    livemode: ctx.livemode,
    status: 'active',
    status_details: { active: {} },
  };
}

function cashBalanceOf(ctx: HandlerContext, customerId: string): unknown {
  findOrThrow(ctx, 'customer', customerId, 'customer');
  const balances = cashBalances(ctx, customerId);
  return {
    object: 'cash_balance',
    available: Object.keys(balances).length > 0 ? balances : { usd: 0 },
    customer: customerId,
    livemode: ctx.livemode,
    settings: { reconciliation_mode: 'automatic', using_merchant_default: true },
  };
}

export const singletonRoutes: Route[] = [
  { method: 'GET', path: '/v1/balance', params: s.object({ ...expandParam }), handle: (ctx) => ({ body: balanceOf(ctx) }) },
  { method: 'GET', path: '/v1/tax/settings', params: s.object({ ...expandParam }), handle: (ctx) => ({ body: taxSettingsOf(ctx) }) },
  {
    method: 'GET',
    path: '/v1/customers/{customer}/cash_balance',
    params: s.object({ ...expandParam }),
    handle: (ctx, pathParams) => ({ body: cashBalanceOf(ctx, pathParams.customer as string) }),
  },
];
