import { IncomingMessage } from 'node:http';
import { DatafastConfigError } from '@datafast-checkout/core';

const notMounted =
  'req.datafast is not set: the datafast() middleware has not run for this request. ' +
  'Mount app.use(datafast()) before the routes that use req.datafast, ' +
  'or get the client with getDatafast(req) in the route';

/**
 * Makes `req.datafast` on a request the middleware has not seen throw a `DatafastConfigError`
 * that names the fix, instead of reading `undefined`: a TypeError far from its cause which, in an
 * Express 4 async route, ends the process with no hint about the mounting order. Defined once,
 * on `http.IncomingMessage.prototype` (every Express 4 and 5 request inherits from it, whichever
 * copy of Express serves it), as a non-enumerable accessor: enumeration, `util.inspect` and
 * `JSON.stringify` of a request do not see it, and assigning `req.datafast` (as the middleware
 * does) makes an ordinary own property. It throws only for a request Express is serving: every
 * other `IncomingMessage` (the response of an outgoing `http.get`, a plain `http` server's
 * request, a WebSocket upgrade) reads `undefined`, as it did before this package was loaded. A
 * property someone else already defined there is left alone.
 *
 * @example
 * guardRequestProperty() // then, without the middleware: req.datafast throws "mount app.use(datafast()) before…"
 */
export function guardRequestProperty(): void {
  const prototype = IncomingMessage.prototype;
  if (Object.getOwnPropertyDescriptor(prototype, 'datafast')) return;
  Object.defineProperty(prototype, 'datafast', {
    configurable: true,
    enumerable: false,
    get(this: IncomingMessage): undefined {
      if (servedByExpress(this)) throw new DatafastConfigError(notMounted);
      return undefined;
    },
    set(this: object, value: unknown) {
      Object.defineProperty(this, 'datafast', {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
  });
}

/**
 * True for a request an Express 4 or 5 app is handling: Express gives each one its app's request
 * prototype, which carries `app` (the application, a function with `handle`). Nothing else that
 * is an `IncomingMessage` has one.
 */
function servedByExpress(message: IncomingMessage): boolean {
  const app = (message as { app?: unknown }).app;
  return typeof app === 'function' && typeof (app as { handle?: unknown }).handle === 'function';
}
