import type { Lifecycle } from './machine.js';

// Webhook endpoints: enabled when made, with the `whsec_` secret their deliveries are signed
// with (webhooks.ts). Stripe shows the secret only in the create response; the emulator keeps
// it on the object.

/** Length of the random part of a signing secret. */
const SECRET_LENGTH = 32;

export const webhookEndpointLifecycle: Lifecycle = {
  object: 'webhook_endpoint',
  noun: 'webhook endpoint',
  actions: {},
  create: {
    created(ctx, endpoint, params) {
      Object.assign(endpoint, {
        api_version: params.api_version ?? null,
        application: null,
        secret: `whsec_${ctx.token(SECRET_LENGTH)}`,
        status: 'enabled',
      });
    },
  },
};
