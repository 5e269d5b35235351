import Stripe from 'stripe';

/**
 * The app's Stripe client, or `undefined` when `STRIPE_SECRET_KEY` is unset (the Stripe routes
 * then answer 503 "not configured" and the rest of the app works). `STRIPE_API_BASE` points it at
 * another API host, such as a local stand-in in tests. Read when the server starts, not at build.
 *
 * @example
 * if (stripe) await stripe.checkout.sessions.retrieve(id)
 */
export const stripe = process.env.STRIPE_SECRET_KEY
  ? new Stripe(process.env.STRIPE_SECRET_KEY, apiHost(process.env.STRIPE_API_BASE))
  : undefined;

function apiHost(base: string | undefined): Stripe.StripeConfig {
  if (!base) return {};
  const url = new URL(base);
  return {
    host: url.hostname,
    port: Number(url.port) || undefined,
    protocol: url.protocol === 'http:' ? 'http' : 'https',
  };
}
