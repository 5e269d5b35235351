import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { datafastProxy, datafastProxyRoute, type NextTrackerProxyOptions } from '../src/index.js';

// Called with Web Requests as Next's proxy.ts and route handlers receive them, against the
// devserver standing in for DataFast. The proxy inside a built, started app is tested in
// examples/next-app.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
let dev: DevServer;

beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const event = (headers: Record<string, string> = {}) =>
  new Request('https://shop.example/api/events', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body: JSON.stringify({
      type: 'pageview',
      href: 'https://shop.example/?ref=producthunt',
      visitorId: visitor,
    }),
  });

describe('datafastProxy (proxy.ts / middleware.ts)', () => {
  it('serves the script and lets every other request through', async () => {
    const proxy = datafastProxy({ baseUrl: dev.url });
    const script = await proxy(new Request('https://shop.example/js/script.js'));
    expect(script?.status).toBe(200);
    expect(await script?.text()).toContain('stand-in tracker');
    expect(await proxy(new Request('https://shop.example/pricing'))).toBeUndefined();
  });

  it('sends no address the visitor can forge under a bare next start, and says how to fix it once', async () => {
    // Under `next start`, X-Forwarded-For is kept as the visitor sent it (filled from the
    // connection only when absent) and X-Real-IP is theirs to write: neither may be read.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const proxy = datafastProxy({ baseUrl: dev.url });
    await proxy(event({ 'x-real-ip': '6.6.6.6', 'x-forwarded-for': '6.6.6.6' }));
    await proxy(event({ 'x-forwarded-for': '6.6.6.7, 10.0.0.1' }));
    // No x-datafast-real-ip: the devserver records the connection's own address.
    expect(dev.pageviews().map((view) => view.ip)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('trustedProxies');
  });

  it("reads Vercel's own header on Vercel, as @vercel/functions' ipAddress() does", async () => {
    vi.stubEnv('VERCEL', '1'); // what Vercel sets at run time; its edge can not run here
    const proxy = datafastProxy({ baseUrl: dev.url });
    await proxy(event({ 'x-real-ip': '203.0.113.7', 'x-forwarded-for': '203.0.113.7' }));
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.7');
  });

  it('reads the entry the nearest trusted proxy appended, never one the visitor wrote', async () => {
    const proxy = datafastProxy({ baseUrl: dev.url, clientIp: { trustedProxies: 1 } });
    // nginx with proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for, and a forger.
    await proxy(event({ 'x-forwarded-for': '6.6.6.6, 198.51.100.4', 'x-real-ip': '6.6.6.6' }));
    expect((await dev.waitForPageview(visitor)).ip).toBe('198.51.100.4');
  });

  it('takes the hop count from DATAFAST_TRUSTED_PROXIES where the app is deployed', async () => {
    vi.stubEnv('DATAFAST_TRUSTED_PROXIES', '2');
    const proxy = datafastProxy({ baseUrl: dev.url });
    await proxy(event({ 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.2' }));
    expect((await dev.waitForPageview(visitor)).ip).toBe('198.51.100.4');
  });

  it('takes the address from clientIp when the app knows better', async () => {
    const proxy = datafastProxy({ baseUrl: dev.url, clientIp: () => '192.0.2.44' });
    await proxy(event({ 'x-forwarded-for': '6.6.6.6' }));
    expect((await dev.waitForPageview(visitor)).ip).toBe('192.0.2.44');
  });

  it('refuses an invalid clientIp when it is created', () => {
    expect(() =>
      datafastProxy({ clientIp: { trustedProxies: 0 } } as unknown as NextTrackerProxyOptions),
    ).toThrow(/clientIp must be/);
  });
});

describe('datafastProxyRoute (route handlers)', () => {
  it('answers its paths, and 404 elsewhere', async () => {
    const { GET, POST } = datafastProxyRoute({ baseUrl: dev.url });
    expect((await POST(event())).status).toBe(202);
    expect((await GET(new Request('https://shop.example/js/script.js'))).status).toBe(200);
    expect((await GET(new Request('https://shop.example/elsewhere'))).status).toBe(404);
  });
});
