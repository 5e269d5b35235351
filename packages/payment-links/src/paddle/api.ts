import { readEnv } from '../env.js';
import type { ProviderApi } from '../provider-api.js';

/** How this package reaches Paddle's API (a refund's visitor, the success page). */
export interface PaddleApiOptions {
  /**
   * A Paddle API key with `transaction.read`. Default: env `PADDLE_API_KEY`. Sandbox keys
   * (`pdl_sdbx_apikey_…`) use `sandbox-api.paddle.com`, others `api.paddle.com`.
   */
  apiKey?: string;
  /** Another API host: a local stand-in in tests, or the sandbox for a key older than May 2025. */
  apiBase?: string;
}

/** Paddle's API for these options, or `undefined` without an API key. */
export function paddleApi(options: PaddleApiOptions): ProviderApi | undefined {
  const apiKey = options.apiKey ?? readEnv('PADDLE_API_KEY');
  if (!apiKey) return undefined;
  return {
    name: 'Paddle API',
    base:
      options.apiBase ??
      (apiKey.includes('_sdbx_') ? 'https://sandbox-api.paddle.com' : 'https://api.paddle.com'),
    headers: { authorization: `Bearer ${apiKey}` },
  };
}
