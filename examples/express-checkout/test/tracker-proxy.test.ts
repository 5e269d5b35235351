import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { launchChromium, type RunningApp, startApp } from '@datafast-checkout/devserver/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The tracker proxy in the app as users run it (`node server.js`): a browser that blocks
// DataFast's host, as an ad blocker does, still gets the visitor cookie, its pageview reaches
// DataFast (here the devserver) through the app, and its payment is attributed.

let dev: DevServer;
let app: RunningApp;

beforeAll(async () => {
  dev = await startDevServer();
  app = await startApp({
    command: process.execPath,
    args: ['server.js'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      DATAFAST_API_KEY: dev.apiKey,
      DATAFAST_BASE_URL: dev.url,
      DATAFAST_SCRIPT_URL: undefined,
    },
  });
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
    // The browser reaches the app over IPv6 and the app reaches the devserver over IPv4, so a
    // pageview stored with ::1 got it from the proxy's x-datafast-real-ip, not from its socket.
    const origin = `http://[::1]:${app.port}`;
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
    await page.click('button[type=submit]');
    await page.waitForFunction(() =>
      document.getElementById('result')?.textContent?.startsWith('Paid: '),
    );
    const transactionId = (await page.textContent('#result'))?.replace('Paid: ', '') ?? '';
    expect((await dev.waitForPayment(transactionId)).datafast_visitor_id).toBe(visitor?.value);
    expect(blocked).toEqual([]);
  } finally {
    await browser.dispose();
  }
});

it('ignores an X-Forwarded-For the visitor writes: Express does not trust proxies by default', async () => {
  const visitor = '5d3c2b1a-0f9e-4d8c-b7a6-958473625140';
  const response = await fetch(`${app.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.9' },
    body: JSON.stringify({ type: 'pageview', href: `${app.url}/`, visitorId: visitor }),
  });

  expect(response.status).toBe(202);
  const pageview = await dev.waitForPageview(visitor);
  expect(pageview.ip).not.toBe('203.0.113.9');
  expect(pageview.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
});
