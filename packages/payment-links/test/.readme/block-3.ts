import { toExpress } from '@datafast-checkout/payment-links';
import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import express from 'express';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
const app = express();

app.post(
  '/api/webhooks/stripe',
  express.raw({ type: 'application/json' }),
  toExpress(stripeWebhook({ stripe })),
);
app.use(express.json()); // after the webhook route

export {};
