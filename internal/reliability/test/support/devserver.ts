import {
  type DevServer,
  type DevServerOptions,
  startDevServer,
} from '@datafast-checkout/devserver';
import { capture } from './capture.js';
import { otherWebsiteId, secrets, websiteId } from './secrets.js';

/**
 * The suite's DataFast: a real devserver with two websites and tokens of every kind (see
 * secrets.ts), its log lines captured for the secret scan (unless `log` takes them).
 *
 * @example
 * const dev = await startDataFast('flaky-api', { faults: { failureRate: 0.3 } })
 */
export function startDataFast(
  source: string,
  options: Omit<DevServerOptions, 'websites' | 'tokens' | 'quiet'> = {},
): Promise<DevServer> {
  return startDevServer({
    websites: [
      { id: websiteId, domain: 'shop.example', apiKey: secrets.apiKey },
      { id: otherWebsiteId, domain: 'other.example', apiKey: secrets.otherSiteKey },
    ],
    tokens: [
      { token: secrets.token, permissions: ['payments:write'], websites: [websiteId] },
      { token: secrets.readOnlyToken, permissions: ['payments:read'], websites: '*' },
      { token: secrets.otherSiteToken, permissions: ['*'], websites: [otherWebsiteId] },
    ],
    quiet: false,
    log: (line) => capture(`devserver-${source}`, line),
    ...options,
  });
}

/** Transaction ids stored more than once (always empty on a correct devserver). */
export function storedTwice(dev: DevServer): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { transaction_id: id } of dev.payments()) {
    if (seen.has(id)) twice.add(id);
    seen.add(id);
  }
  return [...twice];
}

/** The stored transaction ids, sorted: compare with `[...ids].sort()`. */
export function storedIds(dev: DevServer): string[] {
  return dev
    .payments()
    .map((p) => p.transaction_id)
    .sort();
}
