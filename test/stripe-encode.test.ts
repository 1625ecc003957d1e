import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeParams } from '../src/stripe/index.js';

test('the checkout session example encodes exactly as Stripe expects', () => {
  assert.equal(
    encodeParams({ mode: 'payment', success_url: 'https://example.com/success', line_items: [{ price: 'price_1', quantity: 23 }] }),
    'mode=payment&success_url=https%3A%2F%2Fexample.com%2Fsuccess&line_items[0][price]=price_1&line_items[0][quantity]=23',
  );
});

test('nested hashes keep brackets literal and encode values', () => {
  assert.equal(encodeParams({ metadata: { order: 42 } }), 'metadata[order]=42');
  assert.equal(encodeParams({ customer_details: { email: 'a@b.c' } }), 'customer_details[email]=a%40b.c');
});

test('arrays are indexed', () => {
  assert.equal(encodeParams({ expand: ['data.line_items', 'data.customer'] }), 'expand[0]=data.line_items&expand[1]=data.customer');
  assert.equal(encodeParams({ grid: [['a', 'b'], ['c']] }), 'grid[0][0]=a&grid[0][1]=b&grid[1][0]=c');
});

test('nested arrays of objects', () => {
  assert.equal(
    encodeParams({
      line_items: [
        { price_data: { currency: 'usd', product_data: { name: 'T shirt' }, unit_amount: 2000 }, quantity: 1 },
        { price: 'price_2', adjustable_quantity: { enabled: true, maximum: 5 } },
      ],
    }),
    'line_items[0][price_data][currency]=usd&line_items[0][price_data][product_data][name]=T%20shirt' +
      '&line_items[0][price_data][unit_amount]=2000&line_items[0][quantity]=1' +
      '&line_items[1][price]=price_2&line_items[1][adjustable_quantity][enabled]=true&line_items[1][adjustable_quantity][maximum]=5',
  );
});

test('reserved characters are percent-encoded, space as %20', () => {
  assert.equal(encodeParams({ q: 'a b@c/d:e?f&g=h+i#j%k' }), 'q=a%20b%40c%2Fd%3Ae%3Ff%26g%3Dh%2Bi%23j%25k');
});

test("RFC 3986: !'()* are encoded too, as qs (and so stripe-node) does", () => {
  assert.equal(encodeParams({ q: "email:'x'!(y)*" }), 'q=email%3A%27x%27%21%28y%29%2A');
});

test('unreserved characters pass through', () => {
  assert.equal(encodeParams({ q: 'AZaz09-_.~' }), 'q=AZaz09-_.~');
});

test('unicode is UTF-8 percent-encoded; lone surrogates become U+FFFD', () => {
  assert.equal(encodeParams({ name: 'café ☕' }), 'name=caf%C3%A9%20%E2%98%95');
  assert.equal(encodeParams({ name: '😀' }), 'name=%F0%9F%98%80');
  assert.equal(encodeParams({ name: 'a\uD800b' }), 'name=a%EF%BF%BDb');
  assert.equal(encodeParams({ metadata: { 'clé': 'v' } }), 'metadata[cl%C3%A9]=v');
});

test('null and empty string unset (key=); undefined is omitted', () => {
  assert.equal(encodeParams({ a: null, b: '', c: undefined, d: 'x' }), 'a=&b=&d=x');
  assert.equal(encodeParams({ metadata: { old: '', gone: null, keep: undefined } }), 'metadata[old]=&metadata[gone]=');
});

test('empty objects and arrays are omitted, as qs does', () => {
  assert.equal(encodeParams({ metadata: {}, expand: [], a: 1 }), 'a=1');
  assert.equal(encodeParams({}), '');
});

test('an array hole keeps its index', () => {
  assert.equal(encodeParams({ expand: ['a', undefined, 'c'] }), 'expand[0]=a&expand[2]=c');
});

test('booleans, numbers, bigints', () => {
  assert.equal(
    encodeParams({ t: true, f: false, zero: 0, neg: -1.5, big: 12345678901234567890n }),
    't=true&f=false&zero=0&neg=-1.5&big=12345678901234567890',
  );
});

test('Dates become Unix seconds, rounded down', () => {
  assert.equal(encodeParams({ created: { gte: new Date(1700000000999) } }), 'created[gte]=1700000000');
  assert.equal(encodeParams({ at: [new Date('1970-01-01T00:00:01.000Z')] }), 'at[0]=1');
});

test('keys are encoded except brackets; pre-bracketed keys work', () => {
  assert.equal(encodeParams({ metadata: { 'a b&c=d': '1' } }), 'metadata[a%20b%26c%3Dd]=1');
  assert.equal(encodeParams({ 'metadata[x]': 'y' }), 'metadata[x]=y');
});

test('brackets inside values stay encoded', () => {
  assert.equal(encodeParams({ q: 'a[b]' }), 'q=a%5Bb%5D');
});

test('key order is insertion order', () => {
  assert.equal(encodeParams({ z: 1, a: 2, m: { y: 1, b: 2 } }), 'z=1&a=2&m[y]=1&m[b]=2');
});

test('functions and symbols are skipped', () => {
  assert.equal(encodeParams({ f: () => 1, s: Symbol('x'), a: 1 }), 'a=1');
});

test('NaN, Infinity and invalid Dates are refused with the parameter named', () => {
  assert.throws(() => encodeParams({ amount: NaN }), { name: 'TypeError', message: 'Parameter amount is NaN, which Stripe cannot take' });
  assert.throws(() => encodeParams({ a: { b: Infinity } }), { name: 'TypeError', message: 'Parameter a[b] is Infinity, which Stripe cannot take' });
  assert.throws(() => encodeParams({ created: new Date('nope') }), { name: 'TypeError', message: 'Parameter created is an invalid Date' });
});
