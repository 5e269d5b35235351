import { fileURLToPath } from 'node:url';
import {
  checkoutSession,
  payloadOf,
  stripeEvent,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { suiteDevServer } from './helpers/datafast.js';
import { providerCases } from './helpers/providers.js';
import { signedRequest } from './helpers/stripe.js';

// What a bundler makes of an Edge route (`export const runtime = 'edge'`): our built `./stripe`
// entry, core, and stripe's own worker build (the `worker` export condition), in one script.
const entry = `
  import Stripe from 'stripe';
  import { stripeWebhook } from '${fileURLToPath(new URL('../dist/stripe.js', import.meta.url))}';
  globalThis.Stripe = Stripe;
  globalThis.stripeWebhook = stripeWebhook;
`;

const context = suiteDevServer();
let vm: EdgeVM;

beforeAll(async () => {
  const bundled = await build({
    stdin: {
      contents: entry,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    conditions: ['worker'],
    logLevel: 'silent',
  });
  // Vercel's Edge runtime sandbox: Web APIs only, no `process`, `require` or `Buffer`.
  vm = new EdgeVM();
  vm.evaluate(bundled.outputFiles[0]?.text ?? '');
});

async function inEdge(
  request: Request,
  options: string,
): Promise<{ status: number; body: unknown }> {
  const json = await vm.evaluate(`(async () => {
    const handler = stripeWebhook(${options});
    const response = await handler(new Request(${JSON.stringify(request.url)}, {
      method: 'POST',
      headers: ${JSON.stringify(Object.fromEntries(request.headers))},
      body: ${JSON.stringify(await request.text())},
    }));
    return JSON.stringify({ status: response.status, body: await response.json() });
  })()`);
  return JSON.parse(json as string);
}

const url = 'https://shop.example/api/webhooks/stripe';
const datafast = () =>
  `{ apiKey: ${JSON.stringify(context.dev.apiKey)}, baseUrl: ${JSON.stringify(context.dev.url)} }`;

describe('stripeWebhook in the Edge runtime VM', () => {
  it('runs without Node globals', async () => {
    expect(
      await vm.evaluate('[typeof process, typeof require, typeof Buffer, typeof stripeWebhook]'),
    ).toEqual(['undefined', 'undefined', 'undefined', 'function']);
  });

  it('verifies a real signature with Web Crypto through the user’s client and reports to DataFast', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const result = await inEdge(
      signedRequest(url, stripeEvent('checkout.session.completed', session)),
      `{ secret: ${JSON.stringify(webhookSecret)}, stripe: new Stripe('sk_test_edge', { httpClient: Stripe.createFetchHttpClient() }), datafast: ${datafast()} }`,
    );
    expect(result).toEqual({
      status: 200,
      body: { received: true, reported: [session.payment_intent] },
    });
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: session.payment_intent,
        amount: 29.99,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('verifies with stripe loaded on demand when no client is given, and refuses a tampered body', async () => {
    const event = stripeEvent('checkout.session.completed', checkoutSession());
    const options = `{ secret: ${JSON.stringify(webhookSecret)}, datafast: ${datafast()} }`;
    expect((await inEdge(signedRequest(url, event), options)).status).toBe(200);
    const signed = signedRequest(url, event);
    const tampered = new Request(url, {
      method: 'POST',
      headers: signed.headers,
      body: payloadOf(event).replace('2999', '1'),
    });
    expect(await inEdge(tampered, options)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_signature',
          message: expect.stringContaining('No signatures found'),
        },
      },
    });
    expect(context.dev.payments()).toHaveLength(1);
  });

  it('answers 5xx from the Edge when DataFast is down', async () => {
    context.dev.setFaults({ failureRate: 1 });
    const result = await inEdge(
      signedRequest(url, stripeEvent('checkout.session.completed', checkoutSession())),
      `{ secret: ${JSON.stringify(webhookSecret)}, datafast: { ...${datafast()}, backoff: { initialDelayMs: 5, maxDelayMs: 10 }, logger: { warn() {}, error() {} } }, onError() {} }`,
    );
    context.dev.setFaults({});
    expect(result.status).toBe(502);
  });
});

// Every other provider's built entry in one Edge script: their checks use Web Crypto only.
describe.each(providerCases)('$factory in the Edge runtime VM', (provider) => {
  let providerVm: EdgeVM;

  beforeAll(async () => {
    const bundled = await build({
      stdin: {
        contents: `import { ${provider.factory} } from '${fileURLToPath(new URL(`../dist/${provider.entry}`, import.meta.url))}';
          globalThis.webhook = ${provider.factory};`,
        resolveDir: fileURLToPath(new URL('.', import.meta.url)),
        loader: 'js',
      },
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      logLevel: 'silent',
    });
    providerVm = new EdgeVM();
    providerVm.evaluate(bundled.outputFiles[0]?.text ?? '');
  });

  async function inProviderEdge(request: Request, extra = '') {
    const json = await providerVm.evaluate(`(async () => {
      const handler = webhook({ secret: ${JSON.stringify(provider.secret)}, datafast: { ...${datafast()}, backoff: { initialDelayMs: 5, maxDelayMs: 10 }, logger: { warn() {}, error() {} } }, onError() {} ${extra} });
      const response = await handler(new Request(${JSON.stringify(request.url)}, {
        method: 'POST',
        headers: ${JSON.stringify(Object.fromEntries(request.headers))},
        body: ${JSON.stringify(await request.text())},
      }));
      return JSON.stringify({ status: response.status, body: await response.json() });
    })()`);
    return JSON.parse(json as string) as { status: number; body: Record<string, unknown> };
  }

  it('verifies a real signature without Node globals, reports to DataFast, refuses a tampered body, answers 5xx when DataFast is down', async () => {
    expect(await providerVm.evaluate('[typeof process, typeof Buffer, typeof webhook]')).toEqual([
      'undefined',
      'undefined',
      'function',
    ]);
    const { event, transactionId, amount } = provider.paid();
    expect(await inProviderEdge(provider.sign(url, event))).toEqual({
      status: 200,
      body: { received: true, reported: [transactionId] },
    });
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: transactionId,
        amount,
        datafast_visitor_id: visitor,
      }),
    ]);
    const signed = provider.sign(url, event);
    const tampered = new Request(url, {
      method: 'POST',
      headers: signed.headers,
      body: `${await signed.text()} `,
    });
    expect((await inProviderEdge(tampered)).status).toBe(400);
    context.dev.setFaults({ failureRate: 1 });
    const down = await inProviderEdge(provider.sign(url, provider.paid().event));
    context.dev.setFaults({});
    expect(down.status).toBe(502);
  });
});
