import { createDatafast, type DatafastError, readCookie } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { datafast, datafastHandle, getDatafast } from '../src/index.js';

// The handle is called here with a small hand-made event: `platform` is what Cloudflare and
// Vercel inject (`ctx` / `context` with `waitUntil`), and no adapter can make it real on Node.
// Everything else is real: a Web `Request`, the cookie header, and the devserver over HTTP. The
// built SvelteKit app in examples/sveltekit-app covers the same handle inside the framework.

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
let dev: DevServer;
let counter = 0;

beforeAll(async () => {
  dev = await startDevServer();
});
afterEach(() => {
  dev.setFaults({});
});
afterAll(async () => {
  await dev?.close();
});

/** A Workers-style execution context: `waitUntil` relies on `this`, as the real one does. */
class ExecutionContext {
  readonly promises: Promise<unknown>[] = [];
  waitUntil(promise: Promise<unknown>): void {
    this.promises.push(promise);
  }
}

function eventFor(
  options: { cookie?: string; platform?: unknown; locals?: Record<string, unknown> } = {},
) {
  const request = new Request('http://127.0.0.1/api/checkout', {
    method: 'POST',
    headers: options.cookie ? { cookie: options.cookie } : {},
  });
  const cookies = { get: (name: string) => readCookie(request.headers.get('cookie') ?? '', name) };
  return {
    request,
    cookies,
    locals: options.locals ?? {},
    platform: options.platform,
  } as unknown as RequestEvent;
}

/** Runs the handle like SvelteKit does; the route reports a charge and answers at once. */
async function checkout(
  handle: ReturnType<typeof datafast>,
  event: RequestEvent,
  input: { datafast_visitor_id?: string } = {},
) {
  const transactionId = `ch_handle_${++counter}_${Date.now()}`;
  const response = await handle({
    event,
    resolve: (resolved) => {
      resolved.locals.datafast.track({
        amount: 29.99,
        currency: 'USD',
        transaction_id: transactionId,
        ...input,
      });
      return new Response(transactionId);
    },
  });
  return { response, transactionId };
}

function clientOptions() {
  return { apiKey: dev.apiKey, baseUrl: dev.url, maxRetries: 0 };
}

describe('datafast', () => {
  it('hands the delivery to platform.ctx.waitUntil, settling after the payment is stored', async () => {
    const handle = datafast(clientOptions());
    const ctx = new ExecutionContext();
    // The devserver holds the report, so the order below is observed, not assumed.
    dev.setFaults({ latencyMs: 300 });
    const { response, transactionId } = await checkout(
      handle,
      eventFor({ cookie: `datafast_visitor_id=${visitor}`, platform: { ctx } }),
    );
    expect(await response.text()).toBe(transactionId);
    expect(ctx.promises).toHaveLength(1);
    expect(dev.payments().some((p) => p.transaction_id === transactionId)).toBe(false);

    await ctx.promises[0];
    const stored = dev.payments().find((p) => p.transaction_id === transactionId);
    expect(stored?.datafast_visitor_id).toBe(visitor);
  });

  it('hands the delivery to platform.context.waitUntil (Vercel Edge, Netlify)', async () => {
    const handle = datafast(clientOptions());
    const context = new ExecutionContext();
    const { transactionId } = await checkout(handle, eventFor({ platform: { context } }));
    expect(context.promises).toHaveLength(1);

    await context.promises[0];
    const stored = dev.payments().find((p) => p.transaction_id === transactionId);
    expect(stored).toBeDefined();
  });

  it('delivers through the client queue when the platform has no waitUntil', async () => {
    const handle = datafast(clientOptions());
    // No platform at all (adapter-node), and a platform without ctx or context.
    for (const platform of [undefined, { env: {} }]) {
      const { transactionId } = await checkout(
        handle,
        eventFor({ cookie: `datafast_visitor_id=${visitor}`, platform }),
      );
      const stored = await dev.waitForPayment(transactionId, { timeoutMs: 5_000 });
      expect(stored.datafast_visitor_id).toBe(visitor);
    }
  });

  it("hands the delivery to the options' waitUntil when the platform has none", async () => {
    // A serverless host whose adapter exposes no waitUntil: the user passes the host's own.
    const host = new ExecutionContext();
    const handle = datafast({ ...clientOptions(), waitUntil: (p) => host.waitUntil(p) });
    const { transactionId } = await checkout(handle, eventFor({ platform: undefined }));
    expect(host.promises).toHaveLength(1);

    await host.promises[0];
    expect(dev.payments().map((p) => p.transaction_id)).toContain(transactionId);
  });

  it('lets an explicit datafast_visitor_id win over the cookie', async () => {
    const handle = datafast(clientOptions());
    const explicit = '0b7d4c62-4f0e-4a8e-9a57-5f1c2d3e4f50';
    const { transactionId } = await checkout(
      handle,
      eventFor({ cookie: `datafast_visitor_id=${visitor}` }),
      { datafast_visitor_id: explicit },
    );
    const stored = await dev.waitForPayment(transactionId, { timeoutMs: 5_000 });
    expect(stored.datafast_visitor_id).toBe(explicit);
  });

  it('reports a payment with a malformed cookie unattributed', async () => {
    const handle = datafast({ ...clientOptions(), logger: { warn() {}, error() {} } });
    const event = eventFor({ cookie: 'datafast_visitor_id=not-a-uuid' });
    const { transactionId } = await checkout(handle, event);
    expect(event.locals.datafast.visitorId).toBeUndefined();
    const stored = await dev.waitForPayment(transactionId, { timeoutMs: 5_000 });
    expect(stored.datafast_visitor_id).toBeUndefined();
  });

  it('keeps a locals.datafast that an earlier handle set', async () => {
    const earlier = createDatafast(clientOptions()).forVisitor(visitor);
    const event = eventFor({ locals: { datafast: earlier } });
    await checkout(datafast(clientOptions()), event);
    expect(event.locals.datafast).toBe(earlier);
  });

  it('uses a Datafast client passed in', async () => {
    const client = createDatafast(clientOptions());
    dev.setFaults({ latencyMs: 200 });
    const { transactionId } = await checkout(datafast(client), eventFor());
    expect(client.pending).toBe(1);

    await client.flush(5_000);
    expect(dev.payments().map((p) => p.transaction_id)).toContain(transactionId);
  });

  it('creates one client per handle, shared by every request', async () => {
    const handle = datafast(clientOptions());
    // The devserver holds the first request's report while the second request flushes.
    dev.setFaults({ latencyMs: 300 });
    const first = await checkout(handle, eventFor());
    const second = eventFor();
    await handle({ event: second, resolve: () => new Response('ok') });

    // A per-request client would have nothing to flush here; the shared queue waits for the first.
    const result = await second.locals.datafast.flush(5_000);
    expect(result).toEqual({ settled: true, pending: 0 });
    expect(dev.payments().map((p) => p.transaction_id)).toContain(first.transactionId);
  });

  it('answers the request and reports to onError when the client is misconfigured', async () => {
    const errors: DatafastError[] = [];
    const handle = datafast({ apiKey: '', onError: (error) => errors.push(error) });
    const { response } = await checkout(
      handle,
      eventFor({ cookie: `datafast_visitor_id=${visitor}` }),
    );
    expect(response.status).toBe(200);
    expect(errors.map((error) => error.code)).toEqual(['config_error']);
  });
});

describe('getDatafast(event)', () => {
  it("returns the handle's locals.datafast when the handle ran", async () => {
    const handle = datafast(clientOptions());
    const event = eventFor({ cookie: `datafast_visitor_id=${visitor}` });
    await handle({ event, resolve: () => new Response('ok') });
    expect(getDatafast(event)).toBe(event.locals.datafast);
  });

  it("binds the visitor through the handle's client, and hands reports to the platform's waitUntil, where the handle did not run", async () => {
    const handle = datafast(clientOptions());
    const ctx = new ExecutionContext();
    const event = eventFor({ cookie: `datafast_visitor_id=${visitor}`, platform: { ctx } });
    const bound = getDatafast(event, handle);
    expect(bound.visitorId).toBe(visitor);
    const transactionId = `ch_get_${Date.now()}`;
    bound.track({ amount: 9, currency: 'USD', transaction_id: transactionId });
    expect(ctx.promises).toHaveLength(1);
    await Promise.all(ctx.promises);
    expect(dev.payments()).toContainEqual(
      expect.objectContaining({ transaction_id: transactionId, datafast_visitor_id: visitor }),
    );
  });
});

describe('datafastHandle (deprecated name of datafast)', () => {
  it('still binds locals.datafast, with the client on the handle', async () => {
    const handle = datafastHandle(clientOptions());
    const event = eventFor({ cookie: `datafast_visitor_id=${visitor}` });
    await handle({ event, resolve: () => new Response('ok') });
    expect(event.locals.datafast.visitorId).toBe(visitor);
    expect(getDatafast(eventFor(), handle).visitorId).toBeUndefined();
  });
});
