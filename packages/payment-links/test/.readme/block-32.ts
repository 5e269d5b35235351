// Express
import { toExpress } from '@datafast-checkout/payment-links';
import { dodoWebhook } from '@datafast-checkout/payment-links/dodo';
import express from 'express';

const app = express();
app.post('/api/webhooks/dodo', express.raw({ type: 'application/json' }), toExpress(dodoWebhook()));

export {};
