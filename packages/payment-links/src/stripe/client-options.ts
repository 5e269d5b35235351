import { readEnv } from '../env.js';

/** What `new Stripe(key, options)` takes to reach another API host. */
export interface StripeHostOptions {
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

/**
 * The `host`, `port` and `protocol` options of `new Stripe()` for an API base URL such as the
 * devserver's Stripe stand-in (`http://127.0.0.1:4100`): `stripe` takes the three separately,
 * never a URL. Without an argument it reads `STRIPE_API_BASE`; unset (or empty) it answers `{}`,
 * so the client talks to Stripe itself. Throws a `TypeError` for a base that is not an http(s)
 * URL, rather than letting the client call Stripe with a secret meant for a stand-in.
 *
 * @example
 * const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, stripeClientOptions());
 */
export function stripeClientOptions(
  apiBase: string | undefined = readEnv('STRIPE_API_BASE'),
): StripeHostOptions {
  if (!apiBase?.trim()) return {};
  let url: URL | undefined;
  try {
    url = new URL(apiBase.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`STRIPE_API_BASE must be an http(s) URL, such as http://127.0.0.1:4100`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}
