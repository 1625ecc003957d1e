import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../emulator/client.js';
import { CONNECTED_ACCOUNT, startEmulator, type Emulator } from '../emulator/index.js';

describe('emulator: authentication and accounts', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  it('answers 401 with Stripe’s body when no key is sent, and logs the request', async () => {
    emulator.clearLog();
    const response = await call(emulator, 'GET', '/v1/customers', { key: null });
    assert.equal(response.status, 401);
    assert.equal(response.json.error.type, 'invalid_request_error');
    assert.match(response.json.error.message, /^You did not provide an API key\. You need to provide your API key in the Authorization header, using Bearer auth/);
    assert.equal(emulator.requestLog.length, 1);
    assert.deepEqual(
      { method: emulator.requestLog[0]!.method, path: emulator.requestLog[0]!.path, status: emulator.requestLog[0]!.status },
      { method: 'GET', path: '/v1/customers', status: 401 },
    );
  });

  it('treats a malformed Authorization header as no key', async () => {
    const response = await call(emulator, 'GET', '/v1/customers', { key: null, headers: { Authorization: 'Token abc' } });
    assert.equal(response.status, 401);
    assert.match(response.json.error.message, /^You did not provide an API key/);
  });

  it('rejects an unknown key shape or a key containing "invalid", masking the key', async () => {
    const bad = await call(emulator, 'GET', '/v1/customers', { key: 'sk_test_invalid_key_abcd' });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.json, {
      error: { message: 'Invalid API Key provided: sk_test_************abcd', type: 'invalid_request_error' },
    });
    const publishable = await call(emulator, 'GET', '/v1/customers', { key: 'pk_test_123456789' });
    assert.equal(publishable.status, 401);
    assert.equal(publishable.json.error.message, 'Invalid API Key provided: pk_test_*****6789');
  });

  it('masks the key in the request log', async () => {
    emulator.clearLog();
    await call(emulator, 'GET', '/v1/customers', { query: 'limit=1' });
    assert.equal(emulator.requestLog[0]!.headers.authorization, 'Bearer sk_test_******************0000');
    assert.equal(emulator.requestLog[0]!.query, 'limit=1');
  });

  it('accepts live and restricted keys; livemode follows the key', async () => {
    const test = await call(emulator, 'GET', '/v1/customers', { query: 'limit=1' });
    assert.equal(test.json.data[0].livemode, false);
    const live = await call(emulator, 'GET', '/v1/customers', { query: 'limit=1', key: 'sk_live_abc123' });
    assert.equal(live.status, 200);
    assert.equal(live.json.data[0].livemode, true);
    const restricted = await call(emulator, 'GET', '/v1/customers', { query: 'limit=1', key: 'rk_test_abc123' });
    assert.equal(restricted.status, 200);
  });

  it('accepts Basic auth with the key as user name, as curl -u sends it', async () => {
    const basic = Buffer.from('sk_test_abc123:').toString('base64');
    const response = await call(emulator, 'GET', '/v1/customers', { key: null, query: 'limit=1', headers: { Authorization: `Basic ${basic}` } });
    assert.equal(response.status, 200);
  });

  it('sends a Request-Id header on successes and errors alike', async () => {
    const ok = await call(emulator, 'GET', '/v1/customers', { query: 'limit=1' });
    const failed = await call(emulator, 'GET', '/v1/customers', { key: null });
    assert.match(ok.headers.get('request-id') ?? '', /^req_[A-Za-z0-9]{14}$/);
    assert.match(failed.headers.get('request-id') ?? '', /^req_[A-Za-z0-9]{14}$/);
    assert.notEqual(ok.headers.get('request-id'), failed.headers.get('request-id'));
    assert.equal(ok.headers.get('stripe-version'), '2024-04-10');
  });

  it('answers 403 for a Stripe-Account the key cannot reach', async () => {
    const response = await call(emulator, 'GET', '/v1/checkout/sessions', { account: 'acct_unknown' });
    assert.equal(response.status, 403);
    assert.equal(
      response.json.error.message,
      "The provided key 'sk_test_******************0000' does not have access to account 'acct_unknown' (or that account does not exist). Application access may have been revoked.",
    );
    assert.equal(response.json.error.code, 'account_invalid');
    assert.equal(emulator.requestLog.at(-1)!.account, 'acct_unknown');
  });

  it('answers 404 for an unknown URL', async () => {
    const response = await call(emulator, 'GET', '/v1/nothing_here');
    assert.equal(response.status, 404);
    assert.match(response.json.error.message, /^Unrecognized request URL \(GET: \/v1\/nothing_here\)/);
    const wrongMethod = await call(emulator, 'DELETE', '/v1/prices/price_x');
    assert.equal(wrongMethod.status, 404);
  });

  it('serves a seeded connected account', async () => {
    const response = await call(emulator, 'GET', '/v1/checkout/sessions', { account: CONNECTED_ACCOUNT, query: 'limit=100' });
    assert.equal(response.status, 200);
    assert.equal(response.json.data.length, 14);
  });
});
