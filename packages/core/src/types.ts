import type { DeleteFilter } from './delete-filter.js';
import type { DrainOptions, DrainResult } from './drain-options.js';
import type { PaymentInput } from './payload.js';
import type { FlushResult } from './settling.js';
import type { RequestOptions } from './transport.js';
import type { CookieSource } from './visitor.js';
import type { WaitUntil } from './wait-until.js';

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
