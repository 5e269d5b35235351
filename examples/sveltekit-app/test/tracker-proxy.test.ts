import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { launchChromium, type RunningApp, startApp } from '@datafast-checkout/devserver/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The tracker proxy (`datafastHandle({ proxy: true })`) in the built app (`node build`): a
// browser that blocks DataFast's host, as an ad blocker does, still gets the visitor cookie, its
// pageview reaches DataFast (here the devserver) through the app with the visitor's IP from
// `getClientAddress()`, and its payment is attributed.

let dev: DevServer;
let app: RunningApp;
// The browser reaches the app over IPv6 and the app reaches the devserver over IPv4, so a
// pageview stored with ::1 got it from the proxy's x-datafast-real-ip, not from its socket.
let origin: string;

/**
 * `node build` on all interfaces, its ORIGIN the IPv6 loopback address the tests open (the
 * tracker posts its events same-origin, and SvelteKit refuses cross-origin text/plain posts).
 */
function startExample(env: Record<string, string> = {}): Promise<RunningApp> {
  if (!existsSync(new URL('../build/index.js', import.meta.url))) {
    throw new Error('examples/sveltekit-app is not built: run `pnpm --filter sveltekit-app build`');
  }
  return startApp({
    command: '/bin/sh',
    args: ['-c', 'ORIGIN="http://[::1]:$PORT" exec "$NODE" build'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      NODE: process.execPath,
      HOST: '::',
      DATAFAST_BASE_URL: dev.url,
      DATAFAST_API_KEY: dev.apiKey,
      DATAFAST_SCRIPT_URL: undefined,
      ...env,
    },
  });
}

/** POSTs a pageview to the app's /api/events as the tracker does, with extra headers. */
function sendPageview(target: RunningApp, visitor: string, headers: Record<string, string>) {
  const page = `http://[::1]:${target.port}`;
  return fetch(`${page}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: page, ...headers },
    body: JSON.stringify({ type: 'pageview', href: `${page}/`, visitorId: visitor }),
  });
}

beforeAll(async () => {
  dev = await startDevServer();
  app = await startExample();
  origin = `http://[::1]:${app.port}`;
});
afterAll(async () => {
  await app?.stop();
  await dev?.close();
});

it('attributes a visitor whose browser blocks DataFast: script, pageview and payment go through the app', async () => {
  const browser = await launchChromium();
  try {
    const blocked: string[] = [];
    await browser.route(`${dev.url}/**`, (route) => {
      blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    const page = await browser.newPage();
    await page.goto(origin);
    await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='), undefined, {
      timeout: 10_000,
    });
    const visitor = (await browser.cookies(origin)).find((c) => c.name === 'datafast_visitor_id');

    const pageview = await dev.waitForPageview(visitor?.value ?? '');
    expect(pageview).toMatchObject({
      url: `${origin}/`,
      ip: '::1',
      user_agent: await page.evaluate(() => navigator.userAgent),
    });
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    const result = page.getByTestId('result').filter({ hasText: 'Paid:' });
    await result.waitFor();
    const transactionId = (await result.textContent())?.replace('Paid:', '').trim() ?? '';
    expect((await dev.waitForPayment(transactionId)).datafast_visitor_id).toBe(visitor?.value);
    expect(blocked).toEqual([]);
  } finally {
    await browser.dispose();
  }
});

it("ignores an X-Forwarded-For the visitor writes: without ADDRESS_HEADER the IP is the connection's", async () => {
  const visitor = '5d3c2b1a-0f9e-4d8c-b7a6-958473625140';
  const response = await sendPageview(app, visitor, { 'x-forwarded-for': '203.0.113.9' });

  expect(response.status).toBe(202);
  expect((await dev.waitForPageview(visitor)).ip).toBe('::1');
});

it('takes the visitor IP from the header ADDRESS_HEADER names, behind a proxy of your own', async () => {
  const behindProxy = await startExample({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
  try {
    const visitor = '6e4d3c2b-1a0f-4e9d-8c7b-a69584736251';
    // What a reverse proxy sends: the visitor's own claim first, the address it saw last.
    const response = await sendPageview(behindProxy, visitor, {
      'x-forwarded-for': '198.51.100.7, 203.0.113.9',
    });

    expect(response.status).toBe(202);
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.9');
  } finally {
    await behindProxy.stop();
  }
});
