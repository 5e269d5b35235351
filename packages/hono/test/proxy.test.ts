import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DatafastProxyOptions, datafastProxy } from '../src/index.js';
import { type Listening, listen } from './helpers/listen.js';

// The devserver stands in for DataFast: it serves the stand-in tracker and stores the pageviews
// that reach its /api/events, with the IP the proxy forwarded. The app is Hono on Node,
// listening through @hono/node-server.
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
let dev: DevServer;
let running: Listening | undefined;

beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());
afterEach(async () => {
  vi.unstubAllEnvs();
  await running?.close();
  running = undefined;
});

async function open(options: DatafastProxyOptions = {}) {
  const app = new Hono();
  app.use(datafastProxy({ baseUrl: dev.url, ...options }));
  app.get('/', (c) => c.text('the shop'));
  running = await listen(app);
  return running.url;
}

function sendPageview(url: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (shop)', ...headers },
    body: JSON.stringify({ type: 'pageview', href: `${url}/?ref=hn`, visitorId: visitor }),
  });
}

describe('datafastProxy() on Node (@hono/node-server)', () => {
  it('serves the tracking script from the site origin', async () => {
    const url = await open();
    const response = await fetch(`${url}/js/script.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(await response.text()).toContain('stand-in tracker');
  });

  it("forwards a pageview with the connection's address, ignoring a forged X-Forwarded-For", async () => {
    const url = await open();
    const response = await sendPageview(url, { 'x-forwarded-for': '6.6.6.6' });
    expect(response.status).toBe(202);
    expect(await dev.waitForPageview(visitor)).toMatchObject({
      ip: '127.0.0.1',
      user_agent: 'Mozilla/5.0 (shop)',
      url: `${url}/?ref=hn`,
    });
  });

  it('ignores a forged cf-connecting-ip off Workers', async () => {
    const url = await open();
    await sendPageview(url, { 'cf-connecting-ip': '6.6.6.6' });
    expect((await dev.waitForPageview(visitor)).ip).toBe('127.0.0.1');
  });

  it("reads X-Forwarded-For's entry the trusted proxy appended, never the visitor's", async () => {
    const url = await open({ clientIp: { trustedProxies: 1 } });
    // The visitor wrote 6.6.6.6; the one proxy in front appended the address it saw.
    await sendPageview(url, { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' });
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.7');
  });

  it('honours DATAFAST_TRUSTED_PROXIES over the connection (the connection is then the proxy)', async () => {
    vi.stubEnv('DATAFAST_TRUSTED_PROXIES', '1');
    const url = await open();
    await sendPageview(url, { 'x-forwarded-for': '6.6.6.6, 203.0.113.8' });
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.8');
  });

  it('warns once and sends no IP where the runtime hands Hono no connection', async () => {
    const warnings: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((m: string) => warnings.push(m));
    const app = new Hono();
    app.use(datafastProxy({ baseUrl: dev.url }));
    // app.fetch called directly: no @hono/node-server bindings, as under Bun or Deno's own server.
    const send = () =>
      app.fetch(
        new Request('http://shop.example/api/events', {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'x-forwarded-for': '6.6.6.6' },
          body: JSON.stringify({
            type: 'pageview',
            href: 'http://shop.example/',
            visitorId: visitor,
          }),
        }),
      );
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(202);
    warn.mockRestore();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/getConnInfo/);
    // No x-datafast-real-ip: the devserver, as DataFast, sees this server's own address.
    expect((await dev.waitForPageview(visitor)).ip).toBe('127.0.0.1');
  });

  it("takes a function of the context: Hono's getConnInfo", async () => {
    const url = await open({ clientIp: (c) => getConnInfo(c).remote.address });
    await sendPageview(url, { 'x-forwarded-for': '6.6.6.6' });
    expect((await dev.waitForPageview(visitor)).ip).toBe('127.0.0.1');
  });

  it("leaves every other path to the app's routes", async () => {
    const url = await open();
    expect(await (await fetch(`${url}/`)).text()).toBe('the shop');
    expect((await fetch(`${url}/api/other`)).status).toBe(404);
  });

  it('answers 413 to an event over maxBodyBytes, and 405 to a GET of the events path', async () => {
    const url = await open({ maxBodyBytes: 1024 });
    const big = 'x'.repeat(4096);
    expect((await fetch(`${url}/api/events`, { method: 'POST', body: big })).status).toBe(413);
    expect((await fetch(`${url}/api/events`)).status).toBe(405);
  });

  it('answers 502 for events when DataFast is down', async () => {
    const url = await open({ baseUrl: 'http://127.0.0.1:9' });
    expect((await sendPageview(url)).status).toBe(502);
  });

  it('throws at start-up on an invalid option, never per request', () => {
    expect(() => datafastProxy({ scriptPath: 'js/script.js' })).toThrow(/scriptPath/);
    expect(() => datafastProxy({ clientIp: { trustedProxies: 0 } })).toThrow(/clientIp/);
  });
});
