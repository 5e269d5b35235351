import { readEnv } from '../env.js';
import type { ProviderApi } from '../provider-api.js';

/** How this package reaches Polar's API (the visitor of a refund, the success page). */
export interface PolarApiOptions {
  /** An organization access token (`orders:read`). Default: env `POLAR_ACCESS_TOKEN`. */
  accessToken?: string;
  /** `'sandbox'` for sandbox tokens. Default: env `POLAR_SERVER`, else `'production'`. */
  server?: 'production' | 'sandbox';
  /** Another API host, such as a local stand-in in tests. */
  apiBase?: string;
}

/** Polar's API for these options, or `undefined` without an access token. */
export function polarApi(options: PolarApiOptions): ProviderApi | undefined {
  const token = options.accessToken ?? readEnv('POLAR_ACCESS_TOKEN');
  if (!token) return undefined;
  const server = options.server ?? readEnv('POLAR_SERVER');
  return {
    name: 'Polar API',
    base:
      options.apiBase ??
      (server === 'sandbox' ? 'https://sandbox-api.polar.sh' : 'https://api.polar.sh'),
    headers: { authorization: `Bearer ${token}` },
  };
}
