import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { call, VISITOR } from './helpers.js';
import { startWebhookReceiver } from './webhook-receiver.js';

// The webhook handlers' hard cases, one control call each (the dashboard's buttons call the
// same endpoints): refunds, a renewal, redelivery, events held and sent out of order, and the
// delivery log that shows each attempt.

let dev: DevServer;
let endpoint: Awaited<ReturnType<typeof startWebhookReceiver>>;
let secret: string;

beforeAll(async () => {
  dev = await startDevServer();
  await createLinks();
});
afterAll(async () => {
  await dev?.close();
  await endpoint?.close();
});

const control = (path: string, body?: unknown, method = 'POST') =>
  call(dev, { path: `/__devserver/stripe${path}`, method, key: null, body });

/** A link created as the dashboard creates one (its secret generated, answered once), and two more. */
async function createLinks() {
  const created = await control('/links', {
    id: 'plink_team',
    name: 'Team',
    unitAmount: 2500,
    currency: 'usd',
    interval: 'month',
    webhookUrl: 'http://127.0.0.1:9/placeholder',
  });
  expect(created.status).toBe(201);
  secret = created.json.link.webhookSecret;
  expect(secret).toMatch(/^whsec_/);
  endpoint = await startWebhookReceiver(secret);
  // The app's endpoint, and links that sign for it with that secret, as an app has one.
  const once = await control('/links', {
    id: 'plink_single',
    name: 'Single',
    unitAmount: 4000,
    currency: 'usd',
    webhookUrl: endpoint.url,
    webhookSecret: secret,
  });
  expect(once.status).toBe(201);
  const monthly = await control('/links', {
    id: 'plink_monthly',
    name: 'Monthly',
    unitAmount: 2500,
    currency: 'usd',
    interval: 'month',
    webhookUrl: endpoint.url,
    webhookSecret: secret,
  });
  expect(monthly.status).toBe(201);
}

beforeEach(async () => {
  await dev.reset();
  await dev.stripe.holdEvents(false);
  endpoint.clear();
  endpoint.answer(200);
});

async function pay(linkId: string) {
  await fetch(`${dev.url}/buy/${linkId}`, {
    method: 'POST',
    body: new URLSearchParams({ client_reference_id: VISITOR, email: 'ada@example.com' }),
    redirect: 'manual',
  });
  await dev.stripe.settled();
  return dev.stripe.sessions()[0] as Record<string, unknown> & { id: string };
}

describe('payment links from the control API', () => {
  it('answers the generated secret once, never in lists, the summary or the event stream', async () => {
    const listed = await control('/links', undefined, 'GET');
    expect(listed.json.links.map((l: { id: string }) => l.id)).toEqual([
      'plink_team',
      'plink_single',
      'plink_monthly',
    ]);
    expect(listed.json.links[0]).toMatchObject({
      url: `${dev.url}/buy/plink_team`,
      price: '$25.00 per month',
    });
    expect(listed.text).not.toContain(secret);
    expect((await control('', undefined, 'GET')).text).not.toContain(secret);
    await pay('plink_single');
    expect((await control('/events', undefined, 'GET')).text).not.toContain(secret);
  });

  it('refuses an invalid link with 400 naming the field, and an id in use', async () => {
    const bad = await control('/links', { name: 'X', unitAmount: 12.5, currency: 'usd' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/unitAmount must be a whole number/);
    const taken = await control('/links', {
      id: 'plink_team',
      name: 'X',
      unitAmount: 1,
      currency: 'usd',
    });
    expect(taken.status).toBe(400);
    expect(taken.json.error.message).toMatch(/in use/);
  });

  it('keeps payment links across a reset, and forgets checkouts and events', async () => {
    await pay('plink_single');
    await dev.reset();
    expect(dev.stripe.sessions()).toEqual([]);
    expect(dev.stripe.events()).toEqual([]);
    expect(dev.stripe.paymentLinks()).toHaveLength(3);
  });
});

describe('the hard cases, one call each', () => {
  it('refunds part, then the rest, each as refund.created with its own refund id', async () => {
    const session = await pay('plink_single');
    const paymentIntent = session.payment_intent as string;
    const part = await control('/refunds', { payment_intent: paymentIntent, amount: 1000 });
    expect(part.status).toBe(200);
    const rest = await control('/refunds', { payment_intent: paymentIntent });
    expect(rest.json.refund.amount).toBe(3000);
    const over = await control('/refunds', { payment_intent: paymentIntent, amount: 1 });
    expect(over.status).toBe(409);
    await dev.stripe.settled();
    const refunds = endpoint.received.slice(1).map((r) => r.event.data.object as { id: string });
    expect(endpoint.types()).toEqual([
      'checkout.session.completed',
      'refund.created',
      'refund.created',
    ]);
    expect(refunds.map((r) => r)).toMatchObject([
      { object: 'refund', amount: 1000, status: 'succeeded', payment_intent: paymentIntent },
      { object: 'refund', amount: 3000, status: 'succeeded', payment_intent: paymentIntent },
    ]);
    expect(refunds[0]?.id).not.toBe(refunds[1]?.id);
  });

  it('renews a subscription: invoice.paid with billing_reason subscription_cycle and a new invoice', async () => {
    const session = await pay('plink_monthly');
    const renewed = await control(`/subscriptions/${session.subscription}/renew`);
    expect(renewed.status).toBe(200);
    await dev.stripe.settled();
    const invoice = endpoint.received.at(-1)?.event.data.object as unknown as Record<
      string,
      unknown
    >;
    expect(endpoint.types().at(-1)).toBe('invoice.paid');
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_cycle',
      amount_paid: 2500,
      parent: { subscription_details: { subscription: session.subscription } },
    });
    expect(invoice.id).not.toBe(session.invoice);
    // The renewal's payment can be refunded too: the summary lists both payments.
    const summary = (await control('', undefined, 'GET')).json;
    expect(summary.sessions[0].payments).toHaveLength(2);
    expect((await control('/subscriptions/sub_unknown/renew')).status).toBe(404);
  });

  it('redelivers an event: the same id, a fresh signature, one more attempt in its log', async () => {
    endpoint.answer(500);
    await pay('plink_single');
    const [event] = dev.stripe.events();
    expect(event).toMatchObject({
      status: 'failed',
      deliveries: [{ attempt: 1, status: 500, ok: false }],
    });
    endpoint.answer(200);
    const redelivered = await control(`/events/${event?.event.id}/redeliver`);
    expect(redelivered.status).toBe(200);
    await dev.stripe.settled();
    const [after] = dev.stripe.events();
    expect(after).toMatchObject({
      status: 'delivered',
      deliveries: [
        { attempt: 1, status: 500 },
        { attempt: 2, status: 200, ok: true },
      ],
    });
    expect(after?.deliveries[1]?.at).toEqual(expect.any(String));
    expect(endpoint.received.map((r) => r.event.id)).toEqual([event?.event.id, event?.event.id]);
    expect((await control('/events/evt_unknown/redeliver')).status).toBe(404);
  });

  it('logs an endpoint that does not answer with the reason, not a status', async () => {
    await control('/links', {
      id: 'plink_nowhere',
      name: 'Nowhere',
      unitAmount: 100,
      currency: 'usd',
      webhookUrl: 'http://127.0.0.1:9/refused',
    });
    await pay('plink_nowhere');
    const [event] = dev.stripe.events();
    expect(event?.status).toBe('failed');
    expect(event?.deliveries[0]).toMatchObject({
      status: null,
      ok: false,
      error: expect.any(String),
    });
  });

  it('holds events, then sends a session’s pending events out of order', async () => {
    const hold = await control('/hold', { hold: true }, 'PUT');
    expect(hold.json).toEqual({ hold: true });
    const session = await pay('plink_monthly');
    expect(endpoint.received).toEqual([]);
    expect(dev.stripe.events().map((e) => e.status)).toEqual(['pending', 'pending']);
    const sent = await control(`/sessions/${session.id}/deliver`, { order: 'reverse' });
    expect(sent.status).toBe(200);
    await dev.stripe.settled();
    expect(endpoint.types()).toEqual(['invoice.paid', 'checkout.session.completed']);
    expect((await control(`/sessions/${session.id}/deliver`, { order: 'sideways' })).status).toBe(
      400,
    );
  });
});

describe('the data file', () => {
  it('keeps created links, checkouts, events and pageviews across a restart', async () => {
    const dataFile = join(await mkdtemp(join(tmpdir(), 'devserver-stripe-')), 'data.json');
    const first = await startDevServer({ dataFile });
    const link = await first.stripe.createPaymentLink({
      name: 'Kept',
      unitAmount: 700,
      currency: 'usd',
    });
    await fetch(`${first.url}/buy/${link.id}`, {
      method: 'POST',
      body: new URLSearchParams(),
      redirect: 'manual',
    });
    await fetch(`${first.url}/api/events`, {
      method: 'POST',
      body: JSON.stringify({
        type: 'pageview',
        href: 'https://shop.example/?ref=hn',
        visitorId: VISITOR,
      }),
    });
    await first.waitForPageview(VISITOR);
    const sessions = first.stripe.sessions();
    await first.close();
    const saved = await readFile(dataFile, 'utf8');
    expect(saved).toContain(link.webhookSecret); // the file keeps it: it is the user's own secret

    const second = await startDevServer({ dataFile });
    try {
      expect(second.stripe.paymentLinks().map((l) => l.id)).toEqual([link.id]);
      expect(second.stripe.sessions()).toEqual(sessions);
      expect(second.stripe.events().map((e) => e.event.type)).toEqual([
        'checkout.session.completed',
      ]);
      expect(second.visitors()).toMatchObject([{ visitor_id: VISITOR, source: 'hn' }]);
      expect(second.stripe.secretKey).toBe(first.stripe.secretKey);
    } finally {
      await second.close();
    }
  });
});
