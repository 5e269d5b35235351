import {
  createTrackerProxy,
  type TrackerProxy,
  type TrackerProxyOptions,
} from '@datafast-checkout/core/proxy';
import type { Handle, RequestEvent } from '@sveltejs/kit';

/**
 * The tracker proxy alone, as its own handle, for apps that pass `datafastHandle` a client:
 * `sequence(datafastProxyHandle(), datafastHandle(client))`. An invalid option throws here, when
 * `hooks.server.ts` is loaded, never on each request.
 *
 * @example
 * export const handle = sequence(datafastProxyHandle(), datafastHandle(client))
 */
export function datafastProxyHandle(options: TrackerProxyOptions = {}): Handle {
  const proxy = createTrackerProxy(options);
  return async ({ event, resolve }) => (await answerProxy(proxy, event)) ?? resolve(event);
}

/** The proxy's answer for its paths, with `getClientAddress()` as the visitor's IP. */
export async function answerProxy(
  proxy: TrackerProxy,
  event: RequestEvent,
): Promise<Response | undefined> {
  if (!proxy.matches(event.url.pathname)) return undefined;
  let clientIp: string | undefined;
  try {
    // adapter-node honours ADDRESS_HEADER/XFF_DEPTH here; prerendering has no client and throws.
    clientIp = event.getClientAddress();
  } catch {
    clientIp = undefined;
  }
  return proxy.handle(event.request, { clientIp });
}
