import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { launchBrowser } from '../src/testing/index.js';
import { del, networkAddress, post, VISITOR } from './helpers.js';

let browser: Browser;
let dev: DevServer;
let site: Server;
let siteUrl: string;
/** Cookie headers the example site received, in order. */
const cookieHeaders: string[] = [];

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const YEAR_S = 365 * 24 * 3600;
const HALF_HOUR_S = 30 * 60;
/** Expiry checks allow this much slack for the time between page load and the assertion. */
const SLACK_S = 120;

beforeAll(async () => {
  dev = await startDevServer();
  // A stand-in for the user's own site: a page that loads the tracker from the devserver, as a
  // real page loads DataFast's script from datafa.st.
  site = createServer((req, res) => {
    cookieHeaders.push(req.headers.cookie ?? '');
    if (req.url === '/checkout') {
      res.writeHead(204).end();
      return;
    }
    const attrs = req.url?.startsWith('/with-domain')
      ? ' data-domain="shop.example.test"'
      : req.url?.startsWith('/api-url')
        ? ` data-api-url="${dev.url}/api/events" data-website-id="dfid_shop"`
        : '';
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<!doctype html><html><head><script src="${dev.url}/js/script.js"${attrs} defer></script></head>` +
        '<body><h1>Shop</h1></body></html>',
    );
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  // Lets a page use a real multi-label domain without DNS: only loopback is ever reached.
  browser = await launchBrowser({ args: ['--host-resolver-rules=MAP *.example.test 127.0.0.1'] });
});

afterAll(async () => {
  await browser?.close();
  await dev?.close();
  await new Promise((resolve) => site?.close(resolve));
});

beforeEach(async () => {
  await dev.reset();
  cookieHeaders.length = 0;
});

describe('dashboard', () => {
  it('shows a payment as it arrives, without a reload', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${dev.url}/`);
      await page.waitForSelector('body[data-connected="true"]');
      await page.evaluate(() => {
        (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
      });

      await post(dev, {
        transaction_id: 'txn_live',
        amount: 42.5,
        currency: 'EUR',
        datafast_visitor_id: VISITOR,
      });
      const row = await page.waitForSelector('tr[data-transaction-id="txn_live"]');
      expect(await row.textContent()).toContain(VISITOR);
      await page.waitForSelector('#revenue tr[data-currency="EUR"]');
      expect(await page.textContent('#visitors')).toContain(VISITOR);
      expect(await page.locator('#chart rect').count()).toBeGreaterThan(0);

      await post(dev, { transaction_id: 'txn_live' });
      await page.waitForSelector('[data-card="Duplicates rejected"] b:text-is("1")');
      // Said where it shows: one purchase reported by its webhook and its success page is 1.
      expect(await page.textContent('[data-card="Duplicates rejected"] .note')).toMatch(
        /counted once: expected when both a webhook and a success page report a payment/,
      );

      await post(dev, { transaction_id: 're_live', amount: 2.5, currency: 'EUR', refunded: true });
      await page.waitForSelector('tr[data-transaction-id="re_live"].refund');
      await page.selectOption('#f-kind', 'refund');
      await page.waitForSelector('tr[data-transaction-id="txn_live"]', { state: 'detached' });
      expect(await page.locator('#payments tr').count()).toBe(1);

      expect(
        await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce),
      ).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('opens to a browser on another address with /?token=, live, and stays shut without it', async () => {
    const token = 'browser_token_0123456789abcdef';
    const shared = await startDevServer({ host: '0.0.0.0', controlToken: token });
    const context = await browser.newContext();
    try {
      const origin = `http://${networkAddress()}:${shared.port}`;
      const page = await context.newPage();
      const shut = await page.goto(`${origin}/`);
      expect(shut?.status()).toBe(401);
      await page.goto(`${origin}/?token=${token}`);
      expect(page.url()).toBe(`${origin}/`);
      await page.waitForSelector('body[data-connected="true"]');
      await post(shared, { transaction_id: 'txn_shared', amount: 12, currency: 'USD' });
      await page.waitForSelector('tr[data-transaction-id="txn_shared"]');
    } finally {
      await context.close();
      await shared.close();
    }
  });

  it('keeps a payment in its place when a delete can not be saved', async () => {
    const dataFile = join(await mkdtemp(join(tmpdir(), 'devserver-dash-')), 'data.json');
    const own = await startDevServer({ dataFile });
    const context = await browser.newContext();
    try {
      for (const id of ['a', 'b', 'c']) await post(own, { transaction_id: id });
      const page = await context.newPage();
      await page.goto(`${own.url}/`);
      await page.waitForSelector('tr[data-transaction-id="c"]');
      // Writes fail from here on: a directory where the file goes makes the rename fail.
      await rm(dataFile);
      await mkdir(dataFile);
      expect((await del(own, { transaction_id: 'b' })).status).toBe(500);
      // Events arrive in order: once this one shows, the delete and the restore have too.
      own.setFaults({ latencyMs: 0 });
      await page.waitForSelector('#faults:text("latencyMs")');
      const rows = page.locator('#payments tr[data-transaction-id]');
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.transactionId))).toEqual([
        'c',
        'b',
        'a',
      ]);
    } finally {
      await context.close();
      await own.close();
    }
  });

  it('shows text from clients as text, never as markup', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${dev.url}/`);
      await page.waitForSelector('body[data-connected="true"]');
      await post(dev, { transaction_id: '<img src=x id=injected>', email: '<b id=bold>x</b>' });
      await page.waitForSelector('#payments tr[data-transaction-id]');
      expect(await page.locator('#injected, #bold').count()).toBe(0);
      expect(await page.textContent('#payments')).toContain('<img src=x id=injected>');
    } finally {
      await context.close();
    }
  });
});

describe('stand-in tracking script', () => {
  it('sets datafast_visitor_id (UUID v4, a year) and datafast_session_id (s + UUID, 30 minutes)', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${siteUrl}/`, { waitUntil: 'load' });
      const now = Date.now() / 1000;
      const cookies = await context.cookies(siteUrl);
      const visitor = cookies.find((c) => c.name === 'datafast_visitor_id');
      const session = cookies.find((c) => c.name === 'datafast_session_id');
      expect(visitor?.value).toMatch(UUID_V4);
      expect(session?.value).toMatch(
        /^s[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(visitor).toMatchObject({ domain: '127.0.0.1', path: '/', sameSite: 'Lax' });
      expect(Math.abs((visitor?.expires ?? 0) - (now + YEAR_S))).toBeLessThan(SLACK_S);
      expect(Math.abs((session?.expires ?? 0) - (now + HALF_HOUR_S))).toBeLessThan(SLACK_S);

      // The server side of a checkout then reads them from the Cookie header.
      await page.evaluate(() => fetch('/checkout'));
      expect(cookieHeaders.at(-1)).toContain(`datafast_visitor_id=${visitor?.value}`);
      expect(cookieHeaders.at(-1)).toContain(`datafast_session_id=${session?.value}`);
    } finally {
      await context.close();
    }
  });

  it('keeps an existing visitor id and session id, and extends the session', async () => {
    const context = await browser.newContext();
    try {
      const soon = Math.floor(Date.now() / 1000) + 60;
      await context.addCookies([
        { name: 'datafast_visitor_id', value: VISITOR, url: siteUrl, expires: soon + YEAR_S / 2 },
        { name: 'datafast_session_id', value: `s${VISITOR}`, url: siteUrl, expires: soon },
      ]);
      const page = await context.newPage();
      await page.goto(`${siteUrl}/`, { waitUntil: 'load' });
      const now = Date.now() / 1000;
      const cookies = await context.cookies(siteUrl);
      const visitor = cookies.find((c) => c.name === 'datafast_visitor_id');
      const session = cookies.find((c) => c.name === 'datafast_session_id');
      expect(visitor?.value).toBe(VISITOR);
      expect(session?.value).toBe(`s${VISITOR}`);
      expect(Math.abs((session?.expires ?? 0) - (now + HALF_HOUR_S))).toBeLessThan(SLACK_S);
    } finally {
      await context.close();
    }
  });

  it('sets the cookies on the registrable domain, so subdomains share the visitor', async () => {
    const context = await browser.newContext();
    try {
      const port = new URL(siteUrl).port;
      const page = await context.newPage();
      await page.goto(`http://www.shop.example.test:${port}/`, { waitUntil: 'load' });
      const cookies = await context.cookies(`http://app.example.test:${port}/`);
      const visitor = cookies.find((c) => c.name === 'datafast_visitor_id');
      expect(visitor?.domain).toBe('.example.test');
      expect(cookies.find((c) => c.name === 'datafast_session_id')?.domain).toBe('.example.test');
      expect(cookies.filter((c) => c.name.startsWith('datafast_domain_probe'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('honours data-domain and leaves window.datafast callable', async () => {
    const context = await browser.newContext();
    try {
      const port = new URL(siteUrl).port;
      const page = await context.newPage();
      await page.goto(`http://www.shop.example.test:${port}/with-domain`, { waitUntil: 'load' });
      // Narrower than the registrable domain it would pick by itself (see the test above).
      const cookies = await context.cookies(`http://www.shop.example.test:${port}/`);
      expect(cookies.find((c) => c.name === 'datafast_visitor_id')?.domain).toBe(
        '.shop.example.test',
      );
      const queued = await page.evaluate(() => {
        const w = window as unknown as {
          datafast: ((...a: unknown[]) => void) & { q: unknown[][] };
        };
        w.datafast('signup', { plan: 'pro' });
        return w.datafast.q;
      });
      expect(queued).toEqual([['signup', { plan: 'pro' }]]);
    } finally {
      await context.close();
    }
  });
});

describe('pageviews from the stand-in tracker', () => {
  it('sends the landing URL with its UTM parameters, the referrer and the cookie visitor', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${siteUrl}/landing?utm_source=newsletter&utm_campaign=launch`, {
        referer: 'https://news.example.org/issue-12',
      });
      const visitor = await visitorCookie(page);
      const view = await dev.waitForPageview(visitor);
      expect(view).toMatchObject({
        url: `${siteUrl}/landing?utm_source=newsletter&utm_campaign=launch`,
        referrer: 'https://news.example.org/issue-12',
        ip: '127.0.0.1',
      });
      expect(view.session_id).toMatch(/^s[0-9a-f-]{36}$/);
      expect(view.user_agent).toContain('Chrome');

      // A client-side navigation is one more pageview, referred by the page before it.
      await page.evaluate(() => history.pushState({}, '', '/pricing'));
      const next = await dev.waitForPageview((v) => v.url === `${siteUrl}/pricing`);
      expect(next.referrer).toBe(`${siteUrl}/landing?utm_source=newsletter&utm_campaign=launch`);
      expect(next.visitor_id).toBe(visitor);
    } finally {
      await context.close();
    }
  });

  it('posts to data-api-url when the tag names one, with its website id', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${siteUrl}/api-url`);
      const view = await dev.waitForPageview(await visitorCookie(page));
      expect(view.website_id).toBe('dfid_shop');
    } finally {
      await context.close();
    }
  });
});

/** The visitor cookie, once the tracker on the page has set it. */
async function visitorCookie(page: import('playwright-core').Page): Promise<string> {
  await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
  const cookies = await page.context().cookies();
  return cookies.find((c) => c.name === 'datafast_visitor_id')?.value ?? '';
}
