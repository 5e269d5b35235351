import Stripe from 'stripe';
import { env } from '$env/dynamic/private';

let client: Stripe | undefined;

/**
 * The app's Stripe client, or `undefined` when `STRIPE_SECRET_KEY` is unset (the Stripe routes
 * then answer 503 "not configured" and the rest of the app works). `STRIPE_API_BASE` points it at
 * another API host, such as a local stand-in in tests. Read at run time, not at build.
 *
 * @example
 * const stripe = getStripe(); if (stripe) await stripe.checkout.sessions.retrieve(id)
 */
export function getStripe(): Stripe | undefined {
  if (!env.STRIPE_SECRET_KEY) return undefined;
  client ??= new Stripe(env.STRIPE_SECRET_KEY, apiHost(env.STRIPE_API_BASE));
  return client;
}

function apiHost(base: string | undefined): Stripe.StripeConfig {
  if (!base) return {};
  const url = new URL(base);
  return {
    host: url.hostname,
    port: Number(url.port) || undefined,
    protocol: url.protocol === 'http:' ? 'http' : 'https',
  };
}
