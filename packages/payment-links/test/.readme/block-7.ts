import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import { stripeCheckoutSession } from '@datafast-checkout/payment-links/stripe';
import { after } from 'next/server';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');

export const GET = onPaymentSucceeded(
  stripeCheckoutSession(stripe),
  (request) => Response.redirect(new URL('/thanks', request.url), 303),
  { waitUntil: after },
);

export {};
