// Stored procedures: one per Stripe action endpoint, reference names where they exist, every
// request built exactly from named arguments, required arguments checked before any request.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createStripeCatalog, StripeProcedures, StripeWriteError, tableDefs } from '../src/catalog/index.js';
import { generatedProcedures } from '../src/catalog/generated/procedures.js';
import type { ProcedureParamDef } from '../src/catalog/procedure-types.js';
import { ColumnValueError, type SqlValue } from '../src/engine/table.js';
import { StripeApiError } from '../src/stripe/errors.js';
import { generateCatalogFiles } from '../tools/gen/generate.js';
import { loadSpec } from '../tools/gen/spec.js';
import { FakeTransport, fullCheckoutSession } from './catalog-fake-transport.js';

function setup() {
  const transport = new FakeTransport();
  return { transport, procedures: new StripeProcedures(tableDefs, transport) };
}

const byName = (name: string) => {
  const found = generatedProcedures.find((p) => p.name === name);
  assert.ok(found, `no procedure ${name}`);
  return found;
};

test('procedures.ts is part of the generation (so the regeneration test covers it)', () => {
  const files = generateCatalogFiles(loadSpec());
  assert.ok(files.get('procedures.ts')!.includes('export const generatedProcedures'));
});

test('the reference procedures exist, on the right endpoints', () => {
  const expected: [string, string][] = [
    ['ExpireCheckoutSession', 'POST /v1/checkout/sessions/{session}/expire'],
    ['CapturePaymentIntent', 'POST /v1/payment_intents/{intent}/capture'],
    ['ConfirmPaymentIntent', 'POST /v1/payment_intents/{intent}/confirm'],
    ['CancelPaymentIntent', 'POST /v1/payment_intents/{intent}/cancel'],
    ['CancelSubscription', 'DELETE /v1/subscriptions/{subscription_exposed_id}'],
    ['ResumeSubscription', 'POST /v1/subscriptions/{subscription}/resume'],
    ['FinalizeInvoice', 'POST /v1/invoices/{invoice}/finalize'],
    ['PayInvoice', 'POST /v1/invoices/{invoice}/pay'],
    ['SendInvoice', 'POST /v1/invoices/{invoice}/send'],
    ['VoidInvoice', 'POST /v1/invoices/{invoice}/void'],
    ['MarkInvoiceUncollectible', 'POST /v1/invoices/{invoice}/mark_uncollectible'],
    ['AcceptQuote', 'POST /v1/quotes/{quote}/accept'],
    ['CancelQuote', 'POST /v1/quotes/{quote}/cancel'],
    ['FinalizeQuote', 'POST /v1/quotes/{quote}/finalize'],
    ['AttachPaymentMethodToCustomer', 'POST /v1/payment_methods/{payment_method}/attach'],
    ['DetachPaymentMethodFromCustomer', 'POST /v1/payment_methods/{payment_method}/detach'],
    ['ApproveReview', 'POST /v1/reviews/{review}/approve'],
    ['VoidCreditNotes', 'POST /v1/credit_notes/{id}/void'],
    ['DeleteCustomerDiscount', 'DELETE /v1/customers/{customer}/discount'],
    ['DeleteSubscriptionDiscount', 'DELETE /v1/subscriptions/{subscription_exposed_id}/discount'],
  ];
  for (const [name, endpoint] of expected) {
    const p = byName(name);
    assert.equal(`${p.method} ${p.path}`, endpoint, name);
  }
  // Collections and creates are not procedures.
  assert.equal(generatedProcedures.some((p) => p.path.endsWith('/usage_records') || p.path.endsWith('/lines')), false);
});

test('parameters: the id as <Resource>Id, body parameters PascalCase with types and required flags', () => {
  assert.deepEqual(byName('CancelSubscription').parameters.map((q) => [q.name, q.type, q.required, q.in, q.json ?? false]), [
    ['SubscriptionId', 'String', true, 'path', false],
    ['CancellationDetails', 'String', false, 'body', true],
    ['InvoiceNow', 'Boolean', false, 'body', false],
    ['Prorate', 'Boolean', false, 'body', false],
  ]);
  assert.deepEqual(byName('ExpireCheckoutSession').parameters.map((q) => q.name), ['CheckoutSessionId']);
  assert.deepEqual(byName('AttachPaymentMethodToCustomer').parameters.map((q) => [q.name, q.required]), [['PaymentMethodId', true], ['Customer', true]]);
  assert.deepEqual(byName('AdvanceTestClock').parameters.map((q) => [q.name, q.type, q.required]), [['TestClockId', 'String', true], ['FrozenTime', 'Datetime', true]]);
  assert.equal(byName('FinalizeQuote').parameters.find((q) => q.name === 'ExpiresAt')?.type, 'Datetime');
});

/** A sample argument and the form pairs it must become (written out by hand). */
function sample(q: ProcedureParamDef, i: number): { value: SqlValue; pairs: string[] } {
  if (q.json) return { value: '{"k":"v"}', pairs: [`${q.param}[k]=v`] };
  switch (q.type) {
    case 'Boolean': return { value: true, pairs: [`${q.param}=true`] };
    case 'Long': case 'Integer': return { value: 3, pairs: [`${q.param}=3`] };
    case 'Double': case 'Decimal': return { value: 1.5, pairs: [`${q.param}=1.5`] };
    case 'Datetime': return { value: new Date('2024-03-01T00:00:00Z'), pairs: [`${q.param}=1709251200`] };
    default: return { value: `id_${i}`, pairs: [`${q.param}=id_${i}`] };
  }
}

describe('every procedure builds its request from required arguments plus one optional one', () => {
  for (const p of generatedProcedures) {
    test(p.name, async () => {
      const { transport, procedures } = setup();
      const args: Record<string, SqlValue> = {};
      let path = p.path;
      const pairs: string[] = [];
      const optional = p.parameters.find((q) => !q.required && q.in === 'body');
      p.parameters.forEach((q, i) => {
        if (!q.required && q !== optional) return;
        if (q.in === 'path') {
          args[q.name] = `obj ${i}`;
          path = path.replace(q.placeholder!, `obj%20${i}`);
          return;
        }
        const s = sample(q, i);
        args[q.name] = s.value;
        pairs.push(...s.pairs);
      });
      const result = await procedures.call(p.name, args, { idempotencyKey: 'exec1' });
      assert.equal(transport.calls.length, 1);
      const call = transport.calls[0]!;
      if (p.method === 'POST') {
        assert.equal(call.line, `POST ${path}`);
        assert.deepEqual(call.body === '' ? [] : call.body!.split('&'), pairs);
        assert.equal(call.idempotencyKey, 'exec1-0');
      } else {
        assert.equal(call.line, `DELETE ${path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`);
        assert.equal(call.idempotencyKey, undefined);
      }
      assert.equal(result.columns[0]!.name, 'Success');
      assert.equal(result.rows.length, 1);
      assert.equal(result.rows[0]![0], true);
      assert.equal(result.rows[0]!.length, result.columns.length);
    });
  }
});

describe('arguments are checked before any request', () => {
  test('each required parameter of every procedure, left out or NULL, is refused', async () => {
    for (const p of generatedProcedures) {
      for (const missing of p.parameters.filter((q) => q.required)) {
        const { transport, procedures } = setup();
        const args: Record<string, SqlValue> = {};
        p.parameters.forEach((q, i) => {
          if (q.required && q !== missing) args[q.name] = q.in === 'path' ? 'x' : sample(q, i).value;
        });
        if (p.parameters.indexOf(missing) % 2 === 1) args[missing.name] = null;
        await assert.rejects(procedures.call(p.name, args, {}),
          (e: unknown) => e instanceof ColumnValueError && e.column === missing.name && e.message === `${p.name} needs ${missing.name}`, `${p.name}.${missing.name}`);
        assert.deepEqual(transport.calls, [], p.name);
      }
    }
  });

  test('unknown procedure, unknown parameter, wrong types', async () => {
    const { transport, procedures } = setup();
    await assert.rejects(procedures.call('NoSuchThing', {}, {}), { message: 'No stored procedure NoSuchThing' });
    await assert.rejects(procedures.call('VoidInvoice', { InvoiceId: 'in_1', Bogus: 1 }, {}),
      (e: unknown) => e instanceof ColumnValueError && e.column === 'Bogus' && /^VoidInvoice has no parameter Bogus; it takes InvoiceId, AccountId$/.test(e.message));
    await assert.rejects(procedures.call('CancelSubscription', { SubscriptionId: 'sub_1', InvoiceNow: 'yes' }, {}),
      { message: 'CancelSubscription: InvoiceNow must be true or false' });
    await assert.rejects(procedures.call('CapturePaymentIntent', { PaymentIntentId: 'pi_1', AmountToCapture: 1.5 }, {}),
      { message: 'CapturePaymentIntent: AmountToCapture must be a whole number' });
    await assert.rejects(procedures.call('VoidInvoice', { InvoiceId: 5 }, {}), { message: 'VoidInvoice: InvoiceId must be an id string' });
    assert.deepEqual(transport.calls, []);
  });
});

describe('calling', () => {
  test('names are case-insensitive; AccountId sends to that account; the result maps the returned object', async () => {
    const { transport, procedures } = setup();
    transport.answerPost('/v1/checkout/sessions/cs_1/expire', fullCheckoutSession({ id: 'cs_1', status: 'expired' }));
    const result = await procedures.call('expirecheckoutsession', { checkoutsessionid: 'cs_1', AccountId: 'acct_7' }, {});
    assert.equal(transport.calls[0]!.accountId, 'acct_7');
    assert.match(transport.calls[0]!.idempotencyKey!, /^[0-9a-f-]{36}$/);
    const names = result.columns.map((c) => c.name);
    const row = result.rows[0]!;
    assert.equal(row[names.indexOf('Success')], true);
    assert.equal(row[names.indexOf('Id')], 'cs_1');
    assert.equal(row[names.indexOf('Status')], 'expired');
    assert.equal(row[names.indexOf('AmountTotal')], 5060);
    assert.equal(names.includes('AccountId'), false, 'pseudo-columns are not result columns');
  });

  test('CancelSubscription is a DELETE with its options in the query', async () => {
    const { transport, procedures } = setup();
    await procedures.call('CancelSubscription', { SubscriptionId: 'sub_1', InvoiceNow: true, Prorate: false, CancellationDetails: '{"comment":"too pricey"}' }, {});
    assert.equal(transport.calls[0]!.line, 'DELETE /v1/subscriptions/sub_1?invoice_now=true&prorate=false&cancellation_details[comment]=too%20pricey');
  });

  test('Stripe\'s refusal names the procedure parameter', async () => {
    const { transport, procedures } = setup();
    transport.failNextWith(new StripeApiError({ message: 'Invalid boolean', status: 400, type: 'invalid_request_error', param: 'cancellation_details[feedback]', requestId: 'req_3' }));
    await assert.rejects(procedures.call('CancelSubscription', { SubscriptionId: 'sub_1', CancellationDetails: '{"feedback":"x"}' }, {}),
      (e: unknown) => e instanceof StripeWriteError && e.column === 'CancellationDetails' && e.requestId === 'req_3' &&
        e.message === 'CancelSubscription: CancellationDetails[feedback]: Invalid boolean');
  });

  test('the catalog lists procedures with AccountId and a Success column, and calls them', async () => {
    const transport = new FakeTransport();
    const catalog = createStripeCatalog(transport);
    const list = catalog.procedures!();
    assert.equal(list.length, generatedProcedures.length);
    const voidInvoice = list.find((p) => p.name === 'VoidInvoice')!;
    assert.deepEqual(voidInvoice.parameters.map((q) => [q.name, q.type, q.required]), [['InvoiceId', 'String', true], ['AccountId', 'String', false]]);
    assert.deepEqual(voidInvoice.resultColumns.slice(0, 2).map((c) => [c.name, c.type]), [['Success', 'Boolean'], ['Id', 'String']]);
    const result = await catalog.callProcedure!('VoidInvoice', { InvoiceId: 'in_1' }, {});
    assert.equal(transport.calls[0]!.line, 'POST /v1/invoices/in_1/void');
    assert.equal(result.rows[0]![0], true);
  });
});
