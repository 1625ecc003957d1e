// The transport's public face; the Stripe tables in catalog/ are its only caller.

export { StripeClient, USER_AGENT, DEFAULT_BASE_URL, DEFAULT_API_VERSION, type PageOptions } from './client.js';
export { StripeApiError, ConnectionError, type StripeApiErrorFields } from './errors.js';
export { StalledListError } from './paginate.js';
export { BudgetRegistry, AIMD, type BudgetSnapshot } from './shared-budget.js';
export { encodeParams } from './encode.js';
export { redactKey, scrubSecrets } from './redact.js';
export type {
  HttpMethod,
  StripeParams,
  StripeClientOptions,
  StripeRequest,
  StripeList,
  StripeSearchResult,
  StripeObject,
  TransportStats,
} from './types.js';
