import { describeCheckoutApi } from '@datafast-checkout/devserver/testing/vitest';
import { describe, expect, it } from 'vitest';
import { example } from './example.js';

// The built app exactly as users run it (`node .output/server/index.mjs`), against a devserver
// over HTTP: the contract's checkout (the shared suite: attribution from the cookie, 400s, the
// SIGTERM flush through Nitro's close hook, the page's tracker tag), then what only this app has.
const api = describeCheckoutApi(example);

describe('the checkout page', () => {
  it('loads the tracking script from DATAFAST_SCRIPT_URL read at run time, not at build, escaped', async () => {
    const other = await api.start({
      DATAFAST_SCRIPT_URL: 'https://datafa.st/js/script.js?a=1&b="2"',
      DATAFAST_SCRIPT_WEBSITE_ID: 'dfid_from_the_environment',
    });
    try {
      const html = await (await fetch(other.origin)).text();
      const tag = /<script[^>]*src="https:\/\/datafa\.st[^>]*>/.exec(html)?.[0];
      expect(tag, html).toContain('src="https://datafa.st/js/script.js?a=1&b=&quot;2&quot;"');
      expect(tag).toContain('data-website-id="dfid_from_the_environment"');
    } finally {
      await other.stop();
    }
  });
});
