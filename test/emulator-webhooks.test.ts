// Events made by writes, and their signed delivery to webhook endpoints, checked with Stripe's
// own Node SDK: events list in Stripe's order, and webhooks.constructEvent accepts the signature.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { DEMO_API_KEY, startEmulator, type Emulator } from '../emulator/index.js';
import { specProblems } from './support/spec-schema.js';

interface Received {
  body: string;
  signature: string;
}

/** A local endpoint: answers with the statuses given in turn (then 200), and tells of each request. */
class Receiver {
  readonly received: Received[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  private readonly server: Server;
  url = '';

  constructor(private readonly statuses: number[] = []) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
        res.writeHead(this.statuses.shift() ?? 200).end();
        for (const waiter of this.waiters.filter((w) => this.received.length >= w.count)) waiter.resolve();
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  /** Resolves once `count` requests have arrived. */
  until(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Retries run at once, and the waits asked for are kept to assert on. */
const retryWaits: number[] = [];
let emulator: Emulator;
let stripe: Stripe;

before(async () => {
  emulator = await startEmulator({
    webhooks: { retryDelaysMs: [1000, 5000, 25000], schedule: (run, delayMs) => { retryWaits.push(delayMs); queueMicrotask(run); } },
  });
  stripe = new Stripe(DEMO_API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
});

after(async () => {
  await emulator.close();
});

async function eventTypesSince(started: number): Promise<string[]> {
  const events = await stripe.events.list({ created: { gte: started }, limit: 100 });
  return events.data.map((event) => event.type).reverse();
}

describe('events', () => {
  test('a payment makes payment_intent.created, charge.succeeded and payment_intent.succeeded', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { flow: 'events-payment' } });
    const confirmed = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    const events = (await stripe.events.list({ limit: 100 })).data.filter((event) => (event.data.object as { id?: string }).id === intent.id || (event.data.object as { payment_intent?: string }).payment_intent === intent.id);
    assert.deepEqual(events.map((event) => event.type).reverse(), ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    const succeeded = events.find((event) => event.type === 'payment_intent.succeeded')!;
    assert.deepEqual(specProblems('event', succeeded), []);
    assert.equal(succeeded.api_version, '2024-04-10');
    // The confirm request made it; stripe-node's own request id header names the same request.
    assert.match(String(succeeded.request?.id), /^req_/);
    assert.equal(succeeded.request?.id, confirmed.lastResponse.requestId);
    assert.equal(events.find((event) => event.type === 'payment_intent.created')!.request?.id, intent.lastResponse.requestId);
    assert.equal((succeeded.data.object as Stripe.PaymentIntent).status, 'succeeded');
    assert.equal((succeeded.data.object as Stripe.PaymentIntent).latest_charge, confirmed.latest_charge);
    assert.equal((await stripe.events.retrieve(succeeded.id)).type, 'payment_intent.succeeded');
  });

  test('a decline makes charge.failed and payment_intent.payment_failed; an update carries previous_attributes', async () => {
    const started = Math.floor(Date.now() / 1000);
    const intent = await stripe.paymentIntents.create({ amount: 500, currency: 'usd' });
    await assert.rejects(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }));
    const about = (event: Stripe.Event) => [(event.data.object as { id: string }).id, (event.data.object as { payment_intent?: string }).payment_intent].includes(intent.id);
    const events = (await stripe.events.list({ created: { gte: started }, limit: 100 })).data.filter(about);
    assert.deepEqual(events.map((event) => event.type).reverse(), ['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed']);

    const customer = await stripe.customers.create({ name: 'Before' });
    await stripe.customers.update(customer.id, { name: 'After' });
    const updated = (await stripe.events.list({ type: 'customer.updated', limit: 1 })).data[0]!;
    assert.equal((updated.data.object as Stripe.Customer).name, 'After');
    assert.deepEqual(updated.data.previous_attributes, { name: 'Before' });
  });

  test('a subscription makes its customer.subscription, invoice and payment events', async () => {
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 1500, recurring: { interval: 'month' }, product_data: { name: 'Events Plan' } });
    const started = Math.floor(Date.now() / 1000);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const types = await eventTypesSince(started);
    for (const expected of ['invoice.created', 'invoice.finalized', 'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'invoice.paid', 'invoice.payment_succeeded', 'customer.subscription.created']) {
      assert.ok(types.includes(expected), `${expected} in ${types.join(', ')}`);
    }
    assert.ok(types.indexOf('invoice.finalized') < types.indexOf('invoice.paid'));
    await stripe.subscriptions.cancel(subscription.id);
    const deleted = (await stripe.events.list({ type: 'customer.subscription.deleted', limit: 1 })).data[0]!;
    assert.equal((deleted.data.object as Stripe.Subscription).id, subscription.id);
  });
});

describe('webhooks', () => {
  test('an endpoint gets a whsec_ secret and receives signed events that constructEvent verifies', async () => {
    const receiver = new Receiver();
    await receiver.start();
    try {
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['payment_intent.succeeded', 'charge.succeeded'] });
      assert.match(String(endpoint.secret), /^whsec_\w{32}$/);
      assert.deepEqual(specProblems('webhook_endpoint', endpoint), []);
      assert.equal(endpoint.status, 'enabled');

      const paid = await stripe.paymentIntents.create({ amount: 2500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
      await receiver.until(2);
      const events = receiver.received.map(({ body, signature }) => stripe.webhooks.constructEvent(body, signature, String(endpoint.secret)));
      assert.deepEqual(events.map((event) => event.type), ['charge.succeeded', 'payment_intent.succeeded']);
      assert.equal((events[1]!.data.object as Stripe.PaymentIntent).id, paid.id);
      assert.throws(() => stripe.webhooks.constructEvent(receiver.received[0]!.body, receiver.received[0]!.signature, 'whsec_wrong'), Stripe.errors.StripeSignatureVerificationError);

      // Not asked for: payment_intent.created was not sent.
      assert.ok(!receiver.received.some(({ body }) => JSON.parse(body).type === 'payment_intent.created'));
      await stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await receiver.close();
    }
  });

  test('a failed delivery is retried after growing waits until the endpoint takes it', async () => {
    const receiver = new Receiver([500, 503]);
    await receiver.start();
    try {
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
      retryWaits.length = 0;
      const customer = await stripe.customers.create({ email: 'webhook-retry@example.com' });
      await receiver.until(3);
      const bodies = receiver.received.map(({ body, signature }) => stripe.webhooks.constructEvent(body, signature, String(endpoint.secret)));
      assert.deepEqual(new Set(bodies.map((event) => event.id)).size, 1);
      assert.equal((bodies[0]!.data.object as Stripe.Customer).id, customer.id);
      assert.deepEqual(retryWaits, [1000, 5000]);
      await emulator.webhooksSettled();
      const attempts = emulator.webhookDeliveries.filter((delivery) => delivery.endpoint === endpoint.id).map((delivery) => [delivery.attempt, delivery.status]);
      assert.deepEqual(attempts, [[1, 500], [2, 503], [3, 200]]);
      await stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await receiver.close();
    }
  });
});
