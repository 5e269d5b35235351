import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { launchBrowser } from '../src/testing/index.js';
import { OTHER_VISITOR, post, VISITOR } from './helpers.js';
import { startWebhookReceiver } from './webhook-receiver.js';

// The dashboard in Chromium: revenue by source, campaign and landing page with the unattributed
// share, live; and the Stripe panel, whose buttons are the webhook handlers' hard cases.

const THIRD = '5d0f5a4e-8c1b-4f7e-9a2b-3c4d5e6f7a8b';
const UNSEEN = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
let browser: Browser;
let dev: DevServer;

beforeAll(async () => {
  [dev, browser] = await Promise.all([startDevServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await dev?.close();
});
beforeEach(() => dev.reset());

function pageview(visitorId: string, href: string, referrer: string | null = null) {
  return fetch(`${dev.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ type: 'pageview', href, referrer, visitorId }),
  });
}

async function openDashboard(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${dev.url}/`);
  await page.waitForSelector('body[data-connected="true"]');
  return page;
}

const row = (page: Page, table: string, key: string) =>
  page.locator(`#${table} tr[data-key="${key}"]`);

describe('revenue by source', () => {
  it('credits each payment to its visitor’s first pageview and shows the unattributed share', async () => {
    await pageview(
      VISITOR,
      'https://shop.example/pricing?utm_source=newsletter&utm_campaign=launch',
    );
    await pageview(VISITOR, 'https://shop.example/checkout?utm_source=twitter'); // not the first
    await pageview(
      OTHER_VISITOR,
      'https://shop.example/',
      'https://news.ycombinator.com/item?id=1',
    );
    await pageview(THIRD, 'https://shop.example/blog', 'https://shop.example/'); // own site: Direct
    await post(dev, { transaction_id: 'a', amount: 30, datafast_visitor_id: VISITOR });
    await post(dev, { transaction_id: 'b', amount: 20, datafast_visitor_id: OTHER_VISITOR });
    await post(dev, { transaction_id: 'c', amount: 10, datafast_visitor_id: THIRD });
    await post(dev, { transaction_id: 'd', amount: 25 }); // no visitor id
    await post(dev, { transaction_id: 'e', amount: 15, datafast_visitor_id: UNSEEN }); // no pageview
    await post(dev, {
      transaction_id: 'r',
      amount: 5,
      refunded: true,
      datafast_visitor_id: VISITOR,
    });

    const page = await openDashboard();
    await expect
      .poll(() => row(page, 'by-source', 'newsletter').textContent())
      .toMatch(/1\s*\$25\.00/);
    expect(await row(page, 'by-source', 'news.ycombinator.com').textContent()).toMatch(/\$20\.00/);
    expect(await row(page, 'by-source', 'Direct').textContent()).toMatch(/\$10\.00/);
    expect(await row(page, 'by-source', '(unattributed)').textContent()).toMatch(/2\s*\$40\.00/);
    expect(await row(page, 'by-campaign', 'launch').textContent()).toMatch(/\$25\.00/);
    expect(await row(page, 'by-landing', '/pricing').textContent()).toMatch(/\$25\.00/);
    expect(await page.textContent('#unattributed')).toBe(
      'Unattributed: 40% of USD revenue ($40.00 of $100.00): 1 without a visitor id, 1 with a visitor the tracker never saw.',
    );
    expect(await page.textContent('[data-card^="Unattributed revenue"] b')).toBe('40%');
    // The API says the same.
    expect(dev.attribution().unattributed.byCurrency.USD?.share).toBe(0.4);

    // Live: a new visitor and their payment show without a reload.
    await pageview(UNSEEN, 'https://shop.example/?ref=producthunt'); // too late for payment e
    const fourth = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
    await pageview(fourth, 'https://shop.example/?via=partner');
    await post(dev, { transaction_id: 'f', amount: 50, datafast_visitor_id: fourth });
    await expect.poll(() => row(page, 'by-source', 'partner').textContent()).toMatch(/\$50\.00/);
    await page.context().close();
  });
});

describe('the Stripe panel', () => {
  it('creates a link, and refunds, redelivers and sends held events reversed with one click each', async () => {
    const endpoint = await startWebhookReceiver('whsec_dashboard_secret');
    const page = await openDashboard();
    try {
      await page.fill('#stripe-new-link [name=name]', 'Team plan');
      await page.fill('#stripe-new-link [name=amount]', '12.50');
      await page.selectOption('#stripe-new-link [name=interval]', 'month');
      await page.fill('#stripe-new-link [name=webhookUrl]', endpoint.url);
      await page.fill('#stripe-new-link [name=webhookSecret]', 'whsec_dashboard_secret');
      await page.click('#stripe-new-link button[type=submit]');
      await page.waitForSelector('#stripe-links tr[data-link="plink_team_plan"]');
      expect(await page.textContent('#stripe-links')).toContain('$12.50 per month');
      expect(await page.textContent('#stripe')).not.toContain('whsec_dashboard_secret');

      // Pay the link in the browser, as a buyer would (in a window of their own: a background
      // tab of the dashboard's would pause its drawing).
      const buyer = await (await browser.newContext()).newPage();
      await buyer.goto(`${dev.url}/buy/plink_team_plan?client_reference_id=${VISITOR}`);
      await buyer.getByRole('button', { name: 'Subscribe' }).click();
      await buyer.waitForLoadState();
      await dev.stripe.settled();
      const session = dev.stripe.sessions()[0] as { id: string; subscription: string };
      await page.waitForSelector(`#stripe-sessions tr[data-session="${session.id}"]`);
      expect(await page.textContent(`tr[data-session="${session.id}"]`)).toContain(VISITOR);
      await page.waitForSelector('#stripe-events tr[data-type="invoice.paid"].delivered');

      // Refund 2.50 of the first payment.
      const sessionRow = page.locator(`tr[data-session="${session.id}"]`);
      await sessionRow.locator('input[name=refund]').fill('2.50');
      await sessionRow.getByRole('button', { name: 'Refund' }).click();
      await page.waitForSelector('#stripe-events tr[data-type="refund.created"].delivered');
      expect(endpoint.received.at(-1)?.event.data.object).toMatchObject({ amount: 250 });

      // Renew, then redeliver the renewal's invoice.paid.
      await sessionRow.getByRole('button', { name: 'Renew (next period)' }).click();
      await expect.poll(() => endpoint.types().filter((t) => t === 'invoice.paid').length).toBe(2);
      await dev.stripe.settled();
      const renewal = dev.stripe.events().at(-1);
      const eventRow = page.locator(`tr[data-event="${renewal?.event.id}"]`);
      await eventRow.getByRole('button', { name: 'Redeliver' }).click();
      await expect.poll(() => eventRow.textContent()).toMatch(/200 · attempt 2/);

      // Hold, pay again, send the held events reversed.
      await page.check('#stripe-hold');
      await expect
        .poll(async () => (await fetch(`${dev.url}/__devserver/stripe`).then((r) => r.json())).hold)
        .toBe(true);
      endpoint.clear();
      await buyer.goto(`${dev.url}/buy/plink_team_plan`);
      await buyer.getByRole('button', { name: 'Subscribe' }).click();
      await buyer.waitForLoadState();
      const held = dev.stripe.sessions()[0] as { id: string };
      const heldRow = page.locator(`tr[data-session="${held.id}"]`);
      await heldRow.getByRole('button', { name: 'Send held, reversed' }).click();
      await expect
        .poll(() => endpoint.types())
        .toEqual(['invoice.paid', 'checkout.session.completed']);
      await buyer.context().close();
    } finally {
      await page.context().close();
      await endpoint.close();
    }
  });
});
