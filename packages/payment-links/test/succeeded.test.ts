import type { PaymentInput } from '@datafast-checkout/core';
import { otherVisitor, visitor } from '@datafast-checkout/testing';
import { describe, expect, it } from 'vitest';
import { onPaymentSucceeded } from '../src/index.js';
import { suiteDevServer } from './helpers/datafast.js';

const context = suiteDevServer();
const page = 'https://shop.example/thanks?order=ord_1';
const withCookie = (id: string) =>
  new Request(page, { headers: { cookie: `theme=dark; datafast_visitor_id=${id}` } });
const order: PaymentInput = { amount: 49, currency: 'EUR', transaction_id: 'paypal_ord_1' };
const thanks = (_request: Request, payment: PaymentInput | null) =>
  Response.json({ thanked: payment?.transaction_id ?? null });

describe('onPaymentSucceeded', () => {
  it('reports the payment with the cookie’s visitor and returns the handler’s answer without waiting', async () => {
    const handle = onPaymentSucceeded(() => order, thanks, { datafast: context.client });
    const response = await handle(withCookie(visitor));
    expect(await response.json()).toEqual({ thanked: 'paypal_ord_1' });
    const stored = await context.dev.waitForPayment('paypal_ord_1');
    expect(stored).toMatchObject({ amount: 49, currency: 'EUR', datafast_visitor_id: visitor });
  });

  it('records a reloaded page once (same transaction id)', async () => {
    const handle = onPaymentSucceeded(async () => order, thanks, { datafast: context.client });
    // Each load delivered before the next, so every reload really reaches DataFast (while one is
    // still pending, core does not even send the same id again).
    for (let i = 0; i < 3; i++) {
      await handle(withCookie(visitor));
      await context.client.flush(5000);
    }
    expect(context.dev.payments().map((p) => p.transaction_id)).toEqual(['paypal_ord_1']);
    expect(context.dev.stats().duplicates).toBe(2);
  });

  it('takes the visitor from the provider’s carrier, then an explicit valid id, then the cookie', async () => {
    const resolve = (payment: PaymentInput, carried?: string) =>
      onPaymentSucceeded(() => ({ payment, carriedVisitorId: carried }), undefined, {
        datafast: context.client,
      });
    const carried = await resolve(
      { ...order, datafast_visitor_id: otherVisitor },
      visitor,
    )(withCookie(otherVisitor));
    expect(carried?.datafast_visitor_id).toBe(visitor);
    const explicit = await resolve(
      { ...order, datafast_visitor_id: visitor },
      'not-a-uuid',
    )(withCookie(otherVisitor));
    expect(explicit?.datafast_visitor_id).toBe(visitor);
    const cookie = await resolve({ ...order, datafast_visitor_id: 'garbage' })(
      withCookie(otherVisitor),
    );
    expect(cookie?.datafast_visitor_id).toBe(otherVisitor);
    const unattributed = await resolve({ ...order, datafast_visitor_id: null })(
      withCookie(otherVisitor),
    );
    expect(unattributed?.datafast_visitor_id).toBeNull();
    const none = await resolve(order)(new Request(page));
    expect(none?.datafast_visitor_id).toBeUndefined();
  });

  it('reports nothing when the resolver returns null, and still runs the handler', async () => {
    const handle = onPaymentSucceeded(async () => null, thanks, { datafast: context.client });
    expect(await (await handle(withCookie(visitor))).json()).toEqual({ thanked: null });
    await context.client.flush(5000);
    expect(context.dev.requests()).toEqual([]);
  });

  it('keeps the page up when the resolver throws: onError gets the error, the handler gets null', async () => {
    const errors: unknown[] = [];
    const handle = onPaymentSucceeded(
      async () => {
        throw new Error('PayPal is down');
      },
      thanks,
      {
        datafast: context.client,
        onError: (error, request) => errors.push([String(error), request.url]),
      },
    );
    const response = await handle(withCookie(visitor));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ thanked: null });
    expect(errors).toEqual([['Error: PayPal is down', page]]);
  });

  it('hands the delivery to waitUntil (per request first, then the option)', async () => {
    const fromOption: Promise<unknown>[] = [];
    const fromRequest: Promise<unknown>[] = [];
    const handle = onPaymentSucceeded(() => order, thanks, {
      datafast: context.client,
      waitUntil: (promise) => fromOption.push(promise),
    });
    await handle(withCookie(visitor));
    // Delivered before the next load: while an id is still pending, core does not queue it again.
    await context.client.flush(5000);
    await handle(withCookie(visitor), {
      waitUntil: (promise: Promise<unknown>) => fromRequest.push(promise),
    });
    expect([fromOption.length, fromRequest.length]).toEqual([1, 1]);
    await Promise.all([...fromOption, ...fromRequest]);
    expect(context.dev.payments()).toHaveLength(1);
  });

  it('sends invalid input to the client’s onError, never into the page', async () => {
    const seen: string[] = [];
    const handle = onPaymentSucceeded(() => ({ ...order, amount: -1 }), thanks, {
      datafast: {
        apiKey: context.dev.apiKey,
        baseUrl: context.dev.url,
        onError: (error) => seen.push(error.code),
      },
    });
    expect((await handle(withCookie(visitor))).status).toBe(200);
    expect(seen).toEqual(['validation_error']);
  });
});
