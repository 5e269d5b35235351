import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTrackerProxy, type TrackerProxyOptions } from '../src/proxy.js';

// A DataFast stand-in on 127.0.0.1 for the proxy's upstream: the script (with an ETag and
// max-age), an events endpoint that records what reached it, and switches to fail or stall.
interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const upstream = {
  url: '',
  seen: [] as Seen[],
  scriptVersion: 1,
  maxAge: 60,
  down: false,
  stall: false,
  /** When set, the events endpoint answers this status with no body (204, 205). */
  eventsStatus: undefined as number | undefined,
  server: undefined as Server | undefined,
};

beforeAll(async () => {
  upstream.server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    upstream.seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    if (upstream.stall) return;
    if (upstream.down) {
      res.writeHead(503).end();
      return;
    }
    if (req.url === '/js/script.js') {
      const etag = `"v${upstream.scriptVersion}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, 'cache-control': `public, max-age=${upstream.maxAge}` }).end();
        return;
      }
      res
        .writeHead(200, {
          'content-type': 'application/javascript',
          etag,
          'cache-control': `public, max-age=${upstream.maxAge}`,
          'set-cookie': 'upstream=1',
        })
        .end(`/* tracker v${upstream.scriptVersion} */`);
      return;
    }
    if (req.url === '/api/events') {
      if (upstream.eventsStatus !== undefined) {
        res.writeHead(upstream.eventsStatus, { 'cache-control': 'no-store' }).end();
        return;
      }
      res
        .writeHead(202, { 'content-type': 'application/json', 'set-cookie': 'tracking=1' })
        .end('{"ok":true}');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => upstream.server?.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  upstream.server?.closeAllConnections();
  await new Promise((resolve) => upstream.server?.close(resolve));
});

beforeEach(() => {
  upstream.seen.length = 0;
  upstream.scriptVersion = 1;
  upstream.maxAge = 60;
  upstream.down = false;
  upstream.stall = false;
  upstream.eventsStatus = undefined;
});

const site = 'https://shop.example';
const proxyFor = (options: TrackerProxyOptions = {}) =>
  createTrackerProxy({ baseUrl: upstream.url, ...options });

function pageview(headers: Record<string, string> = {}, body = '{"type":"pageview"}'): Request {
  return new Request(`${site}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body,
  });
}

describe('the script', () => {
  it('is served from the site origin, and cached while the upstream says it is fresh', async () => {
    const proxy = proxyFor();
    const first = await proxy.handle(new Request(`${site}/js/script.js`));
    const second = await proxy.handle(new Request(`${site}/js/script.js`));
    expect(first?.status).toBe(200);
    expect(await first?.text()).toBe('/* tracker v1 */');
    expect(await second?.text()).toBe('/* tracker v1 */');
    expect(first?.headers.get('content-type')).toBe('application/javascript');
    expect(first?.headers.get('cache-control')).toBe('public, max-age=60');
    // DataFast's own cookies never land on the site's origin.
    expect(first?.headers.get('set-cookie')).toBeNull();
    expect(upstream.seen.filter((s) => s.path === '/js/script.js')).toHaveLength(1);
  });

  it('revalidates a stale copy with its ETag, serving the old copy meanwhile', async () => {
    upstream.maxAge = 0;
    const proxy = proxyFor();
    expect(await (await proxy.handle(new Request(`${site}/js/script.js`)))?.text()).toBe(
      '/* tracker v1 */',
    );
    upstream.scriptVersion = 2;
    // Stale: the page gets v1 at once while v2 is fetched behind it.
    expect(await (await proxy.handle(new Request(`${site}/js/script.js`)))?.text()).toBe(
      '/* tracker v1 */',
    );
    await vi.waitFor(() => {
      expect(upstream.seen.filter((s) => s.path === '/js/script.js')).toHaveLength(2);
    });
    expect(upstream.seen[1]?.headers['if-none-match']).toBe('"v1"');
    await vi.waitFor(async () => {
      const body = await (await proxy.handle(new Request(`${site}/js/script.js`)))?.text();
      expect(body).toBe('/* tracker v2 */');
    });
  });

  it('keeps serving its stale copy while DataFast is unreachable', async () => {
    upstream.maxAge = 0;
    const proxy = proxyFor();
    await proxy.handle(new Request(`${site}/js/script.js`));
    upstream.down = true;
    for (let i = 0; i < 3; i++) {
      const response = await proxy.handle(new Request(`${site}/js/script.js`));
      expect(response?.status).toBe(200);
      expect(await response?.text()).toBe('/* tracker v1 */');
    }
  });

  it('answers a clear 502 when it has no copy and DataFast is down', async () => {
    upstream.down = true;
    const response = await proxyFor().handle(new Request(`${site}/js/script.js`));
    expect(response?.status).toBe(502);
    expect(((await response?.json()) as { error: string } | undefined)?.error).toContain(
      'DataFast is unreachable',
    );
  });

  it('answers 304 to a browser that has the current copy, and HEAD without a body', async () => {
    const proxy = proxyFor();
    await proxy.handle(new Request(`${site}/js/script.js`));
    const conditional = await proxy.handle(
      new Request(`${site}/js/script.js`, { headers: { 'if-none-match': '"v1"' } }),
    );
    expect(conditional?.status).toBe(304);
    const head = await proxy.handle(new Request(`${site}/js/script.js`, { method: 'HEAD' }));
    expect(head?.status).toBe(200);
    expect(await head?.text()).toBe('');
  });
});

describe('the events', () => {
  it('forwards the body as is with User-Agent, Origin, Referer and the real IP, nothing else', async () => {
    const body = '{"type":"pageview","href":"https://shop.example/?utm_source=newsletter"}';
    const response = await proxyFor().handle(
      pageview(
        {
          'user-agent': 'Mozilla/5.0 (test)',
          origin: site,
          referer: `${site}/pricing`,
          cookie:
            'session=secret-session; datafast_visitor_id=a3ab2331-989f-4cfa-91c6-2461c9e3c6bd',
          authorization: 'Bearer df_should_never_travel',
          'x-forwarded-for': '6.6.6.6',
          'x-real-ip': '6.6.6.6',
        },
        body,
      ),
      { clientIp: '203.0.113.7' },
    );
    expect(response?.status).toBe(202);
    expect(await response?.json()).toEqual({ ok: true });
    expect(response?.headers.get('set-cookie')).toBeNull();
    const [seen] = upstream.seen;
    expect(seen?.path).toBe('/api/events');
    expect(seen?.body).toBe(body);
    expect(seen?.headers).toMatchObject({
      'content-type': 'text/plain',
      'user-agent': 'Mozilla/5.0 (test)',
      origin: site,
      referer: `${site}/pricing`,
      'x-datafast-real-ip': '203.0.113.7',
    });
    for (const header of ['cookie', 'authorization', 'x-forwarded-for', 'x-real-ip']) {
      expect(seen?.headers[header]).toBeUndefined();
    }
  });

  it('sends no IP header when the adapter knows none, or what it has is not an address', async () => {
    const proxy = proxyFor();
    await proxy.handle(pageview());
    await proxy.handle(pageview(), { clientIp: '1.2.3.4\r\nx-evil: 1' });
    expect(upstream.seen.map((s) => s.headers['x-datafast-real-ip'])).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('refuses a body over the cap, declared or streamed, without forwarding it', async () => {
    const proxy = proxyFor({ maxBodyBytes: 1024 });
    const declared = await proxy.handle(pageview({}, 'x'.repeat(2048)));
    expect(declared?.status).toBe(413);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new Uint8Array(512));
        controller.close();
      },
    });
    const streamed = await proxy.handle(
      new Request(`${site}/api/events`, {
        method: 'POST',
        body: chunks,
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed?.status).toBe(413);
    expect(upstream.seen).toHaveLength(0);
  });

  it('answers 502 when DataFast does not answer in time', async () => {
    upstream.stall = true;
    const response = await proxyFor({ timeoutMs: 100 }).handle(pageview());
    expect(response?.status).toBe(502);
  });

  it('passes DataFast refusals through', async () => {
    upstream.down = true;
    expect((await proxyFor().handle(pageview()))?.status).toBe(503);
  });

  it('passes a 204 or 205 from DataFast on, without a body', async () => {
    // A null-body status: a Response built with any body for it throws.
    for (const status of [204, 205]) {
      upstream.eventsStatus = status;
      const response = await proxyFor().handle(pageview());
      expect(response?.status).toBe(status);
      expect(response?.body).toBeNull();
      expect(response?.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers 405 to other methods', async () => {
    const response = await proxyFor().handle(new Request(`${site}/api/events`));
    expect(response?.status).toBe(405);
    expect(response?.headers.get('allow')).toBe('POST');
  });
});

describe('paths', () => {
  it('leaves every other path to the app, and takes custom paths', async () => {
    const proxy = proxyFor({ scriptPath: '/assets/stats.js', eventsPath: '/stats-events' });
    expect(await proxy.handle(new Request(`${site}/js/script.js`))).toBeUndefined();
    expect(
      await proxy.handle(new Request(`${site}/api/checkout`, { method: 'POST' })),
    ).toBeUndefined();
    expect((await proxy.handle(new Request(`${site}/assets/stats.js`)))?.status).toBe(200);
    const event = new Request(`${site}/stats-events`, { method: 'POST', body: '{}' });
    expect((await proxy.handle(event))?.status).toBe(202);
    expect(upstream.seen.map((s) => s.path)).toEqual(['/js/script.js', '/api/events']);
    expect(proxy.matches('/stats-events')).toBe(true);
    expect(proxy.matches('/api/events')).toBe(false);
  });

  it('refuses a path that is not a path, at creation', () => {
    expect(() => createTrackerProxy({ scriptPath: 'js/script.js' })).toThrow(/scriptPath/);
    expect(() => createTrackerProxy({ eventsPath: '/events?x=1' })).toThrow(/eventsPath/);
  });

  it('refuses every other invalid option at creation too, naming it', () => {
    expect(() => createTrackerProxy({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(() => createTrackerProxy({ timeoutMs: 2 ** 31 })).toThrow(/timeoutMs/);
    expect(() => createTrackerProxy({ maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    expect(() => createTrackerProxy({ maxBodyBytes: 1.5 })).toThrow(/maxBodyBytes/);
    expect(() =>
      createTrackerProxy({ fetch: 'https://datafa.st' as unknown as typeof fetch }),
    ).toThrow(/fetch/);
    expect(() => createTrackerProxy({ scriptPath: '/t', eventsPath: '/t' })).toThrow(/differ/);
    expect(() => createTrackerProxy(null as unknown as TrackerProxyOptions)).toThrow(/object/);
  });

  it('refuses a plain-http DataFast that is not loopback, loudly, at the first request', async () => {
    const refused = createTrackerProxy({ baseUrl: 'http://datafast.internal:4100' });
    await expect(refused.handle(new Request(`${site}/js/script.js`))).rejects.toThrow(/https/);
    await expect(refused.handle(pageview())).rejects.toThrow(/https/);
  });
});
