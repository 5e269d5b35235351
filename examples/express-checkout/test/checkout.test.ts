import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  launchChromium,
  type RunningApp,
  startExample,
} from '@datafast-checkout/devserver/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { example } from './example.js';

// The example exactly as users run it (`node server.js`), against a devserver over HTTP.
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
let dev: DevServer;
let app: RunningApp;

const start = (env: Record<string, string> = {}) =>
  startExample(example, {
    env: { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url, ...env },
  });

const checkout = (body: unknown, cookie?: string) =>
  fetch(`${app.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  dev = await startDevServer();
  app = await start();
});
afterAll(async () => {
  await app?.stop();
  await dev?.close();
});
beforeEach(() => dev.reset());

describe('POST /api/checkout', () => {
  it('answers the charge id and reports the payment for the visitor in the cookie', async () => {
    const response = await checkout(
      { amount: 29.99, currency: 'usd', email: 'ada@example.com' },
      `datafast_visitor_id=${visitor}`,
    );

    expect(response.status).toBe(200);
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    expect(transaction_id).toMatch(/^ch_[0-9a-f]{24}$/);
    expect(await dev.waitForPayment(transaction_id)).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      email: 'ada@example.com',
      datafast_visitor_id: visitor,
    });
  });

  it('reports the amount charged, not the amount asked for', async () => {
    // The stand-in processor charges whole cents, as real ones do: 10.005 is charged as 10.01.
    const response = await checkout({ amount: 10.005, currency: 'USD' });

    const { transaction_id } = (await response.json()) as { transaction_id: string };
    expect((await dev.waitForPayment(transaction_id)).amount).toBe(10.01);
  });

  it('reports a checkout without the cookie, unattributed', async () => {
    const response = await checkout({ amount: 9, currency: 'EUR' });

    const { transaction_id } = (await response.json()) as { transaction_id: string };
    const payment = await dev.waitForPayment(transaction_id);
    expect(payment.datafast_visitor_id).toBeUndefined();
  });

  it('answers before the report reaches a slow DataFast', async () => {
    dev.setFaults({ latencyMs: 1_500 });
    const response = await checkout(
      { amount: 29.99, currency: 'USD' },
      `datafast_visitor_id=${visitor}`,
    );

    expect(response.status).toBe(200);
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    expect(dev.payments()).toEqual([]);
    expect((await dev.waitForPayment(transaction_id)).datafast_visitor_id).toBe(visitor);
  });

  it.each([
    ['a missing amount', { currency: 'USD' }],
    ['a string amount', { amount: '29.99', currency: 'USD' }],
    ['a negative amount', { amount: -5, currency: 'USD' }],
    ['a bad currency', { amount: 29.99, currency: 'dollars' }],
    ['a bad email', { amount: 29.99, currency: 'USD', email: 42 }],
    ['malformed JSON', '{"amount": 29.99,'],
  ])('answers 400 JSON for %s, and reports nothing', async (_name, body) => {
    const response = await checkout(body);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: expect.any(String) });
    // A good checkout after the bad one is the marker: a report of the bad input would have
    // been queued before it, so once the marker is stored, that report would be in the log.
    const marker = await checkout({ amount: 1, currency: 'USD' });
    const { transaction_id } = (await marker.json()) as { transaction_id: string };
    await dev.waitForPayment(transaction_id);
    expect(dev.requests().map((request) => request.body)).toEqual([
      expect.objectContaining({ transaction_id }),
    ]);
  });
});

describe('the checkout page', () => {
  it('loads the tracking script from its own origin (the proxy), with payments detection off', async () => {
    const html = await (await fetch(app.url)).text();

    expect(html).toContain('src="/js/script.js"');
    expect(html).toContain('data-disable-payments="true"');
    // The proxy serves DataFast's script there (locally, the devserver's stand-in).
    const script = await fetch(`${app.url}/js/script.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('datafast_visitor_id');
  });

  it('loads the tracking script from DATAFAST_SCRIPT_URL when it is set', async () => {
    const other = await start({ DATAFAST_SCRIPT_URL: 'https://datafa.st/js/script.js?a=1&b="2"' });
    try {
      const html = await (await fetch(other.url)).text();
      expect(html).toContain('src="https://datafa.st/js/script.js?a=1&amp;b=&quot;2&quot;"');
    } finally {
      await other.stop();
    }
  });

  it('pays from the browser: the button shows the charge id, attributed to the cookie visitor', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(app.url);
      // The stand-in tracker sets the visitor cookie, as DataFast's script does.
      await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
      const cookie = (await browser.cookies(app.url)).find((c) => c.name === 'datafast_visitor_id');
      expect(cookie?.value).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      await page.fill('input[name=email]', 'grace@example.com');
      await page.click('button[type=submit]');
      await page.waitForFunction(() =>
        document.getElementById('result')?.textContent?.startsWith('Paid: '),
      );

      const shown = (await page.textContent('#result'))?.replace('Paid: ', '') ?? '';
      expect(shown).toMatch(/^ch_/);
      expect(await dev.waitForPayment(shown)).toMatchObject({
        amount: 29.99,
        currency: 'USD',
        email: 'grace@example.com',
        datafast_visitor_id: cookie?.value,
      });
    } finally {
      await browser.dispose();
    }
  });
});

describe('shutdown', () => {
  it('delivers a report still pending when the app gets SIGTERM', async () => {
    const own = await start();
    try {
      dev.setFaults({ latencyMs: 1_000 });
      const response = await fetch(`${own.url}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
        body: JSON.stringify({ amount: 12, currency: 'USD' }),
      });
      const { transaction_id } = (await response.json()) as { transaction_id: string };
      expect(dev.payments()).toEqual([]);

      const exit = await own.stop('SIGTERM');

      // The app exits by the signal only after the flush, so the payment is already stored.
      expect(exit.signal).toBe('SIGTERM');
      expect(dev.payments().find((p) => p.transaction_id === transaction_id)).toMatchObject({
        datafast_visitor_id: visitor,
      });
    } finally {
      await own.stop('SIGKILL');
    }
  });
});
