import {
  type ClientIpSource,
  clientIpResolver,
  createTrackerProxy,
  type TrackerProxyOptions,
} from '@datafast-checkout/core/proxy';
import type { APIContext, MiddlewareHandler } from 'astro';

/** What `datafastProxy`'s `clientIp` option takes: a core source, or a function of the context. */
export type AstroClientIpOption = ClientIpSource | ((context: APIContext) => string | undefined);

/** Options of {@link datafastProxy}: core's tracker proxy options, and where the visitor's IP is. */
export interface DatafastProxyOptions extends TrackerProxyOptions {
  /**
   * The visitor's IP, sent to DataFast so that visitors are not all placed at the server.
   * Default: env `DATAFAST_TRUSTED_PROXIES=<n>` (`X-Forwarded-For` with `n` proxies of yours in
   * front); else on Vercel, Netlify and Cloudflare the header their edge sets; else Astro's
   * `context.clientAddress` (on `@astrojs/node`, the connection's address, unless you set
   * `security.allowedDomains`: then Astro reads the leftmost `X-Forwarded-For` entry, which the
   * visitor writes when your proxy appends to it; name your proxies instead). A header the
   * visitor can write is otherwise read only when you say a proxy is trusted:
   * `{ trustedProxies: n }`, `{ header: 'x-real-ip' }`, `'cloudflare'`, `'vercel'`, `'netlify'`,
   * `'none'`, or a function of the context.
   */
  clientIp?: AstroClientIpOption;
}

/**
 * Astro middleware that serves DataFast's tracking script and forwards its events from your own
 * origin (`/js/script.js` and `/api/events` by default), so ad blockers that block datafa.st do
 * not cost the visitor's attribution; every other request goes on to the next middleware. Put it
 * first in `sequence()`. An invalid option throws here, when `src/middleware.ts` loads, never on
 * each request. Point the tag at the same origin:
 * `<script defer data-website-id="…" src="/js/script.js"></script>`.
 *
 * @example
 * export const onRequest = sequence(datafastProxy(), datafast()) // src/middleware.ts
 */
export function datafastProxy(options: DatafastProxyOptions = {}): MiddlewareHandler {
  const proxy = createTrackerProxy(options); // checks the options (core ignores clientIp)
  const clientIp = clientIpResolver(options.clientIp, (message) => console.warn(message), {
    request: (context: APIContext) => context.request,
    address: clientAddress,
    hint: 'This Astro adapter gives no context.clientAddress (nor do prerendered routes).',
  });
  return async (context, next) => {
    if (!proxy.matches(context.url.pathname)) return next();
    const response = await proxy.handle(context.request, { clientIp: clientIp(context) });
    return response ?? next();
  };
}

/** Astro's `clientAddress`, which throws where the adapter has none and on prerendered routes. */
function clientAddress(context: APIContext): string | undefined {
  try {
    const address = context.clientAddress;
    return typeof address === 'string' && address !== '' ? address : undefined;
  } catch {
    return undefined;
  }
}
