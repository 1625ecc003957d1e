import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkoutSessionTable } from '../src/catalog/overrides/checkout-session.js';
import { StripeTable } from '../src/catalog/stripe-table.js';
import type { Predicate } from '../src/engine/table.js';
import { FakeTransport, pred, scanRequest } from './catalog-fake-transport.js';

const table = (accountId?: string) =>
  new StripeTable(checkoutSessionTable, new FakeTransport(), accountId ? { accountId } : {});

const texts = (predicates: Predicate[]) => predicates.map((p) => p.text);

/** The first describe() line, which shows the request. */
const requestLine = (predicates: Predicate[], options: Parameters<typeof scanRequest>[1] = {}) =>
  table().plan(scanRequest(predicates, options)).describe()[0];

describe('pushdown of each server-side filter', () => {
  const cases: [string, Predicate, string][] = [
    ['Id', pred('Id', '=', 'cs_test_1'), 'GET /v1/checkout/sessions/cs_test_1'],
    ['CustomerId', pred('CustomerId', '=', 'cus_1'), 'GET /v1/checkout/sessions?customer=cus_1&limit=100'],
    ['CustomerDetailsEmail', pred('CustomerDetailsEmail', '=', 'a@b.c'), 'GET /v1/checkout/sessions?customer_details[email]=a%40b.c&limit=100'],
    ['PaymentIntentId', pred('PaymentIntentId', '=', 'pi_1'), 'GET /v1/checkout/sessions?payment_intent=pi_1&limit=100'],
    ['PaymentLinkId', pred('PaymentLinkId', '=', 'plink_1'), 'GET /v1/checkout/sessions?payment_link=plink_1&limit=100'],
    ['Status', pred('Status', '=', 'open'), 'GET /v1/checkout/sessions?status=open&limit=100'],
    ['SubscriptionId', pred('SubscriptionId', '=', 'sub_1'), 'GET /v1/checkout/sessions?subscription=sub_1&limit=100'],
    ['Created', pred('Created', '>=', new Date('2024-01-01T00:00:00Z')), 'GET /v1/checkout/sessions?created[gte]=1704067200&limit=100'],
  ];
  for (const [column, predicate, request] of cases) {
    test(`${column} ${predicate.op} is pushed`, () => {
      const plan = table().plan(scanRequest([predicate]));
      assert.deepEqual(texts(plan.pushed), [predicate.text]);
      assert.deepEqual(plan.residual, []);
      assert.equal(plan.describe()[0], `StripeScan CheckoutSession: ${request}`);
    });
  }

  test('AccountId = is pushed as the Stripe-Account of the scan', () => {
    const plan = table().plan(scanRequest([pred('AccountId', '=', 'acct_9')]));
    assert.deepEqual(texts(plan.pushed), ["AccountId = 'acct_9'"]);
    assert.deepEqual(plan.describe(), [
      'StripeScan CheckoutSession: GET /v1/checkout/sessions?limit=100',
      "pushed: AccountId = 'acct_9'",
      'account: acct_9',
      'order not needed: a long list is read in parallel created windows after its first pages',
    ]);
  });

  test('column names are matched case-insensitively', () => {
    const plan = table().plan(scanRequest([pred('customerid', '=', 'cus_1')]));
    assert.equal(plan.pushed.length, 1);
  });

  test('filters go into the query in the definition\'s order, then limit', () => {
    assert.equal(
      requestLine([pred('Created', '<', new Date(1_700_000_000_000)), pred('Status', '=', 'open'), pred('CustomerId', '=', 'cus_1')]),
      'StripeScan CheckoutSession: GET /v1/checkout/sessions?customer=cus_1&status=open&created[lt]=1700000000&limit=100',
    );
  });
});

describe('what stays residual', () => {
  test('columns without a filter, and operators a filter does not take', () => {
    const predicates = [
      pred('AmountTotal', '>', 5000),
      pred('CustomerId', '<>', 'cus_1'),
      pred('Created', '<>', new Date(0)),
      pred('Status', 'IS NULL'),
      pred('CustomerEmail', 'LIKE', '%@x.com'),
    ];
    const plan = table().plan(scanRequest(predicates));
    assert.deepEqual(plan.pushed, []);
    assert.deepEqual(texts(plan.residual), texts(predicates));
    assert.equal(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions?limit=100');
  });

  test("= '' is left to the engine (Stripe would read an empty parameter as no filter)", () => {
    const plan = table().plan(scanRequest([pred('Status', '=', ''), pred('CustomerId', 'IN', ['cus_1', ''])]));
    assert.deepEqual(plan.pushed, []);
    assert.equal(plan.residual.length, 2);
    assert.equal(plan.empty, false);
  });

  test('a mix: the pushed part goes to Stripe, the rest is shown as residual', () => {
    const plan = table().plan(scanRequest([pred('CustomerId', '=', 'cus_1'), pred('AmountTotal', '>', 5000)], { limit: 10 }));
    assert.deepEqual(texts(plan.pushed), ["CustomerId = 'cus_1'"]);
    assert.deepEqual(texts(plan.residual), ['AmountTotal > 5000']);
    assert.equal(plan.limitApplied, false);
    assert.deepEqual(plan.describe(), [
      'StripeScan CheckoutSession: GET /v1/checkout/sessions?customer=cus_1&limit=100',
      "pushed: CustomerId = 'cus_1'",
      'residual: AmountTotal > 5000',
    ]);
  });

  test('with an Id, list filters become residual because a retrieve ignores them', () => {
    const plan = table().plan(scanRequest([pred('CustomerId', '=', 'cus_1'), pred('Id', '=', 'cs_1'), pred('Created', '>', new Date(0))]));
    assert.deepEqual(texts(plan.pushed), ["Id = 'cs_1'"]);
    assert.deepEqual(texts(plan.residual), ["CustomerId = 'cus_1'", "Created > '1970-01-01T00:00:00.000Z'"]);
    assert.equal(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions/cs_1');
  });
});

describe('Id lookups', () => {
  test('Id IN retrieves each distinct id once', () => {
    const plan = table().plan(scanRequest([pred('Id', 'IN', ['cs_1', 'cs_2', 'cs_1'])]));
    assert.deepEqual(plan.describe().slice(0, 2), [
      'StripeScan CheckoutSession: GET /v1/checkout/sessions/cs_1',
      'StripeScan CheckoutSession: GET /v1/checkout/sessions/cs_2',
    ]);
    assert.equal(plan.estimatedRequests, 2);
  });

  test('Id IN and Id = intersect', () => {
    const plan = table().plan(scanRequest([pred('Id', 'IN', ['cs_1', 'cs_2']), pred('Id', '=', 'cs_2')]));
    assert.equal(plan.empty, false);
    assert.equal(plan.pushed.length, 2);
    assert.deepEqual(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions/cs_2');
    assert.equal(plan.estimatedRequests, 1);
  });

  test('ids are percent-encoded into the path', () => {
    assert.equal(requestLine([pred('Id', '=', 'a/b c')]), 'StripeScan CheckoutSession: GET /v1/checkout/sessions/a%2Fb%20c');
  });
});

describe('IN lists on equals filters fan out into one list request per value', () => {
  test('CustomerId IN (a, b)', () => {
    const plan = table().plan(scanRequest([pred('CustomerId', 'IN', ['cus_1', 'cus_2', 'cus_1']), pred('Status', '=', 'open')], { limit: 5 }));
    assert.equal(plan.residual.length, 0);
    assert.equal(plan.limitApplied, true);
    assert.equal(plan.estimatedRequests, 2);
    assert.deepEqual(plan.describe().slice(0, 2), [
      'StripeScan CheckoutSession: GET /v1/checkout/sessions?customer=cus_1&status=open&limit=5',
      'StripeScan CheckoutSession: GET /v1/checkout/sessions?customer=cus_2&status=open&limit=5',
    ]);
  });

  test('an = on the same column narrows the IN list to one request', () => {
    const plan = table().plan(scanRequest([pred('CustomerId', 'IN', ['cus_1', 'cus_2']), pred('CustomerId', '=', 'cus_2')]));
    assert.equal(plan.pushed.length, 2);
    assert.deepEqual(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions?customer=cus_2&limit=100');
    assert.equal(plan.describe()[1], "pushed: CustomerId IN ('cus_1', 'cus_2') AND CustomerId = 'cus_2'");
  });

  test('Status values outside the enum are dropped from the fan-out', () => {
    const plan = table().plan(scanRequest([pred('Status', 'IN', ['open', 'paid'])]));
    assert.deepEqual(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions?status=open&limit=100');
  });

  test('a second multi-valued IN stays residual rather than multiplying requests', () => {
    const plan = table().plan(scanRequest([pred('CustomerId', 'IN', ['cus_1', 'cus_2']), pred('Status', 'IN', ['open', 'expired'])]));
    assert.deepEqual(texts(plan.pushed), ["CustomerId IN ('cus_1', 'cus_2')"]);
    assert.deepEqual(texts(plan.residual), ["Status IN ('open', 'expired')"]);
    assert.equal(plan.describe().filter((l) => l.startsWith('StripeScan')).length, 2);
  });

  test('several lists do not satisfy ORDER BY Created DESC', () => {
    const plan = table().plan(scanRequest([pred('CustomerId', 'IN', ['cus_1', 'cus_2'])], { orderBy: [{ column: 'Created', direction: 'DESC' }], limit: 1 }));
    assert.equal(plan.orderSatisfied, false);
    assert.equal(plan.limitApplied, false);
  });

  test('a one-value IN is a plain equality', () => {
    const plan = table().plan(scanRequest([pred('CustomerId', 'IN', ['cus_1', null])], { orderBy: [{ column: 'Created', direction: 'DESC' }] }));
    assert.equal(plan.orderSatisfied, true);
    assert.deepEqual(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions?customer=cus_1&limit=100');
  });
});

describe('contradictions make the scan empty, with no requests', () => {
  const cases: [string, Predicate[]][] = [
    ['two different Id values', [pred('Id', '=', 'cs_1'), pred('Id', '=', 'cs_2')]],
    ['two different CustomerId values', [pred('CustomerId', '=', 'cus_1'), pred('CustomerId', '=', 'cus_2')]],
    ['a Status outside Stripe\'s enum', [pred('Status', '=', 'paid')]],
    ['two different accounts', [pred('AccountId', '=', 'acct_1'), pred('AccountId', '=', 'acct_2')]],
    ['Id = NULL', [pred('Id', '=', null)]],
    ['CustomerId = NULL', [pred('CustomerId', '=', null)]],
    ['an IN list that misses the = value', [pred('CustomerId', '=', 'cus_1'), pred('CustomerId', 'IN', ['cus_2', 'cus_3'])]],
    ['a Status IN list with no valid status', [pred('Status', 'IN', ['paid', 'draft'])]],
    ['Created = a fractional second', [pred('Created', '=', new Date(1_700_000_000_500))]],
    ['Created bounds that cross', [pred('Created', '>', new Date(1_700_000_010_000)), pred('Created', '<', new Date(1_700_000_000_000))]],
    ['Created > t AND Created < t + 1s', [pred('Created', '>', new Date(1_700_000_000_000)), pred('Created', '<', new Date(1_700_000_001_000))]],
    ['Created = t outside a bound', [pred('Created', '=', new Date(1_700_000_000_000)), pred('Created', '>=', new Date(1_700_000_000_001))]],
  ];
  for (const [name, predicates] of cases) {
    test(name, () => {
      const plan = table().plan(scanRequest(predicates));
      assert.equal(plan.empty, true);
      assert.equal(plan.estimatedRequests, 0);
      assert.deepEqual(plan.residual, []);
      assert.equal(plan.describe()[0], 'StripeScan CheckoutSession: no request (the predicates match nothing)');
    });
  }

  test('the same value twice is not a contradiction', () => {
    const plan = table().plan(scanRequest([pred('CustomerId', '=', 'cus_1'), pred('CustomerId', '=', 'cus_1')]));
    assert.equal(plan.empty, false);
    assert.equal(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions?customer=cus_1&limit=100');
  });
});

describe('Datetime ranges become exact Unix-second bounds', () => {
  const t = 1_704_067_200; // 2024-01-01T00:00:00Z
  const at = (seconds: number) => new Date(seconds * 1000);
  const cases: [string, Predicate[], string][] = [
    ['> whole second', [pred('Created', '>', at(t))], `created[gt]=${t}`],
    ['> fractional second → gte ⌈t⌉', [pred('Created', '>', at(t + 0.5))], `created[gte]=${t + 1}`],
    ['>= whole second', [pred('Created', '>=', at(t))], `created[gte]=${t}`],
    ['>= fractional second → gte ⌈t⌉', [pred('Created', '>=', at(t + 0.25))], `created[gte]=${t + 1}`],
    ['< whole second', [pred('Created', '<', at(t))], `created[lt]=${t}`],
    ['< fractional second → lt ⌈t⌉', [pred('Created', '<', at(t + 0.5))], `created[lt]=${t + 1}`],
    ['<= whole second', [pred('Created', '<=', at(t))], `created[lte]=${t}`],
    ['<= fractional second → lte ⌊t⌋', [pred('Created', '<=', at(t + 0.999))], `created[lte]=${t}`],
    ['= whole second', [pred('Created', '=', at(t))], `created=${t}`],
    ['a between-style pair', [pred('Created', '>=', at(t)), pred('Created', '<', at(t + 86400))], `created[gte]=${t}&created[lt]=${t + 86400}`],
    ['the tighter of two lower bounds wins', [pred('Created', '>', at(t + 10)), pred('Created', '>=', at(t + 5))], `created[gt]=${t + 10}`],
    ['gte t+1 is tighter than gt t-1', [pred('Created', '>', at(t - 1)), pred('Created', '>=', at(t + 1))], `created[gte]=${t + 1}`],
    ['the tighter of two upper bounds wins', [pred('Created', '<=', at(t + 10)), pred('Created', '<', at(t + 3))], `created[lt]=${t + 3}`],
    ['= with a compatible bound sends the equality', [pred('Created', '=', at(t)), pred('Created', '<', at(t + 60))], `created=${t}`],
    ['a single possible second stays a closed range', [pred('Created', '>=', at(t)), pred('Created', '<=', at(t))], `created[gte]=${t}&created[lte]=${t}`],
  ];
  for (const [name, predicates, query] of cases) {
    test(name, () => {
      const plan = table().plan(scanRequest(predicates));
      assert.equal(plan.empty, false);
      assert.equal(plan.pushed.length, predicates.length);
      assert.equal(plan.describe()[0], `StripeScan CheckoutSession: GET /v1/checkout/sessions?${query}&limit=100`);
    });
  }
});

describe('order and limit', () => {
  const created = (direction: 'ASC' | 'DESC') => [{ column: 'Created', direction }];

  test('no ORDER BY and nothing residual: the limit is pushed as the page size', () => {
    const plan = table().plan(scanRequest([pred('Status', '=', 'open')], { limit: 5 }));
    assert.equal(plan.orderSatisfied, true);
    assert.equal(plan.limitApplied, true);
    assert.equal(plan.estimatedRequests, 1);
    assert.deepEqual(plan.describe(), [
      'StripeScan CheckoutSession: GET /v1/checkout/sessions?status=open&limit=5',
      "pushed: Status = 'open'",
      'limit: 5 (stops after that many rows)',
    ]);
  });

  test('a limit above 100 pages at 100', () => {
    const plan = table().plan(scanRequest([], { limit: 250 }));
    assert.equal(plan.limitApplied, true);
    assert.equal(plan.estimatedRequests, 3);
    assert.equal(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions?limit=100');
  });

  test('ORDER BY Created DESC is Stripe\'s own order', () => {
    const plan = table().plan(scanRequest([], { orderBy: created('DESC'), limit: 3 }));
    assert.equal(plan.orderSatisfied, true);
    assert.equal(plan.limitApplied, true);
    assert.equal(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions?limit=3');
  });

  test('any other order is not satisfied, so the limit is not pushed', () => {
    for (const orderBy of [created('ASC'), [{ column: 'AmountTotal', direction: 'DESC' as const }], [...created('DESC'), { column: 'Id', direction: 'ASC' as const }]]) {
      const plan = table().plan(scanRequest([], { orderBy, limit: 3 }));
      assert.equal(plan.orderSatisfied, false, JSON.stringify(orderBy));
      assert.equal(plan.limitApplied, false, JSON.stringify(orderBy));
      assert.equal(plan.estimatedRequests, undefined);
      assert.equal(plan.describe()[0], 'StripeScan CheckoutSession: GET /v1/checkout/sessions?limit=100');
    }
  });

  test('a residual predicate keeps the limit from being pushed', () => {
    const plan = table().plan(scanRequest([pred('AmountTotal', '>', 1)], { limit: 3 }));
    assert.equal(plan.orderSatisfied, true);
    assert.equal(plan.limitApplied, false);
  });

  test('a single retrieve satisfies any order', () => {
    const plan = table().plan(scanRequest([pred('Id', '=', 'cs_1')], { orderBy: created('ASC'), limit: 1 }));
    assert.equal(plan.orderSatisfied, true);
    assert.equal(plan.limitApplied, true);
  });

  test('several retrieves or several accounts do not satisfy an order', () => {
    const byIds = table().plan(scanRequest([pred('Id', 'IN', ['cs_1', 'cs_2'])], { orderBy: created('DESC') }));
    assert.equal(byIds.orderSatisfied, false);
    const byAccounts = table().plan(scanRequest([pred('AccountId', 'IN', ['acct_1', 'acct_2'])], { orderBy: created('DESC') }));
    assert.equal(byAccounts.orderSatisfied, false);
    assert.deepEqual(byAccounts.describe().at(-1), 'account: acct_1, acct_2, 2 read at once');
  });
});

describe('describe()', () => {
  test('shows the connection\'s account, never a key', () => {
    const lines = table('acct_1Conn').plan(scanRequest([pred('CustomerId', '=', 'cus_1')])).describe();
    assert.deepEqual(lines, [
      'StripeScan CheckoutSession: GET /v1/checkout/sessions?customer=cus_1&limit=100',
      "pushed: CustomerId = 'cus_1'",
      'account: acct_1Conn',
      'order not needed: a long list is read in parallel created windows after its first pages',
    ]);
  });

  test('an ordered or limited read says nothing of parallel windows', () => {
    const ordered = table().plan(scanRequest([], { orderBy: [{ column: 'Created', direction: 'DESC' }] })).describe();
    const limited = table().plan(scanRequest([], { limit: 10 })).describe();
    for (const lines of [ordered, limited]) assert.ok(!lines.some((l) => l.includes('parallel')), lines.join('\n'));
  });

  test('shows the line-items expansion when LineItemsAggregate is needed', () => {
    const list = table().plan(scanRequest([], { columns: ['Id', 'LineItemsAggregate'] })).describe()[0];
    assert.equal(list, 'StripeScan CheckoutSession: GET /v1/checkout/sessions?limit=100&expand[0]=data.line_items');
    const retrieve = table().plan(scanRequest([pred('Id', '=', 'cs_1')], { columns: ['lineitemsaggregate'] })).describe()[0];
    assert.equal(retrieve, 'StripeScan CheckoutSession: GET /v1/checkout/sessions/cs_1?expand[0]=line_items');
  });
});
