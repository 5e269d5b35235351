import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  getFreePort,
  launchBrowser,
  openDashboard,
  type RunningApp,
  startApp,
} from '@datafast-checkout/devserver/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

// Attribution end to end on one machine, as `pnpm demo` runs it: the devserver (DataFast's API,
// the stand-in tracker, the dashboard and its stand-in Stripe checkout) and this app wired to it
// (`node server.js`), driven in Chromium. A visitor lands from a newsletter, pays, and the
// dashboard must credit the payment to "newsletter"; a visitor whose tracker is blocked is
// counted unattributed. A failing test leaves a screenshot of the dashboard in test-results/.

const appDir = fileURLToPath(new URL('..', import.meta.url));
const results = fileURLToPath(new URL('../test-results/', import.meta.url));
let dev: DevServer;
let app: RunningApp;
let browser: Browser;
let linkUrl: string;

beforeAll(async () => {
  const port = await getFreePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const webhookSecret = 'whsec_e2e_attribution';
  // The account's endpoint gets the events of Checkout Sessions, as `npm run dev` configures it.
  dev = await startDevServer({
    stripe: { webhookUrl: `${appUrl}/api/webhooks/stripe`, webhookSecret },
  });
  const link = await dev.stripe.createPaymentLink({
    name: 'Pro plan',
    unitAmount: 2999,
    currency: 'usd',
    webhookUrl: `${appUrl}/api/webhooks/stripe`,
    webhookSecret,
    successUrl: `${appUrl}/success?session_id={CHECKOUT_SESSION_ID}`,
  });
  linkUrl = link.url;
  [app, browser] = await Promise.all([
    startApp({
      command: process.execPath,
      args: ['server.js'],
      cwd: appDir,
      port,
      env: {
        DATAFAST_API_KEY: dev.apiKey,
        DATAFAST_BASE_URL: dev.url,
        STRIPE_SECRET_KEY: dev.stripe.secretKey,
        STRIPE_API_BASE: dev.stripe.apiBase,
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        STRIPE_PAYMENT_LINK_URL: link.url,
      },
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await dev?.close();
});
beforeEach(() => dev.reset());

/** Runs a flow in a fresh browser profile; on failure, saves a screenshot of the dashboard. */
async function asVisitor(name: string, flow: (context: BrowserContext) => Promise<void>) {
  const context = await browser.newContext();
  // A step that can not happen fails well within the test's time, so the screenshot is taken.
  context.setDefaultTimeout(10_000);
  try {
    await flow(context);
  } catch (error) {
    const dashboard = await openDashboard(browser, dev.url);
    await dashboard.screenshot(`${results}${name}.png`);
    await dashboard.close();
    throw new Error(`${(error as Error).message} (dashboard: test-results/${name}.png)`, {
      cause: error,
    });
  } finally {
    await context.close();
  }
}

/** What the dashboard credits to `source`, and its unattributed share. */
async function dashboardRow(source: string): Promise<string> {
  const dashboard = await openDashboard(browser, dev.url);
  try {
    return `${await dashboard.revenueBySource(source)} | ${await dashboard.unattributed()}`;
  } finally {
    await dashboard.close();
  }
}

/**
 * Lands from the newsletter; answers the visitor id the tracker set, once the page is
 * interactive: the payment link is decorated with it (the decorator starts with the page's
 * script). A blocked tracker sets none.
 */
async function land(page: Page, tracker: 'runs' | 'blocked' = 'runs'): Promise<string | undefined> {
  const blocked =
    tracker === 'blocked' &&
    page.waitForEvent('requestfailed', (r) => r.url().includes('/js/script.js'));
  await page.goto(`${app.url}/?utm_source=newsletter`);
  if (blocked) return blocked.then(() => undefined);
  await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
  const cookies = await page.context().cookies(app.url);
  const visitor = cookies.find((cookie) => cookie.name === 'datafast_visitor_id')?.value;
  const link = page.getByRole('link', { name: 'Buy with a payment link' });
  await expect
    .poll(async () => {
      await page.mouse.move(0, 0);
      await link.hover(); // decorates a link the tracker's cookie came after
      return link.getAttribute('href');
    })
    .toContain(`client_reference_id=${visitor}`);
  return visitor;
}

/** Pays through the payment link on the stand-in checkout, then reloads the success page. */
async function payWithLink(page: Page, visitor: string | undefined) {
  await page.getByRole('link', { name: 'Buy with a payment link' }).click();
  await page.waitForURL((url) => url.href.startsWith(linkUrl));
  expect(new URL(page.url()).searchParams.get('client_reference_id')).toBe(visitor ?? null);
  await page.getByRole('button', { name: 'Pay $29.99' }).click();
  await page.waitForURL(/\/success\?session_id=cs_test_/);
  await page.getByText('Payment of 29.99 USD received.', { exact: true }).waitFor();
  await page.reload();
  await page.getByText('Payment of 29.99 USD received.', { exact: true }).waitFor();
  await dev.stripe.settled();
  expect(dev.stripe.events().map((e) => [e.event.type, e.deliveries.at(-1)?.status])).toEqual([
    ['checkout.session.completed', 200],
  ]);
}

it('credits a payment-link payment to the newsletter that brought the visitor', async () => {
  await asVisitor('payment-link', async (context) => {
    const page = await context.newPage();
    const visitor = await land(page);
    expect(visitor).toMatch(/^[0-9a-f-]{36}$/);
    expect((await dev.waitForPageview(visitor as string)).url).toContain('utm_source=newsletter');
    await payWithLink(page, visitor);
    expect(dev.payments()).toEqual([
      expect.objectContaining({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor }),
    ]);
    expect(await dashboardRow('newsletter')).toMatch(
      /^newsletter\s*1\s*\$29\.99 \| Unattributed: 0%/,
    );
  });
});

it('credits a direct payment on the checkout page to the newsletter too', async () => {
  await asVisitor('direct-payment', async (context) => {
    const page = await context.newPage();
    const visitor = await land(page);
    await dev.waitForPageview(visitor as string);
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByRole('button', { name: 'Pay $29.99' }).click();
    const paid = await page
      .locator('output')
      .filter({ hasText: /Paid: ch_/ })
      .textContent();
    await dev.waitForPayment(paid?.replace('Paid: ', '') ?? '');
    expect(dev.payments()).toEqual([
      expect.objectContaining({ amount: 29.99, datafast_visitor_id: visitor }),
    ]);
    expect(await dashboardRow('newsletter')).toMatch(/^newsletter\s*1\s*\$29\.99/);
  });
});

it('credits a Checkout Session payment to the newsletter too', async () => {
  await asVisitor('checkout-session', async (context) => {
    const page = await context.newPage();
    const visitor = await land(page);
    await dev.waitForPageview(visitor as string);
    await page.getByRole('button', { name: 'Pay with Checkout' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${dev.url}/c/pay/cs_test_`));
    await page.getByRole('button', { name: 'Pay $29.99' }).click();
    await page.waitForURL(/\/success\?session_id=cs_test_/);
    await page.getByText('Payment of 29.99 USD received.', { exact: true }).waitFor();
    await dev.stripe.settled();
    expect(dev.stripe.events().map((e) => [e.event.type, e.deliveries.at(-1)?.status])).toEqual([
      ['checkout.session.completed', 200],
    ]);
    expect(dev.payments()).toEqual([
      expect.objectContaining({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor }),
    ]);
    expect(await dashboardRow('newsletter')).toMatch(/^newsletter\s*1\s*\$29\.99/);
  });
});

it('counts the payment of a visitor whose tracker is blocked, unattributed', async () => {
  await asVisitor('tracker-blocked', async (context) => {
    // An ad blocker: the tracking script and its events never load.
    await context.route(/\/js\/script\.js|\/api\/events/, (route) =>
      route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    expect(await land(page, 'blocked')).toBeUndefined();
    await payWithLink(page, undefined);
    expect(dev.pageviews()).toEqual([]);
    expect(dev.payments()).toEqual([expect.objectContaining({ amount: 29.99 })]);
    expect(dev.payments()[0]?.datafast_visitor_id).toBeUndefined();
    expect(await dashboardRow('(unattributed)')).toMatch(
      /^\(unattributed\)\s*1\s*\$29\.99 \| Unattributed: 100% of USD revenue/,
    );
  });
});
