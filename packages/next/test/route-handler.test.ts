import { createDatafast, type Datafast, type DatafastError } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import type { NextRequest } from 'next/server.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withDatafast } from '../src/index.js';

// These call the wrapped handler directly with a Web `Request`, outside any Next.js request: there
// `after()` throws, which is the fallback under test. The same handlers inside a built and
// started Next.js app are tested in examples/next-app.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const otherVisitor = '0f4c8d2e-5b6a-4c3d-9e8f-7a6b5c4d3e2f';

let dev: DevServer;
let client: Datafast;
const warnings: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  dev = await startDevServer();
  client = createDatafast({
    apiKey: dev.apiKey,
    baseUrl: dev.url,
    logger: { warn: (line) => warnings.push(line), error: (line) => errors.push(line) },
  });
});

afterAll(async () => {
  await client.flush(5_000);
  await dev.close();
});

beforeEach(async () => {
  warnings.length = 0;
  errors.length = 0;
  await dev.reset();
});

function checkoutRequest(cookie?: string): Request {
  return new Request('http://shop.test/api/checkout', {
    method: 'POST',
    headers: cookie ? { cookie } : {},
  });
}

const trackCharge = (transactionId: string, explicitVisitor?: string) =>
  withDatafast(async (_request, { datafast }) => {
    datafast.track({
      amount: 29.99,
      currency: 'USD',
      transaction_id: transactionId,
      datafast_visitor_id: explicitVisitor,
    });
    return Response.json({ transaction_id: transactionId });
  }, client);

const noParams = { params: Promise.resolve({}) };

describe('withDatafast', () => {
  it('attributes the payment to the visitor in the cookie', async () => {
    const handler = trackCharge('ch_cookie');
    const response = await handler(
      checkoutRequest(`theme=dark; datafast_visitor_id=${visitor}`),
      noParams,
    );
    expect(await response.json()).toEqual({ transaction_id: 'ch_cookie' });
    const payment = await dev.waitForPayment('ch_cookie');
    expect(payment).toMatchObject({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor });
  });

  it('lets an explicit datafast_visitor_id win over the cookie', async () => {
    const handler = trackCharge('ch_explicit', otherVisitor);
    await handler(checkoutRequest(`datafast_visitor_id=${visitor}`), noParams);
    const payment = await dev.waitForPayment('ch_explicit');
    expect(payment.datafast_visitor_id).toBe(otherVisitor);
  });

  it('reports the payment unattributed when the cookie is missing or malformed', async () => {
    await trackCharge('ch_no_cookie')(checkoutRequest(), noParams);
    await trackCharge('ch_bad_cookie')(checkoutRequest('datafast_visitor_id=not-a-uuid'), noParams);
    const missing = await dev.waitForPayment('ch_no_cookie');
    const malformed = await dev.waitForPayment('ch_bad_cookie');
    expect(missing.datafast_visitor_id).toBeUndefined();
    expect(malformed.datafast_visitor_id).toBeUndefined();
  });

  it('passes params and the rest of the route context through unchanged', async () => {
    const params = Promise.resolve({ plan: 'pro' });
    const extra = { note: 'kept' };
    let seen: { params: Promise<{ plan: string }>; extra: object } | undefined;
    const handler = withDatafast<{ params: Promise<{ plan: string }>; extra: object }>(
      async (_request, context) => {
        seen = { params: context.params, extra: context.extra };
        return Response.json({ plan: (await context.params).plan });
      },
      client,
    );
    const response = await handler(checkoutRequest(), { params, extra });
    expect(await response.json()).toEqual({ plan: 'pro' });
    expect(seen?.params).toBe(params);
    expect(seen?.extra).toBe(extra);
  });

  it('type-checks as the route export Next 16 validates, with typed params when given', async () => {
    // The shape of `.next/types/validator.ts`: a wrong wrapper type fails `tsc` here (and `next build`).
    type NextRouteExport<Params> = (
      request: NextRequest,
      context: { params: Promise<Params> },
    ) => Promise<Response | undefined> | Response | undefined;
    const staticRoute: NextRouteExport<Record<string, never>> = withDatafast(
      async () => new Response(null, { status: 204 }),
      client,
    );
    const dynamicRoute: NextRouteExport<{ plan: string }> = withDatafast<{
      params: Promise<{ plan: string }>;
    }>(async (_request, { params }) => Response.json({ plan: (await params).plan }), client);
    const request = checkoutRequest() as NextRequest;
    expect((await staticRoute(request, { params: Promise.resolve({}) }))?.status).toBe(204);
    const answer = await dynamicRoute(request, { params: Promise.resolve({ plan: 'pro' }) });
    expect(await answer?.json()).toEqual({ plan: 'pro' });
  });

  it('delivers through its own queue when after() throws outside a request, and throws nothing', async () => {
    const response = await trackCharge('ch_outside')(
      checkoutRequest(`datafast_visitor_id=${visitor}`),
      noParams,
    );
    expect(response.status).toBe(200);
    const payment = await dev.waitForPayment('ch_outside');
    expect(payment.datafast_visitor_id).toBe(visitor);
    // The refusal is said once as a warning, never thrown; the key is in no log line.
    expect(warnings.some((line) => line.includes('after') && line.includes('request scope'))).toBe(
      true,
    );
    expect([...warnings, ...errors].join('\n')).not.toContain(dev.apiKey);
    expect(errors).toEqual([]);
  });

  it('makes one client per options object, not one per request', async () => {
    // A queue of one: with a client per request each request would have its own queue and both
    // reports would go out; with the one shared client the second is refused while the first
    // is still held by the devserver's latency.
    const failures: DatafastError[] = [];
    const options = {
      apiKey: dev.apiKey,
      baseUrl: dev.url,
      maxQueueSize: 1,
      onError: (error: DatafastError) => failures.push(error),
      logger: { warn: () => {}, error: () => {} },
    };
    dev.setFaults({ latencyMs: 500 });
    const handler = (id: string) =>
      withDatafast(async (_request, { datafast }) => {
        datafast.track({ amount: 5, currency: 'EUR', transaction_id: id });
        return new Response(null, { status: 204 });
      }, options);
    await handler('ch_first')(checkoutRequest(), noParams);
    await handler('ch_second')(checkoutRequest(), noParams);
    expect(failures.map((error) => error.code)).toEqual(['queue_full']);
    await dev.waitForPayment('ch_first');
    expect(dev.payments().map((payment) => payment.transaction_id)).toEqual(['ch_first']);
  });
});
