import { handleStripeApi, type StripeApiRequest } from '../stripe/api.js';
import { invoicePaymentObject } from '../stripe/objects.js';
import { StripeStore } from '../stripe/store.js';
import { listenOnLoopback } from './loopback.js';

/** One request the stand-in received. */
export type StripeStandInRequest = StripeApiRequest;

/**
 * A local stand-in for the Stripe API calls of a success page and a webhook, on 127.0.0.1, so
 * tests (and the examples' `STRIPE_API_BASE`) never reach the internet. Point a `stripe` client
 * at it with `new Stripe(key, standIn.clientOptions)`. Objects are whatever the test stores,
 * answered as stored, by the same API as the devserver's own Stripe stand-in (`dev.stripe`, which
 * also pays links and signs webhooks): retrieve by id, list newest first by field
 * (`?payment_intent=`, `?subscription=`, `?payment[payment_intent]=`) with Stripe's pagination
 * and `created` filters, `expand[]`.
 * Every request needs `Authorization: Bearer sk_test_…` (401 otherwise); unknown ids answer
 * Stripe's 404 envelope.
 */
export interface StripeStandIn {
  /** `http://127.0.0.1:<port>`: what the examples read as `STRIPE_API_BASE`. */
  readonly url: string;
  /** `{ host, port, protocol }` for `new Stripe(key, options)`. */
  readonly clientOptions: { host: string; port: number; protocol: 'http' };
  /** Stores (or replaces) a Checkout Session by its `id`. */
  addSession(session: { id: string } & Record<string, unknown>): void;
  /** Stores an invoice and the PaymentIntent that paid it (API 2025-03-31 invoice payments). */
  addInvoicePayment(paymentIntent: string, invoice: { id: string } & Record<string, unknown>): void;
  /** Stores (or replaces) any Stripe object by its `id`: an invoice, a refund, a dispute. */
  put(object: { id: string } & Record<string, unknown>): void;
  /** Every request received, oldest first. */
  readonly requests: StripeStandInRequest[];
  /** Answers the next `count` requests with a 500 (Stripe's API being down). */
  failNext(count: number): void;
  close(): Promise<void>;
}

/**
 * Starts a {@link StripeStandIn} on an ephemeral port.
 *
 * @example
 * const standIn = await startStripeStandIn(); const stripe = new Stripe('sk_test_1', standIn.clientOptions)
 */
export async function startStripeStandIn(): Promise<StripeStandIn> {
  const store = new StripeStore();
  const requests: StripeStandInRequest[] = [];
  let failures = 0;
  const server = await listenOnLoopback((req, res) =>
    handleStripeApi(
      {
        store,
        authorized: (key) => key.startsWith('sk_test_'),
        onRequest: (request) => requests.push(request),
        fail: () => failures > 0 && failures-- > 0,
      },
      req,
      res,
      new URL(req.url ?? '/', 'http://stand-in'),
    ),
  );
  return {
    url: server.url,
    clientOptions: { host: '127.0.0.1', port: server.port, protocol: 'http' },
    addSession: (session) => store.put(session),
    addInvoicePayment(paymentIntent, invoice) {
      store.put(invoice);
      store.put(
        invoicePaymentObject({
          id: `inpay_${paymentIntent}`,
          created: Number(invoice.created ?? 0),
          invoice: invoice.id,
          paymentIntent,
          amount: Number(invoice.amount_paid ?? 0),
          currency: String(invoice.currency ?? 'usd'),
        }),
      );
    },
    put: (object) => store.put(object),
    requests,
    failNext: (count) => {
      failures = count;
    },
    close: () => server.close(),
  };
}
