import { describeAttribution } from '@datafast-checkout/devserver/testing/vitest';
import { expect, it } from 'vitest';
import { example } from './example.js';

// Attribution end to end, as `npm run dev` runs it: the devserver and this app, a visitor from a
// newsletter paying through the link, the page and Checkout in Chromium, the dashboard's credit,
// and the Stripe webhook's hard cases, each payment once.
const suite = describeAttribution(example);

it('keeps the checkout form from submitting without JavaScript, so no email lands in a URL', async () => {
  const context = await suite.browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(suite.app.url);
    await page.getByLabel('Email').fill('grace@example.com');
    expect(await page.getByRole('button', { name: 'Pay $29.99' }).isDisabled()).toBe(true);
    // Pay with Checkout is a plain form post: it needs no JavaScript.
    await page.getByRole('button', { name: 'Pay with Checkout' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${suite.dev.url}/c/pay/cs_test_`));
    expect(page.url()).not.toContain('grace');
  } finally {
    await context.close();
  }
});
