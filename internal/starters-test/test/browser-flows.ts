import type { launchBrowser } from '@datafast-checkout/devserver/testing';
import { expect } from 'vitest';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Page = Awaited<ReturnType<Browser['newPage']>>;

/** A payment as a devserver in another process lists it (`GET /__devserver/payments`). */
interface StoredPayment {
  transaction_id: string;
  amount: number;
  currency: string;
  datafast_visitor_id?: string;
}

async function storedPayments(devserverUrl: string): Promise<StoredPayment[]> {
  const response = await fetch(`${devserverUrl}/__devserver/payments`);
  return ((await response.json()) as { payments: StoredPayment[] }).payments;
}

/**
 * Waits for the one payment the devserver stored since `before` (transaction ids already there),
 * and answers it: exactly one new payment, or the poll fails with what arrived.
 */
async function onePaymentSince(devserverUrl: string, before: Set<string>, what: string) {
  let fresh: StoredPayment[] = [];
  await expect
    .poll(
      async () => {
        fresh = (await storedPayments(devserverUrl)).filter((p) => !before.has(p.transaction_id));
        return fresh.length;
      },
      { timeout: 30_000, message: `${what}: the devserver stored no payment` },
    )
    .toBeGreaterThan(0);
  expect(fresh, `${what}: one payment, not more`).toHaveLength(1);
  return fresh[0] as StoredPayment;
}

/** The tracker's visitor, once the page is interactive and the payment link decorated with it. */
async function land(page: Page, appUrl: string): Promise<string> {
  await page.goto(`${appUrl}/?utm_source=newsletter`);
  await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
  const cookies = await page.context().cookies(appUrl);
  const visitor = cookies.find((c) => c.name === 'datafast_visitor_id')?.value as string;
  const link = page.getByRole('link', { name: 'Buy with a payment link' });
  // `vite dev` and `next dev` hydrate the page (and start the decorator) seconds after it shows.
  await expect
    .poll(
      async () => {
        await page.mouse.move(0, 0);
        await link.hover(); // the decorator also decorates on hover, after a late cookie
        return link.getAttribute('href');
      },
      { timeout: 30_000 },
    )
    .toContain(`client_reference_id=${visitor}`);
  return visitor;
}

/** "Pay" on the stand-in's hosted page, then the app's success page. */
async function payOnStandIn(page: Page, hostedPath: RegExp) {
  await page.waitForURL(hostedPath);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(/\/success\?session_id=cs_test_/);
  await page.getByText('Payment of 29.99 USD received.').waitFor();
}

/**
 * A visitor's two Stripe purchases in Chromium, as the README tells a user to make them, from
 * the address the banner printed: the payment link (decorated with the visitor), then "Pay with
 * Checkout" (a Checkout Session the app creates). Each must reach the devserver as one payment
 * of $29.99 attributed to the visitor, whichever of the webhook and the success page came first.
 */
export async function payWithLinkAndCheckout(
  browser: Browser,
  appUrl: string,
  devserverUrl: string,
): Promise<void> {
  const context = await browser.newContext();
  context.setDefaultTimeout(60_000); // `next dev` and `vite dev` compile each page on first use
  try {
    const page = await context.newPage();
    const seen = new Set((await storedPayments(devserverUrl)).map((p) => p.transaction_id));
    const visitor = await land(page, appUrl);

    await page.getByRole('link', { name: 'Buy with a payment link' }).click();
    await payOnStandIn(page, /\/buy\/plink_/);
    const viaLink = await onePaymentSince(devserverUrl, seen, 'the payment link');
    expect(viaLink).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
    seen.add(viaLink.transaction_id);

    await page.goto(appUrl);
    await page.getByRole('button', { name: 'Pay with Checkout' }).click();
    await payOnStandIn(page, /\/c\/pay\/cs_test_/);
    const viaCheckout = await onePaymentSince(devserverUrl, seen, 'Checkout');
    expect(viaCheckout).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
    });
  } finally {
    await context.close();
  }
}
