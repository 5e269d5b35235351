import { readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
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
    // Headers a visitor can write, as a forger would: under a bare `next start` (no platform, no
    // proxy of ours in front) nothing in a request says the visitor's address unforgeably, so the
    // proxy sends none and DataFast sees the app's own address.
    await browser.setExtraHTTPHeaders({ 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.6' });
    const page = await browser.newPage();
    const origin = `http://[::1]:${app.port}`;
    await page.goto(origin);
    await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='), undefined, {
      timeout: 10_000,
    });
    const visitor = (await browser.cookies(origin)).find((c) => c.name === 'datafast_visitor_id');

    const pageview = await dev.waitForPageview(visitor?.value ?? '');
    expect(pageview).toMatchObject({
      url: `${origin}/`,
      ip: '127.0.0.1',
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

it('sends the address its own reverse proxy appended, with DATAFAST_TRUSTED_PROXIES=1', async () => {
  // The app behind one reverse proxy that appends the address it sees to X-Forwarded-For, as
  // nginx does with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`.
  const behind = await startCheckoutApp({ DATAFAST_TRUSTED_PROXIES: '1' });
  const proxy = createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const upstream = request(
      `${behind.app.url}${req.url}`,
      { method: req.method, headers: { ...req.headers, 'x-forwarded-for': forwarded } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  try {
    await new Promise<void>((resolve) => proxy.listen(0, '::1', resolve));
    const { port } = proxy.address() as AddressInfo;
    const visitor = 'c0ffee00-1234-4abc-8def-0123456789ab';
    const response = await fetch(`http://[::1]:${port}/api/events`, {
      method: 'POST',
      // What the visitor sent; the proxy appends ::1, the address it saw the visitor at.
      headers: {
        'content-type': 'text/plain',
        'x-forwarded-for': '6.6.6.6',
        'x-real-ip': '6.6.6.6',
      },
      body: JSON.stringify({ type: 'pageview', href: 'http://shop.test/', visitorId: visitor }),
    });
    expect(response.status).toBe(202);
    expect((await behind.dev.waitForPageview(visitor)).ip).toBe('::1');
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
    await behind.stop();
  }
});
