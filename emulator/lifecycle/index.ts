import { errors } from '../errors.js';
import { checkExpandPaths, render } from '../expand.js';
import { toObjectSchema } from '../generic/param-schema.js';
import { endpointsOf } from '../generic/registry.js';
import type { GeneratedEndpoint } from '../generic/metadata.js';
import { expandList, type Route } from '../routes.js';
import { expandParam } from '../schema.js';
import { creditNoteLifecycle, meterLifecycle, quoteLifecycle, subscriptionScheduleLifecycle, testClockLifecycle } from './billing-more.js';
import { chargeLifecycle } from './charges.js';
import {
  inboundTransferLifecycle,
  issuingAuthorizationLifecycle,
  issuingDisputeLifecycle,
  issuingTransactionLifecycle,
  outboundPaymentLifecycle,
  outboundTransferLifecycle,
  personalizationDesignLifecycle,
} from './issuing-treasury.js';
import { invoiceItemLifecycle, invoiceLifecycle } from './invoices.js';
import { runAction, type Action, type Lifecycle } from './machine.js';
import { paymentIntentLifecycle } from './payment-intents.js';
import { paymentMethodLifecycle } from './payment-methods.js';
import {
  accountLifecycle,
  applicationFeeLifecycle,
  bankAccountLifecycle,
  climateOrderLifecycle,
  disputeLifecycle,
  financialConnectionsAccountLifecycle,
  paymentMethodDomainLifecycle,
  reviewLifecycle,
  sourceLifecycle,
  terminalReaderLifecycle,
  verificationSessionLifecycle,
} from './platform.js';
import { payoutLifecycle, topupLifecycle } from './payouts.js';
import { refundLifecycle } from './refunds.js';
import { couponLifecycle, promotionCodeLifecycle, taxRateLifecycle } from './coupons.js';
import { subscriptionItemLifecycle } from './prorations.js';
import { setupIntentLifecycle } from './setup-intents.js';
import { subscriptionLifecycle } from './subscriptions.js';
import { webhookEndpointLifecycle } from './webhook-endpoints.js';

// Every resource whose lifecycle is declared, and the routes its actions are served at:
// POST /v1/<collection>/{id}/<verb> (or the resource's DELETE), parameters checked against
// the spec's (generated) action endpoint.

export const LIFECYCLES: readonly Lifecycle[] = [
  paymentIntentLifecycle,
  setupIntentLifecycle,
  paymentMethodLifecycle,
  chargeLifecycle,
  refundLifecycle,
  invoiceLifecycle,
  invoiceItemLifecycle,
  subscriptionLifecycle,
  subscriptionItemLifecycle,
  couponLifecycle,
  promotionCodeLifecycle,
  taxRateLifecycle,
  payoutLifecycle,
  topupLifecycle,
  webhookEndpointLifecycle,
  quoteLifecycle,
  subscriptionScheduleLifecycle,
  creditNoteLifecycle,
  meterLifecycle,
  testClockLifecycle,
  issuingAuthorizationLifecycle,
  issuingDisputeLifecycle,
  issuingTransactionLifecycle,
  personalizationDesignLifecycle,
  inboundTransferLifecycle,
  outboundPaymentLifecycle,
  outboundTransferLifecycle,
  disputeLifecycle,
  reviewLifecycle,
  terminalReaderLifecycle,
  climateOrderLifecycle,
  financialConnectionsAccountLifecycle,
  verificationSessionLifecycle,
  accountLifecycle,
  applicationFeeLifecycle,
  bankAccountLifecycle,
  paymentMethodDomainLifecycle,
  sourceLifecycle,
];

const byObject = new Map(LIFECYCLES.map((lifecycle) => [lifecycle.object, lifecycle]));

export function lifecycleFor(objectType: string): Lifecycle | undefined {
  return byObject.get(objectType);
}

/** The spec's endpoints an action is served at. */
function endpointsFor(lifecycle: Lifecycle, verb: string, action: Action): GeneratedEndpoint[] {
  if (action.via === 'delete') return endpointsOf(lifecycle.object, 'delete');
  return endpointsOf(lifecycle.object, 'action').filter((endpoint) => endpoint.path.endsWith(`}/${verb}`));
}

function actionRoute(lifecycle: Lifecycle, verb: string, endpoint: GeneratedEndpoint, method: 'POST' | 'DELETE'): Route {
  const idParam = [...endpoint.path.matchAll(/\{(\w+)\}/g)].pop()![1] as string;
  const params = toObjectSchema(endpoint.params ?? {}, endpoint.required ?? []);
  params.properties.expand = expandParam.expand!;
  return {
    method,
    path: endpoint.path,
    params,
    handle(ctx, pathParams, given) {
      const expand = expandList(given);
      checkExpandPaths(lifecycle.object, expand);
      const id = pathParams[idParam] as string;
      const stored = lifecycle.find ? lifecycle.find(ctx, id, idParam) : ctx.store.get(ctx.account, lifecycle.object, id);
      if (!stored) throw errors.resourceMissing(lifecycle.object, id, idParam);
      const object = structuredClone(stored);
      const outcome = runAction(ctx, lifecycle, verb, object, given);
      ctx.store.put(ctx.account, object);
      if (outcome) throw outcome;
      const answer = lifecycle.actions[verb]!.answer?.(ctx, object) ?? object;
      return { body: render(ctx, answer, lifecycle.object, expand) };
    },
  };
}

export function lifecycleRoutes(): Route[] {
  const routes: Route[] = [];
  for (const lifecycle of LIFECYCLES) {
    for (const [verb, action] of Object.entries(lifecycle.actions)) {
      const endpoints = endpointsFor(lifecycle, verb, action);
      if (endpoints.length === 0) throw new Error(`the spec has no endpoint for ${lifecycle.object} ${verb}`);
      for (const endpoint of endpoints) routes.push(actionRoute(lifecycle, verb, endpoint, action.via === 'delete' ? 'DELETE' : 'POST'));
    }
  }
  return routes;
}
