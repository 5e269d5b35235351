import type { FlushResult } from './deliveries.js';
import type { DatafastError } from './errors.js';
import type { Outbox, SharedOutbox } from './outbox.js';
import type { DeleteFilter, PaymentInput } from './payload.js';
import type { RequestOptions } from './transport.js';
import type { CookieSource } from './visitor.js';

/** Hands a promise to the platform so that the work outlives the response (Vercel, Workers). */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** Where warnings and default error reports go. `console` unless you pass your own. */
export interface Logger {
  warn(message: string): void;
  error(message: string): void;
  /** Lines of the `debug` option; `warn` when absent. */
  debug?(message: string): void;
}

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

/** Options of {@link Datafast.drain}. */
export interface DrainOptions {
  /**
   * The time budget: no new attempt starts after it, and the call resolves once the attempts in
   * flight settle (each bounded by `timeoutMs`). Keep it below the platform's function limit
   * minus one `timeoutMs`. Default 10 000 ms.
   */
  timeMs?: number;
  /** At most this many reports attempted in this call. Default: as many as the budget allows. */
  limit?: number;
}

/**
 * What {@link Datafast.drain} did: every report it attempted is counted once, in `delivered`,
 * `retried` or `gaveUp`.
 */
export interface DrainResult {
  /** Confirmed by DataFast (a duplicate `transaction_id` included) and removed from the outbox. */
  delivered: number;
  /**
   * Failed transiently (network, timeout, 408, 429, 5xx): left in the outbox, due again after a
   * retry delay, for the next drain or any process of the shared outbox.
   */
  retried: number;
  /**
   * Refused for good (another 4xx, bad input) or older than `maxAgeMs`: removed from the outbox,
   * each one reported to `onError` with its payment.
   */
  gaveUp: number;
  /**
   * Reports this drain took from the outbox but had no time (or `limit`) left to attempt: they
   * are due again once their lease lapses. The next page is read as soon as one is handed out,
   * so it is not `0` when the budget ran out with more due (unless it ran out just as a page was
   * read empty); call again soon when it is not `0`.
   */
  remaining: number;
}

/** What `payments.create` resolves: the API's own answer. */
export interface CreatePaymentResult {
  message: string;
  transaction_id: string;
}

/** One entry of the `data` array that `payments.delete` resolves. */
export interface DeletePaymentResult {
  message: string;
  transaction_id?: string;
  datafast_visitor_id?: string;
  timeRange?: { start: string; end: string };
}

/** Options of `track`. */
export interface TrackOptions {
  /** Hand this delivery to the platform (overrides the client's `waitUntil`). */
  waitUntil?: WaitUntil;
}

/** A client bound to one visitor; what adapters put on `req.datafast` and friends. */
export interface BoundDatafast {
  /** The visitor these payments are attributed to, or `undefined` (unattributed). */
  readonly visitorId: string | undefined;
  /** {@link Datafast.track} with `datafast_visitor_id` filled in unless given. */
  track(input: PaymentInput, options?: TrackOptions): void;
  readonly payments: {
    /** {@link Datafast.payments.create} with `datafast_visitor_id` filled in unless given. */
    create(input: PaymentInput, options?: RequestOptions): Promise<CreatePaymentResult>;
  };
  /** {@link Datafast.flush} of the client this is bound from. */
  flush(timeoutMs?: number): Promise<FlushResult>;
}

/** The DataFast payments client. Create one per process with {@link createDatafast}. */
export interface Datafast {
  readonly payments: {
    /**
     * Validates and records a payment, retrying transient failures; resolves the API's answer
     * (a duplicate `transaction_id` is a success). Rejects with a `DatafastError`.
     *
     * @example
     * await datafast.payments.create({ amount: 29.99, currency: 'USD', transaction_id: 'pi_1' })
     */
    create(input: PaymentInput, options?: RequestOptions): Promise<CreatePaymentResult>;
    /**
     * Deletes payments by transaction, by visitor (optionally within `start`/`end`) or by range.
     *
     * @example
     * await datafast.payments.delete({ transaction_id: 'pi_1' })
     */
    delete(filter: DeleteFilter, options?: RequestOptions): Promise<DeletePaymentResult[]>;
  };
  /**
   * Reports a payment in the background: returns at once, never throws, never rejects. Failures
   * (after retries) reach `onError` with the payment, as does a payment tracked after
   * `shutdown` (`code: 'shut_down'`). Settles in `flush`.
   *
   * @example
   * datafast.track({ amount: 29.99, currency: 'USD', transaction_id: order.id })
   */
  track(input: PaymentInput, options?: TrackOptions): void;
  /**
   * Resolves when every background report has settled (stored by an asynchronous outbox,
   * then delivered or given up), reports tracked meanwhile included, or after `timeoutMs` (never
   * later) with what is left. It only waits: where the process stops, call {@link Datafast.shutdown}.
   *
   * @example
   * await datafast.flush(5000) // e.g. in a test, before reading what DataFast received
   */
  flush(timeoutMs?: number): Promise<FlushResult>;
  /**
   * A client bound to the visitor in a request's `datafast_visitor_id` cookie.
   *
   * @example
   * datafast.forRequest(request).track({ amount: 29.99, currency: 'USD', transaction_id: id })
   */
  forRequest(source: CookieSource, options?: TrackOptions): BoundDatafast;
  /**
   * A client bound to a visitor id you already have (an invalid id means unattributed). On the
   * bound client an explicit `datafast_visitor_id` that is a UUID wins, `null` means deliberately
   * unattributed, and anything else (`''`, a malformed value) falls back to the bound id.
   */
  forVisitor(visitorId: string | null | undefined, options?: TrackOptions): BoundDatafast;
  /**
   * Ends background delivery, where the process stops (a script's end, `SIGTERM`): stops the
   * client's timers, waits like `flush` (default 5 000 ms) for what is in flight (outbox writes
   * and deliveries, and reports tracked meanwhile), then gives up on what is left: each payment
   * goes to `onError` (`code: 'shutdown_timeout'`), or stays in the outbox that stored it, for
   * the next start. Resolves what it gave up. After it, nothing of the client keeps the process
   * alive, and `track` refuses a report to `onError` (`code: 'shut_down'`) with the payment;
   * `payments.create` still works. Called again while it waits (a second signal), it may only
   * shorten the wait, and resolves the same result.
   *
   * @example
   * await datafast.shutdown(5000) // at a script's end, or in a SIGTERM handler before exiting
   */
  shutdown(timeoutMs?: number): Promise<FlushResult>;
  /**
   * Delivers what is due in the outbox within a time budget, for a cron route (Vercel Cron, a
   * scheduled Worker, a Kubernetes CronJob) where no process stays alive to retry. With a
   * {@link SharedOutbox} it claims due reports page by page (a lease keeps every other process off
   * them) and attempts each once, `concurrency` at a time; with a plain outbox (the file outbox)
   * it attempts what that outbox lists; with none, what this process holds (like `flush`, but
   * one attempt each within the budget). Transient failures stay for later (`retried`); refusals
   * and reports past `maxAgeMs` go to `onError` (`gaveUp`). An unreachable outbox ends it early
   * with what it did (logged). Rejects only when the client is misconfigured
   * (`DatafastConfigError`) or an option is invalid (`DatafastValidationError`).
   *
   * @example
   * export async function GET() { return Response.json(await datafast.drain({ timeMs: 20_000 })) }
   */
  drain(options?: DrainOptions): Promise<DrainResult>;
  /** Background reports not yet settled: being stored in the outbox, waiting or being delivered. */
  readonly pending: number;
}
