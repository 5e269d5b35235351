import {
  type BoundDatafast,
  type Datafast,
  type DatafastClientOrOptions,
  resolveDatafast,
  VISITOR_COOKIE,
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
    req.datafast = bindToVisitor(client, req);
    next();
  };
  return Object.assign(middleware, { client });
}

function bindToVisitor(client: Datafast, req: DatafastRequest): BoundDatafast {
  // cookie-parser, when it ran first, has already decoded the cookie; otherwise core reads the
  // raw header. Either way a missing or malformed id binds no visitor: the report goes out
  // unattributed rather than failing.
  const parsed = req.cookies?.[VISITOR_COOKIE];
  if (typeof parsed === 'string') return client.forVisitor(parsed);
  const header = req.headers.cookie;
  return client.forRequest(typeof header === 'string' ? header : undefined);
}
