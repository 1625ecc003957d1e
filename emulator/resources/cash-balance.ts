import type { HandlerContext } from '../context.js';
import { checkExpandPaths, render } from '../expand.js';
import { toObjectSchema } from '../generic/param-schema.js';
import { endpointsOf } from '../generic/registry.js';
import { build, put } from '../lifecycle/payments.js';
import { expandList, findOrThrow, type Route } from '../routes.js';
import { expandParam, s, type ObjectSchema } from '../schema.js';
import type { StripeObject } from '../store.js';

// A customer's cash balance (bank transfers): funding instructions — the bank account to send
// money to — and, in test mode, funding it, which records a `funded` cash balance transaction;
// the balance is what those transactions come to, per currency (GET …/cash_balance).

/** The spec's parameters of an action endpoint of `type` ending in `suffix`, with expand. */
function actionParams(type: string, suffix: string): ObjectSchema {
  const endpoint = endpointsOf(type, 'action').find((candidate) => candidate.path.endsWith(suffix));
  const schema = toObjectSchema(endpoint?.params ?? {}, endpoint?.required ?? []);
  schema.properties.expand = expandParam.expand!;
  return schema;
}

/** The customer's balance per currency: the ending balance of its latest transaction in each. */
export function cashBalances(ctx: HandlerContext, customer: string): Record<string, number> {
  const balances: Record<string, number> = {};
  const transactions = ctx.store.list(ctx.account, 'customer_cash_balance_transaction').filter((txn) => txn.customer === customer);
  for (const txn of [...transactions].reverse()) balances[txn.currency as string] = txn.ending_balance as number;
  return balances;
}

/** Records a change of the cash balance and returns the transaction. */
export function recordCashTransaction(ctx: HandlerContext, customer: string, currency: string, net: number, type: string, details: Record<string, unknown>): StripeObject {
  const ending = (cashBalances(ctx, customer)[currency] ?? 0) + net;
  return put(ctx, build(ctx, 'customer_cash_balance_transaction', { currency, customer, ending_balance: ending, net_amount: net, type, ...details }));
}

/** A fixed US bank account per customer, made from its id, so instructions never change. */
function bankAccountFor(customer: string): string {
  let digits = '';
  for (const char of customer) digits += String(char.charCodeAt(0) % 10);
  return digits.slice(-12).padStart(12, '0');
}

export const cashBalanceRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/customers/{customer}/funding_instructions',
    // funding_instructions is no resource of its own (nothing lists it), so the generated
    // metadata has no endpoint for it: these are the spec's parameters.
    params: s.object(
      {
        bank_transfer: s.object(
          {
            eu_bank_transfer: s.object({ country: s.string({ maxLength: 5000 }) }, ['country']),
            requested_address_types: s.array(s.enum(['iban', 'sort_code', 'spei', 'zengin'])),
            type: s.enum(['eu_bank_transfer', 'gb_bank_transfer', 'jp_bank_transfer', 'mx_bank_transfer', 'us_bank_transfer']),
          },
          ['type'],
        ),
        currency: s.string(),
        expand: expandParam.expand!,
        funding_type: s.enum(['bank_transfer']),
      },
      ['bank_transfer', 'currency', 'funding_type'],
    ),
    handle(ctx, pathParams, params) {
      const customer = findOrThrow(ctx, 'customer', pathParams.customer as string, 'customer');
      return {
        body: {
          object: 'funding_instructions',
          bank_transfer: {
            country: 'US',
            financial_addresses: [
              { aba: { account_number: bankAccountFor(customer.id), bank_name: 'DEMO BANK', routing_number: '110000000' }, supported_networks: ['ach', 'domestic_wire_us'], type: 'aba' },
            ],
            type: 'us_bank_transfer',
          },
          currency: params.currency,
          funding_type: 'bank_transfer',
          livemode: ctx.livemode,
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v1/test_helpers/customers/{customer}/fund_cash_balance',
    params: actionParams('customer_cash_balance_transaction', '/fund_cash_balance'),
    handle(ctx, pathParams, params) {
      const expand = expandList(params);
      checkExpandPaths('customer_cash_balance_transaction', expand);
      const customer = findOrThrow(ctx, 'customer', pathParams.customer as string, 'customer');
      const txn = recordCashTransaction(ctx, customer.id, params.currency as string, params.amount as number, 'funded', {
        funded: { bank_transfer: { reference: params.reference ?? null, type: 'us_bank_transfer', us_bank_transfer: { network: 'ach', sender_name: customer.name ?? null } } },
      });
      return { body: render(ctx, txn, 'customer_cash_balance_transaction', expand) };
    },
  },
];
