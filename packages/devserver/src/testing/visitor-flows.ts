import type { Page } from 'playwright-core';
import type { ExampleLabels } from './example.js';

// What a visitor does on an example's checkout page in Chromium, step by step, for the shared
// suites: each step waits for the page's own signal (a cookie, a URL, a text), never a delay.

/** The visitor id in the page's `datafast_visitor_id` cookie, once the tracker has set it. */
export async function trackerVisitor(page: Page, origin: string): Promise<string | undefined> {
  await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
  const cookies = await page.context().cookies(origin);
  return cookies.find((cookie) => cookie.name === 'datafast_visitor_id')?.value;
}

/**
 * Pays on the page's own checkout form; answers the transaction id the page shows
 * (`Paid: ch_…` in its `<output>`).
 */
export async function payOnPage(page: Page, labels: ExampleLabels, email?: string) {
  if (email !== undefined) await page.getByLabel(labels.email).fill(email);
  await page.getByRole('button', { name: labels.pay, exact: true }).click();
  const paid = page.locator('output').filter({ hasText: /Paid:\s*ch_/ });
  await paid.waitFor();
  return ((await paid.textContent()) ?? '').replace(/^\s*Paid:\s*/, '').trim();
}

/** "Pay" on the devserver's hosted Stripe page, then the app's success page with `labels.paid`. */
export async function payOnHostedPage(page: Page, labels: ExampleLabels, successPath: string) {
  await page.getByRole('button', { name: 'Pay $29.99' }).click();
  await page.waitForURL(
    (url) =>
      url.pathname === successPath && /^cs_test_/.test(url.searchParams.get('session_id') ?? ''),
  );
  await page.getByText(labels.paid, { exact: true }).waitFor();
}
