import { genericRoutes } from './generic/routes.js';
import { lifecycleRoutes } from './lifecycle/index.js';
import { checkoutSessionRoutes } from './resources/checkout-sessions.js';
import { cashBalanceRoutes } from './resources/cash-balance.js';
import { customerRoutes } from './resources/customers.js';
import { discountRoutes } from './resources/discounts.js';
import { priceRoutes } from './resources/prices.js';
import { productRoutes } from './resources/products.js';
import { singletonRoutes } from './resources/singletons.js';
import { taxCalculationRoutes } from './resources/tax-calculations.js';
import { upcomingInvoiceRoutes } from './resources/upcoming-invoices.js';
import type { Route } from './routes.js';

// Matches a method and path to a declared route, capturing `{name}` path parameters.

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; pathParams: Record<string, string> }
  | { kind: 'not_found' };

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  match(method: string, path: string): RouteMatch {
    for (const { route, pattern, names } of this.compiled) {
      if (route.method !== method) continue;
      const match = pattern.exec(path);
      if (!match) continue;
      const pathParams: Record<string, string> = {};
      names.forEach((name, index) => {
        pathParams[name] = safeDecode(match[index + 1] as string);
      });
      return { kind: 'found', route, pathParams };
    }
    return { kind: 'not_found' };
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function defaultRouter(): Router {
  // Hand-written resources first: they are more faithful than the generated ones; then the
  // actions of declared lifecycles (a subscription's DELETE cancels it), then the rest.
  return new Router([
    ...checkoutSessionRoutes,
    ...customerRoutes,
    ...productRoutes,
    ...priceRoutes,
    ...singletonRoutes,
    ...taxCalculationRoutes,
    ...upcomingInvoiceRoutes,
    ...discountRoutes,
    ...cashBalanceRoutes,
    ...lifecycleRoutes(),
    ...genericRoutes(),
  ]);
}
