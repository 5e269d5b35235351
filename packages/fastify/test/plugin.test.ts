import { createDatafast, type DatafastError, type PaymentInput } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datafast, getDatafast } from '../src/index.js';
import { checkout, listen, majors, otherVisitor, visitor } from './helpers/fastify.js';

// A listening Fastify server reporting to the devserver, which stands in for DataFast.
let dev: DevServer;
const apps: Array<{ close(): Promise<unknown> }> = [];

beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe.each(majors)('datafast() in $name', ({ fastify, cookie }) => {
  // A client per test, passed as a client: app.close() shuts the plugin's client down.
  function plugin(extra: { onError?: (e: DatafastError, p?: PaymentInput) => void } = {}) {
    return datafast(
      createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url, maxRetries: 0, ...extra }),
    );
  }

  function app() {
    const created = fastify();
    apps.push(created);
    return created;
  }

  it("attributes request.datafast.track() to the cookie's visitor, an explicit visitor winning", async () => {
    const shop = app();
    await shop.register(plugin());
    shop.post('/checkout', async (request) => {
      request.datafast.track(request.body as PaymentInput);
      return { visitorId: request.datafast.visitorId ?? null };
    });
    const url = await listen(shop);
    const cookie = `datafast_visitor_id=${visitor}`;

    const answer = await checkout(
      `${url}/checkout`,
      { amount: 29.99, currency: 'USD', transaction_id: 'ch_cookie' },
      cookie,
    );
    expect(await answer.json()).toEqual({ visitorId: visitor });
    await checkout(
      `${url}/checkout`,
      {
        amount: 5,
        currency: 'USD',
        transaction_id: 'ch_explicit',
        datafast_visitor_id: otherVisitor,
      },
      cookie,
    );

    expect(await dev.waitForPayment('ch_cookie')).toMatchObject({
      amount: 29.99,
      datafast_visitor_id: visitor,
    });
    expect(await dev.waitForPayment('ch_explicit')).toMatchObject({
      datafast_visitor_id: otherVisitor,
    });
  });

  it('reads no cookie on a request whose route does not use request.datafast', async () => {
    const shop = app();
    let reads = 0;
    // Parsed cookies as @fastify/cookie leaves them (the plugin reads them first), counted.
    shop.addHook('onRequest', (request, _reply, done) => {
      Object.defineProperty(request, 'cookies', {
        configurable: true,
        get() {
          reads += 1;
          return { datafast_visitor_id: visitor };
        },
      });
      done();
    });
    await shop.register(plugin());
    shop.get('/health', async () => 'ok');
    shop.get('/who', async (request) => ({ visitorId: request.datafast.visitorId ?? null }));
    const url = await listen(shop);
    expect(await (await fetch(`${url}/health`)).text()).toBe('ok');
    expect(reads).toBe(0);
    expect(await (await fetch(`${url}/who`)).json()).toEqual({ visitorId: visitor });
    expect(reads).toBe(1);
  });

  it("reads @fastify/cookie's parsed cookies when it is registered", async () => {
    const shop = app();
    await shop.register(cookie as never);
    await shop.register(plugin());
    shop.get('/who', async (request) => ({ visitorId: request.datafast.visitorId ?? null }));
    const url = await listen(shop);
    const answer = await fetch(`${url}/who`, {
      headers: { cookie: `datafast_visitor_id=${visitor}` },
    });
    expect(await answer.json()).toEqual({ visitorId: visitor });
  });

  it('registered in a child context, decorates that context and not its siblings', async () => {
    const shop = app();
    const installed = plugin();
    await shop.register(async (checkoutContext) => {
      await checkoutContext.register(installed);
      checkoutContext.get('/inside', async (request) => ({
        decorated: Boolean(request.datafast),
        visitorId: request.datafast.visitorId ?? null,
      }));
    });
    await shop.register(async (sibling) => {
      sibling.get('/sibling', async (request) => ({
        decorated: 'datafast' in request,
        // getDatafast binds the visitor wherever the plugin did not run.
        visitorId: getDatafast(request, installed).visitorId ?? null,
      }));
    });
    const url = await listen(shop);
    const headers = { cookie: `datafast_visitor_id=${visitor}` };
    expect(await (await fetch(`${url}/inside`, { headers })).json()).toEqual({
      decorated: true,
      visitorId: visitor,
    });
    expect(await (await fetch(`${url}/sibling`, { headers })).json()).toEqual({
      decorated: false,
      visitorId: visitor,
    });
  });

  it('getDatafast(request) returns request.datafast where the plugin ran', async () => {
    const shop = app();
    await shop.register(plugin());
    shop.get('/same', async (request) => ({ same: getDatafast(request) === request.datafast }));
    const url = await listen(shop);
    expect(await (await fetch(`${url}/same`)).json()).toEqual({ same: true });
  });

  it('app.close() waits for the reports still in flight, and they arrive', async () => {
    dev.setFaults({ latencyMs: 300 });
    const shop = app();
    await shop.register(plugin());
    shop.post('/checkout', async (request) => {
      request.datafast.track(request.body as PaymentInput);
      return { ok: true };
    });
    const url = await listen(shop);
    await checkout(
      `${url}/checkout`,
      { amount: 9, currency: 'USD', transaction_id: 'ch_close' },
      `datafast_visitor_id=${visitor}`,
    );
    await shop.close();
    expect(dev.payments().map((p) => p.transaction_id)).toEqual(['ch_close']);
  });

  it('app.close() gives up at closeTimeoutMs and hands the payment to onError', async () => {
    dev.setFaults({ failNext: { count: 1, mode: 'hang' } });
    const lost: Array<{ code: string; transactionId?: string }> = [];
    const shop = app();
    await shop.register(
      plugin({
        onError: (error, payment) =>
          lost.push({ code: error.code, transactionId: payment?.transaction_id }),
      }),
      { closeTimeoutMs: 100 },
    );
    shop.post('/checkout', async (request) => {
      request.datafast.track(request.body as PaymentInput);
      return { ok: true };
    });
    const url = await listen(shop);
    await checkout(`${url}/checkout`, { amount: 9, currency: 'USD', transaction_id: 'ch_lost' });
    await shop.close();
    expect(lost).toEqual([{ code: 'shutdown_timeout', transactionId: 'ch_lost' }]);
  });
});
