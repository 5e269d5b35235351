import { createTrackerProxy, type TrackerProxyOptions } from '@datafast-checkout/core/proxy';
import type { Handle, RequestEvent } from '@sveltejs/kit';

/**
 * A SvelteKit `handle` that serves DataFast's tracking script and forwards its events from your
 * own origin (`/js/script.js` and `/api/events` by default), so ad blockers that block datafa.st
 * do not cost the visitor's attribution; every other request goes on to the next handle. The
 * visitor's IP is `event.getClientAddress()`. Put it first in `sequence()`. An invalid option
 * throws here, when `hooks.server.ts` is loaded, never on each request.
 *
 * @example
 * export const handle = sequence(datafastProxy(), datafast()) // src/hooks.server.ts
 */
export function datafastProxy(options: TrackerProxyOptions = {}): Handle {
  const answer = trackerProxyAnswer(options);
  return async ({ event, resolve }) => (await answer(event)) ?? resolve(event);
}

/**
 * The tracker proxy alone, as its own handle.
 *
 * @deprecated Renamed {@link datafastProxy}, the proxy's name in every adapter; this name keeps
 * working.
 * @example
 * export const handle = sequence(datafastProxyHandle(), datafast(client))
 */
export const datafastProxyHandle: (options?: TrackerProxyOptions) => Handle = datafastProxy;

/**
 * The proxy's answer for its own paths (with `getClientAddress()` as the visitor's IP), or
 * `undefined` for every other request. Options are checked now.
 *
 * @example
 * const answer = trackerProxyAnswer({ baseUrl }); const response = await answer(event)
 */
export function trackerProxyAnswer(
  options: TrackerProxyOptions,
): (event: RequestEvent) => Promise<Response | undefined> {
  const proxy = createTrackerProxy(options);
  return async (event) => {
    if (!proxy.matches(event.url.pathname)) return undefined;
    let clientIp: string | undefined;
    try {
      // adapter-node honours ADDRESS_HEADER/XFF_DEPTH here; prerendering has no client and throws.
      clientIp = event.getClientAddress();
    } catch {
      clientIp = undefined;
    }
    return proxy.handle(event.request, { clientIp });
  };
}
