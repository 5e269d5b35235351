import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { inspect } from 'node:util';
import {
  createDatafast,
  DatafastConfigError,
  DatafastNetworkError,
  DatafastValidationError,
} from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import cookieParser from 'cookie-parser';
import type { Request } from 'express';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datafast } from '../src/index.js';
import {
  checkout,
  type ExpressModule,
  listen,
  otherVisitor,
  type Shop,
  startShop,
  visitor,
} from './helpers/shop.js';

let dev: DevServer;
let shop: Shop | undefined;

beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
// Clears payments, the request log and faults.
beforeEach(() => dev.reset());
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

const txId = () => `ch_${randomUUID()}`;
const storedPayment = (transactionId: string) =>
  dev.waitForPayment(transactionId, { timeoutMs: 10_000 });

// The same specification runs against a listening Express 5 app and a listening Express 4 app
// (installed under the npm alias `express4`). Their typings differ in details this test does not
// touch, hence the cast.
describe.each([
  { name: 'Express 5', express: express5 },
  { name: 'Express 4', express: express4 as unknown as ExpressModule },
])('datafast() in $name', ({ express }) => {
  const open = async (options: Partial<Parameters<typeof startShop>[1]> = {}) => {
    shop = await startShop(express, { apiKey: dev.apiKey, baseUrl: dev.url, ...options });
    return shop;
  };

  it('attributes a tracked payment to the visitor in the cookie', async () => {
    const { url } = await open();
    const id = txId();
    const response = await checkout(
      `${url}/checkout`,
      { amount: 29.99, currency: 'usd', transaction_id: id },
      `theme=dark; datafast_visitor_id=${visitor}; datafast_session_id=s${otherVisitor}`,
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ visitorId: visitor });
    expect(await storedPayment(id)).toMatchObject({
      transaction_id: id,
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
    });
  });

  it('fills the visitor id into an awaited payments.create', async () => {
    const { url } = await open();
    const id = txId();
    const response = await checkout(
      `${url}/checkout/awaited`,
      { amount: 49, currency: 'EUR', transaction_id: id },
      `datafast_visitor_id=${visitor}`,
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ transaction_id: id });
    // Awaited: stored by the time the route answered.
    expect(dev.payments().find((payment) => payment.transaction_id === id)).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });

  it('keeps an explicit datafast_visitor_id over the cookie', async () => {
    const { url } = await open();
    const id = txId();
    await checkout(
      `${url}/checkout`,
      { amount: 10, currency: 'USD', transaction_id: id, datafast_visitor_id: otherVisitor },
      `datafast_visitor_id=${visitor}`,
    );

    expect((await storedPayment(id))?.datafast_visitor_id).toBe(otherVisitor);
  });

  it('reports a payment without a cookie, unattributed', async () => {
    const { url, errors } = await open();
    const id = txId();
    const response = await checkout(`${url}/checkout`, {
      amount: 10,
      currency: 'USD',
      transaction_id: id,
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ visitorId: null });
    const payment = await storedPayment(id);
    expect(payment?.datafast_visitor_id).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('reports unattributed, without an error, when the cookie is garbage', async () => {
    const { url, errors } = await open();
    const id = txId();
    const response = await checkout(
      `${url}/checkout`,
      { amount: 10, currency: 'USD', transaction_id: id },
      'datafast_visitor_id=%E0%A4%A; =; ;;datafast_visitor_id2=x; junk',
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ visitorId: null });
    expect((await storedPayment(id))?.datafast_visitor_id).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('reads the visitor from req.cookies when cookie-parser ran first', async () => {
    const { url } = await open({ before: [cookieParser()] });
    const id = txId();
    // Quoted and upper case: cookie-parser unquotes it, core normalises the case.
    await checkout(
      `${url}/checkout`,
      { amount: 5, currency: 'USD', transaction_id: id },
      `datafast_visitor_id="${visitor.toUpperCase()}"`,
    );

    expect((await storedPayment(id))?.datafast_visitor_id).toBe(visitor);
  });

  it('answers the route before the report reaches a slow DataFast', async () => {
    const { url } = await open();
    dev.setFaults({ latencyMs: 1_500 });
    const id = txId();
    const response = await checkout(
      `${url}/checkout`,
      { amount: 29.99, currency: 'USD', transaction_id: id },
      `datafast_visitor_id=${visitor}`,
    );

    expect(response.status).toBe(200);
    // The devserver holds the report; the customer already has the answer.
    expect(dev.payments()).toEqual([]);
    expect((await storedPayment(id))?.datafast_visitor_id).toBe(visitor);
  });

  it('still answers 200 when DataFast is down, and hands the payment to onError at maxAgeMs', async () => {
    const gone = await startDevServer();
    const { url: deadUrl, apiKey } = gone;
    await gone.close();
    const { url, nextError } = await open({ apiKey, baseUrl: deadUrl, maxRetries: 1, maxAgeMs: 0 });
    const id = txId();
    const response = await checkout(
      `${url}/checkout`,
      { amount: 29.99, currency: 'USD', transaction_id: id },
      `datafast_visitor_id=${visitor}`,
    );

    expect(response.status).toBe(200);
    const { error, payment } = await nextError();
    expect(error).toBeInstanceOf(DatafastNetworkError);
    expect(payment).toMatchObject({ transaction_id: id, datafast_visitor_id: visitor });
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(apiKey);
  });

  it('answers 200 while DataFast is down, and delivers the payment once it is back', async () => {
    const first = await startDevServer();
    const { port, apiKey } = first;
    const baseUrl = first.url;
    await first.close();
    const { url, errors } = await open({ apiKey, baseUrl });
    const id = txId();
    const response = await checkout(
      `${url}/checkout`,
      { amount: 29.99, currency: 'USD', transaction_id: id },
      `datafast_visitor_id=${visitor}`,
    );
    expect(response.status).toBe(200);
    // DataFast comes back on the same address: the report's next round reaches it.
    const back = await startDevServer({ port, apiKey });
    try {
      const payment = await back.waitForPayment(id, { timeoutMs: 15_000 });
      expect(payment.datafast_visitor_id).toBe(visitor);
      expect(errors).toEqual([]);
    } finally {
      await back.close();
    }
  });

  it('turns bad payment input into onError, not a 500', async () => {
    const { url, nextError } = await open();
    const response = await checkout(`${url}/checkout`, {
      amount: -1,
      currency: 'USD',
      transaction_id: 'ch_negative',
    });

    expect(response.status).toBe(200);
    const { error, payment } = await nextError();
    expect(error).toBeInstanceOf(DatafastValidationError);
    expect((error as DatafastValidationError).field).toBe('amount');
    expect(payment).toMatchObject({ transaction_id: 'ch_negative' });
    expect(dev.requests()).toEqual([]);
  });

  it('still answers 200 without an API key, and says so through onError', async () => {
    const { url, nextError } = await open({ apiKey: '' });
    const response = await checkout(`${url}/checkout`, {
      amount: 1,
      currency: 'USD',
      transaction_id: 'ch_no_key',
    });

    expect(response.status).toBe(200);
    expect((await nextError()).error).toBeInstanceOf(DatafastConfigError);
  });

  it('leaves the body untouched for a raw-body webhook route mounted before express.json()', async () => {
    const { url } = await open();
    // Whitespace and key order matter to a signature check over the raw bytes.
    const payload = '{ "id": "evt_1",\n  "type": "checkout.session.completed" }\n';
    const response = await fetch(`${url}/webhooks/raw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
      body: payload,
    });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe(payload);
  });

  it('hands each delivery to the waitUntil in its options, as on serverless hosts', async () => {
    const handed: Promise<unknown>[] = [];
    const app = express();
    app.use(
      datafast({
        apiKey: dev.apiKey,
        baseUrl: dev.url,
        waitUntil: (promise) => handed.push(promise),
      }),
    );
    app.post('/buy', (req, res) => {
      req.datafast.track({ amount: 3, currency: 'USD', transaction_id: 'ch_wait_until' });
      res.sendStatus(204);
    });
    const server = await listen(app);
    try {
      await fetch(`${server.url}/buy`, { method: 'POST' });
      expect(handed).toHaveLength(1);
      await handed[0];
      expect(dev.payments().map((payment) => payment.transaction_id)).toEqual(['ch_wait_until']);
    } finally {
      await server.close();
    }
  });

  it('uses a client passed in instead of creating one', async () => {
    const client = createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url });
    const middleware = datafast(client);
    expect(middleware.client).toBe(client);

    const app = express();
    app.use(middleware);
    app.post('/buy', (req, res) => {
      req.datafast.track({ amount: 3, currency: 'USD', transaction_id: 'ch_existing_client' });
      res.sendStatus(204);
    });
    const server = await listen(app);
    try {
      await fetch(`${server.url}/buy`, {
        method: 'POST',
        headers: { cookie: `datafast_visitor_id=${visitor}` },
      });
      // Delivered through the very client that was passed in: its flush settles it.
      expect(await client.flush(10_000)).toEqual({ settled: true, pending: 0 });
      expect(
        dev.payments().find((payment) => payment.transaction_id === 'ch_existing_client'),
      ).toMatchObject({ datafast_visitor_id: visitor });
    } finally {
      await server.close();
    }
  });

  it('keeps req an ordinary object around req.datafast, before and after the middleware', async () => {
    // What code that never heard of this package sees of a request, and whether reading
    // req.datafast throws (only where the middleware has not run).
    const look = (req: Request) => {
      let readError: string | undefined;
      try {
        void req.datafast;
      } catch (error) {
        readError = (error as DatafastConfigError).code;
      }
      const forIn: string[] = [];
      for (const key in req) forIn.push(key);
      return {
        own: Object.hasOwn(req, 'datafast'),
        in: 'datafast' in req,
        keys: Object.keys(req).includes('datafast'),
        forIn: forIn.includes('datafast'),
        inspected: /\bdatafast:/.test(inspect(req, { depth: 0 })),
        readError,
      };
    };
    const seen: Record<string, unknown> = {};
    const app = express();
    app.get('/', (req, _res, next) => {
      seen.before = look(req);
      next();
    });
    app.get('/assign', (req, res) => {
      const mine = { visitorId: 'mine' } as unknown as typeof req.datafast;
      req.datafast = mine;
      res.json({ same: req.datafast === mine, ...look(req) });
    });
    app.use(datafast({ apiKey: dev.apiKey, baseUrl: dev.url }));
    app.get('/', (req, res) => {
      seen.after = look(req);
      res.json(seen);
    });
    const server = await listen(app);
    try {
      const response = await fetch(server.url, {
        headers: { cookie: `datafast_visitor_id=${visitor}` },
      });
      const assigned = await (await fetch(`${server.url}/assign`)).json();

      const ordinary = { in: true, own: false, keys: false, forIn: false, inspected: false };
      const withOwn = { in: true, own: true, keys: true, forIn: true, inspected: true };
      expect(await response.json()).toEqual({
        before: { ...ordinary, readError: 'config_error' },
        after: withOwn,
      });
      expect(assigned).toEqual({ same: true, ...withOwn });
    } finally {
      await server.close();
    }
  });

  it('leaves alone the responses of outgoing HTTP requests, which are IncomingMessages too', async () => {
    // A route that calls another service with http.get, then looks at the response the way a
    // logging or HTTP client library does: every property up its prototype chain, and inspect.
    const app = express();
    app.use(datafast({ apiKey: dev.apiKey, baseUrl: dev.url }));
    app.get('/upstream', (_req, res, next) => {
      get(`${dev.url}/__devserver/health`, (upstream) => {
        try {
          const names = new Set<string>();
          for (let o: object | null = upstream; o; o = Object.getPrototypeOf(o)) {
            for (const name of Object.getOwnPropertyNames(o)) names.add(name);
          }
          const copy: Record<string, unknown> = {};
          for (const name of names)
            copy[name] = (upstream as unknown as Record<string, unknown>)[name];
          inspect(upstream, { showHidden: true, getters: true, depth: 1 });
          upstream.resume();
          res.json({ status: upstream.statusCode, datafast: copy.datafast ?? null });
        } catch (error) {
          upstream.resume();
          next(error);
        }
      }).on('error', next);
    });
    const server = await listen(app);
    try {
      const response = await fetch(`${server.url}/upstream`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 200, datafast: null });
    } finally {
      await server.close();
    }
  });
});
