import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fileOutbox } from '@datafast-checkout/core/file-outbox';
import { datafast, flushOnShutdown } from '@datafast-checkout/express';
import { onPaymentSucceeded, toExpress } from '@datafast-checkout/payment-links';
import { stripeCheckoutSession, stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import express from 'express';
import Stripe from 'stripe';
import { charge } from './processor.js';

const port = Number(process.env.PORT ?? 3000);
const baseUrl = (process.env.DATAFAST_BASE_URL ?? 'https://datafa.st').replace(/\/+$/, '');
// Locally DATAFAST_BASE_URL is the devserver, which serves a stand-in tracker that sets the
// visitor cookie; in production this is DataFast's own script.
const scriptUrl = process.env.DATAFAST_SCRIPT_URL ?? `${baseUrl}/js/script.js`;
const scriptWebsiteId = process.env.DATAFAST_SCRIPT_WEBSITE_ID ?? 'dfid_local';

// Reads DATAFAST_API_KEY and DATAFAST_BASE_URL from the environment. With DATAFAST_OUTBOX_DIR,
// every report is on disk before the customer gets an answer and stays there until DataFast
// confirms it, so a crash, an OOM kill or a long outage loses none (one process per directory).
const outboxDir = process.env.DATAFAST_OUTBOX_DIR;
const datafastMiddleware = datafast(outboxDir ? { outbox: fileOutbox(outboxDir) } : undefined);
// On SIGTERM/SIGINT (a deploy, Ctrl-C) wait up to 5 s for reports still in flight; with the
// outbox, what is still pending then stays in it for the next start.
flushOnShutdown(datafastMiddleware);

// Stripe payment links are optional: without STRIPE_SECRET_KEY the success page answers 503
// "not configured" (the webhook does the same without STRIPE_WEBHOOK_SECRET), and the rest of
// the app works. STRIPE_API_BASE points the client at a local stand-in (tests, offline demos).
const stripe = process.env.STRIPE_SECRET_KEY
  ? new Stripe(process.env.STRIPE_SECRET_KEY, stripeHost(process.env.STRIPE_API_BASE))
  : undefined;
// Your link from the Stripe Dashboard; set its success URL to /success?session_id={CHECKOUT_SESSION_ID}.
const paymentLinkUrl =
  process.env.STRIPE_PAYMENT_LINK_URL ?? 'https://buy.stripe.com/test_set_STRIPE_PAYMENT_LINK_URL';

const page = readFileSync(new URL('./public/index.html', import.meta.url), 'utf8')
  .replaceAll('%DATAFAST_SCRIPT_URL%', escapeAttribute(scriptUrl))
  .replaceAll('%DATAFAST_SCRIPT_WEBSITE_ID%', escapeAttribute(scriptWebsiteId))
  .replaceAll('%STRIPE_PAYMENT_LINK_URL%', escapeAttribute(paymentLinkUrl));
// The link decorator, one dependency-free file, served to the page as /payment-links.js.
const linkDecorator = fileURLToPath(
  import.meta.resolve('@datafast-checkout/payment-links/browser'),
);

const app = express();
// Puts req.datafast on every request, bound to the visitor in the datafast_visitor_id cookie.
app.use(datafastMiddleware);
// Stripe signs the raw body: this route gets express.raw() and comes before express.json().
// Reads STRIPE_WEBHOOK_SECRET; the client finds the visitor of refunds and early invoices.
app.post(
  '/api/webhooks/stripe',
  express.raw({ type: 'application/json' }),
  toExpress(stripeWebhook({ stripe })),
);
app.use(express.json());

app.get('/payment-links.js', (_req, res) => {
  res.type('js').sendFile(linkDecorator);
});

// Stripe redirects here after a payment link; the webhook reports the payment too, with the
// same id, so DataFast counts it once however often this page is loaded.
app.get(
  '/success',
  stripe
    ? toExpress(onPaymentSucceeded(stripeCheckoutSession(stripe), thankYouPage))
    : (_req, res) => {
        res.status(503).type('text').send('Stripe is not configured: set STRIPE_SECRET_KEY');
      },
);

app.get('/', (_req, res) => {
  res.type('html').send(page);
});

app.post('/api/checkout', async (req, res) => {
  const { amount, currency, email } = req.body ?? {};
  const problem = checkoutProblem({ amount, currency, email });
  if (problem) {
    res.status(400).json({ error: problem });
    return;
  }

  const paid = await charge({ amount, currency: currency.toUpperCase(), email });

  // Reported in the background: the customer gets the answer now, whatever DataFast does.
  // What was charged, not what was asked for; the visitor id comes from the cookie, and the
  // charge id makes retries and repeats count once.
  req.datafast.track({
    amount: paid.amount,
    currency: paid.currency,
    transaction_id: paid.id,
    email: paid.email,
  });
  res.json({ transaction_id: paid.id });
});

// Malformed JSON from express.json() (and anything unexpected) still answers JSON.
app.use((error, _req, res, _next) => {
  const status = error.status >= 400 && error.status < 500 ? error.status : 500;
  res.status(status).json({ error: status === 500 ? 'internal error' : error.message });
});

app.listen(port, (error) => {
  if (error) throw error;
  console.log(`Checkout on http://localhost:${port}`);
});

function checkoutProblem({ amount, currency, email }) {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    return 'amount must be a positive number in major units, like 29.99';
  }
  if (typeof currency !== 'string' || !/^[a-z]{3}$/i.test(currency)) {
    return 'currency must be a 3-letter ISO 4217 code, like "USD"';
  }
  if (email !== undefined && (typeof email !== 'string' || !email.includes('@'))) {
    return 'email must be an email address';
  }
  return undefined;
}

function thankYouPage(_request, payment) {
  const said = payment
    ? `Payment of ${payment.amount} ${payment.currency} received.`
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

function escapeAttribute(value) {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
