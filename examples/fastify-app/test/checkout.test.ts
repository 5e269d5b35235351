import { describeCheckoutApi } from '@datafast-checkout/devserver/testing/vitest';
import { describe, expect, it } from 'vitest';
import { example } from './example.js';

// The example exactly as users run it (`node server.js`), against a devserver over HTTP: the
// contract's checkout (the shared suite: attribution from the cookie, 400s, the SIGTERM flush
// through app.close(), the page's tracker tag), then what only this app has.
const api = describeCheckoutApi(example);

describe('the checkout page', () => {
  it('loads the tracking script from DATAFAST_SCRIPT_URL when it is set, escaped', async () => {
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
});
