import { launchChromium } from '@datafast-checkout/devserver/testing';
import { describeCheckoutApi } from '@datafast-checkout/devserver/testing/vitest';
import { describe, expect, it } from 'vitest';
import { example } from './example.js';

// The example exactly as users run it (`node server.js`), against a devserver over HTTP: the
// contract's checkout (the shared suite), then what only this app has.
const api = describeCheckoutApi(example);

describe('the checkout page', () => {
  it('serves the DataFast script at /js/script.js through the proxy', async () => {
    const script = await fetch(`${api.app.origin}/js/script.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('datafast_visitor_id');
  });

  it('loads the tracking script from DATAFAST_SCRIPT_URL when it is set', async () => {
    const other = await api.start({
      DATAFAST_SCRIPT_URL: 'https://datafa.st/js/script.js?a=1&b="2"',
    });
    try {
      const html = await (await fetch(other.origin)).text();
      expect(html).toContain('src="https://datafa.st/js/script.js?a=1&amp;b=&quot;2&quot;"');
    } finally {
      await other.stop();
    }
  });
  it('pays from the browser: the button shows the charge id, attributed to the cookie visitor', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(api.app.origin);
      // The stand-in tracker sets the visitor cookie, as DataFast's script does.
      await page.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
      const cookie = (await browser.cookies(api.app.origin)).find(
        (c) => c.name === 'datafast_visitor_id',
      );
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
      expect(await api.dev.waitForPayment(shown)).toMatchObject({
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
