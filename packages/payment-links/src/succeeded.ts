import type { DatafastClientOrOptions, PaymentInput, WaitUntil } from '@datafast-checkout/core';
import { attributePayment } from './attribution.js';
import { type WebsiteRouting, websiteRouter } from './websites.js';

/**
 * What a resolver returns for a paid request: the payment, or the payment with the visitor id
 * the provider carried through its checkout (which wins over the cookie) and the provider object
 * it was read from (`source`, where website routing looks for its field).
 *
 * @example
 * { payment: { amount: 29.99, currency: 'USD', transaction_id: order.id }, carriedVisitorId: order.custom.visitor, source: order }
 */
export type ResolvedPayment =
  | PaymentInput
  | { payment: PaymentInput; carriedVisitorId?: unknown; source?: unknown };

/**
 * Says what a success request paid for: a payment with a stable `transaction_id` (the
 * provider's own id, so a reload reports nothing new), or `null` when nothing was paid.
 *
 * @example
 * const resolve: PaymentResolver = async (request) => (await paypalOrder(request)) ?? null
 */
export type PaymentResolver = (
  request: Request,
) => ResolvedPayment | null | undefined | Promise<ResolvedPayment | null | undefined>;

/**
 * Your success handler. It receives the payment as reported (visitor included), or `null` when
 * nothing was paid or the resolver failed.
 *
 * @example
 * const page: SuccessHandler = (request, payment) => new Response(payment ? 'Thanks!' : 'No payment found')
 */
export type SuccessHandler<R = Response> = (
  request: Request,
  payment: PaymentInput | null,
) => R | Promise<R>;

/** Per-request context: a `waitUntil` for this request only (e.g. SvelteKit's `platform.ctx`). */
export interface SuccessContext {
  waitUntil?: WaitUntil;
}

/** Options of {@link onPaymentSucceeded}. */
export interface OnPaymentSucceededOptions {
  /** A DataFast client or `createDatafast` options. Default: the shared client from the environment. */
  datafast?: DatafastClientOrOptions;
  /**
   * One provider account selling for several DataFast websites: report each payment to the
   * website its route names, as the webhooks do. A field route is looked for in what the
   * resolver read (`source`: the Checkout Session, order, transaction...). Payments that name
   * none go to `datafast`.
   */
  websites?: WebsiteRouting;
  /**
   * Keeps the report alive after the response on serverless hosts: Next's `after`, Vercel's
   * `waitUntil`, a Worker's `ctx.waitUntil`. Default: the client's own background queue.
   */
  waitUntil?: WaitUntil;
  /**
   * The resolver threw (the provider's API was down or slower than its cap, a bug): the handler
   * still runs, with `payment: null`, so the customer still sees their page. Also a website route
   * that failed (the page shows the payment, which goes unreported here). Default: `console.error`.
   */
  onError?: (error: unknown, request: Request) => void;
}

/** The function `onPaymentSucceeded` returns: a Web handler (the second argument is optional). */
export type PaymentSucceededHandler<R> = (request: Request, context?: unknown) => Promise<R>;

/**
 * Wraps a success page or route: `resolvePayment` says what the request paid for, the payment
 * is reported to DataFast with the visitor (the provider's carrier, an explicit valid
 * `datafast_visitor_id`, else the `datafast_visitor_id` cookie), and your handler's answer is
 * returned without waiting for DataFast. A reload reports the same `transaction_id`, which
 * DataFast records once. A resolver that throws never breaks the page: the error goes to
 * `onError` and the handler runs with `null`. Without a handler, the reported payment is
 * returned (handy in a SvelteKit `load`).
 *
 * @example
 * export const GET = onPaymentSucceeded(async (request) => paidOrder(request), (request, payment) => render(payment))
 */
export function onPaymentSucceeded(
  resolvePayment: PaymentResolver,
  handler?: undefined,
  options?: OnPaymentSucceededOptions,
): PaymentSucceededHandler<PaymentInput | null>;
export function onPaymentSucceeded<R>(
  resolvePayment: PaymentResolver,
  handler: SuccessHandler<R>,
  options?: OnPaymentSucceededOptions,
): PaymentSucceededHandler<R>;
export function onPaymentSucceeded<R>(
  resolvePayment: PaymentResolver,
  handler?: SuccessHandler<R>,
  options: OnPaymentSucceededOptions = {},
): PaymentSucceededHandler<R | PaymentInput | null> {
  const route = websiteRouter(options.datafast, options.websites);
  const onError = options.onError ?? logResolverError;
  const report = (error: unknown, request: Request) => {
    try {
      onError(error, request);
    } catch {
      // A failing error reporter must not take the customer's page down either.
    }
  };
  return async (request, context) => {
    let payment: PaymentInput | null = null;
    let source: unknown;
    try {
      const resolved = await resolvePayment(request);
      if (resolved) {
        const { payment: input, carriedVisitorId } =
          'payment' in resolved ? resolved : { payment: resolved, carriedVisitorId: undefined };
        source = 'payment' in resolved ? resolved.source : undefined;
        payment = attributePayment(input, { carried: carriedVisitorId, request });
      }
    } catch (error) {
      payment = null;
      report(error, request);
    }
    if (payment) {
      try {
        const { client } = await route({ payment, source });
        // `track` validates, never throws and never waits: bad input reaches the client's onError.
        client.track(payment, { waitUntil: waitUntilOf(context) ?? options.waitUntil });
      } catch (error) {
        report(error, request);
      }
    }
    return handler ? handler(request, payment) : payment;
  };
}

function waitUntilOf(context: unknown): WaitUntil | undefined {
  const waitUntil = (context as SuccessContext | undefined)?.waitUntil;
  return typeof waitUntil === 'function' ? waitUntil : undefined;
}

function logResolverError(error: unknown, request: Request): void {
  const path = new URL(request.url).pathname;
  console.error(
    `[datafast-checkout] onPaymentSucceeded (${path}): the payment was not reported here: ${
      error instanceof Error ? error.message : String(error)
    }`,
  );
}
