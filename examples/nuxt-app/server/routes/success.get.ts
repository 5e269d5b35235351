import { onPaymentSucceeded, type SuccessHandler } from '@datafast-checkout/payment-links';
import { stripeCheckoutSession } from '@datafast-checkout/payment-links/stripe';

// Stripe redirects here after paying a link or a session (GET /success?session_id=…). The
// webhook reports the payment too, with the same id, so DataFast counts it once however often
// this page is loaded.
let success: ((request: Request) => Promise<Response>) | undefined;

export default defineEventHandler((event) => {
  const stripe = getStripe();
  if (!stripe) return stripeNotConfigured();
  success ??= onPaymentSucceeded(stripeCheckoutSession(stripe), thankYouPage);
  return success(toWebRequest(event));
});

const thankYouPage: SuccessHandler = (_request, payment) => {
  const said = payment
    ? `Payment of ${payment.amount} ${payment.currency.toUpperCase()} received.`
    : 'Your order is being processed.';
  const style =
    'body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}';
  const page = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Thank you</title><style>${style}</style><h1>Thank you!</h1><p>${said}</p><p><a href="/">Back to the checkout</a></p>`;
  return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
};
