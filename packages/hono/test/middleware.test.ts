import { createDatafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DatafastVariables, datafast, getDatafast } from '../src/index.js';
import { type Listening, listen } from './helpers/listen.js';

// Hono on Node through @hono/node-server, listening on 127.0.0.1, reporting to the devserver over
// HTTP: nothing is stubbed. Workers' waitUntil is proven on workerd in workers.test.ts.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const explicit = '0b7d4c62-4f0e-4a8e-9a57-5f1c2d3e4f50';
let dev: DevServer;
let running: Listening | undefined;
let counter = 0;

beforeAll(async () => {
  dev = await startDevServer();
});
afterEach(async () => {
  dev.setFaults({});
  await running?.close();
  running = undefined;
});
afterAll(() => dev?.close());

const clientOptions = () => ({ apiKey: dev.apiKey, baseUrl: dev.url, maxRetries: 0 });

/** An app whose `/checkout` reports a charge through `c.get('datafast')` and answers at once. */
async function shop(configure: (app: Hono<{ Variables: DatafastVariables }>) => void) {
  const app = new Hono<{ Variables: DatafastVariables }>();
  configure(app);
  app.post('/checkout', async (c) => {
    const input = (await c.req.json()) as { transaction_id: string };
    c.get('datafast').track({ amount: 29.99, currency: 'USD', ...input });
    return c.json({ visitorId: c.var.datafast.visitorId ?? null });
  });
  running = await listen(app);
  return running.url;
}

function checkout(url: string, input: Record<string, string> = {}, cookie?: string) {
  const transactionId = `ch_hono_${++counter}_${Date.now()}`;
  const response = fetch(`${url}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ transaction_id: transactionId, ...input }),
  });
  return { transactionId, response };
}

describe('datafast() on Node (@hono/node-server)', () => {
  it("sets c.get('datafast') bound to the visitor cookie, and the payment arrives attributed", async () => {
    const url = await shop((app) => app.use(datafast(clientOptions())));
    const { transactionId, response } = checkout(url, {}, `datafast_visitor_id=${visitor}`);
    expect(await (await response).json()).toEqual({ visitorId: visitor });
    const stored = await dev.waitForPayment(transactionId, { timeoutMs: 5_000 });
    expect(stored).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
  });

  it('answers before DataFast does: the report is delivered by the client queue after the response', async () => {
    const middleware = datafast(clientOptions());
    const url = await shop((app) => app.use(middleware));
    dev.setFaults({ latencyMs: 300 });
    const { transactionId, response } = checkout(url, {}, `datafast_visitor_id=${visitor}`);
    expect((await response).status).toBe(200);
    // No executionCtx on Node (Hono's getter throws there): the process outlives the response.
    expect(dev.payments().some((p) => p.transaction_id === transactionId)).toBe(false);
    expect(middleware.client.pending).toBe(1);
    expect(
      (await dev.waitForPayment(transactionId, { timeoutMs: 5_000 })).datafast_visitor_id,
    ).toBe(visitor);
  });

  it('leaves Error.stackTraceLimit as it was (executionCtx is read without a stack on Node)', async () => {
    const url = await shop((app) => app.use(datafast(clientOptions())));
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 37;
    try {
      expect((await checkout(url).response).status).toBe(200);
      expect(Error.stackTraceLimit).toBe(37);
    } finally {
      Error.stackTraceLimit = before;
    }
  });

  it('lets an explicit datafast_visitor_id win over the cookie', async () => {
    const url = await shop((app) => app.use(datafast(clientOptions())));
    const { transactionId, response } = checkout(
      url,
      { datafast_visitor_id: explicit },
      `datafast_visitor_id=${visitor}`,
    );
    expect((await response).status).toBe(200);
    const stored = await dev.waitForPayment(transactionId, { timeoutMs: 5_000 });
    expect(stored.datafast_visitor_id).toBe(explicit);
  });

  it('reports a payment with a malformed cookie unattributed', async () => {
    const options = { ...clientOptions(), logger: { warn() {}, error() {} } };
    const url = await shop((app) => app.use(datafast(options)));
    const { transactionId, response } = checkout(url, {}, 'datafast_visitor_id=not-a-uuid');
    expect(await (await response).json()).toEqual({ visitorId: null });
    const stored = await dev.waitForPayment(transactionId, { timeoutMs: 5_000 });
    expect(stored.datafast_visitor_id).toBeUndefined();
  });

  it('reads c.executionCtx only when a report is handed off, never on a request that does not report', async () => {
    // Hono's app.fetch, in process, with an execution context as its third argument: the one way
    // to count the reads (workers.test.ts proves the real Workers context end to end).
    let reads = 0;
    const handed: Promise<unknown>[] = [];
    const executionCtx = {
      get waitUntil() {
        reads += 1;
        return (promise: Promise<unknown>) => handed.push(promise);
      },
      passThroughOnException() {},
      props: {},
    };
    const client = createDatafast(clientOptions());
    const app = new Hono<{ Variables: DatafastVariables }>();
    app.use(datafast(client));
    app.get('/health', (c) => c.text('ok'));
    app.get('/who', (c) => c.json({ visitorId: c.var.datafast.visitorId ?? null }));
    app.get('/report', (c) => {
      c.var.datafast.track({ amount: 5, currency: 'USD', transaction_id: 'ch_hono_handoff' });
      return c.text('ok');
    });
    const get = (path: string) =>
      app.fetch(
        new Request(`http://shop.test${path}`, {
          headers: { cookie: `datafast_visitor_id=${visitor}` },
        }),
        {},
        executionCtx,
      );
    expect(await (await get('/health')).text()).toBe('ok');
    expect(await (await get('/who')).json()).toEqual({ visitorId: visitor });
    expect(reads).toBe(0);
    expect(await (await get('/report')).text()).toBe('ok');
    expect(reads).toBeGreaterThan(0);
    expect(handed).toHaveLength(1);
    await Promise.all(handed);
    expect(await dev.waitForPayment('ch_hono_handoff')).toMatchObject({
      datafast_visitor_id: visitor,
    });
  });

  it('keeps a datafast variable that an earlier middleware set', async () => {
    const earlier = createDatafast(clientOptions()).forVisitor(explicit);
    const url = await shop((app) => {
      app.use(async (c, next) => {
        c.set('datafast', earlier);
        await next();
      });
      app.use(datafast(clientOptions()));
    });
    const { response } = checkout(url, {}, `datafast_visitor_id=${visitor}`);
    expect(await (await response).json()).toEqual({ visitorId: explicit });
  });

  it('uses a Datafast client passed in, one for every request', async () => {
    const client = createDatafast(clientOptions());
    const middleware = datafast(client);
    expect(middleware.client).toBe(client);
    const url = await shop((app) => app.use(middleware));
    dev.setFaults({ latencyMs: 200 });
    const first = checkout(url, {}, `datafast_visitor_id=${visitor}`);
    const second = checkout(url);
    await Promise.all([first.response, second.response]);
    expect(client.pending).toBe(2);
    expect(await client.flush(5_000)).toEqual({ settled: true, pending: 0 });
    const ids = dev.payments().map((p) => p.transaction_id);
    expect(ids).toEqual(expect.arrayContaining([first.transactionId, second.transactionId]));
  });
});

describe('getDatafast(c)', () => {
  it("returns the middleware's c.get('datafast') when it ran", async () => {
    const app = new Hono<{ Variables: DatafastVariables }>();
    app.use(datafast(clientOptions()));
    app.get('/same', (c) => c.json({ same: getDatafast(c) === c.get('datafast') }));
    running = await listen(app);
    expect(await (await fetch(`${running.url}/same`)).json()).toEqual({ same: true });
  });

  it('binds the visitor itself through the middleware given, where the middleware did not run', async () => {
    const middleware = datafast(clientOptions());
    const app = new Hono();
    app.post('/checkout', (c) => {
      const bound = getDatafast(c, middleware);
      bound.track({ amount: 9, currency: 'EUR', transaction_id: 'ch_hono_unmounted' });
      return c.json({ visitorId: bound.visitorId ?? null });
    });
    running = await listen(app);
    const response = await fetch(`${running.url}/checkout`, {
      method: 'POST',
      headers: { cookie: `theme=dark; datafast_visitor_id=${visitor}` },
    });
    expect(await response.json()).toEqual({ visitorId: visitor });
    const stored = await dev.waitForPayment('ch_hono_unmounted', { timeoutMs: 5_000 });
    expect(stored).toMatchObject({ amount: 9, currency: 'EUR', datafast_visitor_id: visitor });
  });
});
