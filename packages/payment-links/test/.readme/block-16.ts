// Express
import { toExpress } from '@datafast-checkout/payment-links';
import { polarWebhook } from '@datafast-checkout/payment-links/polar';
import express from 'express';

const app = express();
app.post(
  '/api/webhooks/polar',
  express.raw({ type: 'application/json' }),
  toExpress(polarWebhook()),
);

export {};
