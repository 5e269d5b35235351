import { stripeClientOptions } from '@datafast-checkout/payment-links/stripe';
import Stripe from 'stripe';

/**
 * The app's Stripe client, or `undefined` when `STRIPE_SECRET_KEY` is unset (the Stripe routes
 * then answer 503 "not configured" and the rest of the app works). `STRIPE_API_BASE` (set by
 * `npm run dev`) points it at the devserver's Stripe stand-in. Read when the server starts, not
 * at build.
 *
 * @example
 * if (stripe) await stripe.checkout.sessions.retrieve(id)
 */
export const stripe = process.env.STRIPE_SECRET_KEY
  ? new Stripe(process.env.STRIPE_SECRET_KEY, stripeClientOptions())
  : undefined;
