import { createTrackerProxy, type TrackerProxyOptions } from '@datafast-checkout/core/proxy';

/** Options of {@link datafastProxy} and {@link datafastProxyRoute}. */
export interface NextTrackerProxyOptions extends TrackerProxyOptions {
  /**
   * The visitor's IP, sent to DataFast as `x-datafast-real-ip`. Default: `x-real-ip`, else the
   * first `x-forwarded-for` entry, as Vercel and most proxies set them. On a self-hosted
   * `next start` reached directly, those headers come from the visitor: return what your own
   * proxy sets instead.
   */
  clientIp?: (request: Request) => string | undefined;
}

/** The visitor address the platform in front of Next reports. */
function platformClientIp(request: Request): string | undefined {
  const real = request.headers.get('x-real-ip')?.trim();
  if (real) return real;
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined;
}

/**
 * Serves DataFast's tracking script and forwards its events from your own origin, for Next's
 * `proxy.ts` (Next 16) or `middleware.ts` (earlier): it answers `/js/script.js` and
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
  const clientIp = options.clientIp ?? platformClientIp;
  return (request) => proxy.handle(request, { clientIp: clientIp(request) });
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
