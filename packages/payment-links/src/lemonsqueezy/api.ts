import { readEnv } from '../env.js';
import type { ProviderApi } from '../provider-api.js';

/**
 * How this package reaches LemonSqueezy's API: a refund's current total, a subscription's
 * invoices (the renewal rule), the success page.
 */
export interface LemonSqueezyApiOptions {
  /** A LemonSqueezy API key (test-mode keys read test-mode data). Default: env `LEMONSQUEEZY_API_KEY`. */
  apiKey?: string;
  /** Another API host, such as a local stand-in in tests. Default `https://api.lemonsqueezy.com`. */
  apiBase?: string;
}

/** LemonSqueezy's API for these options, or `undefined` without an API key. */
export function lemonSqueezyApi(options: LemonSqueezyApiOptions): ProviderApi | undefined {
  const apiKey = options.apiKey ?? readEnv('LEMONSQUEEZY_API_KEY');
  if (!apiKey) return undefined;
  return {
    name: 'LemonSqueezy API',
    base: options.apiBase ?? 'https://api.lemonsqueezy.com',
    headers: { authorization: `Bearer ${apiKey}`, accept: 'application/vnd.api+json' },
  };
}
