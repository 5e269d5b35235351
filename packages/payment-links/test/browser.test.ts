import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { launchChromium, visitor } from '@datafast-checkout/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// The built file, exactly as a page would load it (turbo builds before tests).
const bundle = readFileSync(fileURLToPath(new URL('../dist/browser.js', import.meta.url)), 'utf8');

const page = `<!doctype html>
<html><body>
  <a id="plain" href="https://buy.stripe.com/test_plain">Buy</a>
  <a id="prefilled" href="https://buy.stripe.com/test_pre?prefilled_email=ada%40example.com#plans">Buy</a>
  <a id="affiliate" href="https://buy.stripe.com/test_aff?client_reference_id=aff_42">Buy</a>
  <a id="elsewhere" href="https://example.com/pricing">Pricing</a>
  <a id="relative" href="/docs">Docs</a>
  <a id="custom" href="https://pay.example.com/b/test_custom">Buy on our domain</a>
  <a id="lemonsqueezy" href="https://acme.lemonsqueezy.com/buy/0c2f?checkout[email]=ada%40example.com">LemonSqueezy</a>
  <a id="lemonsqueezy-kept" href="https://acme.lemonsqueezy.com/checkout/buy/0c2f?checkout%5Bcustom%5D%5Bdatafast_visitor_id%5D=kept">LemonSqueezy</a>
  <a id="polar" href="https://buy.polar.sh/polar_cl_4Jm2">Polar</a>
  <a id="polar-legacy" href="https://sandbox-api.polar.sh/v1/checkout-links/polar_cl_4Jm2/redirect">Polar sandbox</a>
  <a id="polar-affiliate" href="https://buy.polar.sh/polar_cl_4Jm2?reference_id=aff_7">Polar</a>
  <a id="creem" href="https://www.creem.io/payment/prod_6tW66i0oZM7w1qXReHJrwg">Creem</a>
  <a id="creem-test" href="https://creem.io/test/payment/prod_6tW66i0oZM7w1qXReHJrwg?theme=dark">Creem test</a>
  <a id="dodo" href="https://checkout.dodopayments.com/buy/pdt_CZikJJg7rTP13neCwBqng?quantity=1">Dodo</a>
  <a id="dodo-test" href="https://test.checkout.dodopayments.com/buy/pdt_CZikJJg7rTP13neCwBqng">Dodo test</a>
  <a id="paddle" href="https://pay.paddle.io/checkout/hsc_01jt8s46kx4nv91002z7vy4ecj?price_id=pri_01">Paddle</a>
  <a id="lookalike" href="https://lemonsqueezy.com.example.net/buy/1">Not LemonSqueezy</a>
  <div id="later"></div>
  <script type="module">
    import { decoratePaymentLinks, readVisitorId } from '/browser.js';
    window.readVisitorId = readVisitorId;
    const params = new URLSearchParams(location.search);
    window.stop = decoratePaymentLinks(params.has('custom') ? { 'buy.stripe.com': 'client_reference_id', 'pay.example.com': 'client_reference_id' } : undefined);
    window.ready = true;
  </script>
</body></html>`;

let server: Server;
let origin: string;
type Browser = Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
let tab: Awaited<ReturnType<Browser['newPage']>>;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/browser.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.dispose();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(async () => {
  await browser.clearCookies();
  tab = await browser.newPage();
  // No internet: a followed Stripe link is answered here, and its URL recorded.
  for (const host of [
    'https://buy.stripe.com/**',
    'https://buy.polar.sh/**',
    'https://checkout.dodopayments.com/**',
  ]) {
    await tab.route(host, (route) => route.fulfill({ body: 'hosted checkout' }));
  }
});

async function open(query = '', cookie = true) {
  if (cookie) {
    await browser.addCookies([{ name: 'datafast_visitor_id', value: visitor, url: origin }]);
  }
  await tab.goto(`${origin}/${query}`);
  await tab.waitForFunction(() => (window as { ready?: boolean }).ready === true);
}

const href = (id: string) => tab.getAttribute(`#${id}`, 'href');

describe('decoratePaymentLinks in Chromium', () => {
  it('adds the cookie’s visitor to every Stripe link and nothing else', async () => {
    await open();
    expect(await href('plain')).toBe(
      `https://buy.stripe.com/test_plain?client_reference_id=${visitor}`,
    );
    expect(await href('prefilled')).toBe(
      `https://buy.stripe.com/test_pre?prefilled_email=ada%40example.com&client_reference_id=${visitor}#plans`,
    );
    expect(await href('affiliate')).toBe(
      'https://buy.stripe.com/test_aff?client_reference_id=aff_42',
    );
    expect(await href('elsewhere')).toBe('https://example.com/pricing');
    expect(await href('relative')).toBe('/docs');
    expect(await href('custom')).toBe('https://pay.example.com/b/test_custom');
    await tab.close();
  });

  it('decorates links added after load and links whose href changes', async () => {
    await open();
    await tab.evaluate(() => {
      const later = document.getElementById('later') as HTMLElement;
      later.innerHTML = '<p><a id="added" href="https://buy.stripe.com/test_added">Buy</a></p>';
      (document.getElementById('elsewhere') as HTMLAnchorElement).href =
        'https://buy.stripe.com/test_switched';
    });
    await tab.waitForFunction(() =>
      document.querySelector('#added')?.getAttribute('href')?.includes('client_reference_id'),
    );
    expect(await href('added')).toBe(
      `https://buy.stripe.com/test_added?client_reference_id=${visitor}`,
    );
    await tab.waitForFunction(() =>
      document.querySelector('#elsewhere')?.getAttribute('href')?.includes('client_reference_id'),
    );
    expect(await href('elsewhere')).toBe(
      `https://buy.stripe.com/test_switched?client_reference_id=${visitor}`,
    );
    await tab.close();
  });

  it('changes nothing without a cookie, and decorates a link hovered or clicked after the tracker set one', async () => {
    await open('', false);
    expect(await href('plain')).toBe('https://buy.stripe.com/test_plain');
    // The tracker sets its cookie after our script ran; the click still carries it.
    await tab.evaluate((id) => {
      // biome-ignore lint/suspicious/noDocumentCookie: the test plays the tracker, which sets exactly this cookie.
      document.cookie = `datafast_visitor_id=${id}; path=/`;
    }, visitor);
    await tab.hover('#prefilled');
    expect(await href('prefilled')).toContain(`client_reference_id=${visitor}`);
    const navigation = tab.waitForRequest('https://buy.stripe.com/**');
    await tab.click('#plain');
    expect((await navigation).url()).toBe(
      `https://buy.stripe.com/test_plain?client_reference_id=${visitor}`,
    );
    await tab.close();
  });

  it('ignores a cookie that is not a visitor id', async () => {
    await browser.addCookies([{ name: 'datafast_visitor_id', value: 'not-a-uuid', url: origin }]);
    await open('', false);
    expect(await href('plain')).toBe('https://buy.stripe.com/test_plain');
    await tab.close();
  });

  it('takes custom payment-link domains, and stops when asked', async () => {
    await open('?custom');
    expect(await href('custom')).toBe(
      `https://pay.example.com/b/test_custom?client_reference_id=${visitor}`,
    );
    await tab.evaluate(() => {
      (window as unknown as { stop(): void }).stop();
      (document.getElementById('later') as HTMLElement).innerHTML =
        '<a id="after-stop" href="https://buy.stripe.com/test_x">x</a>';
    });
    // A mutation observed by nobody: give the page one task turn, then check it stayed as written.
    await tab.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(await href('after-stop')).toBe('https://buy.stripe.com/test_x');
    await tab.close();
  });

  it('decorates each provider’s hosted-checkout links with its own parameter, keeping values already there', async () => {
    await open();
    const hrefs = Object.fromEntries(
      await Promise.all(
        [
          'lemonsqueezy',
          'lemonsqueezy-kept',
          'polar',
          'polar-legacy',
          'polar-affiliate',
          'creem',
          'creem-test',
          'dodo',
          'dodo-test',
          'paddle',
          'lookalike',
        ].map(async (id) => [id, await href(id)]),
      ),
    );
    expect(hrefs).toEqual({
      lemonsqueezy: `https://acme.lemonsqueezy.com/buy/0c2f?checkout[email]=ada%40example.com&checkout%5Bcustom%5D%5Bdatafast_visitor_id%5D=${visitor}`,
      'lemonsqueezy-kept':
        'https://acme.lemonsqueezy.com/checkout/buy/0c2f?checkout%5Bcustom%5D%5Bdatafast_visitor_id%5D=kept',
      polar: `https://buy.polar.sh/polar_cl_4Jm2?reference_id=${visitor}`,
      'polar-legacy': `https://sandbox-api.polar.sh/v1/checkout-links/polar_cl_4Jm2/redirect?reference_id=${visitor}`,
      'polar-affiliate': 'https://buy.polar.sh/polar_cl_4Jm2?reference_id=aff_7',
      creem: `https://www.creem.io/payment/prod_6tW66i0oZM7w1qXReHJrwg?metadata%5Bdatafast_visitor_id%5D=${visitor}`,
      'creem-test': `https://creem.io/test/payment/prod_6tW66i0oZM7w1qXReHJrwg?theme=dark&metadata%5Bdatafast_visitor_id%5D=${visitor}`,
      dodo: `https://checkout.dodopayments.com/buy/pdt_CZikJJg7rTP13neCwBqng?quantity=1&metadata_datafast_visitor_id=${visitor}`,
      'dodo-test': `https://test.checkout.dodopayments.com/buy/pdt_CZikJJg7rTP13neCwBqng?metadata_datafast_visitor_id=${visitor}`,
      // Paddle's hosted checkout links take no custom data; a lookalike host is not LemonSqueezy.
      paddle: 'https://pay.paddle.io/checkout/hsc_01jt8s46kx4nv91002z7vy4ecj?price_id=pri_01',
      lookalike: 'https://lemonsqueezy.com.example.net/buy/1',
    });
    // What the provider receives, read back the way it parses a query string.
    const params = (id: string) => new URL(hrefs[id] as string).searchParams;
    expect(params('lemonsqueezy').get('checkout[custom][datafast_visitor_id]')).toBe(visitor);
    expect(params('creem').get('metadata[datafast_visitor_id]')).toBe(visitor);
    await tab.close();
  });

  it('decorates a provider link the tracker’s cookie reaches only at the click, and reads the visitor for Paddle.js', async () => {
    await open('', false);
    expect(
      await tab.evaluate(() => (window as unknown as { readVisitorId(): unknown }).readVisitorId()),
    ).toBeUndefined();
    await tab.evaluate((id) => {
      // biome-ignore lint/suspicious/noDocumentCookie: the test plays the tracker, which sets exactly this cookie.
      document.cookie = `datafast_visitor_id=${id.toUpperCase()}; path=/`;
    }, visitor);
    expect(
      await tab.evaluate(() => (window as unknown as { readVisitorId(): unknown }).readVisitorId()),
    ).toBe(visitor);
    const navigation = tab.waitForRequest('https://checkout.dodopayments.com/**');
    await tab.click('#dodo');
    expect(new URL((await navigation).url()).searchParams.get('metadata_datafast_visitor_id')).toBe(
      visitor,
    );
    await tab.close();
  });
});
