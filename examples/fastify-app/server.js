import { readFileSync } from 'node:fs';
import { fileOutbox } from '@datafast-checkout/core/file-outbox';
import { datafast, datafastProxy } from '@datafast-checkout/fastify';
import Fastify from 'fastify';
import { charge } from './processor.js';
import { paymentLinkUrl, stripeRoutes } from './stripe.js';

const port = Number(process.env.PORT ?? 3000);
// Every interface, as a container or a host's router needs (Fastify's own default, localhost,
// is unreachable from outside the machine). HOST=:: for IPv6 as well.
const host = process.env.HOST ?? '0.0.0.0';
// The tracking script comes from this app's own origin, through the proxy below, so ad blockers
// that block datafa.st do not cost the visitor's attribution. DATAFAST_SCRIPT_URL loads it from
// elsewhere instead (e.g. https://datafa.st/js/script.js, without the proxy).
const scriptUrl = process.env.DATAFAST_SCRIPT_URL ?? '/js/script.js';
const scriptWebsiteId = process.env.DATAFAST_SCRIPT_WEBSITE_ID ?? 'dfid_local';

// The page, its %PLACEHOLDERS% filled once, at start-up.
const page = fill(readFileSync(new URL('./public/index.html', import.meta.url), 'utf8'), {
  DATAFAST_SCRIPT_URL: scriptUrl,
  DATAFAST_SCRIPT_WEBSITE_ID: scriptWebsiteId,
  // #region stripe
  STRIPE_PAYMENT_LINK_URL: paymentLinkUrl,
  // #endregion stripe
});

const app = Fastify({
  logger: true,
  // Behind a load balancer or reverse proxy you run (most hosts have one), trust it, or every
  // visitor appears at the proxy's address in DataFast (the tracker proxy sends request.ip):
  //   trustProxy: 1, // the number of proxies in front, or their addresses
  // Reached directly, leave it off: X-Forwarded-For then comes from the visitor and is ignored.
});

// Malformed JSON (Fastify's parser answers 400) and anything unexpected still answer JSON
// { error }, as the page expects. Set
// before the routes: each route keeps the handler it was registered under.
app.setErrorHandler((error, request, reply) => {
  const status = error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error(error);
  return reply.code(status).send({ error: status === 500 ? 'internal error' : error.message });
});

// Puts request.datafast on every request, bound to the visitor in the datafast_visitor_id
// cookie. Reads DATAFAST_API_KEY and DATAFAST_BASE_URL from the environment. With
// DATAFAST_OUTBOX_DIR, every report is on disk before the customer gets an answer and stays there
// until DataFast confirms it, so a crash, an OOM kill or a long outage loses none (one process
// per directory). app.close() waits up to 5 s for the reports still in flight.
const outboxDir = process.env.DATAFAST_OUTBOX_DIR;
await app.register(datafast(outboxDir ? { outbox: fileOutbox(outboxDir) } : undefined));
// The tracker proxy: GET /js/script.js and POST /api/events, forwarded to DataFast (locally, to
// the devserver's stand-in tracker) from this origin, with the visitor's IP as request.ip. Its
// routes read the events themselves: your content-type parsers are neither used nor changed.
await app.register(datafastProxy());
// #region stripe: payment links (to drop them: the stripe regions, stripe.js and its import)
// The signed webhook (in its own context, where JSON stays raw bytes for the signature), the
// success page, Checkout and the link decorator.
await app.register(stripeRoutes);
// #endregion stripe

app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(page));

app.post('/api/checkout', async (request, reply) => {
  const { amount, currency, email } = request.body ?? {};
  const problem = checkoutProblem({ amount, currency, email });
  if (problem) return reply.code(400).send({ error: problem });

  const paid = await charge({ amount, currency: currency.toUpperCase(), email });

  // Reported in the background: the customer gets the answer now, whatever DataFast does.
  // What was charged, not what was asked for; the visitor id comes from the cookie, and the
  // charge id makes retries and repeats count once.
  request.datafast.track({
    amount: paid.amount,
    currency: paid.currency,
    transaction_id: paid.id,
    email: paid.email,
  });
  return { transaction_id: paid.id };
});

// A deploy or Ctrl-C: stop taking requests, wait for the reports still in flight (the plugin's
// close hook; with the outbox, what is still pending stays on disk for the next start), exit.
// A second signal exits at once.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error(error);
        process.exit(1);
      },
    );
  });
}

// Logs "Server listening at http://127.0.0.1:3000" (and the other addresses).
await app.listen({ port, host });

// A check by hand rather than a route schema: Fastify's validator coerces types by default, and
// would take "29.99" (a string) as the number 29.99.
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
