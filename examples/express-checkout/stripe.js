// Stripe: a payment link and a Checkout Session, the signed webhook, the success page, and the
// link decorator the page loads. Optional: without STRIPE_SECRET_KEY the success page and
// Checkout answer 503 "not configured" (the webhook does the same without
// STRIPE_WEBHOOK_SECRET), and the rest of the app works.
import { fileURLToPath } from 'node:url';
import { onPaymentSucceeded, toExpress } from '@datafast-checkout/payment-links';
import {
  checkoutSessionParams,
  stripeCheckoutSession,
  stripeClientOptions,
  stripeWebhook,
} from '@datafast-checkout/payment-links/stripe';
import express from 'express';
import Stripe from 'stripe';

// STRIPE_API_BASE (set by `npm run dev`) points the client at the devserver's Stripe stand-in.
const stripe = process.env.STRIPE_SECRET_KEY
  ? new Stripe(process.env.STRIPE_SECRET_KEY, stripeClientOptions())
  : undefined;
const notConfigured = (_req, res) => {
  res.status(503).type('text').send('Stripe is not configured: set STRIPE_SECRET_KEY');
};

/** Your link from the Stripe Dashboard; its success URL: /success?session_id={CHECKOUT_SESSION_ID}. */
export const paymentLinkUrl =
  process.env.STRIPE_PAYMENT_LINK_URL ?? 'https://buy.stripe.com/test_set_STRIPE_PAYMENT_LINK_URL';

// The link decorator, one dependency-free file, served to the page as /payment-links.js.
const linkDecorator = fileURLToPath(
  import.meta.resolve('@datafast-checkout/payment-links/browser'),
);

/**
 * The Stripe routes. Mount them before `express.json()`: Stripe signs the raw body.
 *
 * @example
 * app.use(stripeRoutes()); app.use(express.json());
 */
export function stripeRoutes() {
  const router = express.Router();
  // Reads STRIPE_WEBHOOK_SECRET; the client finds the visitor of refunds and early invoices.
  router.post(
    '/api/webhooks/stripe',
    express.raw({ type: 'application/json' }),
    toExpress(stripeWebhook({ stripe })),
  );
  router.get('/payment-links.js', (_req, res) => {
    res.type('js').sendFile(linkDecorator);
  });
  // "Pay with Checkout": a Checkout Session carrying the visitor of the cookie in its metadata,
  // then Stripe's hosted page. A plain form post, so it works without JavaScript.
  router.post('/checkout/stripe', stripe ? createCheckoutSession : notConfigured);
  // Stripe redirects here after paying a link or a session; the webhook reports the payment
  // too, with the same id, so DataFast counts it once however often this page is loaded.
  router.get(
    '/success',
    stripe
      ? toExpress(onPaymentSucceeded(stripeCheckoutSession(stripe), thankYouPage))
      : notConfigured,
  );
  return router;
}

async function createCheckoutSession(req, res, next) {
  try {
    // In production, your site's own URL rather than the request's Host.
    const origin = `${req.protocol}://${req.get('host')}`;
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
      ...checkoutSessionParams(req.headers.cookie, 'payment'),
    });
    res.redirect(303, session.url);
  } catch (error) {
    next(error);
  }
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
