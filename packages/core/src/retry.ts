import { DatafastApiError, DatafastNetworkError } from './errors.js';
import type { RetryPolicy } from './retry-policy.js';

/**
 * Statuses worth another attempt: timeouts, rate limits and server errors. Other 4xx mean the
 * request itself is wrong and would fail the same way again. Retrying a POST is safe because
 * DataFast deduplicates on `transaction_id`.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Exponential backoff with full jitter: a random wait in `[0, min(maxDelay, initial * 2^retry))`,
 * so many clients that failed together do not retry together.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds (`"120"`) or an HTTP date. `undefined`
 * when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // An HTTP date always has letters (day and month names); this keeps '-5' from parsing as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** How long to wait before retry number `retry` (0-based), honouring `Retry-After` up to its cap. */
export function retryDelay(
  retry: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  const backoff = backoffDelay(retry, policy, random);
  if (retryAfterMs === undefined) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}

/** Network failures, timeouts, 408, 429 and 5xx: DataFast may take the report on a later round. */
export function isTransient(error: unknown): boolean {
  if (error instanceof DatafastNetworkError) return true;
  return (
    error instanceof DatafastApiError &&
    error.code === 'api_error' &&
    isRetryableStatus(error.status)
  );
}
