import { readEnv } from '../env.js';
import type { ProviderApi } from '../provider-api.js';

/**
 * How this package reaches Creem's API: a charge's transaction and amount, a subscription's
 * earlier charges, the success page.
 */
export interface CreemApiOptions {
  /**
   * A Creem API key. Default: env `CREEM_API_KEY`. The key picks the host, as Creem's CLI does:
   * test-mode keys (`creem_test_…`) use `https://test-api.creem.io`, live keys
   * `https://api.creem.io`.
   */
  apiKey?: string;
  /** Another API host, such as a local stand-in in tests. */
  apiBase?: string;
}

/** Creem's API for these options, or `undefined` without an API key. */
export function creemApi(options: CreemApiOptions): ProviderApi | undefined {
  const apiKey = options.apiKey ?? readEnv('CREEM_API_KEY');
  if (!apiKey) return undefined;
  return {
    name: 'Creem API',
    base:
      options.apiBase ??
      (apiKey.startsWith('creem_test_') ? 'https://test-api.creem.io' : 'https://api.creem.io'),
    headers: { 'x-api-key': apiKey },
  };
}
