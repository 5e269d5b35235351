/**
 * What every provider's webhook handler does, one table over LemonSqueezy, Polar, Paddle, Creem
 * and Dodo Payments, against a real DataFast stand-in (the devserver): a paid event recorded
 * once however often it is delivered, the refusals (tampered body, wrong secret, stale
 * timestamp, missing header, a parsed body), DataFast down answered 5xx then redelivered once,
 * and "not configured". Each provider's own events are in its own suite.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { payloadOf, visitor } from '@datafast-checkout/testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toExpress } from '../src/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { otherSecret, providerCases } from './helpers/providers.js';
import type { WebhookAnswer } from './helpers/stripe.js';

const url = 'https://shop.example/api/webhooks/provider';
const context = suiteDevServer();
const recorded = (id: unknown) =>
  context.dev.payments().filter((payment) => payment.transaction_id === id);

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as WebhookAnswer };
}

describe.each(providerCases)('$name webhook', (provider) => {
  const handler = (options: Parameters<typeof provider.handler>[0] = {}) =>
    provider.handler({ datafast: context.client, ...options });

  it('reports a paid event with its carried visitor, once across redeliveries to any process', async () => {
    const { event, transactionId, amount, currency } = provider.paid();
    const webhook = handler();
    expect(await answer(await webhook(provider.sign(url, event)))).toEqual({
      status: 200,
      body: { received: true, reported: [transactionId] },
    });
    expect((await webhook(provider.sign(url, event))).status).toBe(200);
    expect((await handler()(provider.sign(url, event))).status).toBe(200);
    expect(recorded(transactionId)).toEqual([
      expect.objectContaining({ amount, currency, datafast_visitor_id: visitor }),
    ]);
    // The second delivery to the same process is answered from memory; the fresh one by DataFast.
    expect(context.dev.stats().duplicates).toBe(1);
  });

  it('answers 400 for a tampered body, a wrong secret and a missing signature, reporting nothing', async () => {
    const { event } = provider.paid();
    const signed = provider.sign(url, event);
    const tampered = new Request(url, {
      method: 'POST',
      headers: signed.headers,
      body: payloadOf(event).replace(/35\.99|3599|1210/, '1'),
    });
    const results = [
      await answer(await handler()(tampered)),
      await answer(
        await handler()(provider.sign(url, event, { secret: otherSecret(provider.secret) })),
      ),
      await answer(await handler()(new Request(url, { method: 'POST', body: payloadOf(event) }))),
    ];
    for (const result of results) {
      expect(result).toEqual({
        status: 400,
        body: { error: { code: 'invalid_signature', message: expect.any(String) } },
      });
    }
    expect(JSON.stringify(results)).not.toContain(provider.secret);
    expect(context.dev.requests()).toEqual([]);
  });

  it('refuses a body that was already read, saying how to mount the route', async () => {
    const request = provider.sign(url, provider.paid().event);
    await request.text();
    expect(await answer(await handler()(request))).toEqual({
      status: 500,
      body: {
        error: {
          code: 'body_parsed',
          message: expect.stringContaining("express.raw({ type: 'application/json' })"),
        },
      },
    });
  });

  it('answers 5xx while DataFast is down, reports the loss, and records the redelivery once', async () => {
    const { event, transactionId } = provider.paid();
    const errors: Array<[string, unknown]> = [];
    const webhook = handler({
      onError: (error, payment) => errors.push([error.name, payment?.transaction_id]),
    });
    context.dev.setFaults({ failureRate: 1, failureStatus: 503 });
    const down = await answer(await webhook(provider.sign(url, event)));
    context.dev.setFaults({});
    expect(down).toEqual({
      status: 502,
      body: { error: { code: 'delivery_failed', message: expect.stringContaining('503') } },
    });
    expect(errors).toEqual([['DatafastApiError', transactionId]]);
    expect((await webhook(provider.sign(url, event))).status).toBe(200);
    expect((await webhook(provider.sign(url, event))).status).toBe(200);
    expect(recorded(transactionId)).toHaveLength(1);
  });

  it(`answers 503 until ${provider.secretEnv} is set (read per request), 405 for a GET and 200 for other events`, async () => {
    const previous = process.env[provider.secretEnv];
    delete process.env[provider.secretEnv];
    try {
      const webhook = provider.handler({ datafast: context.client, secret: undefined });
      const unconfigured = await answer(await webhook(provider.sign(url, provider.paid().event)));
      expect(unconfigured).toEqual({
        status: 503,
        body: {
          error: {
            code: 'not_configured',
            message: `${provider.name} webhook is not configured: set ${provider.secretEnv} or pass { secret }`,
          },
        },
      });
      process.env[provider.secretEnv] = provider.secret;
      expect((await webhook(provider.sign(url, provider.paid().event))).status).toBe(200);
    } finally {
      if (previous === undefined) delete process.env[provider.secretEnv];
      else process.env[provider.secretEnv] = previous;
    }
    const get = await handler()(new Request(url));
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    const before = context.dev.requests().length;
    const other = await answer(await handler()(provider.sign(url, provider.unhandled)));
    expect(other).toMatchObject({
      status: 200,
      body: { received: true, ignored: expect.any(String) },
    });
    expect(context.dev.requests()).toHaveLength(before);
  });
});

// LemonSqueezy signs no timestamp: a replayed event is the same transaction_id, recorded once.
const timestamped = providerCases.filter((provider) => provider.staleBy !== undefined);

describe.each(timestamped)('$name webhook signature age', (provider) => {
  it('answers 400 for a signature older than its tolerance (or from the future, unless the provider’s SDK accepts that)', async () => {
    const { event } = provider.paid();
    const now = Math.floor(Date.now() / 1000);
    const webhook = provider.handler({ datafast: context.client });
    const staleBy = provider.staleBy ?? 0;
    for (const timestamp of [now - staleBy, ...(provider.acceptsAhead ? [] : [now + staleBy])]) {
      const result = await answer(await webhook(provider.sign(url, event, { timestamp })));
      expect(result.status).toBe(400);
      expect(result.body.error?.message).toMatch(/tolerance/);
    }
    expect(context.dev.requests()).toEqual([]);
  });
});

describe('every provider’s webhook in Express', () => {
  let origin: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const app = express();
    for (const provider of providerCases) {
      const route = `/api/webhooks/${provider.entry.replace('.js', '')}`;
      const webhook = provider.handler({ datafast: context.client });
      app.post(route, express.raw({ type: 'application/json' }), toExpress(webhook));
      app.post(`/misplaced${route}`, express.json(), toExpress(webhook));
    }
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close?.());

  it.each(providerCases)(
    '$name: records through express.raw(), explains express.json()',
    async (provider) => {
      const route = `/api/webhooks/${provider.entry.replace('.js', '')}`;
      const { event, transactionId } = provider.paid();
      const post = (path: string) => {
        const signed = provider.sign(`${origin}${path}`, event);
        return fetch(signed.url, {
          method: 'POST',
          headers: signed.headers,
          body: signed.body,
          duplex: 'half',
        } as RequestInit);
      };
      expect((await post(route)).status).toBe(200);
      expect(recorded(transactionId)).toHaveLength(1);
      const misplaced = await post(`/misplaced${route}`);
      expect(misplaced.status).toBe(500);
      expect(await misplaced.json()).toEqual({
        error: { code: 'body_parsed', message: expect.stringContaining('parsed into an object') },
      });
    },
  );
});
