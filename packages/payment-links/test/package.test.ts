import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The built package, loaded by its name from a child Node process the way users load it.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dist = (file: string) =>
  readFileSync(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)), 'utf8');
const run = promisify(execFile);

async function node(args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, args, { cwd: packageDir });
  return JSON.parse(stdout);
}

const entries = {
  // With all of core too (createDatafast, getVisitorId, ...).
  '@datafast-checkout/payment-links': [
    'createDatafast',
    'getVisitorId',
    'DEFAULT_WEBHOOK_TIMEOUT_MS',
    'WebhookConfigError',
    'WebhookSignatureError',
    'attributePayment',
    'onPaymentSucceeded',
    'toExpress',
  ],
  '@datafast-checkout/payment-links/stripe': [
    'checkoutSessionParams',
    'mapStripeEvent',
    'paymentFromCheckoutSession',
    'paymentFromInvoice',
    'stripeCheckoutSession',
    'stripeClientOptions',
    'stripeWebhook',
    'withClientReferenceId',
  ],
  '@datafast-checkout/payment-links/lemonsqueezy': [
    'checkoutMetadata',
    'lemonSqueezyOrder',
    'lemonSqueezyWebhook',
    'mapLemonSqueezyEvent',
    'withLemonSqueezyCustomData',
  ],
  '@datafast-checkout/payment-links/polar': [
    'checkoutMetadata',
    'mapPolarEvent',
    'polarCheckout',
    'polarWebhook',
    'withPolarReferenceId',
  ],
  '@datafast-checkout/payment-links/paddle': [
    'checkoutMetadata',
    'mapPaddleEvent',
    'paddleTransaction',
    'paddleWebhook',
  ],
  '@datafast-checkout/payment-links/creem': [
    'checkoutMetadata',
    'creemCheckout',
    'creemWebhook',
    'mapCreemEvent',
    'withCreemMetadata',
  ],
  '@datafast-checkout/payment-links/dodo': [
    'checkoutMetadata',
    'dodoPayment',
    'dodoWebhook',
    'mapDodoEvent',
    'withDodoMetadata',
  ],
  '@datafast-checkout/payment-links/browser': [
    'decoratePaymentLinks',
    'defaultCarriers',
    'readVisitorId',
  ],
};
const providerEntries = ['lemonsqueezy', 'polar', 'paddle', 'creem', 'dodo'];

describe('the built package', () => {
  it.each(Object.entries(entries))(
    '%s has the same exports through import and require',
    async (name, expected) => {
      const esm = await node([
        '--input-type=module',
        '-e',
        `import * as m from '${name}'; console.log(JSON.stringify(Object.keys(m).sort()))`,
      ]);
      const cjs = await node([
        '-e',
        `console.log(JSON.stringify(Object.keys(require('${name}')).sort()))`,
      ]);
      expect(esm).toEqual(expect.arrayContaining(expected));
      expect(cjs).toEqual(esm);
    },
  );

  it('loads stripe in neither `.` nor `./browser` nor another provider, and only on demand in `./stripe`', () => {
    const others = providerEntries.flatMap((name) => [`${name}.js`, `${name}.cjs`]);
    for (const file of ['index.js', 'index.cjs', 'browser.js', 'browser.cjs', ...others]) {
      expect(dist(file)).not.toMatch(/["']stripe["']/);
    }
    for (const file of ['stripe.js', 'stripe.cjs']) {
      const code = dist(file);
      expect(code).not.toMatch(/^import .* from ["']stripe["']/m);
      expect(code).not.toMatch(/^(var|const) \w+ = require\(["']stripe["']\)/m);
      expect(code).toMatch(/import\(["']stripe["']\)|require\(["']stripe["']\)\)/);
    }
  });

  it.each(
    ['index', 'stripe', 'browser', ...providerEntries].flatMap((name) => [
      `${name}.js`,
      `${name}.cjs`,
    ]),
  )('%s imports no Node built-in and needs no Node global', (file) => {
    const code = dist(file);
    expect(code).not.toMatch(/\bfrom\s*["']node:|require\(\s*["']node:|import\(\s*["']node:/);
    expect(code).not.toMatch(/\bBuffer\b/);
    expect(code).not.toMatch(/(?<![.\w])process\./);
  });

  it('ships a browser decorator of a few hundred bytes, with no imports', async () => {
    const code = dist('browser.js');
    expect(code).not.toMatch(/^import /m);
    const minified = await build({
      stdin: { contents: code, loader: 'js' },
      minify: true,
      write: false,
      format: 'esm',
      logLevel: 'silent',
    });
    const size = gzipSync(minified.outputFiles[0]?.contents ?? new Uint8Array(), {
      level: 9,
    }).length;
    console.info(`browser decorator: ${size} bytes minified and gzipped`);
    // A budget, not a speed: past it the decorator stopped being a drop-in script.
    expect(size).toBeLessThan(1024);
  });
});
