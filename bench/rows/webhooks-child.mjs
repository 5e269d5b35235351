// Row 4, in a process of its own on the server core: one Stripe webhook event at a time,
// handled by `stripeWebhook` (signature check, mapping, awaited delivery to the devserver on
// the other core) and by what one would write by hand with the `stripe` package:
// `constructEventAsync` alone, and `constructEventAsync` plus one keep-alive fetch of the same
// payment. Prints one JSON line: µs of wall and CPU time per event, per variant and round.
import { performance } from 'node:perf_hooks';
import { createDatafast } from '@datafast-checkout/core';
// The Stripe fixtures the test suites use: the bench signs the same events.
import { checkoutSession, payloadOf, stripeEvent } from '@datafast-checkout/devserver/testing';
import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import Stripe from 'stripe';
import { visitorId } from '../lib/fixtures.mjs';
import { interleaved } from '../lib/stats.mjs';

const [baseUrl, apiKey, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const events = 200;
const secret = 'whsec_bench_secret';
const stripe = new Stripe('sk_test_bench'); // verification only: it never calls Stripe

/** A signed `checkout.session.completed` for a paid payment link, each with its own ids. */
function signedEvent() {
  const session = checkoutSession({ client_reference_id: visitorId });
  const payload = payloadOf(stripeEvent('checkout.session.completed', session));
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return new Request('http://localhost/api/webhooks/stripe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
}

const client = createDatafast({ apiKey, baseUrl });
const handler = stripeWebhook({ secret, stripe, datafast: client });

async function verify(request) {
  const body = await request.text();
  return stripe.webhooks.constructEventAsync(body, request.headers.get('stripe-signature'), secret);
}

const variants = {
  verify,
  async verifyAndFetch(request) {
    const session = (await verify(request)).data.object;
    const response = await fetch(`${baseUrl}/api/v1/payments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        amount: session.amount_total / 100,
        currency: session.currency,
        transaction_id: session.payment_intent,
        datafast_visitor_id: session.client_reference_id,
        email: session.customer_details.email,
      }),
    });
    await response.text();
    if (!response.ok) throw new Error(`the devserver answered ${response.status}`);
  },
  async stripeWebhook(request) {
    const response = await handler(request);
    const answer = await response.text();
    if (response.status !== 200)
      throw new Error(`stripeWebhook answered ${response.status}: ${answer}`);
  },
};

async function measure(name) {
  const requests = Array.from({ length: events }, signedEvent);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const request of requests) await variants[name](request);
  const wallUs = ((performance.now() - start) * 1000) / events;
  const { user, system } = process.cpuUsage(cpu);
  return { wallUs, cpuUs: (user + system) / events };
}

for (const name of Object.keys(variants)) await measure(name); // warm-up
process.stdout.write(
  `${JSON.stringify(await interleaved(rounds, Object.keys(variants), measure))}\n`,
);
