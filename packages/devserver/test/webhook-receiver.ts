import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** A webhook request as an endpoint received it, verified with the `stripe` package. */
export interface Received {
  body: string;
  signature: string;
  contentType: string;
  /** The event `Stripe.webhooks.constructEventAsync` built from the raw body: proof of the signature. */
  event: Stripe.Event;
}

/**
 * A stand-in for an app's webhook endpoint on 127.0.0.1: it verifies each POST as an app does,
 * with the real `stripe` package and the endpoint's secret (401 and not kept when that fails),
 * and answers `status()` (200 by default) so tests can make it fail.
 */
export async function startWebhookReceiver(secret: string) {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = String(req.headers['stripe-signature'] ?? '');
      try {
        const event = await Stripe.webhooks.constructEventAsync(body, signature, secret);
        received.push({
          body,
          signature,
          contentType: String(req.headers['content-type']),
          event,
        });
        for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"received":true}');
      } catch (error) {
        res.writeHead(401).end(`bad signature: ${(error as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/stripe`;
  return {
    url,
    received,
    /** The types of the events received, in order. */
    types: () => received.map((r) => r.event.type),
    /** Resolves once `count` events have been received in all. */
    until: (count: number) =>
      new Promise<void>((resolve) => {
        if (received.length >= count) resolve();
        else waiters.push({ count, resolve });
      }),
    answer(next: number) {
      status = next;
    },
    clear() {
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
