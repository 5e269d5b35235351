import { createDatafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datafast, datafastHandle, datafastProxy, datafastProxyHandle } from '../src/index.js';

// A hand-made event, as in handle.test.ts: what SvelteKit passes a handle (url, request,
// getClientAddress, locals, cookies). The built app in examples/sveltekit-app covers the same
// option inside the framework, with adapter-node's real getClientAddress.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
let dev: DevServer;

beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

function eventFor(request: Request, clientAddress: string | Error = '203.0.113.9') {
  return {
    request,
    url: new URL(request.url),
    getClientAddress: () => {
      if (clientAddress instanceof Error) throw clientAddress;
      return clientAddress;
    },
    cookies: { get: () => undefined },
    locals: {} as Record<string, unknown>,
    platform: undefined,
  } as unknown as RequestEvent;
}

const pageview = () =>
  new Request('https://shop.example/api/events', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-forwarded-for': '6.6.6.6' },
    body: JSON.stringify({ type: 'pageview', href: 'https://shop.example/', visitorId: visitor }),
  });

const appPage = () => new Response('the app');

describe('datafastHandle({ proxy: true })', () => {
  it('answers the tracker paths itself, with getClientAddress as the visitor IP', async () => {
    const handle = datafastHandle({ apiKey: dev.apiKey, baseUrl: dev.url, proxy: true });
    const script = await handle({
      event: eventFor(new Request('https://shop.example/js/script.js')),
      resolve: appPage,
    });
    expect(await script.text()).toContain('stand-in tracker');
    const answer = await handle({ event: eventFor(pageview()), resolve: appPage });
    expect(answer.status).toBe(202);
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.9');
  });

  it('passes every other request to the app, with locals.datafast set', async () => {
    const handle = datafastHandle({ apiKey: dev.apiKey, baseUrl: dev.url, proxy: true });
    const event = eventFor(new Request('https://shop.example/pricing'));
    const response = await handle({ event, resolve: appPage });
    expect(await response.text()).toBe('the app');
    expect(event.locals.datafast).toBeDefined();
  });

  it('sends no IP when the adapter has none (prerendering throws)', async () => {
    const handle = datafastHandle({ apiKey: dev.apiKey, baseUrl: dev.url, proxy: true });
    await handle({ event: eventFor(pageview(), new Error('no client')), resolve: appPage });
    expect((await dev.waitForPageview(visitor)).ip).toBe('127.0.0.1');
  });

  it('has no proxy unless asked: the tracker paths reach the app', async () => {
    const handle = datafastHandle({ apiKey: dev.apiKey, baseUrl: dev.url });
    const response = await handle({
      event: eventFor(new Request('https://shop.example/js/script.js')),
      resolve: appPage,
    });
    expect(await response.text()).toBe('the app');
  });
});

describe('invalid proxy options', () => {
  it('fail when the handle is created, as in Express and Next.js, not on every page', () => {
    expect(() =>
      datafastHandle({ apiKey: dev.apiKey, proxy: { scriptPath: 'js/script.js' } }),
    ).toThrow(/scriptPath must be a path/);
    expect(() => datafastProxy({ eventsPath: '/events?x=1' })).toThrow(/eventsPath/);
    expect(() => datafastProxy({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });

  it("leave the pages alone when only DataFast's address is refused (read at the first event)", async () => {
    const handle = datafastHandle({
      apiKey: dev.apiKey,
      proxy: { baseUrl: 'http://datafast.internal:4100' },
    });
    const page = await handle({
      event: eventFor(new Request('https://shop.example/pricing')),
      resolve: appPage,
    });
    expect(await page.text()).toBe('the app');
    await expect(handle({ event: eventFor(pageview()), resolve: appPage })).rejects.toThrow(
      /https/,
    );
  });
});

describe('datafastProxy', () => {
  it('keeps datafastProxyHandle as its deprecated name', () => {
    expect(datafastProxyHandle).toBe(datafastProxy);
  });

  it('serves the proxy in front of datafast(client)', async () => {
    const client = createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url });
    const proxy = datafastProxy({ baseUrl: dev.url });
    const handle = datafast(client);
    const answer = await proxy({
      event: eventFor(pageview()),
      resolve: (event) => handle({ event, resolve: appPage }),
    });
    expect(answer.status).toBe(202);
    const page = await proxy({
      event: eventFor(new Request('https://shop.example/')),
      resolve: (event) => handle({ event, resolve: appPage }),
    });
    expect(await page.text()).toBe('the app');
  });
});
