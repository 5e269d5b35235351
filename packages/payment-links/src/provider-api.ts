import { type Json, record } from './fields.js';
import type { PaymentResolver, ResolvedPayment } from './succeeded.js';
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

/** How {@link lookupResolver} finds a success page's payment. */
export interface LookupResolverOptions {
  /** The query parameters that may hold the provider's id (the first present wins), and what a real id looks like. */
  params: readonly string[];
  pattern: RegExp;
  /** The API, or `undefined` when no key is configured. */
  api: () => ProviderApi | undefined;
  /** Said when `api` gives none: `creemCheckout needs an API key: set CREEM_API_KEY or pass { apiKey }`. */
  missing: string;
  /** Reads what the id names (`null` when the API does not know it). */
  read(api: ProviderApi, id: string): Promise<Json | null>;
  /** The payment it is, or `null` when not paid. */
  map(found: Json): ResolvedPayment | null;
}

/**
 * A resolver for `onPaymentSucceeded` that reads the provider's id from the success URL, looks
 * it up with the provider's API and returns the payment, as every provider's success helper does.
 * A missing or malformed id costs no API call; an unknown id reports nothing.
 *
 * @example
 * lookupResolver({ params: ['payment_id'], pattern: /^pay_\w+$/, api, missing, read, map: paymentFromDodoPayment })
 */
export function lookupResolver(options: LookupResolverOptions): PaymentResolver {
  return async (request) => {
    const query = new URL(request.url).searchParams;
    const id = options.params.map((name) => query.get(name)).find((value) => value !== null);
    if (!id || !options.pattern.test(id)) return null;
    const api = options.api();
    if (!api) throw new Error(options.missing);
    const found = await options.read(api, id);
    return found ? options.map(found) : null;
  };
}
