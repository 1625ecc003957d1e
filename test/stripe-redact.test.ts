import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactKey, scrubSecrets } from '../src/stripe/index.js';

const KEY = 'sk_test_51Habcdefghijklmnopqrstuvwxyz0123456789ABCD';

test('redactKey keeps the prefix up to the mode and the last four', () => {
  assert.equal(redactKey(KEY), 'sk_test_…ABCD');
  assert.equal(redactKey('sk_live_000000000000wxyz'), 'sk_live_…wxyz');
  assert.equal(redactKey('rk_live_1234567890abcdef'), 'rk_live_…cdef');
});

test('redactKey hides short secrets entirely', () => {
  assert.equal(redactKey('sk_test_abcd'), 'sk_test_<redacted>');
  assert.equal(redactKey('sk_test_12345678901'), 'sk_test_<redacted>');
  assert.equal(redactKey('sk_test_123456789012'), 'sk_test_…9012');
  assert.equal(redactKey(''), '<redacted>');
  assert.equal(redactKey('short'), '<redacted>');
});

test('redactKey shows only the last four of odd but long keys', () => {
  assert.equal(redactKey('whatever-0123456789abcdef'), '…cdef');
});

test('scrubSecrets replaces the given secret and anything key-shaped', () => {
  assert.equal(scrubSecrets(`bad key ${KEY}!`, [KEY]), 'bad key sk_test_…ABCD!');
  assert.equal(scrubSecrets('Invalid API Key provided: sk_test_********************wxyz'), 'Invalid API Key provided: sk_test_…wxyz');
  assert.equal(scrubSecrets('also rk_live_abcdefghijklmnop here'), 'also rk_live_…mnop here');
  assert.equal(scrubSecrets('a custom-secret-value-123456 b', ['custom-secret-value-123456']), 'a …3456 b');
  assert.equal(scrubSecrets('nothing to see'), 'nothing to see');
});

test('scrubSecrets finds a key glued to a word by _ or inside a URL', () => {
  assert.equal(scrubSecrets('my_sk_live_abcdefghijklmnop'), 'my_sk_live_…mnop');
  assert.equal(scrubSecrets('http://127.0.0.1:9/sk_test_abcdefghijklmnop/v1?k=rk_live_abcdefghijklmnop'), 'http://127.0.0.1:9/sk_test_…mnop/v1?k=rk_live_…mnop');
  assert.equal(scrubSecrets('task_test_abcdefgh'), 'task_test_abcdefgh', 'a word merely ending in sk_ is left alone');
});
