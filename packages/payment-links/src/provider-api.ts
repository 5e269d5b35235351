import type { PaymentInput } from '@datafast-checkout/core';
import type { Deadline } from './deadline.js';
import { ProviderLookupError, WebhookConfigError } from './errors.js';
import { type Json, record } from './fields.js';
import type { PaymentResolver, ResolvedPayment } from './succeeded.js';

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

/**
 * How long a success page waits for a provider's API (the Stripe session included) before it
 * renders without the payment, which the webhook reports anyway. A webhook uses what is left of
 * its own budget instead.
 */
export const SUCCESS_PAGE_LOOKUP_TIMEOUT_MS = 8_000;

/**
 * A provider API that answered an error status (`status` says which), or did not answer at all
 * (`status` 0: a dropped connection, a timeout). Never names the key.
 */
export class ProviderApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ProviderApiError';
  }
}

/**
 * What a failed lookup means for the payment it was for:
 * - `'absent'`: the API answered that the object does not exist (400, 404, 410, 422): looking
 *   again will not find it, so the payment goes out without what the lookup was for;
 * - `'config'`: the key is refused (401, 403): nothing works until it is fixed;
 * - `'transient'`: anything else (a timeout, a dropped connection, 408, 429, 5xx): the provider's
 *   redelivery, later, will most likely succeed.
 * Reads `status` (ours, `fetch`-style) or `statusCode` (stripe-node's errors).
 *
 * @example
 * lookupFailureKind(new ProviderApiError('Paddle API answered 429', 429)) // 'transient'
 */
export function lookupFailureKind(error: unknown): 'absent' | 'config' | 'transient' {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  if (code === 401 || code === 403) return 'config';
  if (code === 400 || code === 404 || code === 410 || code === 422) return 'absent';
  return 'transient';
}

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
  const timeoutMs = deadline ? deadline.remaining() : SUCCESS_PAGE_LOOKUP_TIMEOUT_MS;
  const request = (api.fetch ?? fetch)(url, {
    headers: { accept: 'application/json', ...api.headers },
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw unreachable(api, url, error);
  });
  const response = deadline ? await deadline.bound(request, `${api.name} lookup`) : await request;
  if (response.status === 404) return null;
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new ProviderApiError(
      `${api.name} answered ${response.status} to GET ${url.pathname}`,
      response.status,
    );
  }
  const body = record(await response.json().catch(() => undefined));
  if (!body)
    throw new Error(
      `${api.name} answered GET ${url.pathname} with something other than a JSON object`,
    );
  return body;
}

/**
 * A `fetch` that rejected (a dropped connection, a timeout) becomes an error of our own that
 * names the API, the path and the reason, without the original as its cause: a `fetch` wrapped by
 * an instrumentation or polyfill library may put the request's options, and so the key in its
 * headers, on what it throws. The message is kept, with every header value taken out of it.
 */
function unreachable(api: ProviderApi, url: URL, error: unknown): ProviderApiError {
  let reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  for (const header of Object.values(api.headers)) {
    for (const value of [header, header.replace(/^Bearer\s+/i, '')]) {
      if (value.length >= 8) reason = reason.split(value).join('[redacted]');
    }
  }
  return new ProviderApiError(`${api.name} did not answer GET ${url.pathname} (${reason})`, 0);
}

/**
 * The error a webhook throws for a lookup that failed other than "absent": a
 * {@link WebhookConfigError} for a refused key, a {@link ProviderLookupError} otherwise; both are
 * answered 503, so the provider redelivers the event.
 *
 * @example
 * getJson(api, path, {}, deadline).catch((error) => { throw lookupFailure(error, 'Creem webhook: reading tran_1') })
 */
export function lookupFailure(error: unknown, what: string, payment?: PaymentInput): Error {
  const reason = error instanceof Error ? error.message : String(error);
  if (lookupFailureKind(error) === 'config') {
    return new WebhookConfigError(
      `${what}: the API refused the key (answered 503 so it is redelivered once the key is fixed): ${reason}`,
    );
  }
  return new ProviderLookupError(
    `${what} failed (answered 503 so it is redelivered): ${reason}`,
    payment,
    { cause: error },
  );
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
  /** The payment it is, or `null` when not paid. What it was read from becomes its `source`. */
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
    const resolved = found && options.map(found);
    if (!resolved) return null;
    return 'payment' in resolved
      ? { ...resolved, source: found }
      : { payment: resolved, source: found };
  };
}
