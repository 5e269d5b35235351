import { readFile } from 'node:fs/promises';
import { launchChromium } from '@datafast-checkout/devserver/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CheckoutApp, startCheckoutApp } from './checkout-app.js';

// The tracker proxy (`proxy.ts`) in the built app: a browser that blocks DataFast's host, as an
// ad blocker does, still gets the visitor cookie, its pageview reaches DataFast (here the
// devserver) through the app, and its payment is attributed.

let checkout: CheckoutApp;

beforeAll(async () => {
  checkout = await startCheckoutApp();
});
afterAll(async () => {
  await checkout?.stop();
});

it('builds proxy.ts for the Node.js runtime, matching only the tracker paths', async () => {
  const manifest = JSON.parse(
    await readFile(
      new URL('../.next/server/functions-config-manifest.json', import.meta.url),
      'utf8',
    ),
  ) as {
    functions: Record<string, { runtime?: string; matchers?: Array<{ originalSource: string }> }>;
  };
  const proxy = manifest.functions['/_middleware'];
  expect(proxy?.runtime).toBe('nodejs');
  expect(proxy?.matchers?.map((m) => m.originalSource)).toEqual(['/js/script.js', '/api/events']);
});

it('attributes a visitor whose browser blocks DataFast: script, pageview and payment go through the app', async () => {
  const { dev, app } = checkout;
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
    await page.getByRole('button', { name: 'Pay $29.99' }).click();
    const output = page.locator('output').filter({ hasText: /Paid: ch_/ });
    await output.waitFor();
    const transactionId = (await output.textContent())?.replace('Paid: ', '') ?? '';
    expect((await dev.waitForPayment(transactionId)).datafast_visitor_id).toBe(visitor?.value);
    expect(blocked).toEqual([]);
  } finally {
    await browser.dispose();
  }
});
