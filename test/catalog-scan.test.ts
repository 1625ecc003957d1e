import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkoutSessionTable } from '../src/catalog/overrides/checkout-session.js';
import { StripeTable } from '../src/catalog/stripe-table.js';
import type { Predicate, Row, ScanRequest } from '../src/engine/table.js';
import { StripeApiError } from '../src/stripe/errors.js';
import type { StripeObject } from '../src/stripe/types.js';
import { FakeTransport, fullCheckoutSession, lineItem, pred, scanRequest } from './catalog-fake-transport.js';

const LIST = '/v1/checkout/sessions';

function session(id: string, created = 1_700_000_000, extra: Partial<StripeObject> = {}): StripeObject {
  return { id, object: 'checkout.session', created, amount_total: 1000, customer: 'cus_1', ...extra };
}

async function collect(table: StripeTable, request: ScanRequest): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of table.scan(table.plan(request), {})) rows.push(row);
  return rows;
}

function setup(accountId?: string) {
  const transport = new FakeTransport();
  const table = new StripeTable(checkoutSessionTable, transport, accountId ? { accountId } : {});
  const column = (name: string) => table.columns.findIndex((c) => c.name === name);
  return { transport, table, column };
}

describe('the requests each pushed filter sends', () => {
  const cases: [string, Predicate, string][] = [
    ['CustomerId', pred('CustomerId', '=', 'cus_N8rO0qc7j1SJJ9'), `LIST ${LIST}?customer=cus_N8rO0qc7j1SJJ9&limit=100`],
    ['CustomerDetailsEmail', pred('CustomerDetailsEmail', '=', 'a@b.c'), `LIST ${LIST}?customer_details[email]=a%40b.c&limit=100`],
    ['PaymentIntentId', pred('PaymentIntentId', '=', 'pi_sfuniew'), `LIST ${LIST}?payment_intent=pi_sfuniew&limit=100`],
    ['PaymentLinkId', pred('PaymentLinkId', '=', 'plink_1'), `LIST ${LIST}?payment_link=plink_1&limit=100`],
    ['Status', pred('Status', '=', 'expired'), `LIST ${LIST}?status=expired&limit=100`],
    ['SubscriptionId', pred('SubscriptionId', '=', 'sub_1'), `LIST ${LIST}?subscription=sub_1&limit=100`],
    ['Created >=', pred('Created', '>=', new Date('2024-01-01')), `LIST ${LIST}?created[gte]=1704067200&limit=100`],
    ['Created >', pred('Created', '>', new Date('2024-01-01T00:00:00.500Z')), `LIST ${LIST}?created[gte]=1704067201&limit=100`],
    ['Created <', pred('Created', '<', new Date('2024-01-01')), `LIST ${LIST}?created[lt]=1704067200&limit=100`],
    ['Created <=', pred('Created', '<=', new Date('2024-01-01')), `LIST ${LIST}?created[lte]=1704067200&limit=100`],
    ['Created =', pred('Created', '=', new Date('2024-01-01')), `LIST ${LIST}?created=1704067200&limit=100`],
  ];
  for (const [name, predicate, call] of cases) {
    test(name, async () => {
      const { transport, table } = setup();
      transport.addList(LIST, [[session('cs_1')]]);
      const rows = await collect(table, scanRequest([predicate]));
      assert.equal(rows.length, 1);
      assert.deepEqual(transport.calls, [{ line: call }]);
    });
  }

  test('Id = retrieves the one object', async () => {
    const { transport, table, column } = setup();
    transport.addObject(`${LIST}/cs_1`, session('cs_1'));
    const rows = await collect(table, scanRequest([pred('Id', '=', 'cs_1')]));
    assert.deepEqual(rows.map((r) => r[column('Id')]), ['cs_1']);
    assert.deepEqual(transport.calls, [{ line: `GET ${LIST}/cs_1` }]);
  });

  test('Id IN retrieves each distinct id once, in order', async () => {
    const { transport, table, column } = setup();
    transport.addObject(`${LIST}/cs_1`, session('cs_1')).addObject(`${LIST}/cs_2`, session('cs_2'));
    const rows = await collect(table, scanRequest([pred('Id', 'IN', ['cs_2', 'cs_1', 'cs_2'])]));
    assert.deepEqual(rows.map((r) => r[column('Id')]), ['cs_2', 'cs_1']);
    assert.deepEqual(transport.calls.map((c) => c.line), [`GET ${LIST}/cs_2`, `GET ${LIST}/cs_1`]);
  });

  test('AccountId = sends that account on the list and shows it on the rows', async () => {
    const { transport, table, column } = setup('acct_Conn');
    transport.addList(LIST, [[session('cs_1')]]);
    const rows = await collect(table, scanRequest([pred('AccountId', '=', 'acct_Other')]));
    assert.deepEqual(transport.calls, [{ line: `LIST ${LIST}?limit=100`, accountId: 'acct_Other' }]);
    assert.equal(rows[0]![column('AccountId')], 'acct_Other');
  });

  test('AccountId = with Id sends that account on the retrieve', async () => {
    const { transport, table } = setup();
    transport.addObject(`${LIST}/cs_1`, session('cs_1'));
    await collect(table, scanRequest([pred('AccountId', '=', 'acct_1'), pred('Id', '=', 'cs_1')]));
    assert.deepEqual(transport.calls, [{ line: `GET ${LIST}/cs_1`, accountId: 'acct_1' }]);
  });

  test('AccountId IN lists each account in turn', async () => {
    const { transport, table, column } = setup();
    transport.addList(LIST, [[session('cs_1')]]);
    const rows = await collect(table, scanRequest([pred('AccountId', 'IN', ['acct_1', 'acct_2'])]));
    assert.deepEqual(transport.calls, [
      { line: `LIST ${LIST}?limit=100`, accountId: 'acct_1' },
      { line: `LIST ${LIST}?limit=100`, accountId: 'acct_2' },
    ]);
    assert.deepEqual(rows.map((r) => r[column('AccountId')]), ['acct_1', 'acct_2']);
  });

  test('without AccountId the transport\'s own account is used and rows show the connection\'s', async () => {
    const { transport, table, column } = setup('acct_Conn');
    transport.addList(LIST, [[session('cs_1')]]);
    const rows = await collect(table, scanRequest([]));
    assert.deepEqual(transport.calls, [{ line: `LIST ${LIST}?limit=100` }]);
    assert.equal(rows[0]![column('AccountId')], 'acct_Conn');
  });

  test('on the platform AccountId is NULL', async () => {
    const { transport, table, column } = setup();
    transport.addList(LIST, [[session('cs_1')]]);
    const rows = await collect(table, scanRequest([]));
    assert.equal(rows[0]![column('AccountId')], null);
  });
});

describe('IN on an equals filter', () => {
  test('lists each value in turn and stops at the pushed limit across them', async () => {
    const { transport, table, column } = setup();
    transport.addList(LIST, [[session('cs_1'), session('cs_2')]]);
    const rows = await collect(table, scanRequest([pred('CustomerId', 'IN', ['cus_1', 'cus_2', 'cus_3'])], { limit: 3 }));
    assert.deepEqual(rows.map((r) => r[column('Id')]), ['cs_1', 'cs_2', 'cs_1']);
    assert.deepEqual(transport.calls, [
      { line: `LIST ${LIST}?customer=cus_1&limit=3` },
      { line: `LIST ${LIST}?customer=cus_2&limit=1` },
    ]);
  });
});

describe('retrieve of a missing object', () => {
  test('a 404 yields no rows', async () => {
    const { transport, table } = setup();
    const rows = await collect(table, scanRequest([pred('Id', '=', '123124')]));
    assert.deepEqual(rows, []);
    assert.deepEqual(transport.calls, [{ line: `GET ${LIST}/123124` }]);
  });

  test('a 404 among several ids drops only that one', async () => {
    const { transport, table, column } = setup();
    transport.addObject(`${LIST}/cs_2`, session('cs_2'));
    const rows = await collect(table, scanRequest([pred('Id', 'IN', ['cs_1', 'cs_2'])]));
    assert.deepEqual(rows.map((r) => r[column('Id')]), ['cs_2']);
  });

  test('other errors propagate', async () => {
    const failing = new StripeTable(checkoutSessionTable, {
      request: async () => { throw new StripeApiError({ message: 'Invalid API Key', status: 401, type: 'invalid_request_error' }); },
      listPages: async function* () { /* unused */ },
    });
    await assert.rejects(collect(failing, scanRequest([pred('Id', '=', 'cs_1')])), (e: unknown) => e instanceof StripeApiError && e.status === 401);
  });
});

describe('empty plans send nothing', () => {
  test('contradicting predicates', async () => {
    const { transport, table } = setup();
    const rows = await collect(table, scanRequest([pred('Status', '=', 'open'), pred('Status', '=', 'complete')]));
    assert.deepEqual(rows, []);
    assert.deepEqual(transport.calls, []);
  });

  test('LIMIT 0', async () => {
    const { transport, table } = setup();
    const rows = await collect(table, scanRequest([], { limit: 0 }));
    assert.deepEqual(rows, []);
    assert.deepEqual(transport.calls, []);
  });
});

describe('limit', () => {
  test('stops after n rows and reads no further page', async () => {
    const { transport, table, column } = setup();
    transport.addList(LIST, [[session('cs_1'), session('cs_2')], [session('cs_3'), session('cs_4')], [session('cs_5')]]);
    const rows = await collect(table, scanRequest([], { limit: 3 }));
    assert.deepEqual(rows.map((r) => r[column('Id')]), ['cs_1', 'cs_2', 'cs_3']);
    assert.deepEqual(transport.calls, [{ line: `LIST ${LIST}?limit=3` }]);
    assert.equal(transport.pagesServed, 2);
  });

  test('without a pushed limit every page is read', async () => {
    const { transport, table } = setup();
    transport.addList(LIST, [[session('cs_1')], [session('cs_2')], [session('cs_3')]]);
    const rows = await collect(table, scanRequest([pred('AmountTotal', '>', 0)], { limit: 1 }));
    assert.equal(rows.length, 3);
    assert.equal(transport.pagesServed, 3);
  });
});

describe('LineItemsAggregate', () => {
  const items = [lineItem('li_1', 2), lineItem('li_2')];

  test('is not expanded when the query does not need it', async () => {
    const { transport, table, column } = setup();
    transport.addList(LIST, [[session('cs_1')]]);
    const rows = await collect(table, scanRequest([], { columns: ['Id', 'Mode'] }));
    assert.deepEqual(transport.calls, [{ line: `LIST ${LIST}?limit=100` }]);
    assert.equal(rows[0]![column('LineItemsAggregate')], null);
  });

  test('is expanded on the list when needed, and mapped to the JSON of line_items.data', async () => {
    const { transport, table, column } = setup();
    transport.addList(LIST, [[session('cs_1', 1, { line_items: { object: 'list', data: items, has_more: false, url: `${LIST}/cs_1/line_items` } })]]);
    const rows = await collect(table, scanRequest([pred('CustomerId', '=', 'cus_1')], { columns: ['Id', 'LineItemsAggregate'] }));
    assert.deepEqual(transport.calls, [{ line: `LIST ${LIST}?customer=cus_1&limit=100&expand[0]=data.line_items` }]);
    assert.equal(rows[0]![column('LineItemsAggregate')], JSON.stringify(items));
  });

  test('is expanded on a retrieve when needed', async () => {
    const { transport, table, column } = setup();
    transport.addObject(`${LIST}/cs_1`, session('cs_1', 1, { line_items: { object: 'list', data: items, has_more: false, url: `${LIST}/cs_1/line_items` } }));
    const rows = await collect(table, scanRequest([pred('Id', '=', 'cs_1')], { columns: ['LineItemsAggregate'] }));
    assert.deepEqual(transport.calls, [{ line: `GET ${LIST}/cs_1?expand[0]=line_items` }]);
    assert.equal(rows[0]![column('LineItemsAggregate')], JSON.stringify(items));
  });

  test('an embedded list with has_more is completed from the line_items endpoint', async () => {
    const { transport, table, column } = setup('acct_1');
    const rest = [[lineItem('li_3')], [lineItem('li_4')]];
    transport.addList(LIST, [[
      session('cs_1', 1, { line_items: { object: 'list', data: items, has_more: true, url: `${LIST}/cs_1/line_items` } }),
      session('cs_2', 1, { line_items: { object: 'list', data: [lineItem('li_9')], has_more: false, url: `${LIST}/cs_2/line_items` } }),
    ]]);
    transport.addList(`${LIST}/cs_1/line_items`, rest);
    const rows = await collect(table, scanRequest([pred('AccountId', '=', 'acct_2')], { columns: ['Id', 'LineItemsAggregate'] }));
    assert.deepEqual(transport.calls, [
      { line: `LIST ${LIST}?limit=100&expand[0]=data.line_items`, accountId: 'acct_2' },
      { line: `LIST ${LIST}/cs_1/line_items?limit=100&starting_after=li_2`, accountId: 'acct_2' },
    ]);
    assert.deepEqual(
      (JSON.parse(rows[0]![column('LineItemsAggregate')] as string) as { id: string }[]).map((i) => i.id),
      ['li_1', 'li_2', 'li_3', 'li_4'],
    );
    assert.deepEqual(JSON.parse(rows[1]![column('LineItemsAggregate')] as string), [lineItem('li_9')]);
  });
});

describe('row mapping', () => {
  test('a full checkout.session maps onto every column', async () => {
    const { transport, table } = setup('acct_Conn');
    const object = fullCheckoutSession({
      line_items: { object: 'list', data: [lineItem('li_1', 2)], has_more: false, url: `${LIST}/cs_test_a1b2c3/line_items` },
    });
    transport.addObject(`${LIST}/cs_test_a1b2c3`, object);
    const [row] = await collect(table, scanRequest([pred('Id', '=', 'cs_test_a1b2c3')], { columns: ['Id', 'LineItemsAggregate'] }));
    const byName = Object.fromEntries(table.columns.map((c, i) => [c.name, row![i]]));
    const json = (value: unknown) => JSON.stringify(value);
    assert.deepEqual(byName, {
      Id: 'cs_test_a1b2c3',
      AfterExpirationRecoveryAllowPromotionCodes: true,
      AfterExpirationRecoveryEnabled: true,
      AfterExpirationRecoveryExpiresAt: new Date('2024-02-02T00:00:00Z'),
      AfterExpirationRecoveryUrl: 'https://buy.stripe.com/r/live_abc',
      AllowPromotionCodes: false,
      AmountSubtotal: 4600,
      AmountTotal: 5060,
      AutomaticTaxEnabled: true,
      AutomaticTaxStatus: 'complete',
      BillingAddressCollection: 'required',
      CancelUrl: 'https://example.com/cancel',
      ClientReferenceId: 'order_42',
      ClientSecret: null,
      ConsentPromotions: 'opt_in',
      ConsentTermsOfService: 'accepted',
      ConsentCollection: json(object.consent_collection),
      Created: new Date('2024-02-01T00:00:00Z'),
      Currency: 'usd',
      CurrencyConversion: null,
      CustomFields: json(object.custom_fields),
      CustomTextAfterSubmitMessage: 'Thanks!',
      CustomTextShippingAddressMessage: null,
      CustomTextSubmitMessage: 'We ship in 2 days',
      CustomTextTermsOfAcceptanceMessage: 'I agree',
      CustomerId: 'cus_N8rO0qc7j1SJJ9',
      CustomerCreation: 'always',
      CustomerDetailsAddress: '{"city":"Berlin","country":"DE","line1":"Alexanderplatz 1","line2":null,"postal_code":"10178","state":null}',
      CustomerDetailsEmail: 'jenny@example.com',
      CustomerDetailsName: 'Jenny Rosen',
      CustomerDetailsPhone: '+4930123456',
      CustomerDetailsTaxExempt: 'none',
      CustomerDetailsTaxIds: '[{"type":"eu_vat","value":"DE123456789"}]',
      CustomerEmail: null,
      ExpiresAt: new Date('2024-02-02T00:00:00Z'),
      InvoiceId: 'in_1Abc',
      InvoiceCreation: json(object.invoice_creation),
      Livemode: false,
      Locale: 'auto',
      Metadata: '{"order":"42"}',
      Mode: 'payment',
      Object: 'checkout.session',
      PaymentIntentId: 'pi_3Abc',
      PaymentLinkId: null,
      PaymentMethodCollection: 'if_required',
      PaymentMethodTypes: '["card","link"]',
      PaymentMethodOptions: '{"card":{"request_three_d_secure":"automatic"}}',
      PaymentStatus: 'paid',
      PhoneNumberCollectionEnabled: true,
      RecoveredFrom: 'cs_test_old',
      Redaction: null,
      SetupIntent: null,
      ShippingAddressCollectionAllowedCountries: '["DE","FR"]',
      ShippingCost: json(object.shipping_cost),
      ShippingDetails: json(object.shipping_details),
      ShippingOptions: '[{"shipping_amount":500,"shipping_rate":"shr_1"}]',
      Status: 'complete',
      SubmitType: 'pay',
      SubscriptionId: null,
      SuccessUrl: 'https://example.com/success',
      TotalDetails: '{"amount_discount":0,"amount_shipping":500,"amount_tax":0}',
      UiMode: 'hosted',
      Url: null,
      ReturnUrl: 'https://example.com/return',
      LineItemsAggregate: json([lineItem('li_1', 2)]),
      AutomaticTaxLiabilityAccount: 'acct_1Liable',
      AutomaticTaxLiabilityType: 'account',
      RedirectOnCompletion: 'always',
      AccountId: 'acct_Conn',
    });
  });

  test('missing nested objects and fields become NULL; expanded references give their id', async () => {
    const { transport, table } = setup();
    transport.addList(LIST, [[{
      id: 'cs_2', object: 'checkout.session', created: 1, after_expiration: null, customer_details: null,
      subscription: { id: 'sub_9', object: 'subscription' }, automatic_tax: { enabled: false, liability: null, status: null },
    }]]);
    const [row] = await collect(table, scanRequest([]));
    const byName = Object.fromEntries(table.columns.map((c, i) => [c.name, row![i]]));
    assert.equal(byName.SubscriptionId, 'sub_9');
    assert.equal(byName.AfterExpirationRecoveryEnabled, null);
    assert.equal(byName.AfterExpirationRecoveryExpiresAt, null);
    assert.equal(byName.CustomerDetailsEmail, null);
    assert.equal(byName.AutomaticTaxEnabled, false);
    assert.equal(byName.AutomaticTaxLiabilityAccount, null);
    assert.equal(byName.Metadata, null);
    assert.equal(byName.Created instanceof Date && byName.Created.getTime(), 1000);
    assert.equal(row!.length, 69);
  });
});

test('scan() refuses a plan made by another table', async () => {
  const { table } = setup();
  const other = setup().table;
  const plan = other.plan(scanRequest([]));
  await assert.rejects(async () => { for await (const _ of table.scan(plan, {})) void _; }, /another table/);
});

describe('Id IN retrieves concurrently', () => {
  test('several retrieves are in flight at once, rows still come in id order', async () => {
    const started: string[] = [];
    const release = new Map<string, () => void>();
    const table = new StripeTable(checkoutSessionTable, {
      request: <T>(req: { path: string }) => new Promise<T>((resolve) => {
        const id = req.path.split('/').pop()!;
        started.push(id);
        release.set(id, () => resolve(session(id) as T));
      }),
      listPages: async function* () { /* unused */ },
    });
    const rows: Row[] = [];
    const done = (async () => {
      for await (const row of table.scan(table.plan(scanRequest([pred('Id', 'IN', ['cs_1', 'cs_2', 'cs_3'])])), {})) rows.push(row);
    })();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, ['cs_1', 'cs_2', 'cs_3']);
    release.get('cs_3')!();
    release.get('cs_2')!();
    await new Promise((r) => setImmediate(r));
    assert.equal(rows.length, 0);
    release.get('cs_1')!();
    await done;
    assert.deepEqual(rows.map((r) => r[0]), ['cs_1', 'cs_2', 'cs_3']);
  });

  test('a pushed LIMIT keeps the number of retrieves to what is needed', async () => {
    const { transport, table } = setup();
    for (const id of ['cs_1', 'cs_2', 'cs_3']) transport.addObject(`${LIST}/${id}`, session(id));
    const rows = await collect(table, scanRequest([pred('Id', 'IN', ['cs_1', 'cs_2', 'cs_3'])], { limit: 1 }));
    assert.equal(rows.length, 1);
    assert.deepEqual(transport.calls, [{ line: `GET ${LIST}/cs_1` }]);
  });

  test('a missing id does not count toward the limit: the next id is fetched instead', async () => {
    const { transport, table, column } = setup();
    for (const id of ['cs_2', 'cs_3', 'cs_4']) transport.addObject(`${LIST}/${id}`, session(id));
    const rows = await collect(table, scanRequest([pred('Id', 'IN', ['cs_1', 'cs_2', 'cs_3', 'cs_4'])], { limit: 2 }));
    assert.deepEqual(rows.map((r) => r[column('Id')]), ['cs_2', 'cs_3']);
    assert.deepEqual(transport.calls.map((c) => c.line), [`GET ${LIST}/cs_1`, `GET ${LIST}/cs_2`, `GET ${LIST}/cs_3`]);
  });

  test('a failing retrieve fails the scan', async () => {
    const table = new StripeTable(checkoutSessionTable, {
      request: async <T>(req: { path: string }) => {
        if (req.path.endsWith('cs_2')) throw new StripeApiError({ message: 'boom', status: 500, type: 'api_error' });
        return session(req.path.split('/').pop()!) as T;
      },
      listPages: async function* () { /* unused */ },
    });
    await assert.rejects(collect(table, scanRequest([pred('Id', 'IN', ['cs_1', 'cs_2', 'cs_3'])])), /boom/);
  });
});
