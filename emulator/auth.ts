// API keys as Stripe reads them: `Authorization: Bearer <key>` (or Basic with the key as
// user name, as curl -u sends it). Keys are only ever shown masked.

const KEY_SHAPE = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;

export type KeyCheck =
  | { ok: true; key: string; livemode: boolean }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'invalid'; key: string };

export function readApiKey(authorization: string | undefined): KeyCheck {
  if (!authorization) return { ok: false, reason: 'missing' };
  let key: string | undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) key = bearer[1];
  else if (basic) key = Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':')[0];
  if (!key) return { ok: false, reason: 'missing' };
  if (!KEY_SHAPE.test(key) || key.includes('invalid')) return { ok: false, reason: 'invalid', key };
  return { ok: true, key, livemode: key.includes('_live_') };
}

/** `sk_test_********************abcd`: the mode prefix and the last four characters. */
export function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  if (rest.length <= 4) return prefix + '*'.repeat(rest.length);
  return prefix + '*'.repeat(rest.length - 4) + rest.slice(-4);
}
