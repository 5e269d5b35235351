import {
  type Datafast,
  type DatafastClientOrOptions,
  resolveDatafast,
} from '@datafast-checkout/core';
import type { DatafastRequest } from './types.js';

/** The middleware `datafast()` returns, with the client it reports through. */
export interface DatafastMiddleware {
  (req: DatafastRequest, res: unknown, next: (error?: unknown) => void): void;
  /** The client behind every `req.datafast`: `flush` it on shutdown, or use it outside requests. */
  readonly client: Datafast;
}

/**
 * Express 4 and 5 middleware that puts a client bound to the visitor's `datafast_visitor_id`
 * cookie on `req.datafast`. Takes `createDatafast` options (default: the environment) or a client
 * you already have. Per request it only reads a cookie; `req.datafast.track` delivers in the
 * background, so the route never waits for DataFast.
 *
 * @example
 * app.use(datafast())
 */
export function datafast(clientOrOptions?: DatafastClientOrOptions): DatafastMiddleware {
  const client = resolveDatafast(clientOrOptions);
  const middleware = (req: DatafastRequest, _res: unknown, next: (error?: unknown) => void) => {
    // A cookie read and nothing else: cookie-parser's decoded value when it ran first, else the
    // raw header. A missing or malformed id binds no visitor (the report goes out unattributed).
    req.datafast = client.forRequest(req);
    next();
  };
  return Object.assign(middleware, { client });
}
