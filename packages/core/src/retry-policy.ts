// Apart from retry.ts, which delivery loads lazily: configuration reads the policy's defaults at
// the first call.
/** How failed attempts are retried. Every request, awaited or background, uses one policy. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). */
  maxRetries: number;
  /** Upper bound of the first backoff; doubled for each later one. */
  initialDelayMs: number;
  /** Upper bound of any computed backoff. */
  maxDelayMs: number;
  /** Upper bound of a server's `Retry-After`, so a bad header cannot stall delivery for hours. */
  maxRetryAfterMs: number;
}

/** The policy of a client that sets none (`createDatafast`'s TSDoc and the README state it). */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};
