import { launchChromium } from '@datafast-checkout/devserver/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CheckoutApp, startCheckoutApp } from './checkout-app.js';

// A real browser, as a customer would use the app: the devserver's stand-in tracker (loaded by
// the page through next/script) sets the visitor cookie, the form is submitted, and the payment
// must reach the devserver attributed to that cookie.

let checkout: CheckoutApp;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  [checkout, browser] = await Promise.all([startCheckoutApp(), launchChromium()]);
});

afterAll(async () => {
  await browser?.dispose();
  await checkout?.stop();
});

async function payOn(path: string) {
  const page = await browser.newPage();
  await page.goto(`${checkout.app.url}${path}`);
  // The tracker runs after hydration; the cookie it sets is the one the payment must carry.
  await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
  const cookies = await browser.cookies(checkout.app.url);
  const visitor = cookies.find((cookie) => cookie.name === 'datafast_visitor_id')?.value;
  await page.getByLabel('Email').fill('grace@example.com');
  await page.getByRole('button', { name: 'Pay $29.99' }).click();
  const output = page.locator('output');
  await output.filter({ hasText: /Paid: ch_/ }).waitFor();
  const transactionId = (await output.textContent())?.replace('Paid: ', '') ?? '';
  await page.close();
  return { visitor, transactionId };
}

it('pays through the Server Action and attributes the payment to the tracker cookie', async () => {
  const { visitor, transactionId } = await payOn('/server-action');
  expect(visitor).toMatch(/^[0-9a-f-]{36}$/);
  const payment = await checkout.dev.waitForPayment(transactionId);
  expect(payment).toMatchObject({
    amount: 29.99,
    currency: 'USD',
    email: 'grace@example.com',
    datafast_visitor_id: visitor,
  });
});

it('pays through the checkout page form and POST /api/checkout, attributed to the tracker cookie', async () => {
  const { visitor, transactionId } = await payOn('/');
  const payment = await checkout.dev.waitForPayment(transactionId);
  expect(payment.datafast_visitor_id).toBe(visitor);
  expect(payment.email).toBe('grace@example.com');
});
