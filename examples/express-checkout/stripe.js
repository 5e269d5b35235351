// Stripe payment links: the signed webhook, the success page, and the link decorator the page
// loads. Optional: without STRIPE_SECRET_KEY the success page answers 503 "not configured" (the
// webhook does the same without STRIPE_WEBHOOK_SECRET), and the rest of the app works.
import { fileURLToPath } from 'node:url';
import { onPaymentSucceeded, toExpress } from '@datafast-checkout/payment-links';
import { stripeCheckoutSession, stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import express from 'express';
import Stripe from 'stripe';

// STRIPE_API_BASE points the client at a local stand-in (tests, offline demos).
const stripe = process.env.STRIPE_SECRET_KEY
  ? new Stripe(process.env.STRIPE_SECRET_KEY, stripeHost(process.env.STRIPE_API_BASE))
  : undefined;

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
  // Stripe redirects here after a payment link; the webhook reports the payment too, with the
  // same id, so DataFast counts it once however often this page is loaded.
  router.get(
    '/success',
    stripe
      ? toExpress(onPaymentSucceeded(stripeCheckoutSession(stripe), thankYouPage))
      : (_req, res) => {
          res.status(503).type('text').send('Stripe is not configured: set STRIPE_SECRET_KEY');
        },
  );
  return router;
}

function thankYouPage(_request, payment) {
  const said = payment
    ? `Payment of ${payment.amount} ${payment.currency.toUpperCase()} received.`
    : 'Your order is being processed.';
  return new Response(`<!doctype html><title>Thank you</title><h1>Thank you!</h1><p>${said}</p>`, {
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

/** `{ host, port, protocol }` for new Stripe() from a base URL such as http://127.0.0.1:12111. */
function stripeHost(base) {
  if (!base) return {};
  const url = new URL(base);
  return {
    host: url.hostname,
    port: Number(url.port) || undefined,
    protocol: url.protocol.slice(0, -1),
  };
}
