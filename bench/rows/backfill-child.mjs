// Row 9, in a process of its own on the server core: the Stripe stand-in's account backfilled
// into the devserver (on the other core) by `backfill()` and by what someone would write by hand,
// each starting from an empty devserver. Prints one JSON line: for each variant and round, the
// wall time (ms).
import { performance } from 'node:perf_hooks';
import { backfill } from '@datafast-checkout/backfill';
import { interleaved } from '../lib/stats.mjs';

const [baseUrl, apiKey, stripeBase, roundsArg, countArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const count = Number(countArg);
const concurrency = 8;
const range = { since: '2026-03-01T00:00:00Z', until: '2026-04-01T00:00:00Z' };
const stripeKey = 'sk_test_bench';

/** The list-and-POST loop a founder writes: each page of sessions, then its payments 8 at a time. */
async function handLoop() {
  let startingAfter;
  for (;;) {
    const query = new URLSearchParams({
      status: 'complete',
      limit: '100',
      'created[gte]': String(Date.parse(range.since) / 1000),
      'created[lt]': String(Date.parse(range.until) / 1000),
      ...(startingAfter ? { starting_after: startingAfter } : {}),
    });
    const response = await fetch(`${stripeBase}/v1/checkout/sessions?${query}`, {
      headers: { Authorization: `Bearer ${stripeKey}` },
    });
    const page = await response.json();
    let next = 0;
    const worker = async () => {
      while (next < page.data.length) {
        const session = page.data[next++];
        const posted = await fetch(`${baseUrl}/api/v1/payments`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            amount: session.amount_total / 100,
            currency: session.currency,
            transaction_id: session.payment_intent,
            datafast_visitor_id: session.client_reference_id,
          }),
        });
        await posted.text();
        if (!posted.ok) throw new Error(`the devserver answered ${posted.status}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (!page.has_more) return;
    startingAfter = page.data.at(-1).id;
  }
}

async function ours() {
  const summary = await backfill({
    provider: 'stripe',
    ...range,
    apiKey: stripeKey,
    apiBase: stripeBase,
    datafast: { apiKey, baseUrl },
    state: false,
    concurrency,
  });
  if (summary.failed > 0 || summary.reported !== count) {
    throw new Error(`backfill reported ${summary.reported} of ${count}: ${summary.failures[0]}`);
  }
}

const variants = { handLoop, backfill: ours };

async function measure(name) {
  await fetch(`${baseUrl}/__devserver/reset`, { method: 'POST' });
  const start = performance.now();
  await variants[name]();
  const wallMs = performance.now() - start;
  const stats = await (await fetch(`${baseUrl}/__devserver/stats`)).json();
  if (stats.payments !== count) {
    throw new Error(`${name}: the devserver stored ${stats.payments} of ${count}`);
  }
  return { wallMs };
}

for (const name of Object.keys(variants)) await measure(name); // warm-up: connections, JIT
process.stdout.write(
  `${JSON.stringify(await interleaved(rounds, Object.keys(variants), (name) => measure(name)))}\n`,
);
