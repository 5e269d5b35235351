// Express
import { toExpress } from '@datafast-checkout/payment-links';
import { lemonSqueezyWebhook } from '@datafast-checkout/payment-links/lemonsqueezy';
import express from 'express';

const app = express();
app.post(
  '/api/webhooks/lemonsqueezy',
  express.raw({ type: 'application/json' }),
  toExpress(lemonSqueezyWebhook()),
);

export {};
