import { stripeClientOptions } from '@datafast-checkout/payment-links/stripe';
import Stripe from 'stripe';
import { env } from '$env/dynamic/private';

let client: Stripe | undefined;

/**
 * The app's Stripe client, or `undefined` when `STRIPE_SECRET_KEY` is unset (the Stripe routes
 * then answer 503 "not configured" and the rest of the app works). `STRIPE_API_BASE` (set by
 * `npm run dev`) points it at the devserver's Stripe stand-in. Read at run time, not at build.
 *
 * @example
 * const stripe = getStripe(); if (stripe) await stripe.checkout.sessions.retrieve(id)
 */
export function getStripe(): Stripe | undefined {
  if (!env.STRIPE_SECRET_KEY) return undefined;
  client ??= new Stripe(env.STRIPE_SECRET_KEY, stripeClientOptions(env.STRIPE_API_BASE));
  return client;
}
