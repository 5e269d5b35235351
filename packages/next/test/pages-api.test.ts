import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatafast, type Datafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import type { NextApiRequest, NextApiResponse } from 'next';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type DatafastApiHandler, withDatafastApi } from '../src/index.js';

// A plain Node server hands the wrapped route the same IncomingMessage and ServerResponse that
// Next's Pages runtime extends (minus its helpers, so the handler below uses only Node's API).
// The route inside a built and started Next.js app is tested in examples/next-app.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
let dev: DevServer;
let server: Server | undefined;

beforeAll(async () => {
  dev = await startDevServer();
});

afterEach(async () => {
  server?.close();
  server?.closeAllConnections();
  await dev.reset();
});

afterAll(async () => {
  await dev.close();
});

async function serve(route: (req: NextApiRequest, res: NextApiResponse) => Promise<void>) {
  server = createServer((req, res) => {
    void route(req as NextApiRequest, res as NextApiResponse);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const chargeRoute =
  (transactionId: string): DatafastApiHandler =>
  (_req, res, datafast) => {
    datafast.track({ amount: 12, currency: 'GBP', transaction_id: transactionId });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ transaction_id: transactionId }));
  };

it('attributes the payment to the visitor in the cookie and delivers it after the response', async () => {
  const client: Datafast = createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url });
  const url = await serve(withDatafastApi(chargeRoute('ch_pages'), client));
  // Held by the devserver, so the route's answer must come first.
  dev.setFaults({ latencyMs: 300 });
  const response = await fetch(url, { headers: { cookie: `datafast_visitor_id=${visitor}` } });
  expect(await response.json()).toEqual({ transaction_id: 'ch_pages' });
  expect(dev.payments()).toEqual([]);
  const payment = await dev.waitForPayment('ch_pages');
  expect(payment).toMatchObject({ amount: 12, currency: 'GBP', datafast_visitor_id: visitor });
});

it('reports unattributed when the request has no visitor cookie', async () => {
  const options = { apiKey: dev.apiKey, baseUrl: dev.url };
  const url = await serve(withDatafastApi(chargeRoute('ch_pages_anonymous'), options));
  await fetch(url);
  const payment = await dev.waitForPayment('ch_pages_anonymous');
  expect(payment.datafast_visitor_id).toBeUndefined();
});

it("hands the delivery to the client's waitUntil, as on serverless hosts", async () => {
  const handed: Promise<unknown>[] = [];
  const client = createDatafast({
    apiKey: dev.apiKey,
    baseUrl: dev.url,
    waitUntil: (promise) => handed.push(promise),
  });
  const url = await serve(withDatafastApi(chargeRoute('ch_pages_wait_until'), client));
  await fetch(url);
  expect(handed).toHaveLength(1);
  await handed[0];
  expect(dev.payments().map((payment) => payment.transaction_id)).toEqual(['ch_pages_wait_until']);
});
