// Keeping API keys out of every message, stack and log line the transport produces.

const MODE_PREFIX = /^([a-z]{2,}_(?:test|live)_)(.*)$/s;
/**
 * Anything shaped like a Stripe secret, restricted or publishable key, including Stripe's own
 * masked echo (`sk_test_****abcd`), wherever it sits: in a path, a query (`?key=sk_…`), or glued
 * to a word by `_` (`my_sk_live_…`), which `\b` would miss.
 */
const KEY_LIKE = /(?<![A-Za-z0-9])(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9*]{4,}/g;

/**
 * `sk_test_…abcd`: the prefix up to the mode, an ellipsis, the last four characters.
 * Short keys would give too much away through their last four, so they show less or nothing.
 */
export function redactKey(key: string): string {
  const match = MODE_PREFIX.exec(key);
  if (match) {
    const [, prefix, secret] = match as unknown as [string, string, string];
    return secret.length >= 12 ? `${prefix}…${secret.slice(-4)}` : `${prefix}<redacted>`;
  }
  return key.length >= 16 ? `…${key.slice(-4)}` : '<redacted>';
}

/** Replaces the given secrets, and anything that looks like a Stripe key, with their redacted form. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (secret.length > 0) scrubbed = scrubbed.split(secret).join(redactKey(secret));
  }
  return scrubbed.replace(KEY_LIKE, (key) => redactKey(key));
}
