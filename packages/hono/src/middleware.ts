import {
  type BoundDatafast,
  bindLazily,
  type Datafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
// Types only: nothing of Hono is imported at run time, so one build serves every runtime.
import type { Context, MiddlewareHandler } from 'hono';
import { executionWaitUntil } from './execution-context.js';

/**
 * The variables the `datafast()` middleware sets: declare them on your app so that
 * `c.get('datafast')` and `c.var.datafast` are typed in every route.
 *
 * @example
 * const app = new Hono<{ Variables: DatafastVariables }>()
 */
export type DatafastVariables = {
  /** The DataFast client bound to this request's visitor (`datafast_visitor_id` cookie). */
  datafast: BoundDatafast;
};

/** The middleware `datafast()` returns, with the client it reports through. */
export type DatafastMiddleware = MiddlewareHandler<{ Variables: DatafastVariables }> & {
  /** The client behind every `c.get('datafast')`: `drain` it in a cron route, or use it outside requests. */
  readonly client: Datafast;
};

/**
 * Hono middleware that sets `c.get('datafast')` to a DataFast client bound to the visitor's
 * `datafast_visitor_id` cookie. Reports made with `track` are handed to `c.executionCtx.waitUntil`
 * on Cloudflare Workers, else to the `waitUntil` in the options, else delivered by the client's
 * own background queue (Node, Bun, Deno: the process outlives the response). Call it once, at
 * start-up: each call with a new options object makes a new client. A `datafast` variable set by
 * an earlier middleware is kept. The tracker proxy is its own middleware, `datafastProxy()`.
 *
 * @example
 * app.use(datafast()) // before your routes
 */
export function datafast(clientOrOptions?: DatafastClientOrOptions): DatafastMiddleware {
  // Resolved once, not per request: the client's queue and configuration outlive every request.
  const client = resolveDatafast(clientOrOptions);
  // Not async (Hono awaits what it returns: one promise less), and the cookie is read only when
  // the route first uses the client, Hono's `c.executionCtx` only when it hands off a report.
  const middleware: MiddlewareHandler<{ Variables: DatafastVariables }> = (c, next) => {
    if (!c.get('datafast'))
      c.set(
        'datafast',
        bindLazily(() => bind(client, c)),
      );
    return next();
  };
  return Object.assign(middleware, { client });
}

/**
 * The client bound to this request's visitor: `c.get('datafast')` when the `datafast()`
 * middleware has run for the request, else a client bound now through `source` (that
 * middleware, a client, or `createDatafast` options; default the shared client configured from
 * the environment, the one `datafast()` with no arguments uses), handing its reports to Workers'
 * `waitUntil` as the middleware does. Synchronous: the context carries the request.
 *
 * @example
 * getDatafast(c).track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
 */
export function getDatafast(
  c: Context,
  source?: DatafastClientOrOptions | DatafastMiddleware,
): BoundDatafast {
  const bound = c.get('datafast') as BoundDatafast | undefined;
  if (bound) return bound;
  const client = typeof source === 'function' ? source.client : resolveDatafast(source);
  return bind(client, c);
}

/**
 * `client` bound to the Cookie header of `c`'s request, handing each report to the runtime's
 * `waitUntil` if any. Hono's `c.executionCtx` (a throw on Node) is read only at that hand-off,
 * in `track`: reading the visitor, or `payments.create`, never needs it.
 */
function bind(client: Datafast, c: Context): BoundDatafast {
  const bound = client.forRequest(c.req.raw);
  return {
    visitorId: bound.visitorId,
    payments: bound.payments,
    flush: bound.flush,
    track: (input, options) => {
      // The call's own waitUntil wins, as with a binding's.
      const waitUntil = options?.waitUntil ? undefined : executionWaitUntil(c);
      bound.track(input, waitUntil ? { ...options, waitUntil } : options);
    },
  };
}
