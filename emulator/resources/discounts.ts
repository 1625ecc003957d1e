import { invalidRequest } from '../errors.js';
import { findOrThrow, type Route } from '../routes.js';
import { s } from '../schema.js';
import type { StripeObject } from '../store.js';
import type { HandlerContext } from '../context.js';

// Removing a customer's or a subscription's discount: DELETE …/discount answers the discount
// as deleted (`deleted_discount`) and the owner has none from then on; 404 when it has none.

function removeDiscount(ctx: HandlerContext, type: 'customer' | 'subscription', id: string, param: string): unknown {
  const owner = findOrThrow(ctx, type, id, param);
  const discount = owner.discount as StripeObject | null;
  if (!discount) throw invalidRequest(`No active discount for ${type}: ${id}`, undefined, 'resource_missing', 404);
  ctx.store.put(ctx.account, { ...structuredClone(owner), discount: null });
  return { ...structuredClone(discount), object: 'discount', deleted: true };
}

export const discountRoutes: Route[] = [
  {
    method: 'DELETE',
    path: '/v1/customers/{customer}/discount',
    params: s.object({}),
    handle: (ctx, pathParams) => ({ body: removeDiscount(ctx, 'customer', pathParams.customer as string, 'customer') }),
  },
  {
    method: 'DELETE',
    path: '/v1/subscriptions/{subscription_exposed_id}/discount',
    params: s.object({}),
    handle: (ctx, pathParams) => ({ body: removeDiscount(ctx, 'subscription', pathParams.subscription_exposed_id as string, 'subscription_exposed_id') }),
  },
  {
    method: 'DELETE',
    path: '/v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount',
    params: s.object({}),
    handle(ctx, pathParams) {
      const customer = findOrThrow(ctx, 'customer', pathParams.customer as string, 'customer');
      const subscription = findOrThrow(ctx, 'subscription', pathParams.subscription_exposed_id as string, 'subscription_exposed_id');
      if (subscription.customer !== customer.id) {
        throw invalidRequest(`No such subscription: '${subscription.id}'`, 'subscription_exposed_id', 'resource_missing', 404);
      }
      return { body: removeDiscount(ctx, 'subscription', pathParams.subscription_exposed_id as string, 'subscription_exposed_id') };
    },
  },
];
