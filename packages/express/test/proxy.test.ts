import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datafastProxy } from '../src/index.js';
import { type ExpressModule, listen, visitor } from './helpers/shop.js';

// The devserver stands in for DataFast: it serves the stand-in tracker and stores the pageviews
// that reach its /api/events, with the IP the proxy forwarded.
let dev: DevServer;
let running: { url: string; close(): Promise<void> } | undefined;

beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const pageview = (href: string) =>
  JSON.stringify({ type: 'pageview', href, referrer: null, visitorId: visitor });

describe.each([
  { name: 'Express 5', express: express5 as unknown as ExpressModule },
  { name: 'Express 4', express: express4 as unknown as ExpressModule },
])('datafastProxy() in $name', ({ express }) => {
  async function open(configure: (app: ReturnType<ExpressModule>) => void = () => {}) {
    const app = express();
    configure(app);
    app.use(datafastProxy({ baseUrl: dev.url }));
    app.get('/', (_req, res) => {
      res.send('the shop');
    });
    running = await listen(app);
    return running.url;
  }

  function sendPageview(url: string, headers: Record<string, string> = {}) {
    return fetch(`${url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (shop)', ...headers },
      body: pageview(`${url}/?utm_source=newsletter`),
    });
  }

  it('serves the tracking script from the site origin', async () => {
    const url = await open();
    const response = await fetch(`${url}/js/script.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(await response.text()).toContain('stand-in tracker');
  });

  it('forwards a pageview with the socket address, ignoring a spoofed X-Forwarded-For', async () => {
    const url = await open();
    const response = await sendPageview(url, { 'x-forwarded-for': '6.6.6.6' });
    expect(response.status).toBe(202);
    const view = await dev.waitForPageview(visitor);
    expect(view).toMatchObject({
      ip: '127.0.0.1',
      user_agent: 'Mozilla/5.0 (shop)',
      url: `${url}/?utm_source=newsletter`,
    });
  });

  it("uses the proxy's X-Forwarded-For when the app trusts it (trust proxy)", async () => {
    const url = await open((app) => app.set('trust proxy', 'loopback'));
    await sendPageview(url, { 'x-forwarded-for': '203.0.113.7' });
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.7');
  });

  it('still forwards the event when a text body parser ran first', async () => {
    const url = await open((app) => app.use(express.text({ type: '*/*' })));
    expect((await sendPageview(url)).status).toBe(202);
    expect((await dev.waitForPageview(visitor)).url).toBe(`${url}/?utm_source=newsletter`);
  });

  it("leaves every other path to the app's routes", async () => {
    const url = await open();
    expect(await (await fetch(`${url}/`)).text()).toBe('the shop');
    expect((await fetch(`${url}/api/other`)).status).toBe(404);
  });

  it('answers 413, not a 500, to an event over maxBodyBytes, declared or streamed', async () => {
    const app = express();
    app.use(datafastProxy({ baseUrl: dev.url, maxBodyBytes: 1024 }));
    running = await listen(app);
    const big = 'x'.repeat(64 * 1024);
    const declared = await fetch(`${running.url}/api/events`, { method: 'POST', body: big });
    // No Content-Length: the body arrives in chunks and passes the cap part-way.
    const streamed = await fetch(`${running.url}/api/events`, {
      method: 'POST',
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    for (const response of [declared, streamed]) {
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: 'event body over 1024 bytes' });
    }
    // The connection is still good for the next event.
    expect((await sendPageview(running.url)).status).toBe(202);
    expect(dev.pageviews()).toHaveLength(1);
  });

  it('answers 502 for events when DataFast is down', async () => {
    const gone = await startDevServer();
    const goneUrl = gone.url;
    await gone.close();
    const app = express();
    app.use(datafastProxy({ baseUrl: goneUrl, timeoutMs: 2_000 }));
    running = await listen(app);
    const response = await sendPageview(running.url);
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: string }).error).toContain('unreachable');
  });
});
