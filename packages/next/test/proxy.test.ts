import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datafastProxy, datafastProxyRoute } from '../src/index.js';

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

  it('forwards the visitor address the platform reports (x-real-ip, else x-forwarded-for)', async () => {
    const proxy = datafastProxy({ baseUrl: dev.url });
    await proxy(event({ 'x-real-ip': '203.0.113.7', 'x-forwarded-for': '198.51.100.1' }));
    await proxy(event({ 'x-forwarded-for': '198.51.100.2, 10.0.0.1' }));
    await proxy(event());
    expect(dev.pageviews().map((view) => view.ip)).toEqual([
      '203.0.113.7',
      '198.51.100.2',
      '127.0.0.1',
    ]);
  });

  it('takes the address from clientIp when the app knows better', async () => {
    const proxy = datafastProxy({ baseUrl: dev.url, clientIp: () => '192.0.2.44' });
    await proxy(event({ 'x-forwarded-for': '6.6.6.6' }));
    expect((await dev.waitForPageview(visitor)).ip).toBe('192.0.2.44');
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
