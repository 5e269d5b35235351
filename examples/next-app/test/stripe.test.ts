import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describeStripeExample, startApp } from '@datafast-checkout/testing';
import Stripe from 'stripe';

// The shared Stripe contract (webhook, success page, payment-link button, "not configured"),
// against the built app started with `next start`.
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

describeStripeExample({
  start: (env) =>
    startApp({
      command: process.execPath,
      args: [nextBin, 'start'],
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { DATAFAST_SCRIPT_URL: undefined, NODE_ENV: 'production', ...env },
    }),
  sign: (payload, secret) => Stripe.webhooks.generateTestHeaderString({ payload, secret }),
});
