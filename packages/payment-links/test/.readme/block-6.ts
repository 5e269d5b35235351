import { onPaymentSucceeded, toExpress } from '@datafast-checkout/payment-links';
import { stripeCheckoutSession } from '@datafast-checkout/payment-links/stripe';
import express from 'express';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
const app = express();

app.get(
  '/success',
  toExpress(
    onPaymentSucceeded(
      stripeCheckoutSession(stripe),
      (_request, payment) =>
        new Response(
          payment ? `Thanks! ${payment.amount} ${payment.currency} received.` : 'Thanks!',
        ),
    ),
  ),
);

export {};
