import { readFileSync } from 'node:fs';
import { fileOutbox } from '@datafast-checkout/core/file-outbox';
import { datafast, datafastProxy, flushOnShutdown } from '@datafast-checkout/hono';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { charge } from './processor.js';
import { paymentLinkUrl, stripeRoutes } from './stripe.js';

const port = Number(process.env.PORT ?? 3000);
// The tracking script comes from this app's own origin, through the proxy below, so ad blockers
// that block datafa.st do not cost the visitor's attribution. DATAFAST_SCRIPT_URL loads it from
// elsewhere instead (e.g. https://datafa.st/js/script.js, without the proxy).
const scriptUrl = process.env.DATAFAST_SCRIPT_URL ?? '/js/script.js';
const scriptWebsiteId = process.env.DATAFAST_SCRIPT_WEBSITE_ID ?? 'dfid_local';

// Reads DATAFAST_API_KEY and DATAFAST_BASE_URL from the environment. With DATAFAST_OUTBOX_DIR,
// every report is on disk before the customer gets an answer and stays there until DataFast
// confirms it, so a crash, an OOM kill or a long outage loses none (one process per directory).
const outboxDir = process.env.DATAFAST_OUTBOX_DIR;
const datafastMiddleware = datafast(outboxDir ? { outbox: fileOutbox(outboxDir) } : undefined);
// On SIGTERM/SIGINT (a deploy, Ctrl-C) wait up to 5 s for reports still in flight; with the
// outbox, what is still pending then stays in it for the next start.
flushOnShutdown(datafastMiddleware);

// The page, its %PLACEHOLDERS% filled once, at start-up.
const page = fill(readFileSync(new URL('./public/index.html', import.meta.url), 'utf8'), {
  DATAFAST_SCRIPT_URL: scriptUrl,
  DATAFAST_SCRIPT_WEBSITE_ID: scriptWebsiteId,
  // #region stripe
  STRIPE_PAYMENT_LINK_URL: paymentLinkUrl,
  // #endregion stripe
});

const app = new Hono();
// The tracker proxy: GET /js/script.js and POST /api/events, forwarded to DataFast (locally, to
// the devserver's stand-in tracker) from this origin. It tells DataFast the visitor's IP: the
// connection's address. Behind a load balancer or reverse proxy you run (most hosts have one),
// trust it, or every visitor appears at the proxy's address:
//   app.use(datafastProxy({ clientIp: { trustedProxies: 1 } })); // the number of proxies in front
// Reached directly, leave it off: X-Forwarded-For then comes from the visitor and is ignored.
app.use(datafastProxy());
// Puts c.get('datafast') on every request, bound to the visitor in the datafast_visitor_id cookie.
app.use(datafastMiddleware);
// #region stripe: payment links (to drop them: the stripe regions, stripe.js and its import)
// The signed webhook (it reads the raw body: c.req.raw), the success page and the link decorator.
app.route('/', stripeRoutes());
// #endregion stripe

app.get('/', (c) => c.html(page));

app.post('/api/checkout', async (c) => {
  const body = await c.req.json().catch(() => undefined);
  if (body === undefined) return c.json({ error: 'the body must be JSON' }, 400);
  const { amount, currency, email } = body ?? {};
  const problem = checkoutProblem({ amount, currency, email });
  if (problem) return c.json({ error: problem }, 400);

  const paid = await charge({ amount, currency: currency.toUpperCase(), email });

  // Reported in the background: the customer gets the answer now, whatever DataFast does.
  // What was charged, not what was asked for; the visitor id comes from the cookie, and the
  // charge id makes retries and repeats count once.
  c.get('datafast').track({
    amount: paid.amount,
    currency: paid.currency,
    transaction_id: paid.id,
    email: paid.email,
  });
  return c.json({ transaction_id: paid.id });
});

// Anything unexpected still answers JSON, without its details.
app.onError((error, c) => {
  console.error(error);
  return c.json({ error: 'internal error' }, 500);
});

serve({ fetch: app.fetch, port }, () => {
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

function fill(html, values) {
  return Object.entries(values).reduce(
    (filled, [name, value]) => filled.replaceAll(`%${name}%`, escapeAttribute(value)),
    html,
  );
}

function escapeAttribute(value) {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
