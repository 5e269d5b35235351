import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the stand-in received. */
export interface StripeStandInRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

/**
 * A local stand-in for the few Stripe API endpoints the payment-link helpers call, on
 * 127.0.0.1, so tests (and the examples' `STRIPE_API_BASE`) never reach the internet. Point a
 * `stripe` client at it with `new Stripe(key, standIn.clientOptions)`. Objects are whatever the
 * test stores, returned as stored. A fuller stand-in (hosted checkout, signed events) is planned
 * for the devserver.
 *
 * Endpoints: `GET /v1/checkout/sessions/:id`, `GET /v1/checkout/sessions?payment_intent=&subscription=`,
 * `GET /v1/invoice_payments?payment[payment_intent]=` (with `expand[]=data.invoice`). Every
 * request needs `Authorization: Bearer sk_test_…` (401 otherwise); unknown ids answer Stripe's
 * 404 envelope.
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
  /** Every request received, oldest first. */
  readonly requests: StripeStandInRequest[];
  /** Answers the next `count` requests with a 500 (Stripe's API being down). */
  failNext(count: number): void;
  close(): Promise<void>;
}

type StripeObject = Record<string, unknown>;

const idOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value;

/**
 * Starts a {@link StripeStandIn} on an ephemeral port.
 *
 * @example
 * const standIn = await startStripeStandIn(); const stripe = new Stripe('sk_test_1', standIn.clientOptions)
 */
export async function startStripeStandIn(): Promise<StripeStandIn> {
  const sessions = new Map<string, StripeObject>();
  const invoicePayments: Array<{ paymentIntent: string; invoice: StripeObject }> = [];
  const requests: StripeStandInRequest[] = [];
  const sockets = new Set<Socket>();
  let failures = 0;

  const list = (res: ServerResponse, path: string, data: unknown[]) =>
    send(res, 200, { object: 'list', data, has_more: false, url: path });

  function route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const query = Object.fromEntries(url.searchParams);
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, authorization });
    if (!authorization?.startsWith('Bearer sk_test_')) {
      sendError(res, 401, 'invalid_request_error', 'Invalid API Key provided');
      return;
    }
    if (failures > 0) {
      failures--;
      sendError(res, 500, 'api_error', 'stand-in failure (failNext)');
      return;
    }
    const limit = Number(query.limit ?? 10);
    if (req.method === 'GET' && url.pathname === '/v1/checkout/sessions') {
      const found = [...sessions.values()].filter(
        (session) =>
          (query.payment_intent === undefined ||
            idOf(session.payment_intent) === query.payment_intent) &&
          (query.subscription === undefined || idOf(session.subscription) === query.subscription),
      );
      list(res, url.pathname, found.slice(0, limit));
      return;
    }
    const sessionPath = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && sessionPath) {
      const session = sessions.get(decodeURIComponent(sessionPath[1] ?? ''));
      if (session) send(res, 200, session);
      else
        sendError(
          res,
          404,
          'invalid_request_error',
          `No such checkout.session: '${sessionPath[1]}'`,
          'resource_missing',
        );
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v1/invoice_payments') {
      const paymentIntent = query['payment[payment_intent]'];
      const expanded = Object.entries(query).some(
        ([key, value]) => key.startsWith('expand') && value === 'data.invoice',
      );
      const found = invoicePayments
        .filter((entry) => entry.paymentIntent === paymentIntent)
        .map((entry) => ({
          object: 'invoice_payment',
          id: `inpay_${entry.paymentIntent}`,
          invoice: expanded ? entry.invoice : entry.invoice.id,
          payment: { type: 'payment_intent', payment_intent: entry.paymentIntent },
          status: 'paid',
        }));
      list(res, url.pathname, found.slice(0, limit));
      return;
    }
    sendError(
      res,
      404,
      'invalid_request_error',
      `Unrecognized request URL (${req.method}: ${url.pathname})`,
    );
  }

  const server = createServer((req, res) => {
    // Stripe's GETs have no body; drain whatever came so the connection stays reusable.
    req.resume();
    req.on('end', () => route(req, res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    clientOptions: { host: '127.0.0.1', port, protocol: 'http' },
    addSession: (session) => void sessions.set(session.id, session),
    addInvoicePayment: (paymentIntent, invoice) =>
      void invoicePayments.push({ paymentIntent, invoice }),
    requests,
    failNext: (count) => {
      failures = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_stand_in' });
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  code?: string,
): void {
  send(res, status, { error: { type, message, ...(code ? { code } : {}) } });
}
