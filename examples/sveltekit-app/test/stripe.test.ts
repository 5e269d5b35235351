import { fileURLToPath } from 'node:url';
import { describeStripeExample, startApp } from '@datafast-checkout/testing';
import Stripe from 'stripe';

// The shared Stripe contract (webhook, success page, payment-link button, "not configured"),
// against the built app as `node build`. adapter-node needs ORIGIN to match the chosen port.
describeStripeExample({
  start: (env) =>
    startApp({
      command: '/bin/sh',
      args: ['-c', 'ORIGIN="http://127.0.0.1:$PORT" exec "$NODE" build'],
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { NODE: process.execPath, ...env },
    }),
  sign: (payload, secret) => Stripe.webhooks.generateTestHeaderString({ payload, secret }),
});
