import type { HandlerContext } from '../context.js';
import { errors, invalidRequest, type StripeError } from '../errors.js';
import { render } from '../expand.js';
import type { Validated } from '../schema.js';
import type { StripeObject } from '../store.js';

// A resource's lifecycle as data: for each action, the states it starts from, the states it
// may leave the object in, and what it does on the way (derived objects, amounts, times).
// An action from any other state is refused with Stripe's unexpected-state error, worded from
// the same table. Creation is part of the table too: the state a new object starts in and
// what making it brings along (a subscription's items and first invoice).

/**
 * What an action or a create may answer after its changes are stored: a declined card leaves
 * the PaymentIntent in requires_payment_method and answers 402. A thrown error stores nothing.
 */
export type Outcome = StripeError | void;

export interface Action {
  /** States the action starts from, in the order Stripe lists them in its refusal. */
  from: readonly string[];
  /** States it may leave the object in; checked after every run. */
  to: readonly string[];
  /** Past participle for the refusal: "may be captured". */
  done: string;
  /** Moves `object` (a private copy, stored afterwards) to its new state. */
  run(ctx: HandlerContext, object: StripeObject, params: Validated): Outcome;
  /** Stripe's own wording for a refusal from particular states. */
  refusals?: Partial<Record<string, string>>;
  /** Stripe's wording for every refusal of this action, when it is not the table's sentence. */
  refusal?: (state: string, object: StripeObject) => string;
  /** Served at the resource's DELETE (a subscription's cancel) instead of POST …/{id}/<verb>. */
  via?: 'delete';
  /**
   * States in which Stripe answers as if the object were gone: canceling a canceled
   * subscription is a 404 `No such subscription` (resource_missing), not a state error.
   */
  gone?: readonly string[];
  /** The refusal's error code when it is not the resource's (a busy terminal reader). */
  code?: string;
  /** What the endpoint answers when it is not the object acted on (a payout's reversal). */
  answer?: (ctx: HandlerContext, object: StripeObject) => StripeObject | undefined;
}

/**
 * An action that moves the status to `to`, stamping the named time fields (dotted paths, e.g.
 * `status_transitions.posted_at`) with now and doing `effect` on the way.
 */
export function move(
  from: readonly string[],
  to: string,
  done: string,
  options: { stamp?: readonly string[]; effect?: (ctx: HandlerContext, object: StripeObject, params: Validated) => void } = {},
): Action {
  return {
    from,
    to: [to],
    done,
    run(ctx, object, params) {
      object.status = to;
      for (const path of options.stamp ?? []) stampAt(object, path, ctx.now());
      options.effect?.(ctx, object, params);
    },
  };
}

function stampAt(object: StripeObject, path: string, now: number): void {
  const segments = path.split('.');
  const last = segments.pop() as string;
  let target: Record<string, unknown> = object;
  for (const segment of segments) {
    const next = target[segment];
    target[segment] = next !== null && typeof next === 'object' ? { ...(next as object) } : {};
    target = target[segment] as Record<string, unknown>;
  }
  target[last] = now;
}

export interface CreateFlow {
  /** Before the generic fields are set: test payment method names become real objects. */
  prepare?(ctx: HandlerContext, params: Validated): Validated;
  /** The state a new object starts in and the objects it brings along. */
  created(ctx: HandlerContext, object: StripeObject, params: Validated): Outcome;
}

export interface UpdateFlow {
  prepare?(ctx: HandlerContext, params: Validated, object: StripeObject): Validated;
  updated(ctx: HandlerContext, object: StripeObject, params: Validated, before: StripeObject): Outcome;
}

export interface Lifecycle {
  /** Stripe's `object` value. */
  object: string;
  /** How Stripe names the resource in messages: `PaymentIntent`, `invoice`. */
  noun: string;
  /** Error code of a refusal; absent where Stripe sends none. */
  code?: string;
  /** The object's state; `status` unless derived (a payment method is attached or not). */
  state?: (object: StripeObject) => string;
  /** Refusals carry the object under this name, as Stripe's `api_errors` do. */
  errorField?: 'payment_intent' | 'setup_intent' | 'payment_method';
  /** Finds the object a path names; test payment method names are made on first use. */
  find?(ctx: HandlerContext, id: string, param: string): StripeObject | undefined;
  actions: Record<string, Action>;
  create?: CreateFlow;
  update?: UpdateFlow;
}

export function stateOf(lifecycle: Lifecycle, object: StripeObject): string {
  return lifecycle.state ? lifecycle.state(object) : String(object.status);
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

/** Stripe's sentence for an action from a state the table does not allow. */
export function refusal(ctx: HandlerContext, lifecycle: Lifecycle, verb: string, action: Action, object: StripeObject): StripeError {
  const state = stateOf(lifecycle, object);
  if (action.gone?.includes(state)) return errors.resourceMissing(lifecycle.object, object.id, 'id');
  const noun = lifecycle.noun;
  const only = `Only ${article(noun)} ${noun} with one of the following statuses may be ${action.done}: ${action.from.join(', ')}.`;
  // Stripe's sentence names a one-word verb (`cancel`); a longer one reads better by its participle.
  const sentence = verb.includes('_')
    ? `This ${noun} could not be ${action.done} because it has a status of ${state}. ${only}`
    : `You cannot ${verb} this ${noun} because it has a status of ${state}. ${only}`;
  const message = action.refusals?.[state] ?? action.refusal?.(state, object) ?? sentence;
  const error = invalidRequest(message, undefined, action.code ?? lifecycle.code);
  if (lifecycle.errorField) error.body[lifecycle.errorField] = render(ctx, object, lifecycle.object);
  return error;
}

/** Runs one action of the table on a private copy; the caller stores it, then answers any outcome error. */
export function runAction(ctx: HandlerContext, lifecycle: Lifecycle, verb: string, object: StripeObject, params: Validated): Outcome {
  const action = lifecycle.actions[verb];
  if (!action) throw new Error(`${lifecycle.object} has no action ${verb}`);
  if (!action.from.includes(stateOf(lifecycle, object))) throw refusal(ctx, lifecycle, verb, action, object);
  const outcome = action.run(ctx, object, params);
  const reached = stateOf(lifecycle, object);
  if (!action.to.includes(reached)) throw new Error(`${lifecycle.object} ${verb} reached ${reached}, which its table does not allow`);
  return outcome;
}
