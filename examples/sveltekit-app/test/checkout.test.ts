import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  getFreePort,
  launchChromium,
  type RunningApp,
  startApp,
  startExample,
} from '@datafast-checkout/devserver/testing';
import { describeCheckoutApi } from '@datafast-checkout/devserver/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example } from './example.js';

// These tests drive the built app (`vite build`, run by turbo before `test`) as `node build`,
// over HTTP, against a real devserver.

const appDir = fileURLToPath(new URL('..', import.meta.url));
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const session = 's0b7d4c62-4f0e-4a8e-9a57-5f1c2d3e4f50';
const trackerCookies = `datafast_visitor_id=${visitor}; datafast_session_id=${session}`;

// The contract's direct checkout (the shared suite), then what only this app has.
const api = describeCheckoutApi(example);
let dev: DevServer;
let app: RunningApp;
beforeAll(() => {
  ({ dev, app } = api);
});

/** Starts another `node build` with `env`, as the shared suites do (ORIGIN from its address). */
const start = (env: Record<string, string>) => startExample(example, { env });

function postCheckout(
  body: unknown,
  headers: Record<string, string> = {},
  target: RunningApp = app,
): Promise<Response> {
  return fetch(`${target.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A form post as a browser without JavaScript sends it: same-origin, urlencoded, for HTML. */
function postForm(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/form-checkout`, {
    method: 'POST',
    headers: { origin: app.url, accept: 'text/html', ...headers },
    body: new URLSearchParams(fields),
  });
}

describe('started without ORIGIN', () => {
  // What `npm start` without ORIGIN gives a user: adapter-node takes the site for
  // https://<host>, so over plain http SvelteKit refuses the form posts (and the tracker's
  // events). It must say so, in the log and on the page, rather than fail silently.
  it('never refuses a form post silently: a refusal comes with the page alert and the log line', async () => {
    const bare = await startApp({
      command: '/bin/sh',
      // Unset in the shell: whatever the environment running the tests holds.
      args: ['-c', 'unset ORIGIN PROTOCOL_HEADER; exec "$NODE" build'],
      cwd: appDir,
      env: { NODE: process.execPath, DATAFAST_BASE_URL: dev.url, DATAFAST_API_KEY: dev.apiKey },
    });
    try {
      const page = await (await fetch(`${bare.url}/`)).text();
      const form = await fetch(`${bare.url}/form-checkout`, {
        method: 'POST',
        headers: { origin: bare.url, accept: 'text/html' },
        body: new URLSearchParams({ amount: '29.99', currency: 'usd', email: 'ada@example.com' }),
      });
      // adapter-node 5 takes the site for https here, and SvelteKit refuses the form (403). Were
      // an install to serve it as http, the form would pass and nothing would need saying; what
      // must never happen is a refusal the page and the log keep quiet about.
      const refused = form.status === 403;
      expect(page.includes('This server was started without')).toBe(refused);
      if (refused) {
        expect(page).toMatch(/role="alert"[^>]*>[^<]*This server was started without/);
        await expect.poll(() => bare.output()).toContain('ORIGIN is not set');
      } else {
        expect(form.status).toBeLessThan(400);
      }
    } finally {
      await bare.stop();
    }
  });

  it('shows no such alert when ORIGIN names the address', async () => {
    const page = await (await fetch(`${app.url}/`)).text();
    expect(page).not.toContain('role="alert"');
    expect(app.output()).not.toContain('ORIGIN is not set');
  });
});

describe('form action checkout', () => {
  it('charges a form post and reports the payment attributed to the cookie visitor', async () => {
    const response = await postForm(
      { amount: '48.999', currency: 'eur', email: 'grace@example.com' },
      { cookie: trackerCookies },
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    const transactionId = /data-transaction-id="(ch_[0-9a-f]{32})"/.exec(html)?.[1];
    expect(transactionId, html).toBeDefined();

    const stored = await dev.waitForPayment(transactionId as string);
    // What was charged: whole cents.
    expect(stored).toMatchObject({
      amount: 49,
      currency: 'EUR',
      datafast_visitor_id: visitor,
      email: 'grace@example.com',
    });
  });

  it('answers 400 with the error for bad form input', async () => {
    const response = await postForm({ amount: '', currency: 'USD' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('amount must be a positive number');
  });
});

describe('hooks.server.ts', () => {
  it('runs the datafast handle and the request-id handle in sequence', async () => {
    const response = await postCheckout(
      { amount: 12, currency: 'USD' },
      { cookie: trackerCookies, 'x-request-id': 'req-sequence-1' },
    );
    // The request-id handle ran: it echoes the id.
    expect(response.headers.get('x-request-id')).toBe('req-sequence-1');
    // The datafast handle ran before the route: locals.datafast was bound to the cookie.
    const { transaction_id } = (await response.json()) as { transaction_id: string };
    const stored = await dev.waitForPayment(transaction_id);
    expect(stored.datafast_visitor_id).toBe(visitor);
  });
});

describe('checkout page', () => {
  const trackerTag = async (target: RunningApp) => {
    const response = await fetch(target.url);
    expect(response.status).toBe(200);
    return /<script[^>]*src="([^"]+)"[^>]*>/.exec(await response.text());
  };

  it('loads the tracking script from its own origin (the proxy), with payment detection off', async () => {
    const tag = await trackerTag(app);
    expect(tag?.[1]).toBe('/js/script.js');
    expect(tag?.[0]).toContain('data-disable-payments="true"');
    expect(tag?.[0]).toContain('data-website-id="dfid_local"');
  });

  it("takes the tag's website id from DATAFAST_SCRIPT_WEBSITE_ID, not DATAFAST_WEBSITE_ID", async () => {
    const other = await start({
      DATAFAST_BASE_URL: dev.url,
      DATAFAST_API_KEY: dev.apiKey,
      DATAFAST_SCRIPT_WEBSITE_ID: 'dfid_from_script_variable',
      // Core's `?websiteId=` for dft_ tokens: never the tracker's.
      DATAFAST_WEBSITE_ID: 'website_for_dft_tokens',
    });
    try {
      const tag = await trackerTag(other);
      expect(tag?.[0]).toContain('data-website-id="dfid_from_script_variable"');
    } finally {
      await other.stop();
    }
  });
});

describe('in a browser', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.dispose();
  });

  /** Opens `path` and waits for the devserver's stand-in tracker to set the visitor cookie. */
  async function openWithTracker(path: string) {
    const page = await browser.newPage();
    await page.goto(`${app.url}${path}`);
    await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
    const cookies = await browser.cookies(app.url);
    const visitorId = cookies.find((c) => c.name === 'datafast_visitor_id')?.value;
    return { page, visitorId };
  }

  it('attributes a checkout from the page to the visitor cookie set by the tracker', async () => {
    const { page, visitorId } = await openWithTracker('/');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    const result = page.getByTestId('result').filter({ hasText: 'Paid:' });
    await result.waitFor();
    const transactionId = (await result.textContent())?.replace('Paid:', '').trim() ?? '';

    const stored = await dev.waitForPayment(transactionId);
    expect(stored).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitorId,
    });
  });

  it('attributes an enhanced form-action checkout to the visitor cookie', async () => {
    const { page, visitorId } = await openWithTracker('/form-checkout');
    await page.getByLabel('Amount').fill('15');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    const result = page.getByTestId('result').filter({ hasText: 'Paid:' });
    await result.waitFor();
    const transactionId = (await result.getAttribute('data-transaction-id')) ?? '';

    const stored = await dev.waitForPayment(transactionId);
    expect(stored).toMatchObject({ amount: 15, currency: 'USD', datafast_visitor_id: visitorId });
  });
});

describe('background delivery', () => {
  it('still answers 200 while DataFast is down, and delivers the report once it is back', async () => {
    const apiKey = 'df_secret_key_that_must_not_leak';
    const port = await getFreePort();
    const down = await start({
      DATAFAST_BASE_URL: `http://127.0.0.1:${port}`,
      DATAFAST_API_KEY: apiKey,
    });
    let back: DevServer | undefined;
    try {
      const response = await postCheckout(
        { amount: 29.99, currency: 'USD' },
        { cookie: trackerCookies },
        down,
      );
      expect(response.status).toBe(200);
      const { transaction_id } = (await response.json()) as { transaction_id: string };

      // DataFast comes back on the same address; the report, retried meanwhile, arrives once.
      back = await startDevServer({ port, apiKey });
      const payment = await back.waitForPayment(transaction_id, { timeoutMs: 30_000 });
      expect(payment.datafast_visitor_id).toBe(visitor);
      expect(down.output()).not.toContain(apiKey);
      expect(down.output()).not.toContain('was not reported');
    } finally {
      await down.stop();
      await back?.close();
    }
  });
});
