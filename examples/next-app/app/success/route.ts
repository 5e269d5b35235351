import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import { stripeCheckoutSession } from '@datafast-checkout/payment-links/stripe';
import { after } from 'next/server';
import { datafastClient } from '@/lib/datafast';
import { stripe } from '@/lib/stripe';

// The payment link's success URL: /success?session_id={CHECKOUT_SESSION_ID}. The session is
// looked up with STRIPE_SECRET_KEY and reported with the webhook's id, so reloads (and the
// webhook) count once; `after` delivers the report once the page has been sent.
const successPage =
  stripe &&
  onPaymentSucceeded(
    stripeCheckoutSession(stripe),
    (_request, payment) =>
      new Response(
        `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Thank you</title><style>body{font-family:system-ui,sans-serif;max-width:480px;margin:3rem auto}</style><h1>Thank you!</h1><p>${
          payment
            ? `Payment of ${payment.amount} ${payment.currency.toUpperCase()} received.`
            : 'Your order is being processed.'
        }</p><p><a href="/">Back to the checkout</a></p>`,
        { headers: { 'content-type': 'text/html; charset=utf-8' } },
      ),
    { datafast: datafastClient, waitUntil: after },
  );

export function GET(request: Request): Promise<Response> | Response {
  if (!successPage) {
    return new Response('Stripe is not configured: set STRIPE_SECRET_KEY', { status: 503 });
  }
  return successPage(request);
}
