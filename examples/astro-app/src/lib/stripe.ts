// Stripe: a payment link and a Checkout Session, the signed webhook, the success page, and the
// link decorator the page loads. Optional: without STRIPE_SECRET_KEY the success page and
// Checkout answer 503 "not configured" (the webhook does the same without
// STRIPE_WEBHOOK_SECRET), and the rest of the app works.
import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import {
  stripeCheckoutSession,
  stripeClientOptions,
} from '@datafast-checkout/payment-links/stripe';
import Stripe from 'stripe';

/**
 * The Stripe client, or `undefined` without STRIPE_SECRET_KEY. STRIPE_API_BASE (set by
 * `npm run dev`) points it at the devserver's Stripe stand-in.
 */
export const stripe = process.env.STRIPE_SECRET_KEY
  ? new Stripe(process.env.STRIPE_SECRET_KEY, stripeClientOptions())
  : undefined;

/** The answer of a Stripe route while STRIPE_SECRET_KEY is unset. */
export const notConfigured = () =>
  new Response('Stripe is not configured: set STRIPE_SECRET_KEY', { status: 503 });

/** Your link from the Stripe Dashboard; its success URL: /success?session_id={CHECKOUT_SESSION_ID}. */
export const paymentLinkUrl =
  process.env.STRIPE_PAYMENT_LINK_URL ?? 'https://buy.stripe.com/test_set_STRIPE_PAYMENT_LINK_URL';

/**
 * Looks up the session of the success page's `?session_id=` and reports its payment for the
 * visitor it carries, with the webhook's id, so that reloads (and the webhook) count once.
 * `undefined` without STRIPE_SECRET_KEY.
 */
export const reportSucceededPayment = stripe && onPaymentSucceeded(stripeCheckoutSession(stripe));
