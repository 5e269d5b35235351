import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkoutSession,
  payloadOf,
  stripeEvent,
  visitor,
  webhookSecret,
} from '@datafast-checkout/testing';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPaymentSucceeded, toExpress } from '../src/index.js';
import { stripeCheckoutSession, stripeWebhook } from '../src/stripe/index.js';
import { suiteDevServer } from './helpers/datafast.js';
import { signedRequest, suiteStripeApi, type WebhookAnswer } from './helpers/stripe.js';

const context = suiteDevServer();
const api = suiteStripeApi();

type ExpressModule = typeof express5;

/**
 * A listening app the way the README writes it: the webhook with express.raw() first, then
 * express.json() for the rest, a success page, and the same webhook mounted after json() by
 * mistake and with no body parser at all.
 */
async function startApp(express: ExpressModule) {
  const app = express();
  const webhook = stripeWebhook({
    secret: webhookSecret,
    stripe: api.stripe,
    datafast: context.client,
  });
  app.post('/api/webhooks/stripe', express.raw({ type: 'application/json' }), toExpress(webhook));
  app.post('/unparsed/webhook', toExpress(webhook));
  // The raw bytes kept by express.json()'s verify hook (a pattern many guides show for Stripe).
  app.post(
    '/kept/webhook',
    express.json({
      verify: (req, _res, buffer) => {
        (req as { rawBody?: Buffer }).rawBody = buffer;
      },
    }),
    toExpress(webhook),
  );
  app.use(express.json());
  app.post('/misplaced/webhook', toExpress(webhook));
  app.get(
    '/success',
    toExpress(
      onPaymentSucceeded(
        stripeCheckoutSession(api.stripe),
        (request, payment) =>
          new Response(
            `<p>${payment ? `Paid ${payment.amount}` : 'Thanks'} (${new URL(request.url).pathname})</p>`,
            {
              headers: [
                ['content-type', 'text/html'],
                ['set-cookie', 'a=1; Path=/'],
                ['set-cookie', 'b=2; Path=/'],
              ],
            },
          ),
        { datafast: context.client },
      ),
    ),
  );
  app.get(
    '/broken',
    toExpress(() => {
      throw new Error('handler bug');
    }),
  );
  app.use(
    (
      error: Error,
      _req: unknown,
      res: { status(code: number): { send(body: string): void } },
      _next: unknown,
    ) => {
      res.status(500).send(`caught: ${error.message}`);
    },
  );
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function post(url: string, event: Record<string, unknown>) {
  const signed = signedRequest(url, event);
  const response = await fetch(url, {
    method: 'POST',
    headers: signed.headers,
    body: payloadOf(event),
  });
  return { status: response.status, body: (await response.json()) as WebhookAnswer };
}

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressModule],
])('toExpress in %s', (_name, express) => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp(express);
  });
  afterAll(() => app.close());

  it('runs the Stripe webhook behind express.raw(), once across redeliveries', async () => {
    const session = checkoutSession({ client_reference_id: visitor });
    const event = stripeEvent('checkout.session.completed', session);
    expect(await post(`${app.url}/api/webhooks/stripe`, event)).toEqual({
      status: 200,
      body: { received: true, reported: [session.payment_intent] },
    });
    expect((await post(`${app.url}/api/webhooks/stripe`, event)).status).toBe(200);
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: session.payment_intent,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('reads the raw stream itself when no body parser ran', async () => {
    const session = checkoutSession();
    expect(
      (
        await post(
          `${app.url}/unparsed/webhook`,
          stripeEvent('checkout.session.completed', session),
        )
      ).status,
    ).toBe(200);
    expect(context.dev.payments().map((p) => p.transaction_id)).toEqual([session.payment_intent]);
  });

  it('checks the signature over req.rawBody when express.json() kept it in a verify hook', async () => {
    const session = checkoutSession();
    const result = await post(
      `${app.url}/kept/webhook`,
      stripeEvent('checkout.session.completed', session),
    );
    expect(result).toEqual({
      status: 200,
      body: { received: true, reported: [session.payment_intent] },
    });
    expect(context.dev.payments().map((p) => p.transaction_id)).toEqual([session.payment_intent]);
  });

  it('says exactly what is wrong when express.json() parsed the body first', async () => {
    const result = await post(
      `${app.url}/misplaced/webhook`,
      stripeEvent('checkout.session.completed', checkoutSession()),
    );
    expect(result.status).toBe(500);
    expect(result.body.error?.code).toBe('body_parsed');
    expect(result.body.error?.message).toContain(
      'parsed into an object (express.json() or another body parser ran first)',
    );
    expect(result.body.error?.message).toContain("express.raw({ type: 'application/json' })");
    expect(context.dev.requests()).toEqual([]);
  });

  it('serves the success page with the original URL, every header, and a reload recorded once', async () => {
    const session = checkoutSession();
    api.standIn.addSession(session as { id: string });
    const page = `${app.url}/success?session_id=${session.id}`;
    const headers = { cookie: `datafast_visitor_id=${visitor}` };
    const first = await fetch(page, { headers });
    expect(await first.text()).toBe('<p>Paid 29.99 (/success)</p>');
    expect(first.headers.get('content-type')).toBe('text/html');
    expect(first.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    await fetch(page, { headers });
    await context.client.flush(5000);
    expect(context.dev.payments()).toEqual([
      expect.objectContaining({
        transaction_id: session.payment_intent,
        datafast_visitor_id: visitor,
      }),
    ]);
  });

  it('passes a throwing handler to Express’s error handling', async () => {
    const response = await fetch(`${app.url}/broken`);
    expect([response.status, await response.text()]).toEqual([500, 'caught: handler bug']);
  });
});
