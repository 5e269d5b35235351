// size: the Stripe backfill's runs end to end against the devserver's Stripe stand-in, with their fixtures.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatafast, type Datafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import {
  checkoutSession,
  invoice,
  payloadOf,
  refund,
  type StripeStandIn,
  startStripeStandIn,
  stripeEvent,
  subscriptionSession,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BackfillOptions, backfill } from '../src/index.js';

// Objects of a Stripe account (shaped by the devserver's fixtures after Stripe's API pages), a
// day apart from 2026-03-01, and one before the range.
const day = 86_400;
const t0 = Date.UTC(2026, 2, 1) / 1000;
const at = (n: number) => t0 + n * day;
const since = new Date(t0 * 1000).toISOString();
const until = new Date(at(30) * 1000).toISOString();

const usd = checkoutSession({ created: at(1), client_reference_id: visitor });
const jpy = checkoutSession({
  created: at(2),
  client_reference_id: visitor,
  currency: 'jpy',
  amount_total: 5000,
});
const kwd = checkoutSession({
  created: at(3),
  client_reference_id: visitor,
  currency: 'kwd',
  amount_total: 1500,
});
const anonymous = checkoutSession({ created: at(4), amount_total: 1000 });
const unpaid = checkoutSession({ created: at(5), payment_status: 'unpaid' });
const before = checkoutSession({ created: t0 - day, client_reference_id: visitor });
const subscription = subscriptionSession({
  created: at(6),
  metadata: { datafast_visitor_id: visitor },
});
const subscriptionId = String(subscription.subscription);
const firstInvoice = invoice(
  { shape: 'basil', subscription: subscriptionId },
  { id: subscription.invoice, created: at(6) },
);
const renewals = [1, 2].map((month) =>
  invoice(
    { shape: 'basil', subscription: subscriptionId },
    { created: at(6 + month * 10), billing_reason: 'subscription_cycle' },
  ),
);
const partialRefund = refund({ created: at(7), amount: 1000, payment_intent: usd.payment_intent });
const fullRefund = refund({
  created: at(8),
  amount: 1000,
  payment_intent: anonymous.payment_intent,
});

/** What DataFast should hold afterwards, whatever delivered it and however often. */
const expected = [
  {
    transaction_id: usd.payment_intent,
    amount: 29.99,
    currency: 'USD',
    datafast_visitor_id: visitor,
  },
  {
    transaction_id: jpy.payment_intent,
    amount: 5000,
    currency: 'JPY',
    datafast_visitor_id: visitor,
  },
  {
    transaction_id: kwd.payment_intent,
    amount: 1.5,
    currency: 'KWD',
    datafast_visitor_id: visitor,
  },
  {
    transaction_id: anonymous.payment_intent,
    amount: 10,
    currency: 'USD',
    datafast_visitor_id: null,
  },
  {
    transaction_id: firstInvoice.id,
    amount: 29.99,
    currency: 'USD',
    datafast_visitor_id: visitor,
    renewal: false,
  },
  ...renewals.map((renewal) => ({
    transaction_id: renewal.id,
    amount: 29.99,
    currency: 'USD',
    datafast_visitor_id: visitor,
    renewal: true,
  })),
  {
    transaction_id: partialRefund.id,
    amount: 10,
    currency: 'USD',
    datafast_visitor_id: visitor,
    refunded: true,
  },
  {
    transaction_id: fullRefund.id,
    amount: 10,
    currency: 'USD',
    datafast_visitor_id: null,
    refunded: true,
  },
];

let dev: DevServer;
let client: Datafast;
let standIn: StripeStandIn;
let directory: string;

beforeAll(async () => {
  [dev, standIn] = await Promise.all([startDevServer(), startStripeStandIn()]);
  client = createDatafast({
    apiKey: dev.apiKey,
    baseUrl: dev.url,
    backoff: { initialDelayMs: 5, maxDelayMs: 20 },
    logger: { warn() {}, error() {} },
  });
  for (const object of [
    before,
    usd,
    jpy,
    kwd,
    anonymous,
    unpaid,
    subscription,
    firstInvoice,
    ...renewals,
    partialRefund,
    fullRefund,
  ]) {
    standIn.put(object);
  }
  directory = await mkdtemp(join(tmpdir(), 'backfill-stripe-'));
});
beforeEach(async () => {
  await dev.reset();
});
afterAll(async () => {
  await Promise.all([
    dev?.close(),
    standIn?.close(),
    rm(directory, { recursive: true, force: true }),
  ]);
});

function run(options: Partial<BackfillOptions> = {}) {
  return backfill({
    provider: 'stripe',
    since,
    until,
    apiKey: 'sk_test_backfill',
    apiBase: standIn.url,
    datafast: client,
    state: join(directory, 'state.json'),
    retry: { attempts: 2, baseDelayMs: 1 },
    ...options,
  });
}

function stored() {
  return dev
    .payments()
    .map((payment) => ({
      transaction_id: payment.transaction_id,
      amount: payment.amount,
      currency: payment.currency,
      datafast_visitor_id: payment.datafast_visitor_id ?? null,
      ...(payment.renewal !== undefined &&
      !payment.refunded &&
      String(payment.transaction_id).startsWith('in_')
        ? { renewal: payment.renewal }
        : {}),
      ...(payment.refunded ? { refunded: true } : {}),
    }))
    .sort((a, b) => String(a.transaction_id).localeCompare(String(b.transaction_id)));
}

const sorted = <T extends { transaction_id: unknown }>(list: T[]) =>
  [...list].sort((a, b) => String(a.transaction_id).localeCompare(String(b.transaction_id)));

async function deliverWebhooks(): Promise<void> {
  const stripe = new Stripe('sk_test_webhooks', { ...standIn.clientOptions, maxNetworkRetries: 0 });
  const webhook = stripeWebhook({ secret: webhookSecret, stripe, datafast: client });
  const events = [
    ...[usd, jpy, kwd, anonymous, subscription].map((s) =>
      stripeEvent('checkout.session.completed', s),
    ),
    ...[firstInvoice, ...renewals].map((i) => stripeEvent('invoice.paid', i)),
    ...[partialRefund, fullRefund].map((r) => stripeEvent('refund.created', r)),
  ];
  for (const event of events) {
    const payload = payloadOf(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    const response = await webhook(
      new Request('https://shop.example/api/webhooks/stripe', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
      }),
    );
    expect(response.status).toBe(200);
  }
}

describe('backfill stripe', () => {
  it('reports every payment, renewal and refund once, with the webhook’s ids and exact amounts, however often it runs and whatever the webhooks deliver after', async () => {
    const first = await run();
    expect(first).toMatchObject({
      complete: true,
      found: expected.length,
      reported: expected.length,
      duplicates: 0,
      refunds: 2,
      unattributed: 1,
      failed: 0,
      skipped: { unpaid: 1 },
    });
    expect(first.unattributedShare.USD).toBeCloseTo(10 / (29.99 * 4 + 10), 4);
    expect(first.totals.JPY).toMatchObject({ payments: 1, revenue: 5000 });
    expect(first.totals.KWD).toMatchObject({ payments: 1, revenue: 1.5 });
    expect(stored()).toEqual(sorted(expected));

    await deliverWebhooks();
    const second = await run();
    expect(second).toMatchObject({ reported: 0, duplicates: expected.length, failed: 0 });
    expect(stored()).toEqual(sorted(expected));
    expect(dev.payments()).toHaveLength(expected.length);
  });

  it('records what the webhooks recorded when they came first, under the same ids', async () => {
    await deliverWebhooks();
    const webhooksOnly = stored();
    expect(webhooksOnly).toEqual(sorted(expected));
    const summary = await run();
    expect(summary).toMatchObject({ reported: 0, duplicates: expected.length, failed: 0 });
    expect(stored()).toEqual(webhooksOnly);
  });

  it('a dry run lists the same payments and sends nothing', async () => {
    const listed: string[] = [];
    const summary = await run({
      dryRun: true,
      onPayment: (f) => listed.push(f.payment.transaction_id),
    });
    expect(summary).toMatchObject({ dryRun: true, found: expected.length, reported: 0, failed: 0 });
    expect(listed.sort()).toEqual(expected.map((e) => String(e.transaction_id)).sort());
    expect(dev.requests()).toEqual([]);
  });

  it('sends only attributed payments with --attributed-only', async () => {
    const summary = await run({ attributedOnly: true });
    expect(summary.skipped['no visitor']).toBe(2);
    expect(stored()).toEqual(sorted(expected.filter((e) => e.datafast_visitor_id)));
  });

  it('resumes an interrupted run (Stripe failing mid-way) from the saved page, to the same result', async () => {
    const state = join(directory, 'resume.json');
    let pages = 0;
    const interrupted = await run({
      state,
      pageSize: 2,
      onPage: () => {
        // Stripe's API goes down after the first page: every retry of the next one fails.
        if (++pages === 1) standIn.failNext(1_000);
      },
    });
    standIn.failNext(0);
    expect(interrupted.complete).toBe(false);
    expect(interrupted.failed).toBeGreaterThan(0);
    const saved = JSON.parse(await readFile(state, 'utf8'));
    expect(saved).toEqual({
      version: 1,
      provider: 'stripe',
      since,
      until,
      listings: { checkout_sessions: { cursor: expect.stringMatching(/^cs_/) } },
    });
    expect(JSON.stringify(saved)).not.toContain('sk_test');

    const requestsBefore = standIn.requests.length;
    const resumed = await run({ state, pageSize: 2 });
    expect(resumed).toMatchObject({ resumed: true, complete: true, failed: 0 });
    // It continued after the saved page rather than listing the sessions again from the start.
    const firstList = standIn.requests
      .slice(requestsBefore)
      .find((request) => request.path === '/v1/checkout/sessions' && request.query['created[gte]']);
    expect(firstList?.query.starting_after).toBe(saved.listings.checkout_sessions.cursor);
    expect(stored()).toEqual(sorted(expected));
    await expect(readFile(state, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
