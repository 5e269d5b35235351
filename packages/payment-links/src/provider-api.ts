import { type Json, record } from './fields.js';
import type { Deadline } from './webhook.js';

/**
 * A provider's REST API as the lookups here use it: a base URL and the auth header. Built by
 * each provider from its key (which also picks the test or live host where the key says it) and
 * an optional `apiBase` override, so tests and local stand-ins never reach the internet.
 */
export interface ProviderApi {
  /** Shown in messages: `Creem API`. Never the key. */
  name: string;
  base: string;
  headers: Record<string, string>;
  fetch?: typeof fetch;
}

// A success page waits for at most this long; a webhook uses what is left of its own budget.
const pageTimeoutMs = 8_000;

/**
 * GETs `path` (with `query`) and returns its JSON object, or `null` when the API answers 404
 * (an id from another account or mode). Any other failure throws an error that names the API
 * and the status, never the key.
 *
 * @example
 * const transaction = await getJson(api, '/v1/transactions', { transaction_id: id }, deadline)
 */
export async function getJson(
  api: ProviderApi,
  path: string,
  query: Record<string, string> = {},
  deadline?: Deadline,
): Promise<Json | null> {
  const url = new URL(path.replace(/^\//, ''), api.base.endsWith('/') ? api.base : `${api.base}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const timeoutMs = deadline ? deadline.remaining() : pageTimeoutMs;
  const request = (api.fetch ?? fetch)(url, {
    headers: { accept: 'application/json', ...api.headers },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const response = deadline ? await deadline.bound(request, `${api.name} lookup`) : await request;
  if (response.status === 404) return null;
  if (!response.ok)
    throw new Error(`${api.name} answered ${response.status} to GET ${url.pathname}`);
  const body = record(await response.json().catch(() => undefined));
  if (!body)
    throw new Error(
      `${api.name} answered GET ${url.pathname} with something other than a JSON object`,
    );
  return body;
}
