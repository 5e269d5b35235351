import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../index.js';
import { launchBrowser } from '../chromium.js';
import { openDashboard } from '../dashboard.js';
import { type ExampleApp, type RunningExample, resolveExample, startExample } from '../example.js';
import { getFreePort } from '../port.js';
import { payOnHostedPage, payOnPage, trackerVisitor } from '../visitor-flows.js';
import { createHardCaseLinks, itRecordsEveryStripeDeliveryOnce } from './stripe-hard-cases.js';

/** What {@link describeAttribution} started, for a file's own tests beside the suite's. */
export interface AttributionSuite {
  /** The devserver: DataFast's API, the tracker, the dashboard and the Stripe stand-in. */
  readonly dev: DevServer;
  /** The app, wired to the devserver's Stripe (its payment link, its webhook endpoint). */
  readonly app: RunningExample;
  /** One Chromium for the file; each test opens contexts of its own. */
  readonly browser: Browser;
}

/**
 * Attribution end to end, as `npm run dev` runs it: the devserver (DataFast's API, the stand-in
 * tracker, the dashboard and its stand-in Stripe checkout) and the app wired to it, driven in
 * Chromium. A visitor lands from a newsletter and pays through the payment link (reloading the
 * success page), on the page's own form, and through Checkout: the dashboard must credit each
 * payment to "newsletter"; a visitor whose tracker is blocked is counted unattributed. Then the
 * Stripe webhook's hard cases (partial refunds, renewals, redelivery, reordering, a trial, a
 * debit that settles later), each payment recorded once. A failing browser test leaves a
 * screenshot of the dashboard in `test-results/`.
 *
 * Registers its hooks and tests where it is called (a file, or a `describe`); one app and one
 * browser serve them all.
 *
 * @example
 * describeAttribution({ command: process.execPath, args: ['server.js'], cwd: appDir })
 */
export function describeAttribution(example: ExampleApp): AttributionSuite {
  const { routes, labels } = resolveExample(example);
  const results = join(example.cwd, 'test-results');
  const webhookSecret = 'whsec_e2e_attribution';
  let dev: DevServer;
  let app: RunningExample;
  let browser: Browser;
  let linkUrl: string;

  beforeAll(async () => {
    const port = await getFreePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const webhookUrl = `${appUrl}${routes.webhook}`;
    // The account's endpoint gets the events of Checkout Sessions, as `npm run dev` configures it.
    dev = await startDevServer({ stripe: { webhookUrl, webhookSecret } });
    const link = await dev.stripe.createPaymentLink({
      name: 'Pro plan',
      unitAmount: 2999,
      currency: 'usd',
      webhookUrl,
      webhookSecret,
      successUrl: `${appUrl}${routes.success}?session_id={CHECKOUT_SESSION_ID}`,
    });
    linkUrl = link.url;
    await createHardCaseLinks(dev, { webhookUrl, webhookSecret });
    [app, browser] = await Promise.all([
      startExample(example, {
        port,
        env: {
          DATAFAST_API_KEY: dev.apiKey,
          DATAFAST_BASE_URL: dev.url,
          DATAFAST_SCRIPT_URL: undefined,
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
      await dashboard.screenshot(join(results, `${name}.png`));
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
  async function land(page: Page, tracker: 'runs' | 'blocked' = 'runs') {
    const blocked =
      tracker === 'blocked' &&
      page.waitForEvent('requestfailed', (r) => r.url().includes('/js/script.js'));
    await page.goto(`${app.url}${routes.page}?utm_source=newsletter`);
    if (blocked) return blocked.then(() => undefined);
    const visitor = await trackerVisitor(page, app.url);
    const link = page.getByRole('link', { name: labels.paymentLink });
    await expect
      .poll(async () => {
        await page.mouse.move(0, 0);
        await link.hover(); // decorates a link the tracker's cookie came after
        return link.getAttribute('href');
      })
      .toContain(`client_reference_id=${visitor}`);
    return visitor;
  }

  /** The one webhook event the app must have answered 200. */
  async function expectCompletedDelivered() {
    await dev.stripe.settled();
    expect(dev.stripe.events().map((e) => [e.event.type, e.deliveries.at(-1)?.status])).toEqual([
      ['checkout.session.completed', 200],
    ]);
  }

  /** Pays through the payment link on the stand-in checkout, then reloads the success page. */
  async function payWithLink(page: Page, visitor: string | undefined) {
    await page.getByRole('link', { name: labels.paymentLink }).click();
    await page.waitForURL((url) => url.href.startsWith(linkUrl));
    expect(new URL(page.url()).searchParams.get('client_reference_id')).toBe(visitor ?? null);
    await payOnHostedPage(page, labels, routes.success);
    await page.reload();
    await page.getByText(labels.paid, { exact: true }).waitFor();
    await expectCompletedDelivered();
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
      await dev.waitForPayment(await payOnPage(page, labels, 'grace@example.com'));
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
      await page.getByRole('button', { name: labels.payWithCheckout }).click();
      await page.waitForURL((url) => url.href.startsWith(`${dev.url}/c/pay/cs_test_`));
      await payOnHostedPage(page, labels, routes.success);
      await expectCompletedDelivered();
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

  itRecordsEveryStripeDeliveryOnce(() => dev);

  return {
    get dev() {
      return dev;
    },
    get app() {
      return app;
    },
    get browser() {
      return browser;
    },
  };
}
