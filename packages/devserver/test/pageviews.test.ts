import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const session = 's0b7d4c62-4f0e-4a8e-9a57-5f1c2d3e4f50';
let dev: DevServer;

beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev?.close());
beforeEach(() => dev.reset());

function send(body: unknown, headers: Record<string, string> = {}, method = 'POST') {
  return fetch(`${dev.url}/api/events`, {
    method,
    headers: { 'content-type': 'text/plain', ...headers },
    body: method === 'POST' ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
  });
}

const pageview = {
  type: 'pageview',
  href: 'https://shop.example/?utm_source=newsletter',
  referrer: 'https://news.example.org/',
  visitorId: visitor,
  sessionId: session,
  websiteId: 'dfid_shop',
};

describe('POST /api/events', () => {
  it('stores a pageview with the IP a proxy forwarded and the user agent, open to any origin', async () => {
    const response = await send(pageview, {
      'x-datafast-real-ip': '203.0.113.7',
      'user-agent': 'Mozilla/5.0 (test)',
      origin: 'https://shop.example',
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(dev.pageviews()).toEqual([
      {
        website_id: 'dfid_shop',
        visitor_id: visitor,
        session_id: session,
        url: 'https://shop.example/?utm_source=newsletter',
        referrer: 'https://news.example.org/',
        ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0 (test)',
        received_at: expect.any(String),
      },
    ]);
    const control = await fetch(`${dev.url}/__devserver/pageviews`);
    expect(((await control.json()) as { pageviews: unknown[] }).pageviews).toHaveLength(1);
  });

  it('uses the connection address when no proxy sent a valid real IP', async () => {
    await send(pageview, { 'x-datafast-real-ip': 'not-an-ip' });
    await send(pageview);
    expect(dev.pageviews().map((view) => view.ip)).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it.each([
    ['not JSON', '{nope'],
    ['another type', { ...pageview, type: 'goal' }],
    ['a visitor that is not a UUID', { ...pageview, visitorId: 'abc' }],
    ['a page that is not http(s)', { ...pageview, href: 'javascript:alert(1)' }],
    ['a session without its s', { ...pageview, sessionId: visitor }],
    ['an array', [pageview]],
  ])('refuses %s with the error envelope, storing nothing', async (_, body) => {
    const response = await send(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 'error', error: { code: 400 } });
    expect(dev.pageviews()).toEqual([]);
  });

  it('refuses an oversized body and other methods', async () => {
    expect((await send({ ...pageview, referrer: 'x'.repeat(20_000) })).status).toBe(413);
    const get = await send(undefined, {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await send(undefined, {}, 'OPTIONS')).status).toBe(204);
    expect(dev.pageviews()).toEqual([]);
  });

  it('waitForPageview resolves with a pageview that arrives later, and times out clearly', async () => {
    const waiting = dev.waitForPageview(visitor);
    await send(pageview);
    expect((await waiting).url).toBe(pageview.href);
    await expect(
      dev.waitForPageview('6b1f9d4e-2c3a-4e5f-8a7b-9c0d1e2f3a4b', { timeoutMs: 30 }),
    ).rejects.toThrow(/no pageview matching visitor_id/);
  });
});
