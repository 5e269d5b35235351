// Express
import { toExpress } from '@datafast-checkout/payment-links';
import { creemWebhook } from '@datafast-checkout/payment-links/creem';
import express from 'express';

const app = express();
app.post(
  '/api/webhooks/creem',
  express.raw({ type: 'application/json' }),
  toExpress(creemWebhook()),
);

export {};
