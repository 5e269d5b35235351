// Express
import { toExpress } from '@datafast-checkout/payment-links';
import { paddleWebhook } from '@datafast-checkout/payment-links/paddle';
import express from 'express';

const app = express();
app.post(
  '/api/webhooks/paddle',
  express.raw({ type: 'application/json' }),
  toExpress(paddleWebhook()),
);

export {};
