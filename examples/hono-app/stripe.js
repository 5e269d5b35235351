// Stripe: a payment link and a Checkout Session, the signed webhook, the success page, and the
// link decorator the page loads. Optional: without STRIPE_SECRET_KEY the success page and
// Checkout answer 503 "not configured" (the webhook does the same without
// STRIPE_WEBHOOK_SECRET), and the rest of the app works.
import { readFileSync } from 'node:fs';
import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import {
  checkoutSessionParams,
  stripeCheckoutSession,
  stripeClientOptions,
  stripeWebhook,
} from '@datafast-checkout/payment-links/stripe';
import { Hono } from 'hono';
import Stripe from 'stripe';

// STRIPE_API_BASE (set by `npm run dev`) points the client at the devserver's Stripe stand-in.
const stripe = process.env.STRIPE_SECRET_KEY
  ? new Stripe(process.env.STRIPE_SECRET_KEY, stripeClientOptions())
  : undefined;
const notConfigured = (c) => c.text('Stripe is not configured: set STRIPE_SECRET_KEY', 503);

/** Your link from the Stripe Dashboard; its success URL: /success?session_id={CHECKOUT_SESSION_ID}. */
export const paymentLinkUrl =
  process.env.STRIPE_PAYMENT_LINK_URL ?? 'https://buy.stripe.com/test_set_STRIPE_PAYMENT_LINK_URL';

// The link decorator, one dependency-free file, served to the page as /payment-links.js.
const linkDecorator = readFileSync(
  new URL(import.meta.resolve('@datafast-checkout/payment-links/browser')),
  'utf8',
);

/**
 * The Stripe routes, as a Hono app to mount with `app.route('/', stripeRoutes())`.
 *
 * @example
 * app.route('/', stripeRoutes());
 */
export function stripeRoutes() {
  const routes = new Hono();
  // Reads STRIPE_WEBHOOK_SECRET; the client finds the visitor of refunds and early invoices.
  // c.req.raw is the request as it arrived: Stripe signs the raw body.
  const webhook = stripeWebhook({ stripe });
  routes.post('/api/webhooks/stripe', (c) => webhook(c.req.raw));
  routes.get('/payment-links.js', (c) =>
    c.body(linkDecorator, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  // "Pay with Checkout": a Checkout Session carrying the visitor of the cookie in its metadata,
  // then Stripe's hosted page. A plain form post, so it works without JavaScript.
  routes.post('/checkout/stripe', stripe ? createCheckoutSession : notConfigured);
  // Stripe redirects here after paying a link or a session; the webhook reports the payment
  // too, with the same id, so DataFast counts it once however often this page is loaded.
  const success = stripe && onPaymentSucceeded(stripeCheckoutSession(stripe), thankYouPage);
  routes.get('/success', success ? (c) => success(c.req.raw) : notConfigured);
  return routes;
}

async function createCheckoutSession(c) {
  // In production, your site's own URL rather than the request's Host.
  const origin = new URL(c.req.url).origin;
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      {
        price_data: { currency: 'usd', unit_amount: 2999, product_data: { name: 'Pro plan' } },
        quantity: 1,
      },
    ],
    success_url: `${origin}/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${origin}/`,
    ...checkoutSessionParams(c.req.header('cookie'), 'payment'),
  });
  return c.redirect(session.url, 303);
}

function thankYouPage(_request, payment) {
  const said = payment
    ? `Payment of ${payment.amount} ${payment.currency.toUpperCase()} received.`
    : 'Your order is being processed.';
  const style =
    'body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}';
  const page = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Thank you</title><style>${style}</style><h1>Thank you!</h1><p>${said}</p><p><a href="/">Back to the checkout</a></p>`;
  return new Response(page, {
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}
