import {
  type BoundDatafast,
  type Datafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
import { guardRequestProperty } from './request-property.js';
import type { DatafastRequest } from './types.js';

/** The middleware `datafast()` returns, with the client it reports through. */
export interface DatafastMiddleware {
  (req: DatafastRequest, res: unknown, next: (error?: unknown) => void): void;
  /** The client behind every `req.datafast`: `flush` it on shutdown, or use it outside requests. */
  readonly client: Datafast;
}

/**
 * Express 4 and 5 middleware that puts a client bound to the visitor's `datafast_visitor_id`
 * cookie on `req.datafast`. Mount it before the routes that use `req.datafast` (Express runs
 * middleware in order); reading `req.datafast` where it has not run throws an error that says
 * so. Takes `createDatafast` options (default: the environment) or a client you already have;
 * pass them once, at start-up, since each options object makes its own client. Per request it
 * only reads a cookie; `req.datafast.track` delivers in the background, so the route never waits
 * for DataFast.
 *
 * @example
 * app.use(datafast()) // before your routes
 */
export function datafast(clientOrOptions?: DatafastClientOrOptions): DatafastMiddleware {
  const client = resolveDatafast(clientOrOptions);
  guardRequestProperty();
  const middleware = (req: DatafastRequest, _res: unknown, next: (error?: unknown) => void) => {
    // A cookie read and nothing else: cookie-parser's decoded value when it ran first, else the
    // raw header. A missing or malformed id binds no visitor (the report goes out unattributed).
    req.datafast = client.forRequest(req);
    next();
  };
  return Object.assign(middleware, { client });
}

/**
 * The client bound to this request's visitor, whatever the mounting order: `req.datafast` when
 * the `datafast()` middleware has run for the request, else a client bound now through `source`
 * (that middleware, a client, or `createDatafast` options; default the shared client configured
 * from the environment, the one `datafast()` with no arguments uses).
 *
 * @example
 * getDatafast(req).track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
 */
export function getDatafast(
  req: DatafastRequest,
  source?: DatafastClientOrOptions | DatafastMiddleware,
): BoundDatafast {
  // Own property only: the inherited accessor would throw where the middleware has not run.
  const bound = Object.hasOwn(req, 'datafast') ? req.datafast : undefined;
  if (bound) return bound;
  const client = typeof source === 'function' ? source.client : resolveDatafast(source);
  return client.forRequest(req);
}
