import {
  type ClientIpSource,
  clientIpResolver,
  createTrackerProxy,
  type TrackerProxyOptions,
} from '@datafast-checkout/core/proxy';
import {
  defineEventHandler,
  type EventHandler,
  getRequestIP,
  type H3Event,
  toWebRequest,
} from 'h3';

/** What `datafastProxy`'s `clientIp` option takes: a core source, or a function of the event. */
export type H3ClientIpOption = ClientIpSource | ((event: H3Event) => string | undefined);

/** Options of {@link datafastProxy}: core's tracker proxy options, and where the visitor's IP is. */
export interface DatafastProxyOptions extends TrackerProxyOptions {
  /**
   * The visitor's IP, sent to DataFast so that visitors are not all placed at the server.
   * Default: env `DATAFAST_TRUSTED_PROXIES=<n>` (`X-Forwarded-For` with `n` proxies of yours in
   * front); else the platform's own (Vercel, Netlify, Cloudflare Workers); else the connection's
   * address, h3's `getRequestIP(event)`. A header the visitor can write is read only when you say
   * a proxy is trusted: `{ trustedProxies: n }`, `{ header: 'x-real-ip' }`, `'cloudflare'`,
   * `'vercel'`, `'netlify'`, `'none'`, or a function of the event.
   */
  clientIp?: H3ClientIpOption;
}

/**
 * An h3 event handler for Nitro's server middleware that serves DataFast's tracking script and
 * forwards its events from your own origin (`/js/script.js` and `/api/events` by default), so ad
 * blockers that block datafa.st do not cost the visitor's attribution; every other request goes
 * on to your routes. An invalid option throws here, when the server starts, never on each
 * request. Point the tag at the same origin:
 * `<script defer data-website-id="…" src="/js/script.js"></script>`.
 *
 * @example
 * export default datafastProxy() // server/middleware/datafast-proxy.ts
 */
export function datafastProxy(options: DatafastProxyOptions = {}): EventHandler {
  const proxy = createTrackerProxy(options); // checks the options (core ignores clientIp)
  // h3's own `getRequestIP(event, { xForwardedFor: true })` is not used for trusted proxies: it
  // reads the leftmost X-Forwarded-For entry, which the visitor writes whenever the proxy
  // appends (nginx's `$proxy_add_x_forwarded_for`, AWS ALB); `{ trustedProxies: n }` reads the
  // entry the `n`-th nearest proxy appended. Without a source, the connection's address.
  const clientIp = clientIpResolver(options.clientIp, (message) => console.warn(message), {
    request: (event: H3Event) => event, // h3's event has the request's `headers`
    address: (event: H3Event) => getRequestIP(event),
  });
  return defineEventHandler(async (event) => {
    const query = event.path.indexOf('?');
    if (!proxy.matches(query === -1 ? event.path : event.path.slice(0, query))) return;
    const request = toWebRequest(event);
    // Both paths are the proxy's, so it answers; a Response returned is sent by h3.
    return proxy.handle(request, { clientIp: clientIp(event) });
  });
}
