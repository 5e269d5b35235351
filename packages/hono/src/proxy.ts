import {
  type ClientIpSource,
  clientIpResolver,
  createTrackerProxy,
  type TrackerProxyOptions,
} from '@datafast-checkout/core/proxy';
import type { Context, MiddlewareHandler } from 'hono';

/** What `datafastProxy`'s `clientIp` option takes: a core source, or a function of the context. */
export type HonoClientIpOption = ClientIpSource | ((c: Context) => string | undefined);

/** Options of {@link datafastProxy}: core's tracker proxy options, and where the visitor's IP is. */
export interface DatafastProxyOptions extends TrackerProxyOptions {
  /**
   * The visitor's IP, sent to DataFast so that visitors are not all placed at the server.
   * Default: env `DATAFAST_TRUSTED_PROXIES=<n>` (`X-Forwarded-For` with `n` proxies of yours in
   * front); else on Cloudflare Workers `cf-connecting-ip` (Cloudflare's edge sets it); else on
   * Node (`@hono/node-server`) the connection's address; else none, with a warning. A header the
   * visitor can write (`X-Forwarded-For`) is read only when you say a proxy is trusted:
   * `{ trustedProxies: n }`, `{ header: 'x-real-ip' }`, `'cloudflare'`, `'vercel'`, `'netlify'`,
   * `'none'`, or a function of the context, e.g. `(c) => getConnInfo(c).remote.address`.
   */
  clientIp?: HonoClientIpOption;
}

/**
 * Hono middleware that serves DataFast's tracking script and forwards its events from your own
 * origin (`/js/script.js` and `/api/events` by default), so ad blockers that block datafa.st do
 * not cost the visitor's attribution; every other request goes on to the next handler. Mount it
 * before your routes. An invalid option throws here, at start-up, never on each request. Point
 * the tag at the same origin: `<script defer data-website-id="…" src="/js/script.js"></script>`.
 *
 * @example
 * app.use(datafastProxy())
 */
export function datafastProxy(options: DatafastProxyOptions = {}): MiddlewareHandler {
  const proxy = createTrackerProxy(options); // checks the options (core ignores clientIp)
  const clientIp = clientIpResolver(options.clientIp, (message) => console.warn(message), {
    request: (c: Context) => c.req.raw,
    address: connectionAddress,
    hint:
      'Where the runtime hands Hono no connection, pass it: datafastProxy({ clientIp: (c) => ' +
      "getConnInfo(c).remote.address }) with getConnInfo from 'hono/bun', 'hono/deno', ...",
  });
  return async (c, next) => {
    if (!proxy.matches(c.req.path)) return next();
    const response = await proxy.handle(c.req.raw, { clientIp: clientIp(c) });
    return response ?? next();
  };
}

/**
 * The connection's remote address as `@hono/node-server` hands it over (`c.env.incoming`, the
 * Node request, or under `c.env.server`: what its `getConnInfo` reads), read without importing it.
 */
function connectionAddress(c: Context): string | undefined {
  type NodeBindings = { incoming?: { socket?: { remoteAddress?: unknown } } };
  const env = c.env as (NodeBindings & { server?: NodeBindings }) | undefined;
  const address = (env?.server ?? env)?.incoming?.socket?.remoteAddress;
  return typeof address === 'string' ? address : undefined;
}
