import { errors } from '../errors.js';
import type { Lifecycle } from './machine.js';
import { find } from './payments.js';

// What Billing's discount and tax objects start as (docs: api/coupons, api/promotion_codes,
// api/tax_rates): a coupon is valid and unredeemed, its duration `once` unless given; a
// promotion code is active, carries its coupon and a code (given, or made up); a tax rate is
// active, and its effective percentage is its percentage.

export const couponLifecycle: Lifecycle = {
  object: 'coupon',
  noun: 'coupon',
  actions: {},
  create: {
    created(_ctx, coupon, params) {
      Object.assign(coupon, {
        duration: params.duration ?? 'once',
        duration_in_months: params.duration === 'repeating' ? (params.duration_in_months ?? null) : null,
        times_redeemed: 0,
        valid: true,
      });
    },
  },
};

export const promotionCodeLifecycle: Lifecycle = {
  object: 'promotion_code',
  noun: 'promotion code',
  actions: {},
  create: {
    created(ctx, promotion, params) {
      const coupon = find(ctx, 'coupon', params.coupon);
      if (!coupon) throw errors.referenceMissing('coupon', String(params.coupon), 'coupon');
      const restrictions = (params.restrictions as Record<string, unknown> | undefined) ?? {};
      Object.assign(promotion, {
        active: params.active ?? true,
        code: typeof params.code === 'string' ? params.code : ctx.token(8).toUpperCase(),
        coupon: structuredClone(coupon),
        restrictions: {
          first_time_transaction: restrictions.first_time_transaction ?? false,
          minimum_amount: restrictions.minimum_amount ?? null,
          minimum_amount_currency: restrictions.minimum_amount_currency ?? null,
        },
        times_redeemed: 0,
      });
    },
  },
};

export const taxRateLifecycle: Lifecycle = {
  object: 'tax_rate',
  noun: 'tax rate',
  actions: {},
  create: {
    created(_ctx, rate, params) {
      Object.assign(rate, { active: params.active ?? true, effective_percentage: params.percentage });
    },
  },
};
