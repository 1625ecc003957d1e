// Stripe's form/query encoding, byte for byte what stripe-node sends (it uses
// `qs.stringify(params, {serializeDate: unix seconds})` and then turns %5B/%5D back into brackets).
//
// Rules, all following qs as stripe-node configures it:
// - nested objects and arrays become bracketed keys, brackets left unencoded:
//   `line_items[0][price]=price_1`, `metadata[order]=42`; arrays are indexed (`expand[0]=…`),
//   and an array's index is its real position (a hole left by `undefined` stays a hole);
// - values and key segments are percent-encoded per RFC 3986, which is encodeURIComponent plus
//   `!'()*` (qs encodes those too; Stripe decodes both the same);
// - booleans `true`/`false`, numbers and bigints as decimal text, Date → Unix seconds;
// - `''` and null → `key=` (Stripe's "unset"); undefined, functions and symbols are omitted;
// - an empty object or empty array produces nothing at all (qs omits them), so to unset a
//   whole hash such as metadata pass `''`, not `{}`;
// - key order is insertion order.
// Deliberate differences from stripe-node: brackets inside *values* stay encoded (stripe-node's
// global replace un-encodes them; both decode identically), lone UTF-16 surrogates become U+FFFD
// instead of throwing, and NaN, ±Infinity and invalid Dates throw a TypeError instead of
// being sent as the text `NaN`.

import type { StripeParams } from './types.js';

/** The exact wire encoding of `params`, for a query string or a form body. */
export function encodeParams(params: StripeParams): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) appendPairs(pairs, encodeKey(key), value);
  return pairs.join('&');
}

function appendPairs(pairs: string[], key: string, value: unknown): void {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return;
  if (value === null) {
    pairs.push(`${key}=`);
  } else if (value instanceof Date) {
    const millis = value.getTime();
    if (Number.isNaN(millis)) throw new TypeError(`Parameter ${decodeForMessage(key)} is an invalid Date`);
    pairs.push(`${key}=${Math.floor(millis / 1000)}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => appendPairs(pairs, `${key}[${index}]`, item));
  } else if (typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value)) appendPairs(pairs, `${key}[${encodeKey(childKey)}]`, child);
  } else if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`Parameter ${decodeForMessage(key)} is ${value}, which Stripe cannot take`);
  } else {
    pairs.push(`${key}=${encodeComponent(String(value))}`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function encodeComponent(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Brackets in keys stay literal, as stripe-node sends them, so `{'metadata[a]': 1}` works too. */
function encodeKey(key: string): string {
  return encodeComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']');
}

function decodeForMessage(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
