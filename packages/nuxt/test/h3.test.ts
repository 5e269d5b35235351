import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { createApp, defineEventHandler, type H3Event, readBody, toNodeListener } from 'h3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datafast, datafastProxy, getDatafast } from '../src/server.js';

// The runtime on plain h3 1.x on this Node (20 in CI), listening on 127.0.0.1: what a Nitro app
// runs per request, without Nuxt. The built Nuxt 4 app (Node 22) is tested in internal/nuxt-check.
let dev: DevServer;
let server: Server;
let url: string;

beforeAll(async () => {
  dev = await startDevServer();
  const plugin = datafast(createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url }));
  const app = createApp();
  app.use(datafastProxy({ baseUrl: dev.url }));
  app.use(
    '/api/checkout',
    defineEventHandler(async (event) => {
      const { transaction_id } = await readBody(event);
      // No plugin ran (plain h3 has no Nitro hooks) and h3 has no event.waitUntil: getDatafast
      // binds through the plugin's client, whose own queue delivers in the background.
      getDatafast(event, plugin).track({ amount: 29.99, currency: 'USD', transaction_id });
      return { transaction_id };
    }),
  );
  server = createServer(toNodeListener(app)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await dev?.close();
});

describe('on plain h3', () => {
  it('getDatafast(event, plugin) reports with the visitor from the cookie, in the background', async () => {
    const visitor = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
    const response = await fetch(`${url}/api/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
      body: JSON.stringify({ transaction_id: 'h3_order_1' }),
    });

    expect(await response.json()).toEqual({ transaction_id: 'h3_order_1' });
    const payment = await dev.waitForPayment('h3_order_1');
    expect(payment).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
  });

  it("the plugin's request hook reads no cookie until the route uses event.context.datafast", async () => {
    // Nitro runs its `request` hooks from h3's onRequest: the plugin is installed on such a list.
    const hooks: Array<(event: H3Event) => void> = [];
    datafast(createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url }))({
      hooks: { hook: (name: string, handler: never) => name === 'request' && hooks.push(handler) },
    });
    let reads = 0;
    const app = createApp({
      onRequest: (event) => {
        const cookie = event.node.req.headers.cookie;
        // Counts the reads of the raw Cookie header, the one place the plugin reads the visitor.
        Object.defineProperty(event.node.req.headers, 'cookie', {
          configurable: true,
          get: () => {
            reads += 1;
            return cookie;
          },
        });
        for (const hook of hooks) hook(event);
      },
    });
    app.use(
      '/health',
      defineEventHandler(() => 'ok'),
    );
    app.use(
      '/who',
      defineEventHandler((event) => ({ visitorId: event.context.datafast.visitorId })),
    );
    const listening = createServer(toNodeListener(app)).listen(0, '127.0.0.1');
    await once(listening, 'listening');
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    const visitor = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
    const headers = { cookie: `datafast_visitor_id=${visitor}` };
    try {
      expect(await (await fetch(`${base}/health`, { headers })).text()).toBe('ok');
      expect(reads).toBe(0);
      expect(await (await fetch(`${base}/who`, { headers })).json()).toEqual({
        visitorId: visitor,
      });
      expect(reads).toBe(1);
    } finally {
      listening.close();
    }
  });

  it('datafastProxy() forwards a pageview with getRequestIP(event), ignoring X-Forwarded-For', async () => {
    const visitor = '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c';
    const response = await fetch(`${url}/api/events?from=test`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: url, 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({ type: 'pageview', href: `${url}/`, visitorId: visitor }),
    });

    expect(response.status).toBe(202);
    expect((await dev.waitForPageview(visitor)).ip).toBe('127.0.0.1');
  });

  it('datafastProxy() lets other paths through to the app', async () => {
    const response = await fetch(`${url}/nothing-here`);

    expect(response.status).toBe(404);
  });

  it('datafastProxy() refuses an invalid clientIp option when created, not per request', () => {
    expect(() => datafastProxy({ clientIp: { trustedProxies: 0 } })).toThrow(/clientIp must be/);
  });
});
