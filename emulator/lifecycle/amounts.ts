import type { HandlerContext } from '../context.js';
import { errors, invalidRequest } from '../errors.js';
import type { StripeObject } from '../store.js';
import { find, put } from './payments.js';

// What an invoice or a Checkout Session comes to once discounts and tax rates apply (docs:
// billing/subscriptions/coupons, billing/taxes/tax-rates), line by line:
//   discounts    in the order given, each on what the earlier ones left: a percent_off coupon
//                takes its percentage of every discountable line; an amount_off coupon (in the
//                same currency) takes its amount, at most what is left, shared across the
//                discountable lines in proportion to their amounts (the last takes the rounding)
//   tax          each of the line's rates on the line after its discounts: an exclusive rate
//                adds amount × p/100; an inclusive one is already in the amount, amount × p/(100+p)
//   totals       subtotal (the lines' amounts) − discounts + exclusive tax = total
// Amounts round to the nearest cent, per line and rate.

export interface PricedLine {
  amount: number;
  discountable: boolean;
  taxRates: readonly StripeObject[];
}

export interface DiscountAmount {
  amount: number;
  discount: StripeObject;
}

export interface TaxAmount {
  amount: number;
  inclusive: boolean;
  rate: StripeObject;
  taxable_amount: number;
}

export interface LineAmounts {
  discounts: DiscountAmount[];
  taxes: TaxAmount[];
  /** The line's amount without the tax its inclusive rates put in it (before discounts). */
  amountExcludingTax: number;
  /** Discounts and exclusive tax applied. */
  total: number;
}

export interface Totals {
  lines: LineAmounts[];
  subtotal: number;
  subtotalExcludingTax: number;
  /** Per discount, in the order applied. */
  discounts: DiscountAmount[];
  discountTotal: number;
  /** Per tax rate, in the order first met. */
  taxes: TaxAmount[];
  tax: number;
  total: number;
  totalExcludingTax: number;
}

const percentOf = (rate: StripeObject) => Number(rate.percentage);

export function computeTotals(lines: readonly PricedLine[], discounts: readonly StripeObject[], currency: string): Totals {
  const left = lines.map((line) => line.amount);
  const lineDiscounts: DiscountAmount[][] = lines.map(() => []);
  for (const discount of discounts) {
    const coupon = discount.coupon as StripeObject;
    const open = lines.map((line, index) => (line.discountable && left[index]! > 0 ? index : -1)).filter((index) => index >= 0);
    const taken = new Map<number, number>();
    if (typeof coupon.percent_off === 'number') {
      for (const index of open) taken.set(index, Math.round((left[index]! * (coupon.percent_off as number)) / 100));
    } else if (typeof coupon.amount_off === 'number' && coupon.currency === currency) {
      const base = open.reduce((sum, index) => sum + left[index]!, 0);
      const off = Math.min(coupon.amount_off as number, base);
      let shared = 0;
      open.forEach((index, position) => {
        const share = position === open.length - 1 ? off - shared : Math.round((off * left[index]!) / base);
        shared += share;
        taken.set(index, share);
      });
    }
    for (const [index, amount] of taken) {
      left[index]! -= amount;
      lineDiscounts[index]!.push({ amount, discount });
    }
  }
  const computed = lines.map((line, index): LineAmounts => {
    const taxable = Math.max(0, left[index]!);
    const taxes = line.taxRates.map((rate): TaxAmount => {
      const p = percentOf(rate);
      const inclusive = rate.inclusive === true;
      const amount = Math.round(inclusive ? (taxable * p) / (100 + p) : (taxable * p) / 100);
      return { amount, inclusive, rate, taxable_amount: inclusive ? taxable - amount : taxable };
    });
    const inclusiveInAmount = line.taxRates
      .filter((rate) => rate.inclusive === true)
      .reduce((sum, rate) => sum + Math.round((line.amount * percentOf(rate)) / (100 + percentOf(rate))), 0);
    const exclusive = taxes.filter((tax) => !tax.inclusive).reduce((sum, tax) => sum + tax.amount, 0);
    return { discounts: lineDiscounts[index]!, taxes, amountExcludingTax: line.amount - inclusiveInAmount, total: left[index]! + exclusive };
  });
  const discountTotals = discounts.map((discount) => ({
    amount: computed.reduce((sum, line) => sum + line.discounts.filter((entry) => entry.discount === discount).reduce((s, entry) => s + entry.amount, 0), 0),
    discount,
  }));
  const taxes: TaxAmount[] = [];
  for (const tax of computed.flatMap((line) => line.taxes)) {
    const same = taxes.find((entry) => entry.rate.id === tax.rate.id);
    if (same) {
      same.amount += tax.amount;
      same.taxable_amount += tax.taxable_amount;
    } else taxes.push({ ...tax });
  }
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discountTotal = discountTotals.reduce((sum, entry) => sum + entry.amount, 0);
  const tax = taxes.reduce((sum, entry) => sum + entry.amount, 0);
  const exclusiveTax = taxes.filter((entry) => !entry.inclusive).reduce((sum, entry) => sum + entry.amount, 0);
  const total = subtotal - discountTotal + exclusiveTax;
  return {
    lines: computed,
    subtotal,
    subtotalExcludingTax: computed.reduce((sum, line) => sum + line.amountExcludingTax, 0),
    discounts: discountTotals,
    discountTotal,
    taxes,
    tax,
    total,
    totalExcludingTax: total - tax,
  };
}

/** Tax rate ids given as a parameter, each an active rate of the account. */
export function taxRatesFor(ctx: HandlerContext, ids: unknown, param: string): StripeObject[] {
  if (!Array.isArray(ids)) return [];
  return ids.map((id, index) => {
    const rate = find(ctx, 'tax_rate', id);
    if (!rate) throw errors.referenceMissing('tax_rate', String(id), `${param}[${index}]`);
    if (rate.active === false) throw invalidRequest(`Tax rate ${String(id)} is inactive and cannot be used.`, `${param}[${index}]`);
    return structuredClone(rate);
  });
}

export interface DiscountParam {
  coupon?: string;
  promotion_code?: string;
  discount?: string;
}

/** What a discount applies to, for the discount object (one owner at a time). */
export interface DiscountOwner {
  customer?: string | null;
  subscription?: string | null;
  invoice?: string | null;
  checkout_session?: string | null;
}

/**
 * New discount objects for `discounts[]` (or the older `coupon` / `promotion_code`): each
 * names a valid coupon or an active promotion code, whose redemptions are counted.
 */
export function discountsFor(ctx: HandlerContext, params: { discounts?: unknown; coupon?: unknown; promotion_code?: unknown }, owner: DiscountOwner): StripeObject[] {
  // Each entry with the parameter it came from, for errors: discounts[0][coupon], or coupon.
  const given: Array<DiscountParam & { at: (name: string) => string }> = Array.isArray(params.discounts)
    ? (params.discounts as DiscountParam[]).map((entry, index) => ({ ...entry, at: (name: string) => `discounts[${index}][${name}]` }))
    : [];
  if (typeof params.coupon === 'string') given.push({ coupon: params.coupon, at: () => 'coupon' });
  if (typeof params.promotion_code === 'string') given.push({ promotion_code: params.promotion_code, at: () => 'promotion_code' });
  return given.map((entry) => {
    let promotion: StripeObject | undefined;
    let couponId = entry.coupon;
    if (typeof entry.promotion_code === 'string') {
      promotion = find(ctx, 'promotion_code', entry.promotion_code);
      if (!promotion) throw errors.referenceMissing('promotion_code', entry.promotion_code, entry.at('promotion_code'));
      if (promotion.active !== true) throw invalidRequest('This promotion code cannot be redeemed because it is inactive.', entry.at('promotion_code'));
      couponId = (promotion.coupon as StripeObject).id;
    }
    const coupon = find(ctx, 'coupon', couponId);
    if (!coupon) throw errors.referenceMissing('coupon', String(couponId), entry.at('coupon'));
    if (coupon.valid === false) throw invalidRequest(`Coupon expired: ${coupon.id}`, entry.at('coupon'));
    const redeemed = put(ctx, { ...structuredClone(coupon), times_redeemed: (coupon.times_redeemed as number) + 1 });
    if (promotion) put(ctx, { ...structuredClone(promotion), coupon: structuredClone(redeemed), times_redeemed: (promotion.times_redeemed as number) + 1 });
    const start = ctx.now();
    const months = coupon.duration === 'repeating' ? ((coupon.duration_in_months as number | null) ?? 0) : null;
    return {
      id: ctx.newId('di'),
      object: 'discount',
      checkout_session: owner.checkout_session ?? null,
      coupon: structuredClone(redeemed),
      customer: owner.customer ?? null,
      end: months === null ? null : addMonths(start, months),
      invoice: owner.invoice ?? null,
      invoice_item: null,
      promotion_code: promotion?.id ?? null,
      start,
      subscription: owner.subscription ?? null,
      subscription_item: null,
    } as StripeObject;
  });
}

function addMonths(from: number, months: number): number {
  const date = new Date(from * 1000);
  date.setUTCMonth(date.getUTCMonth() + months);
  return Math.floor(date.getTime() / 1000);
}

/** The discounts an object carries (kept beside it: invoices and sessions show only ids or nothing). */
export function heldDiscounts(ctx: HandlerContext, ownerId: string): StripeObject[] {
  return ctx.store.children(ctx.account, ownerId, 'discount');
}

export function holdDiscounts(ctx: HandlerContext, ownerId: string, discounts: readonly StripeObject[]): void {
  ctx.store.setChildren(ctx.account, ownerId, 'discount', [...discounts]);
}
