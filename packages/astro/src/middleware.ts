import {
  type BoundDatafast,
  type Datafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
// Types only: nothing of Astro is imported at run time, so one build serves every adapter.
import type { APIContext, MiddlewareHandler } from 'astro';
import { runtimeWaitUntil } from './runtime-wait-until.js';

declare global {
  namespace App {
    interface Locals {
      /**
       * The DataFast client bound to this request's visitor (`datafast_visitor_id` cookie), set by
       * the `datafast()` middleware. An identical declaration in your own `env.d.ts` merges with
       * this one.
       */
      datafast: BoundDatafast;
    }
  }
}

/** The middleware `datafast()` returns, with the client it reports through. */
export type DatafastMiddleware = MiddlewareHandler & {
  /** The client behind every `locals.datafast`: `drain` it in a cron route, or use it outside requests. */
  readonly client: Datafast;
};

/**
 * Astro middleware that sets `context.locals.datafast` (`Astro.locals.datafast` in pages) to a
 * DataFast client bound to the visitor's `datafast_visitor_id` cookie. Reports made with `track`
 * are handed to the adapter's `waitUntil` where it has one (Cloudflare, Netlify; on Vercel, core
 * finds the function's request context), else to the `waitUntil` in the options, else delivered
 * by the client's own background queue (`@astrojs/node`: the process outlives the response).
 * Create it once, in `src/middleware.ts`: each call with a new options object makes a new
 * client. Composes with `sequence()`: a `locals.datafast` set earlier is kept. The tracker proxy
 * is its own middleware, `datafastProxy()`.
 *
 * @example
 * export const onRequest = datafast() // src/middleware.ts
 */
export function datafast(clientOrOptions?: DatafastClientOrOptions): DatafastMiddleware {
  // Resolved once, not per request: the client's queue and configuration outlive every request.
  const client = resolveDatafast(clientOrOptions);
  const middleware: MiddlewareHandler = (context, next) => {
    context.locals.datafast ??= bind(client, context);
    return next();
  };
  return Object.assign(middleware, { client });
}

/**
 * The client bound to this request's visitor: `context.locals.datafast` when the `datafast()`
 * middleware has run for the request, else a client bound now through `source` (that middleware,
 * a client, or `createDatafast` options; default the shared client configured from the
 * environment, the one `datafast()` with no arguments uses), handing its reports to the
 * adapter's `waitUntil` as the middleware does. Synchronous: the context carries the request.
 * Takes an endpoint's context or a page's `Astro` global alike.
 *
 * @example
 * getDatafast(context).track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
 */
export function getDatafast(
  context: Pick<APIContext, 'request' | 'locals'>,
  source?: DatafastClientOrOptions | DatafastMiddleware,
): BoundDatafast {
  const bound = (context.locals as { datafast?: BoundDatafast }).datafast;
  if (bound) return bound;
  const client = typeof source === 'function' ? source.client : resolveDatafast(source);
  return bind(client, context);
}

/** `client` bound to the Cookie header of the request, with the adapter's `waitUntil` if any. */
function bind(client: Datafast, context: Pick<APIContext, 'request' | 'locals'>): BoundDatafast {
  const waitUntil = runtimeWaitUntil(context.locals);
  return client.forRequest(context.request, waitUntil && { waitUntil });
}
