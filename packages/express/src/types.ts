import type { BoundDatafast, NodeRequestLike } from '@datafast-checkout/core';

declare global {
  // Express's own types declare this global namespace for exactly this purpose: merging into it
  // types `req.datafast` in every app that imports this package, Express 4 or 5, with no user code.
  namespace Express {
    interface Request {
      /**
       * The DataFast client bound to this request's visitor, set by the `datafast()` middleware.
       *
       * @example
       * req.datafast.track({ amount: 29.99, currency: 'USD', transaction_id: charge.id })
       */
      datafast: BoundDatafast;
    }
  }
}

/**
 * The part of a request the middleware reads and writes. Structural, so the package needs no
 * Express types at runtime and any Express 4 or 5 `Request` fits.
 */
export interface DatafastRequest extends NodeRequestLike {
  datafast?: BoundDatafast;
}
