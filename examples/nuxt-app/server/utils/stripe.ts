// Stripe: a payment link and a Checkout Session, the signed webhook and the success page.
// Optional: without STRIPE_SECRET_KEY the success page and Checkout answer 503 "not configured"
// (the webhook does the same without STRIPE_WEBHOOK_SECRET), and the rest of the app works.
import { stripeClientOptions } from '@datafast-checkout/payment-links/stripe';
import Stripe from 'stripe';

let client: Stripe | undefined;

/**
 * The app's Stripe client, or `undefined` when `STRIPE_SECRET_KEY` is unset. `STRIPE_API_BASE`
 * (set by `npm run dev`) points it at the devserver's Stripe stand-in. Read at run time.
 *
 * @example
 * const stripe = getStripe(); if (stripe) await stripe.checkout.sessions.retrieve(id)
 */
export function getStripe(): Stripe | undefined {
  if (!process.env.STRIPE_SECRET_KEY) return undefined;
  client ??= new Stripe(process.env.STRIPE_SECRET_KEY, stripeClientOptions());
  return client;
}

/** The 503 of a Stripe route when Stripe is not configured. */
export function stripeNotConfigured(): Response {
  return new Response('Stripe is not configured: set STRIPE_SECRET_KEY', {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}
