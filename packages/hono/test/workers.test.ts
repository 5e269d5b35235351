import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './helpers/workerd.js';

// The adapter on the real Workers runtime: workerd from the npm registry (the binary Wrangler
// runs), serving a Hono worker bundled with esbuild, reporting to the devserver over HTTP.
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const entry = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
let dev: DevServer;
let worker: RunningWorker;

beforeAll(async () => {
  dev = await startDevServer();
  worker = await startWorker(entry, {
    DATAFAST_BASE_URL: dev.url,
    DATAFAST_API_KEY: dev.apiKey,
  });
}, 60_000);
afterAll(async () => {
  await worker?.close();
  await dev?.close();
});
beforeEach(() => {
  dev.reset();
  dev.setFaults({});
});

describe('@datafast-checkout/hono on workerd', () => {
  it('keeps the report alive after the response with c.executionCtx.waitUntil', async () => {
    // DataFast answers late: workerd cancels a request's unfinished work once the response is
    // sent, unless it was handed to waitUntil.
    dev.setFaults({ latencyMs: 500 });
    const response = await fetch(`${worker.url}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
      body: JSON.stringify({ transaction_id: 'ch_workerd_1' }),
    });
    expect(await response.json()).toEqual({ visitorId: visitor });
    expect(dev.payments().some((p) => p.transaction_id === 'ch_workerd_1')).toBe(false);

    const stored = await dev.waitForPayment('ch_workerd_1', { timeoutMs: 10_000 });
    expect(stored).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
  });

  it('reads its options from process.env with datafast() and no arguments (nodejs_compat)', async () => {
    dev.setFaults({ latencyMs: 300 });
    const response = await fetch(`${worker.url}/env/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
      body: JSON.stringify({ transaction_id: 'ch_workerd_env' }),
    });
    expect(await response.json()).toEqual({ visitorId: visitor });
    const stored = await dev.waitForPayment('ch_workerd_env', { timeoutMs: 10_000 });
    expect(stored.datafast_visitor_id).toBe(visitor);
  });

  it('proxies the tracker with cf-connecting-ip as the IP, never X-Forwarded-For', async () => {
    const script = await fetch(`${worker.url}/js/script.js`);
    expect(await script.text()).toContain('stand-in tracker');

    // cf-connecting-ip is what Cloudflare's edge sets from the connection (and overwrites when a
    // visitor sends one); here the test plays the edge. The forged X-Forwarded-For is ignored.
    const response = await fetch(`${worker.url}/api/events`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'cf-connecting-ip': '203.0.113.7',
        'x-forwarded-for': '6.6.6.6',
      },
      body: JSON.stringify({ type: 'pageview', href: `${worker.url}/`, visitorId: visitor }),
    });
    expect(response.status).toBe(202);
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.7');
  });
});
