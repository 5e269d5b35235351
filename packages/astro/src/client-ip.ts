import {
  type ClientIpSource,
  clientIpResolver,
  defaultClientIpSource,
} from '@datafast-checkout/core/proxy';
import type { APIContext } from 'astro';

/** What `datafastProxy`'s `clientIp` option takes: a core source, or a function of the context. */
export type AstroClientIpOption = ClientIpSource | ((context: APIContext) => string | undefined);

/**
 * The function the proxy calls per request for the visitor's IP. Given an option, that; without
 * one: env `DATAFAST_TRUSTED_PROXIES`, else the platform's own source (Vercel, Netlify,
 * Cloudflare Workers, read by core), else Astro's `context.clientAddress` (the connection's
 * address on `@astrojs/node`), else none, said once through `warn`.
 *
 * @example
 * const clientIp = astroClientIp(options.clientIp, console.warn); clientIp(context)
 */
export function astroClientIp(
  option: AstroClientIpOption | undefined,
  warn: (message: string) => void,
): (context: APIContext) => string | undefined {
  if (typeof option === 'function') return option;
  const source = option ?? defaultClientIpSource();
  if (source !== undefined) {
    const fromRequest = clientIpResolver(source, warn); // checks the option, at start
    return (context) => fromRequest(context.request);
  }
  let warned = false;
  return (context) => {
    const address = clientAddress(context);
    if (address === undefined && !warned) {
      warned = true;
      warn(
        'datafast tracker proxy: this Astro adapter gives no clientAddress, so no visitor IP is ' +
          'sent and DataFast places visitors at this server. Behind proxies of your own, name ' +
          'them: datafastProxy({ clientIp: { trustedProxies: 1 } }) or DATAFAST_TRUSTED_PROXIES=1; ' +
          "clientIp: 'none' keeps this as is, silently.",
      );
    }
    return address;
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
