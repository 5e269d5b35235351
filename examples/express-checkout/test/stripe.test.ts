import { fileURLToPath } from 'node:url';
import { describeStripeExample, startApp } from '@datafast-checkout/testing';
import Stripe from 'stripe';

// The shared Stripe contract (webhook, success page, payment-link button, "not configured"),
// against this example as users run it: `node server.js`.
describeStripeExample({
  start: (env) =>
    startApp({
      command: process.execPath,
      args: ['server.js'],
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env,
    }),
  sign: (payload, secret) => Stripe.webhooks.generateTestHeaderString({ payload, secret }),
});
