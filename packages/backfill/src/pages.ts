import {
  getJson,
  type Json,
  type ProviderApi,
  ProviderApiError,
} from '@datafast-checkout/payment-links/backfill';

/** How {@link readPage} waits and retries: a provider's rate limit, or a moment of downtime. */
export interface PageRetry {
  /** Attempts per page before the run stops (and can be resumed). Default 4. */
  attempts?: number;
  /** The wait before the first retry when the provider names none, in ms. Default 500. */
  baseDelayMs?: number;
  /** The longest wait honoured from `Retry-After`, in ms. Default 60 000. */
  maxDelayMs?: number;
}

/**
 * GETs one page of a provider's list endpoint as JSON, retrying a 429 (or 503) after its
 * `Retry-After` (seconds or an HTTP date, as RFC 9110 allows), else with exponential backoff, as
 * it retries any 5xx or dropped connection. Throws a `ProviderApiError` (never naming
 * the key) once the attempts are spent, or at once for any other error status.
 *
 * @example
 * const page = await readPage(api, '/v1/invoices', { limit: '100' })
 */
export async function readPage(
  api: ProviderApi,
  path: string,
  query: Record<string, string>,
  retry: PageRetry = {},
): Promise<Json> {
  const attempts = retry.attempts ?? 4;
  const base = retry.baseDelayMs ?? 500;
  const cap = retry.maxDelayMs ?? 60_000;
  let waitFor: number | undefined;
  const retryAfterFetch: typeof fetch = async (input, init) => {
    const response = await (api.fetch ?? fetch)(input, init);
    // A 503 may say when to come back too (RFC 9110, section 10.2.3).
    const says = response.status === 429 || response.status === 503;
    waitFor = says ? retryAfterMs(response.headers.get('retry-after')) : undefined;
    return response;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const body = await getJson({ ...api, fetch: retryAfterFetch }, path, query, {
        remaining: () => 30_000,
        bound: (work) => work,
      });
      // A list endpoint that answers 404 has nothing in the range (an API without that list).
      return body ?? {};
    } catch (error) {
      const status = error instanceof ProviderApiError ? error.status : -1;
      const retryable = status === 0 || status === 429 || status >= 500;
      if (!retryable || attempt >= attempts) throw error;
      const backoff = Math.min(cap, base * 2 ** (attempt - 1));
      await sleep(Math.min(cap, waitFor ?? backoff));
    }
  }
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `value` as an array of JSON objects (anything else in it left out). */
export function objects(value: unknown): Json[] {
  return Array.isArray(value)
    ? value.filter((item): item is Json => typeof item === 'object' && item !== null)
    : [];
}
