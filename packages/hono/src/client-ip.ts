import {
  type ClientIpSource,
  clientIpResolver,
  defaultClientIpSource,
} from '@datafast-checkout/core/proxy';
import type { Context } from 'hono';

/** What `datafastProxy`'s `clientIp` option takes: a core source, or a function of the context. */
export type HonoClientIpOption = ClientIpSource | ((c: Context) => string | undefined);

/**
 * The function the proxy calls per request for the visitor's IP. Given an option, that; without
 * one: env `DATAFAST_TRUSTED_PROXIES`, else the platform's own source (`cf-connecting-ip` in a
 * Worker, set by Cloudflare), else the connection's address where the runtime hands it to Hono
 * (`@hono/node-server`), else none, said once through `warn`. Never a header the visitor writes.
 *
 * @example
 * const clientIp = honoClientIp(options.clientIp, console.warn); clientIp(c)
 */
export function honoClientIp(
  option: HonoClientIpOption | undefined,
  warn: (message: string) => void,
): (c: Context) => string | undefined {
  if (typeof option === 'function') return option;
  const source = option ?? defaultClientIpSource();
  if (source !== undefined) {
    const fromRequest = clientIpResolver(source, warn); // checks the option, at start
    return (c) => fromRequest(c.req.raw);
  }
  let warned = false;
  return (c) => {
    const address = connectionAddress(c);
    if (address === undefined && !warned) {
      warned = true;
      warn(
        "datafast tracker proxy: this runtime does not hand Hono the visitor's address, so none " +
          'is sent and DataFast places visitors at this server. Pass it: ' +
          "datafastProxy({ clientIp: (c) => getConnInfo(c).remote.address }) with getConnInfo from 'hono/bun', " +
          "'hono/deno', ...; behind proxies of your own, clientIp: { trustedProxies: 1 } or " +
          "DATAFAST_TRUSTED_PROXIES=1; clientIp: 'none' keeps this as is, silently.",
      );
    }
    return address;
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
