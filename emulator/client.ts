import { DEMO_API_KEY, type Emulator } from './index.js';

// A bare fetch wrapper for talking to the emulator in tests, with no encoding help on
// purpose: callers write the exact query string or form body Stripe would receive.

export interface CallOptions {
  /** Raw query string without '?'. */
  query?: string;
  /** Raw form body (POST). */
  body?: string;
  /** API key; null sends no Authorization header. Default DEMO_API_KEY. */
  key?: string | null;
  account?: string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  /** Parsed JSON body (null when empty); `any` so tests can reach into it freely. */
  json: any;
}

export async function call(emulator: Pick<Emulator, 'url'>, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const key = options.key === undefined ? DEMO_API_KEY : options.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (options.account !== undefined) headers['Stripe-Account'] = options.account;
  if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
  if (options.body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const url = `${emulator.url}${path}${options.query ? `?${options.query}` : ''}`;
  const response = await fetch(url, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? null : JSON.parse(text) };
}
