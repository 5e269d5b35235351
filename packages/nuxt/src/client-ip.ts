import {
  type ClientIpSource,
  clientIpResolver,
  defaultClientIpSource,
} from '@datafast-checkout/core/proxy';
import { getRequestIP, type H3Event } from 'h3';

/** What `datafastProxy`'s `clientIp` option takes: a core source, or a function of the event. */
export type H3ClientIpOption = ClientIpSource | ((event: H3Event) => string | undefined);

/**
 * The function the proxy calls per request for the visitor's IP. Given an option, that; without
 * one: env `DATAFAST_TRUSTED_PROXIES`, else the platform's own source (Vercel, Netlify,
 * Cloudflare Workers), else h3's `getRequestIP(event)`: the connection's address, never a header
 * the visitor writes. h3's own `xForwardedFor: true` is not used for trusted proxies: it reads
 * the leftmost `X-Forwarded-For` entry, which the visitor writes whenever the proxy appends
 * (nginx's `$proxy_add_x_forwarded_for`, AWS ALB); `{ trustedProxies: n }` reads the entry the
 * `n`-th nearest proxy appended, as every adapter here does.
 *
 * @example
 * const clientIp = h3ClientIp(options.clientIp, console.warn); clientIp(event, request)
 */
export function h3ClientIp(
  option: H3ClientIpOption | undefined,
  warn: (message: string) => void,
): (event: H3Event, request: Request) => string | undefined {
  if (typeof option === 'function') return option;
  const source = option ?? defaultClientIpSource();
  if (source !== undefined) {
    const fromRequest = clientIpResolver(source, warn); // checks the option, at start
    return (_event, request) => fromRequest(request);
  }
  return (event) => getRequestIP(event);
}
