// Table and column names: the reference product's names where it has the table, otherwise
// PascalCase of the API path in the reference's plural style.

/** List (or read) path → the reference product's table or view name. */
export const referenceNames: Readonly<Record<string, string>> = {
  '/v1/accounts': 'Accounts',
  '/v1/accounts/{account}/persons': 'Persons',
  '/v1/application_fees': 'ApplicationFees',
  '/v1/application_fees/{id}/refunds': 'ApplicationFeeRefunds',
  '/v1/balance_transactions': 'BalanceTransactions',
  '/v1/charges': 'Charges',
  '/v1/checkout/sessions': 'CheckoutSession',
  '/v1/checkout/sessions/{session}/line_items': 'CheckoutSessionLineItems',
  '/v1/country_specs': 'CountrySpecs',
  '/v1/coupons': 'Coupons',
  '/v1/credit_notes': 'CreditNotes',
  '/v1/credit_notes/{credit_note}/lines': 'CreditNoteLineItems',
  '/v1/customers': 'Customers',
  '/v1/customers/{customer}/balance_transactions': 'CustomerBalanceTransactions',
  '/v1/customers/{customer}/bank_accounts': 'BankAccounts',
  '/v1/customers/{customer}/cards': 'Cards',
  '/v1/customers/{customer}/cash_balance': 'CashBalance',
  '/v1/customers/{customer}/cash_balance_transactions': 'CashBalanceTransactions',
  '/v1/customers/{customer}/tax_ids': 'CustomerTaxIds',
  '/v1/disputes': 'Disputes',
  '/v1/events': 'Events',
  '/v1/file_links': 'FileLinks',
  '/v1/files': 'Files',
  '/v1/invoiceitems': 'InvoiceItems',
  '/v1/invoices': 'Invoices',
  '/v1/invoices/{invoice}/lines': 'InvoiceLineItems',
  '/v1/issuing/authorizations': 'Authorizations',
  '/v1/issuing/cardholders': 'Cardholders',
  '/v1/mandates/{mandate}': 'Mandates',
  '/v1/payment_intents': 'PaymentIntent',
  '/v1/payment_links': 'PaymentLinks',
  '/v1/payment_links/{payment_link}/line_items': 'PaymentLinkLineItems',
  '/v1/payment_method_configurations': 'PaymentMethodConfigurations',
  '/v1/payment_methods': 'PaymentMethods',
  '/v1/payouts': 'Payouts',
  '/v1/plans': 'Plans',
  '/v1/prices': 'Prices',
  '/v1/products': 'Products',
  '/v1/promotion_codes': 'PromotionCodes',
  '/v1/quotes': 'Quotes',
  '/v1/radar/early_fraud_warnings': 'EarlyFraudWarning',
  '/v1/radar/value_list_items': 'ValueListItems',
  '/v1/radar/value_lists': 'ValueLists',
  '/v1/refunds': 'Refunds',
  '/v1/reviews': 'Reviews',
  '/v1/setup_intents': 'SetupIntents',
  '/v1/shipping_rates': 'ShippingRates',
  '/v1/sources/{source}/source_transactions': 'SourceTransactions',
  '/v1/subscription_items': 'SubscriptionItems',
  '/v1/subscription_items/{subscription_item}/usage_record_summaries': 'UsageRecordSummaries',
  '/v1/subscription_items/{subscription_item}/usage_records': 'UsageRecords',
  '/v1/subscription_schedules': 'SubscriptionSchedules',
  '/v1/subscriptions': 'Subscriptions',
  '/v1/tax_codes': 'TaxCodes',
  '/v1/tax_ids': 'TaxIds',
  '/v1/tax_rates': 'TaxRates',
  '/v1/test_helpers/test_clocks': 'TestClocks',
  '/v1/topups': 'TopUps',
  '/v1/transfers': 'Transfers',
  '/v1/transfers/{id}/reversals': 'TransferReversals',
};

/**
 * Views of objects Stripe keeps one of per account (GET without an id). `rows` names an array
 * whose elements are the rows, with `rowSchema` their schema.
 */
export const singletonViews: readonly { name: string; path: string; rows?: string; rowSchema?: string; description: string }[] = [
  { name: 'Balance', path: '/v1/balance', description: 'The balance of the account: one row (amount arrays as JSON).' },
  { name: 'AvailableBalance', path: '/v1/balance', rows: 'available', rowSchema: 'balance_amount', description: 'Funds available to transfer or pay out: one row per currency.' },
  { name: 'PendingBalance', path: '/v1/balance', rows: 'pending', rowSchema: 'balance_amount', description: 'Funds not yet available: one row per currency.' },
  { name: 'TaxSettings', path: '/v1/tax/settings', description: 'Stripe Tax settings of the account: one row.' },
];

/** Tables of objects Stripe can only read by id (no list endpoint). */
export const retrieveOnlyTables: readonly { name: string; retrieve: string; create?: string; description: string }[] = [
  { name: 'BankAccountTokens', retrieve: '/v1/tokens/{token}', create: '/v1/tokens', description: 'Single-use tokens of bank account details; read by Id.' },
  { name: 'CardTokens', retrieve: '/v1/tokens/{token}', create: '/v1/tokens', description: 'Single-use tokens of card details; read by Id.' },
  { name: 'ConfirmationTokens', retrieve: '/v1/confirmation_tokens/{confirmation_token}', description: 'Confirmation tokens; read by Id.' },
  { name: 'IssuingSettlements', retrieve: '/v1/issuing/settlements/{settlement}', description: 'Issuing settlements; read by Id.' },
  { name: 'Mandates', retrieve: '/v1/mandates/{mandate}', description: 'Mandates: permission to debit a payment method; read by Id.' },
  { name: 'Sources', retrieve: '/v1/sources/{source}', create: '/v1/sources', description: 'Sources (legacy payment sources); read by Id.' },
  { name: 'TaxTransactions', retrieve: '/v1/tax/transactions/{transaction}', description: 'Tax transactions; read by Id.' },
];

/**
 * Lists that repeat another table (same objects, other path) or that are previews computed from
 * request parameters rather than stored objects: left out so every object has one home.
 */
export const skippedLists: ReadonlySet<string> = new Set([
  '/v1/accounts/{account}/external_accounts', // bank accounts and cards of a connected account, polymorphic
  '/v1/accounts/{account}/people', // = persons
  '/v1/balance/history', // = balance_transactions
  '/v1/charges/{charge}/refunds', // = refunds?charge=
  '/v1/credit_notes/preview/lines', // a preview computed from parameters
  '/v1/customers/{customer}/payment_methods', // = payment_methods?customer=
  '/v1/customers/{customer}/sources', // polymorphic; = bank_accounts and cards
  '/v1/customers/{customer}/subscriptions', // = subscriptions?customer=
  '/v1/invoices/upcoming/lines', // a preview computed from parameters
  '/v1/linked_accounts', // = financial_connections/accounts
  '/v1/linked_accounts/{account}/owners', // = financial_connections/accounts/{account}/owners
]);

/**
 * A required list parameter that names one parent object of a listable resource: without it the
 * table lists those parents and reads each one's children. Key: `param` or `listPath param`.
 */
export const queryParents: Readonly<Record<string, string>> = {
  subscription: '/v1/subscriptions',
  value_list: '/v1/radar/value_lists',
  setup_intent: '/v1/setup_intents',
  card: '/v1/issuing/cards',
  financial_account: '/v1/treasury/financial_accounts',
  customer: '/v1/customers',
  '/v1/financial_connections/transactions account': '/v1/financial_connections/accounts',
};

/**
 * Fields Stripe leaves out of an object unless `expand[]` asks for them ("includable"); the spec
 * does not mark them, Stripe's changelog does (customer lists since 2020-08-27, charge refunds
 * since 2022-11-15). Value: the list path with more pages (`{id}` = the object), or null.
 */
export const includableFields: Readonly<Record<string, Readonly<Record<string, string | null>>>> = {
  'checkout.session': { line_items: '/v1/checkout/sessions/{id}/line_items' },
  charge: { refunds: '/v1/charges/{id}/refunds' },
  customer: {
    cash_balance: null,
    invoice_credit_balance: null,
    sources: '/v1/customers/{id}/sources',
    subscriptions: '/v1/customers/{id}/subscriptions',
    tax_ids: '/v1/customers/{id}/tax_ids',
  },
  payment_link: { line_items: '/v1/payment_links/{id}/line_items' },
  quote: { line_items: '/v1/quotes/{id}/line_items' },
};

/**
 * Embedded lists Stripe does send (first page only): where their later pages are read, so the
 * column is never silently cut at ten entries. `{id}` = the object's id.
 */
export const embeddedListPages: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  account: { external_accounts: '/v1/accounts/{id}/external_accounts' },
  application_fee: { refunds: '/v1/application_fees/{id}/refunds' },
  credit_note: { lines: '/v1/credit_notes/{id}/lines' },
  file: { links: '/v1/file_links?file={id}' },
  invoice: { lines: '/v1/invoices/{id}/lines' },
  'radar.value_list': { list_items: '/v1/radar/value_list_items?value_list={id}' },
  subscription: { items: '/v1/subscription_items?subscription={id}' },
  'tax.transaction': { line_items: '/v1/tax/transactions/{id}/line_items' },
  transfer: { reversals: '/v1/transfers/{id}/reversals' },
};

/** Column names that would collide with the AccountId pseudo-column (the Stripe-Account header). */
export const ACCOUNT_PSEUDO_COLUMN = 'AccountId';
export const CONNECTED_ACCOUNT_COLUMN = 'ConnectedAccountId';

export function pascal(snake: string): string {
  return snake.split(/[_.\-/]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

export function singular(name: string): string {
  if (/ies$/.test(name)) return name.slice(0, -3) + 'y';
  if (/(ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}

/** `/v1/issuing/cards` → IssuingCards; `/v1/test_helpers/test_clocks` → TestHelpersTestClocks. */
export function defaultTableName(listPath: string): string {
  return pascal(listPath.replace(/^\/v1\//, '').split('/').filter((s) => !s.startsWith('{')).join('_'));
}

/** Child table name: the parent's singular name and the child's own segment (QuoteLineItems). */
export function childTableName(parentName: string, childSegment: string): string {
  return singular(parentName) + pascal(childSegment);
}

/** The column holding a parent's id (InvoiceId); a connected account's is ConnectedAccountId. */
export function parentColumnName(parentName: string): string {
  const column = singular(parentName) + 'Id';
  return column === ACCOUNT_PSEUDO_COLUMN ? CONNECTED_ACCOUNT_COLUMN : column;
}

/** `invoice-line-items.ts` for InvoiceLineItems. */
export function fileNameOf(tableName: string): string {
  return tableName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase() + '.ts';
}

/** `invoiceLineItemsTable` for InvoiceLineItems. */
export function exportNameOf(tableName: string): string {
  return tableName[0]!.toLowerCase() + tableName.slice(1) + 'Table';
}
