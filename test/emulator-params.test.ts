import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalParams, parseParams } from '../emulator/params.js';
import { s, validateParams } from '../emulator/schema.js';
import { StripeError } from '../emulator/errors.js';

describe('emulator: bracket parameter parsing', () => {
  it('nests bracketed keys and decodes values', () => {
    assert.deepEqual(parseParams('created[gte]=1&customer_details[email]=a%40b.c&metadata[k]=v%20w&name=a+b'), {
      created: { gte: '1' },
      customer_details: { email: 'a@b.c' },
      metadata: { k: 'v w' },
      name: 'a b',
    });
  });

  it('builds arrays from [] and from indexes, in index order', () => {
    assert.deepEqual(parseParams('expand[]=x&expand[]=y'), { expand: ['x', 'y'] });
    assert.deepEqual(parseParams('expand[1]=y&expand[0]=x'), { expand: ['x', 'y'] });
    assert.deepEqual(parseParams('line_items[0][price]=p&line_items[0][quantity]=2&line_items[1][price]=q'), {
      line_items: [{ price: 'p', quantity: '2' }, { price: 'q' }],
    });
  });

  it('decodes percent-encoded brackets and keeps empty values as ""', () => {
    assert.deepEqual(parseParams('metadata%5Bk%5D=&description='), { metadata: { k: '' }, description: '' });
    assert.deepEqual(parseParams(''), {});
  });

  it('gives the same canonical text for the same parameters in any order', () => {
    assert.equal(canonicalParams(parseParams('a=1&b[c]=2')), canonicalParams(parseParams('b[c]=2&a=1')));
    assert.notEqual(canonicalParams(parseParams('a=1')), canonicalParams(parseParams('a=2')));
  });
});

describe('emulator: parameter validation', () => {
  const schema = s.object({
    limit: s.integer(),
    active: s.boolean(),
    created: s.range(),
    metadata: s.map(),
    status: s.enum(['open', 'complete']),
    nested: s.object({ email: s.string() }, ['email']),
  });

  function errorOf(query: string): Record<string, unknown> {
    try {
      validateParams(schema, parseParams(query));
    } catch (error) {
      assert.ok(error instanceof StripeError);
      return { status: error.status, ...error.body };
    }
    assert.fail('expected a StripeError');
  }

  it('converts integers, booleans, ranges and unset metadata', () => {
    assert.deepEqual(validateParams(schema, parseParams('limit=5&active=true&created[lt]=9&metadata[a]=&metadata[b]=x')), {
      limit: 5,
      active: true,
      created: { lt: 9 },
      metadata: { a: null, b: 'x' },
    });
    assert.deepEqual(validateParams(schema, parseParams('created=7')), { created: 7 });
  });

  it('reports Stripe’s messages with the parameter’s bracket path', () => {
    assert.equal(errorOf('created[between]=1').message, 'Received unknown parameter: created[between]');
    assert.equal(errorOf('nested[other]=1').param, 'nested[other]');
    assert.equal(errorOf('nested[email]=').code, 'parameter_invalid_empty');
    assert.deepEqual(errorOf('created[gt]=x'), {
      status: 400,
      code: 'parameter_invalid_integer',
      doc_url: 'https://stripe.com/docs/error-codes/parameter-invalid-integer',
      message: 'Invalid integer: x',
      param: 'created[gt]',
      type: 'invalid_request_error',
    });
    assert.equal(errorOf('status=gone').message, 'Invalid status: must be one of open or complete');
    assert.equal(errorOf('limit[0]=1').message, 'Invalid integer: ["1"]');
  });
});
