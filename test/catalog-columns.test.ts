import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkoutSessionTable } from '../src/catalog/overrides/checkout-session.js';
import { createStripeCatalog, StripeTable } from '../src/catalog/index.js';
import { FakeTransport } from './catalog-fake-transport.js';

// Name, type, ReadOnly, in the reference product's order.
const EXPECTED_COLUMNS: [string, string, boolean][] = [
  ['Id', 'String', true],
  ['AfterExpirationRecoveryAllowPromotionCodes', 'Boolean', false],
  ['AfterExpirationRecoveryEnabled', 'Boolean', false],
  ['AfterExpirationRecoveryExpiresAt', 'Datetime', true],
  ['AfterExpirationRecoveryUrl', 'String', true],
  ['AllowPromotionCodes', 'Boolean', false],
  ['AmountSubtotal', 'Integer', true],
  ['AmountTotal', 'Integer', true],
  ['AutomaticTaxEnabled', 'Boolean', false],
  ['AutomaticTaxStatus', 'String', true],
  ['BillingAddressCollection', 'String', false],
  ['CancelUrl', 'String', false],
  ['ClientReferenceId', 'String', false],
  ['ClientSecret', 'String', true],
  ['ConsentPromotions', 'String', true],
  ['ConsentTermsOfService', 'String', true],
  ['ConsentCollection', 'String', true],
  ['Created', 'Datetime', true],
  ['Currency', 'String', false],
  ['CurrencyConversion', 'String', true],
  ['CustomFields', 'String', false],
  ['CustomTextAfterSubmitMessage', 'String', false],
  ['CustomTextShippingAddressMessage', 'String', false],
  ['CustomTextSubmitMessage', 'String', false],
  ['CustomTextTermsOfAcceptanceMessage', 'String', false],
  ['CustomerId', 'String', false],
  ['CustomerCreation', 'String', false],
  ['CustomerDetailsAddress', 'String', true],
  ['CustomerDetailsEmail', 'String', true],
  ['CustomerDetailsName', 'String', true],
  ['CustomerDetailsPhone', 'String', true],
  ['CustomerDetailsTaxExempt', 'String', true],
  ['CustomerDetailsTaxIds', 'String', true],
  ['CustomerEmail', 'String', false],
  ['ExpiresAt', 'Datetime', false],
  ['InvoiceId', 'String', true],
  ['InvoiceCreation', 'String', true],
  ['Livemode', 'Boolean', true],
  ['Locale', 'String', false],
  ['Metadata', 'String', false],
  ['Mode', 'String', false],
  ['Object', 'String', true],
  ['PaymentIntentId', 'String', true],
  ['PaymentLinkId', 'String', true],
  ['PaymentMethodCollection', 'String', false],
  ['PaymentMethodTypes', 'String', false],
  ['PaymentMethodOptions', 'String', false],
  ['PaymentStatus', 'String', true],
  ['PhoneNumberCollectionEnabled', 'Boolean', false],
  ['RecoveredFrom', 'String', true],
  ['Redaction', 'String', true],
  ['SetupIntent', 'String', false],
  ['ShippingAddressCollectionAllowedCountries', 'String', false],
  ['ShippingCost', 'String', true],
  ['ShippingDetails', 'String', true],
  ['ShippingOptions', 'String', true],
  ['Status', 'String', true],
  ['SubmitType', 'String', false],
  ['SubscriptionId', 'String', true],
  ['SuccessUrl', 'String', false],
  ['TotalDetails', 'String', true],
  ['UiMode', 'String', false],
  ['Url', 'String', true],
  ['ReturnUrl', 'String', false],
  ['LineItemsAggregate', 'String', false],
  ['AutomaticTaxLiabilityAccount', 'String', false],
  ['AutomaticTaxLiabilityType', 'String', false],
  ['RedirectOnCompletion', 'String', false],
];

test('CheckoutSession has exactly the 68 reference columns, in order, with their types and ReadOnly flags', () => {
  const visible = checkoutSessionTable.columns.filter((c) => !c.pseudo);
  assert.equal(visible.length, 68);
  assert.deepEqual(
    visible.map((c) => [c.name, c.type, c.readOnly === true]),
    EXPECTED_COLUMNS,
  );
});

test('Id is the only key column', () => {
  assert.deepEqual(checkoutSessionTable.columns.filter((c) => c.key).map((c) => c.name), ['Id']);
});

test('AccountId is a writable String pseudo-column, listed after the real columns', () => {
  const pseudo = checkoutSessionTable.columns.filter((c) => c.pseudo);
  assert.deepEqual(pseudo.map((c) => [c.name, c.type, c.readOnly === true, c.encoding]), [['AccountId', 'String', false, 'account']]);
  assert.equal(checkoutSessionTable.columns.at(-1)!.name, 'AccountId');
});

test('every column has a short description of its own', () => {
  for (const column of checkoutSessionTable.columns) {
    assert.ok(column.description && column.description.length > 5 && column.description.length <= 120, column.name);
  }
});

test('read-only columns have no create parameter; SetupIntent is writable in the seed but has none', () => {
  for (const column of checkoutSessionTable.columns) {
    if (column.readOnly) assert.equal(column.createParam, undefined, column.name);
  }
  const setupIntent = checkoutSessionTable.columns.find((c) => c.name === 'SetupIntent')!;
  assert.equal(setupIntent.readOnly, undefined);
  assert.equal(setupIntent.createParam, undefined);
});

test('create parameters follow POST /v1/checkout/sessions', () => {
  const params = Object.fromEntries(
    checkoutSessionTable.columns.filter((c) => c.createParam).map((c) => [c.name, c.createParam]),
  );
  assert.deepEqual(params, {
    AfterExpirationRecoveryAllowPromotionCodes: 'after_expiration[recovery][allow_promotion_codes]',
    AfterExpirationRecoveryEnabled: 'after_expiration[recovery][enabled]',
    AllowPromotionCodes: 'allow_promotion_codes',
    AutomaticTaxEnabled: 'automatic_tax[enabled]',
    BillingAddressCollection: 'billing_address_collection',
    CancelUrl: 'cancel_url',
    ClientReferenceId: 'client_reference_id',
    Currency: 'currency',
    CustomFields: 'custom_fields',
    CustomTextAfterSubmitMessage: 'custom_text[after_submit][message]',
    CustomTextShippingAddressMessage: 'custom_text[shipping_address][message]',
    CustomTextSubmitMessage: 'custom_text[submit][message]',
    CustomTextTermsOfAcceptanceMessage: 'custom_text[terms_of_service_acceptance][message]',
    CustomerId: 'customer',
    CustomerCreation: 'customer_creation',
    CustomerEmail: 'customer_email',
    ExpiresAt: 'expires_at',
    Locale: 'locale',
    Metadata: 'metadata',
    Mode: 'mode',
    PaymentMethodCollection: 'payment_method_collection',
    PaymentMethodTypes: 'payment_method_types',
    PaymentMethodOptions: 'payment_method_options',
    PhoneNumberCollectionEnabled: 'phone_number_collection[enabled]',
    ShippingAddressCollectionAllowedCountries: 'shipping_address_collection[allowed_countries]',
    SubmitType: 'submit_type',
    SuccessUrl: 'success_url',
    UiMode: 'ui_mode',
    ReturnUrl: 'return_url',
    LineItemsAggregate: 'line_items',
    AutomaticTaxLiabilityAccount: 'automatic_tax[liability][account]',
    AutomaticTaxLiabilityType: 'automatic_tax[liability][type]',
    RedirectOnCompletion: 'redirect_on_completion',
  });
});

test('server-side filters are the seed\'s, plus IN lists and Created ranges', () => {
  assert.deepEqual(
    checkoutSessionTable.filters.map((f) => [f.column, f.kind, f.param, f.ops.join(' ')]),
    [
      ['Id', 'retrieve', 'id', '= IN'],
      ['CustomerId', 'equals', 'customer', '= IN'],
      ['CustomerDetailsEmail', 'equals', 'customer_details[email]', '= IN'],
      ['PaymentIntentId', 'equals', 'payment_intent', '= IN'],
      ['PaymentLinkId', 'equals', 'payment_link', '= IN'],
      ['Status', 'equals', 'status', '= IN'],
      ['SubscriptionId', 'equals', 'subscription', '= IN'],
      ['AccountId', 'account', 'Stripe-Account', '= IN'],
      ['Created', 'range', 'created', '= < <= > >='],
    ],
  );
});

test('the catalog finds CheckoutSession case-insensitively and lists it', () => {
  const catalog = createStripeCatalog(new FakeTransport());
  assert.ok(catalog.tableNames().includes('CheckoutSession'));
  assert.equal(catalog.getTable('checkoutsession')?.name, 'CheckoutSession');
  // The hand-written override, not the spec-derived table: 68 columns and the AccountId pseudo-column.
  assert.equal(catalog.getTable('CHECKOUTSESSION')?.columns.length, 69);
  assert.equal((catalog.getTable('CheckoutSession') as StripeTable).def, checkoutSessionTable);
  assert.equal(catalog.getTable('NoSuchTable'), undefined);
});
