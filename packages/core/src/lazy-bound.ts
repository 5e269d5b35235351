// A request-bound client that reads the request only when the route reports: most requests
// through an adapter's middleware never track, and on Hono or Fastify (whose bare request costs
// 70-80 µs) reading the cookie, and Hono's `c.executionCtx` (a throw on Node), per request was
// several percent of every request.
import type { BoundDatafast } from './types.js';

/**
 * A {@link BoundDatafast} that calls `bind` on its first use (`visitorId`, `track`, `payments`,
 * `flush`) and forwards every use to what it returned, so that a middleware can set one on every
 * request and pay for the cookie only on the requests that report. Call it within the request:
 * `bind` reads the request then. Its methods may be detached (`const { track } = …`), as a
 * `forRequest` client's can.
 *
 * @example
 * c.set('datafast', bindLazily(() => client.forRequest(c.req.raw)))
 */
export function bindLazily(bind: () => BoundDatafast): BoundDatafast {
  let bound: BoundDatafast | undefined;
  const use = () => {
    bound ??= bind();
    return bound;
  };
  return {
    get visitorId() {
      return use().visitorId;
    },
    track: (input, options) => use().track(input, options),
    get payments() {
      return use().payments;
    },
    flush: (timeoutMs) => use().flush(timeoutMs),
  };
}
