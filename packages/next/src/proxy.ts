import {
  type ClientIpOption,
  clientIpResolver,
  createTrackerProxy,
  type TrackerProxyOptions,
} from '@datafast-checkout/core/proxy';

/** Options of {@link datafastProxy} and {@link datafastProxyRoute}. */
export interface NextTrackerProxyOptions extends TrackerProxyOptions {
  /**
   * Where the visitor's IP (sent to DataFast as `x-datafast-real-ip`) is read, never from what
   * the visitor can write. Default: on Vercel `x-real-ip` (as `@vercel/functions`' `ipAddress()`),
   * on Netlify its context's `ip`, in a Cloudflare Worker `cf-connecting-ip`; elsewhere (a
   * `next start`, which keeps whatever `X-Forwarded-For` the visitor sent) none, said once in
   * the log. Behind proxies of your own: `{ trustedProxies: 1 }` (one nginx appending to
   * `X-Forwarded-For`: its entry is read, those left of it are not), `{ header: 'x-real-ip' }`
   * (a header it sets), a platform by name, `'none'`, or your own function.
   */
  clientIp?: ClientIpOption;
}
/**
 * Serves DataFast's tracking script and forwards its events from your own origin, for Next's
 * `proxy.ts` (Next 16's name for what was `middleware.ts`): it answers `/js/script.js` and
 * `/api/events` and resolves `undefined` for every other request, which lets it through. Keep
 * the `matcher` to those two paths (Next reads it statically, so write it out). Point the tag at
 * the same origin: `<script defer data-website-id="…" src="/js/script.js"></script>`.
 *
 * @example
 * export default datafastProxy() // proxy.ts, with export const config = { matcher: ['/js/script.js', '/api/events'] }
 */
export function datafastProxy(
  options: NextTrackerProxyOptions = {},
): (request: Request) => Promise<Response | undefined> {
  const proxy = createTrackerProxy(options);
  const clientIp = clientIpResolver(options.clientIp, (message) => console.warn(message));
  return (request) =>
    proxy.matches(new URL(request.url).pathname)
      ? proxy.handle(request, { clientIp: clientIp(request) })
      : Promise.resolve(undefined);
}

/**
 * The same proxy as route handlers, for apps without a `proxy.ts`: put them at
 * `app/js/script.js/route.ts` and `app/api/events/route.ts` (or the paths you configure).
 *
 * @example
 * export const { GET, HEAD, POST } = datafastProxyRoute() // app/api/events/route.ts
 */
export function datafastProxyRoute(options: NextTrackerProxyOptions = {}): {
  GET: (request: Request) => Promise<Response>;
  HEAD: (request: Request) => Promise<Response>;
  POST: (request: Request) => Promise<Response>;
} {
  const handle = datafastProxy(options);
  const route = async (request: Request) =>
    (await handle(request)) ??
    Response.json(
      { error: `not a tracker proxy path: ${new URL(request.url).pathname}` },
      { status: 404 },
    );
  return { GET: route, HEAD: route, POST: route };
}
