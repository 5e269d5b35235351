import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatafastError, PaymentInput } from '@datafast-checkout/core';
import type express from 'express';
import { type DatafastMiddleware, datafast } from '../../src/index.js';

export const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
export const otherVisitor = '5b6c7d8e-1f2a-4b3c-9d4e-5f6a7b8c9d0e';

/** Express 4 and 5 are driven through the same calls; the alias `express4` is Express 4.22. */
export type ExpressModule = typeof express;

export interface Shop {
  url: string;
  middleware: DatafastMiddleware;
  /** Every background failure the middleware's client reported, in order. */
  errors: Array<{ error: DatafastError; payment: PaymentInput | undefined }>;
  /** Resolves with the next `onError` call. */
  nextError(): Promise<{ error: DatafastError; payment: PaymentInput | undefined }>;
  close(): Promise<void>;
}

/**
 * A listening Express app shaped like a real checkout: the middleware mounted app-wide, a raw-body
 * webhook route, `express.json()`, then `POST /checkout` reporting with `req.datafast.track`
 * (`/checkout/awaited` with `payments.create`). The JSON body is the payment; the answer echoes
 * what the route saw.
 */
export async function startShop(
  expressModule: ExpressModule,
  options: {
    apiKey: string;
    baseUrl: string;
    before?: express.RequestHandler[];
    maxRetries?: number;
    timeoutMs?: number;
    maxAgeMs?: number;
  },
): Promise<Shop> {
  const errors: Shop['errors'] = [];
  const waiters: Array<(entry: Shop['errors'][number]) => void> = [];
  let consumed = 0;
  const middleware = datafast({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    maxRetries: options.maxRetries ?? 0,
    timeoutMs: options.timeoutMs,
    maxAgeMs: options.maxAgeMs,
    backoff: { initialDelayMs: 10, maxDelayMs: 50 },
    onError: (error, payment) => {
      const entry = { error, payment };
      errors.push(entry);
      const waiter = waiters.shift();
      if (waiter) {
        consumed++;
        waiter(entry);
      }
    },
  });

  const app = expressModule();
  for (const handler of options.before ?? []) app.use(handler);
  app.use(middleware);
  // The documented order: a webhook route that verifies raw bytes comes before the app-wide
  // JSON parser. It echoes the body it received, byte for byte.
  app.post('/webhooks/raw', expressModule.raw({ type: 'application/json' }), (req, res) => {
    res.type('application/octet-stream').send(req.body);
  });
  app.use(expressModule.json());
  app.post('/checkout', (req, res) => {
    req.datafast.track(req.body as PaymentInput);
    res.json({ visitorId: req.datafast.visitorId ?? null });
  });
  app.post('/checkout/awaited', async (req, res, next) => {
    try {
      res.json(await req.datafast.payments.create(req.body as PaymentInput));
    } catch (error) {
      next(error);
    }
  });

  const server = createServer(app as RequestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    middleware,
    errors,
    nextError: () =>
      consumed < errors.length
        ? Promise.resolve(errors[consumed++] as Shop['errors'][number])
        : new Promise((resolve) => waiters.push(resolve)),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** POSTs a payment as the browser would: JSON body, optional `Cookie` header. */
export function checkout(
  url: string,
  payment: Record<string, unknown>,
  cookie?: string,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(payment),
  });
}
