import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConnectionString } from '../src/connection-options.js';
import { ConnectionError } from '../src/stripe/errors.js';

test('parses the connection string users know, names case-insensitive', () => {
  assert.deepEqual(parseConnectionString('AuthScheme=APIKey;LiveAPIKey=sk_test_abc;AccountId=acct_1'), {
    apiKey: 'sk_test_abc',
    accountId: 'acct_1',
  });
  assert.deepEqual(parseConnectionString(' authscheme = apikey ; liveapikey=sk_test_abc ; '), { apiKey: 'sk_test_abc' });
});

test('parses numbers, seconds to milliseconds, and quoted values containing ; and =', () => {
  assert.deepEqual(
    parseConnectionString(`APIKey=sk_test_1;BaseUrl="http://127.0.0.1:9/a;b=c";MaxRequestsPerSecond=7.5;MaxRetries=0;Timeout=2;MaxConcurrency=3`),
    {
      apiKey: 'sk_test_1',
      baseUrl: 'http://127.0.0.1:9/a;b=c',
      maxRequestsPerSecond: 7.5,
      maxRetries: 0,
      timeoutMs: 2000,
      maxConcurrency: 3,
    },
  );
  assert.deepEqual(parseConnectionString(`BaseUrl='http://x'`), { baseUrl: 'http://x' });
});

test('rejects unknown properties, bad numbers, other auth schemes, fragments and open quotes', () => {
  const cases: [string, RegExp][] = [
    ['Colour=blue', /Unknown connection property 'Colour'/],
    ['MaxRequestsPerSecond=fast', /^MaxRequestsPerSecond must be a positive number$/],
    ['MaxRetries=-1', /MaxRetries must be a whole number/],
    ['MaxConcurrency=1.5', /MaxConcurrency must be a whole number/],
    ['AuthScheme=OAuth', /^AuthScheme: only APIKey is supported/],
    ['LiveAPIKey=sk_test_1;garbage', /expected Name=Value, found text without '='/],
    ['BaseUrl="http://x', /unterminated quote in the value of 'BaseUrl'/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseConnectionString(text), (e: unknown) => e instanceof ConnectionError && message.test(e.message), text);
  }
});

test('an error about the connection string never repeats the key', () => {
  assert.throws(
    () => parseConnectionString('LiveAPIKey=sk_test_supersecret;Bogus=1'),
    (e: unknown) => e instanceof Error && !e.message.includes('supersecret'),
  );
});

test('parse errors name the property, never a value: a key in the wrong place is not repeated', () => {
  const secret = 'sk_live_51SuperSecretValue0123456789';
  const cases: [string, RegExp][] = [
    [`AuthScheme=APIKey;LiveAPIKey ${secret}`, /expected Name=Value, found text without '='; is the '=' missing after LiveAPIKey\?/],
    [`AuthScheme=APIKey;${secret}`, /expected Name=Value, found text without '='/],
    [`${secret}=1`, /Unknown connection property \(a name that is not shown/],
    [`MaxRetries=${secret}`, /^MaxRetries must be a whole number ≥ 0$/],
    [`Timeout=${secret}`, /^Timeout must be a positive number$/],
    [`Readonly=${secret}`, /^Readonly must be true or false$/],
    [`AuthScheme=${secret}`, /^AuthScheme: only APIKey is supported/],
    [`LiveAPIKey="${secret}`, /unterminated quote in the value of 'LiveAPIKey'/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseConnectionString(text),
      (e: unknown) => e instanceof ConnectionError && message.test(e.message) && !e.message.includes('SuperSecret'),
      text,
    );
  }
});
