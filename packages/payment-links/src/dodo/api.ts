import { readEnv } from '../env.js';
import type { ProviderApi } from '../provider-api.js';

/** How this package reaches Dodo Payments' API (a refund's visitor, the success page). */
export interface DodoApiOptions {
  /** A Dodo Payments API key. Default: env `DODO_PAYMENTS_API_KEY` (the SDK's name). */
  apiKey?: string;
  /** `'test_mode'` for test keys. Default: env `DODO_PAYMENTS_ENVIRONMENT`, else `'live_mode'`. */
  environment?: 'live_mode' | 'test_mode';
  /** Another API host, such as a local stand-in in tests. */
  apiBase?: string;
}

/** Dodo's API for these options, or `undefined` without an API key. */
export function dodoApi(options: DodoApiOptions): ProviderApi | undefined {
  const apiKey = options.apiKey ?? readEnv('DODO_PAYMENTS_API_KEY');
  if (!apiKey) return undefined;
  const environment = options.environment ?? readEnv('DODO_PAYMENTS_ENVIRONMENT');
  return {
    name: 'Dodo Payments API',
    base:
      options.apiBase ??
      (environment === 'test_mode'
        ? 'https://test.dodopayments.com'
        : 'https://live.dodopayments.com'),
    headers: { authorization: `Bearer ${apiKey}` },
  };
}
