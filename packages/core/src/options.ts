import type { DatafastError } from './errors.js';
import type { Logger } from './log.js';
import type { Outbox, SharedOutbox } from './outbox.js';
import type { PaymentInput } from './payload.js';
import type { WaitUntil } from './wait-until.js';

/** Options of {@link createDatafast}. Every one is optional. */
export interface DatafastOptions {
  /** A `df_` website key or a `dft_` account token. Default: env `DATAFAST_API_KEY`. */
  apiKey?: string;
  /** Required with a `dft_` token. Default: env `DATAFAST_WEBSITE_ID`. */
  websiteId?: string;
  /**
   * Default: env `DATAFAST_BASE_URL`, else `https://datafa.st`. Must be HTTPS unless loopback (or
   * `allowHttp`), with no query, fragment or credentials.
   */
  baseUrl?: string;
  /**
   * Allow a plain-http `baseUrl` on a non-loopback host, such as a devserver in docker-compose or
   * CI (`http://devserver:4100`). Default: env `DATAFAST_ALLOW_HTTP` (`true`/`1`), else `false`.
   */
  allowHttp?: boolean;
  /** The `fetch` to use; default the global one, looked up at call time. */
  fetch?: typeof fetch;
  /** Per-attempt timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Backoff tuning: `initialDelayMs` (500), `maxDelayMs` (8 000), `maxRetryAfterMs` (60 000). */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /**
   * Called for every background (`track`) failure, with the payment, after retries: bad input,
   * an API error, the network, a full queue. Default: logged with `logger.error`.
   */
  onError?: (error: DatafastError, payment?: PaymentInput) => void;
  /** `false` turns every call into a no-op (input is still validated), said once in the log. */
  enabled?: boolean;
  /**
   * Background reports held in memory at most (running or waiting). Beyond it a report is dropped
   * to `onError` (`queue_full`), or, with an `outbox`, waits there for room. Default 10 000.
   */
  maxQueueSize?: number;
  /**
   * How long a report that keeps failing transiently (network, timeouts, 408, 429, 5xx) is
   * retried, in rounds with a growing pause, before it goes to `onError`. Default 15 minutes in
   * memory (a 10-minute DataFast outage loses nothing), 3 days with an `outbox`.
   */
  maxAgeMs?: number;
  /**
   * Durable storage for reports until DataFast confirms them, so a crash or deploy loses none:
   * `fileOutbox(dir)` from `@datafast-checkout/core/file-outbox` (one process per directory), or
   * your own (SQLite). For several processes or serverless functions, a {@link SharedOutbox}:
   * `postgresOutbox` from `@datafast-checkout/postgres`, `redisOutbox` from
   * `@datafast-checkout/redis`; reports are then claimed under a lease, and a cron route's
   * {@link Datafast.drain} delivers what no process stayed alive to retry.
   */
  outbox?: Outbox | SharedOutbox;
  /**
   * Background attempts in flight at once. A report waiting for its next attempt (a backoff,
   * a `Retry-After`) holds none; while DataFast answers 429, fewer are sent. Default 8.
   */
  concurrency?: number;
  /**
   * Receives every background delivery, so serverless platforms keep it alive (e.g.
   * `waitUntil` from `@vercel/functions`). Without it, Vercel's request context is detected by
   * itself; elsewhere the client's in-process queue delivers.
   */
  waitUntil?: WaitUntil;
  /** Default `console`. */
  logger?: Logger;
  /**
   * Log (at `logger.debug`) why each payment went out unattributed (no cookie, a malformed one,
   * an explicit `null`) and where its delivery went. Default: env `DATAFAST_DEBUG` (`1`/`true`).
   */
  debug?: boolean;
}
