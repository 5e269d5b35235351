import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datafastProxy } from '../src/index.js';
import { listen, majors, visitor } from './helpers/fastify.js';

// The devserver stands in for DataFast: it serves the stand-in tracker and stores the pageviews
// that reach its /api/events, with the IP the proxy forwarded.
let dev: DevServer;
let running: { close(): Promise<unknown> } | undefined;

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

function sendPageview(url: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (shop)', ...headers },
    body: pageview(`${url}/?utm_source=newsletter`),
  });
}

describe.each(majors)('datafastProxy() in $name', ({ fastify }) => {
  async function open(
    options: { trustProxy?: string } = {},
    proxyOptions: Parameters<typeof datafastProxy>[0] = {},
  ) {
    const app = fastify(options);
    running = app;
    await app.register(datafastProxy({ baseUrl: dev.url, ...proxyOptions }));
    app.get('/', async () => 'the shop');
    app.post('/api/other', async (request) => ({ parsed: request.body }));
    return listen(app);
  }

  it('serves the tracking script from the site origin', async () => {
    const url = await open();
    const response = await fetch(`${url}/js/script.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(await response.text()).toContain('stand-in tracker');
  });

  it('forwards a pageview with the socket address, ignoring a forged X-Forwarded-For', async () => {
    const url = await open();
    const response = await sendPageview(url, { 'x-forwarded-for': '6.6.6.6' });
    expect(response.status).toBe(202);
    expect(await dev.waitForPageview(visitor)).toMatchObject({
      ip: '127.0.0.1',
      user_agent: 'Mozilla/5.0 (shop)',
      url: `${url}/?utm_source=newsletter`,
    });
  });

  it("uses the proxy's X-Forwarded-For when the app trusts it (trustProxy)", async () => {
    const url = await open({ trustProxy: '127.0.0.1' });
    await sendPageview(url, { 'x-forwarded-for': '203.0.113.7' });
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.7');
  });

  it('forwards a JSON-typed event too, and leaves the app its own body parsers', async () => {
    const url = await open();
    const event = await sendPageview(url, { 'content-type': 'application/json' });
    expect(event.status).toBe(202);
    expect((await dev.waitForPageview(visitor)).url).toBe(`${url}/?utm_source=newsletter`);
    const other = await fetch(`${url}/api/other`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await other.json()).toEqual({ parsed: { a: 1 } });
    expect(await (await fetch(`${url}/`)).text()).toBe('the shop');
  });

  it('answers 413, not a 500, to an event over maxBodyBytes, declared or streamed', async () => {
    const url = await open({}, { maxBodyBytes: 1024 });
    const big = 'x'.repeat(64 * 1024);
    const declared = await fetch(`${url}/api/events`, { method: 'POST', body: big });
    // No Content-Length: the body arrives in chunks and passes the cap part-way.
    const streamed = await fetch(`${url}/api/events`, {
      method: 'POST',
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    for (const response of [declared, streamed]) {
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: 'event body over 1024 bytes' });
    }
    expect((await sendPageview(url)).status).toBe(202);
    expect(dev.pageviews()).toHaveLength(1);
  });

  it('answers 502 for events when DataFast is down', async () => {
    const gone = await startDevServer();
    const goneUrl = gone.url;
    await gone.close();
    const url = await open({}, { baseUrl: goneUrl, timeoutMs: 2_000 });
    const response = await sendPageview(url);
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: string }).error).toContain('unreachable');
  });
});
