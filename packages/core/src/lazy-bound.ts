// A request-bound client that reads the request only when the route reports: most requests
// through an adapter's middleware never track, and on Hono or Fastify (whose bare request costs
// 70-80 µs) reading the cookie, and Hono's `c.executionCtx` (a throw on Node), per request was
// several percent of every request.
import type { BoundDatafast } from './types.js';

/**
 * A {@link BoundDatafast} that calls `bind` on its first use (`visitorId`, `track`, `payments`,
 * `flush`) and answers every use with what it returned, so that a middleware can set one on every
 * request and pay for the cookie only on the requests that report. Call it within the request:
 * `bind` reads the request then. Its methods may be detached (`const { track } = …`), as a
 * `forRequest` client's can.
 *
 * @example
 * c.set('datafast', bindLazily(() => client.forRequest(c.req.raw)))
 */
export function bindLazily(bind: () => BoundDatafast): BoundDatafast {
  return new LazyBoundDatafast(bind);
}

// A class, not an object literal with getters: one object per request, with its accessors on
// the prototype (a literal with getters cost about twice as much to make, on Node 20). Each
// accessor answers what the bound client holds, whose methods are arrows: usable detached.
class LazyBoundDatafast implements BoundDatafast {
  readonly #bind: () => BoundDatafast;
  #bound: BoundDatafast | undefined;

  constructor(bind: () => BoundDatafast) {
    this.#bind = bind;
  }

  #use(): BoundDatafast {
    this.#bound ??= this.#bind();
    return this.#bound;
  }

  get visitorId(): string | undefined {
    return this.#use().visitorId;
  }

  get track(): BoundDatafast['track'] {
    return this.#use().track;
  }

  get payments(): BoundDatafast['payments'] {
    return this.#use().payments;
  }

  get flush(): BoundDatafast['flush'] {
    return this.#use().flush;
  }
}
