import type { ClientConfig } from './config.js';
import { type AttemptOutcome, DeliveryScheduler, unref } from './deliveries.js';
import { drainOptions, drainOutbox, drainPending } from './drain.js';
import { DatafastError, describeId, messageOf } from './errors.js';
import { createLeases, leaseMsFor } from './leases.js';
import {
  createdAtOf,
  isSharedOutbox,
  type Outbox,
  type OutboxEntry,
  type SharedOutbox,
} from './outbox.js';
import { buildPaymentBody, type PaymentBody, type PaymentInput } from './payload.js';
import { backoffDelay, isTransient } from './retry.js';
import { flushWithin, shutdownOnce, type Work } from './settling.js';
import { attemptRequest, prepareRequest } from './transport.js';
import type { DrainOptions, DrainResult, Logger, TrackOptions, WaitUntil } from './types.js';
import { vercelWaitUntil } from './wait-until.js';

/** What background delivery needs from the client that owns it. */
export interface BackgroundContext {
  outbox: Outbox | SharedOutbox | undefined;
  waitUntil: WaitUntil | undefined;
  /** The client's options, validated at the first call; throws while they are invalid. */
  config(): ClientConfig;
  report(error: unknown, payment: PaymentInput | undefined): void;
  warn(message: string): void;
  warnOnce(key: string, message: string): void;
  debug(message: () => string): void;
  logger: Logger;
}

const logPrefix = '[datafast-checkout]';
const outboxSweepMs = 60_000;

/** A report whose asynchronous outbox `put` has not settled yet. */
interface Storing {
  entry: OutboxEntry;
  payment: PaymentInput;
  /** Settles once the put has settled and the report is scheduled (or turned away); never rejects. */
  scheduled: Promise<void>;
}

/**
 * `track`'s half of the client: reports held in a bounded scheduler (and an optional durable
 * outbox) until DataFast confirms them, retried across outages, every loss reported. Its
 * lifecycle: open; then, from the first `shutdown`, closing (the outbox is no longer swept; the
 * work in hand, and reports tracked meanwhile, may finish within the bound); then closed (what
 * is left went to `onError` or stays in the outbox, no timer is left, and `track` is refused).
 */
export function createBackground(ctx: BackgroundContext) {
  const { outbox, logger } = ctx;
  // With a shared outbox every attempt is made under a lease (see SharedOutbox).
  const leases =
    outbox && isSharedOutbox(outbox)
      ? createLeases({
          outbox,
          leaseMs: () => leaseMsFor(ctx.config().transport.timeoutMs),
          engineTimeoutMs: () => ctx.config().transport.timeoutMs,
          logError: (message) => logger.error(`${logPrefix} ${message}`),
          debug: ctx.debug,
        })
      : undefined;
  let state: 'open' | 'closing' | 'closed' = 'open';
  let outboxBacklog = false;
  let recovering: Promise<void> | undefined;
  let scheduler: DeliveryScheduler | undefined;
  // Counted by `pending`, `flush` and `shutdown` like scheduled reports: they are in our hands.
  const storing = new Map<string, Storing>();
  // Reports the outbox failed to store: at shutdown these are lost, not left for the next start.
  const memoryOnly = new Set<string>();
  // Reports `drain` is attempting outside the scheduler: the scheduler leaves them alone.
  const draining = new Set<string>();
  // Outcomes of the scheduler's reports, for `drain` without an outbox.
  const settled = { delivered: 0, gaveUp: 0 };
  /** Whether attempts on this entry go through the shared outbox's leases. */
  const leased = (entry: OutboxEntry) => leases !== undefined && !memoryOnly.has(entry.id);

  /** The scheduler, made at the first report (the options are valid by then). */
  function deliveries(): DeliveryScheduler {
    if (scheduler) return scheduler;
    const config = ctx.config();
    const made = new DeliveryScheduler(config.maxQueueSize, config.concurrency, {
      attempt,
      delivered: (entry, attempts) => {
        settled.delivered += 1;
        forget(entry);
        ctx.debug(() => `payment ${describeId(entry.id)} delivered (attempt ${attempts})`);
        // Refill from the outbox once half the room is free: one page read per many deliveries.
        // A shared outbox's page is smaller (claims lapse), so it refills when that page is done.
        const refillAt = leases ? sharedPage(config.concurrency) : config.maxQueueSize / 2;
        if (outboxBacklog && made.pending <= refillAt) void recover();
      },
      gaveUp: (entry, payment, error) => {
        settled.gaveUp += 1;
        forget(entry);
        ctx.report(error, payment);
      },
      taken: (entry) => {
        memoryOnly.delete(entry.id);
        leases?.release(entry.id);
      },
      waiting: (entry, delayMs) => {
        if (leased(entry)) void leases?.waiting(entry, delayMs);
      },
      roundDelay,
      maxAgeMs: config.maxAgeMs,
      keepAlive: !outbox,
    });
    scheduler = made;
    return made;
  }

  // Between rounds while DataFast is down: from the longest backoff, doubling with each round
  // that found it down, to at most 5 minutes, half of it jitter. While it delivers others: the
  // backoff a further retry would have waited.
  function roundDelay(outageRounds: number): number {
    const policy = ctx.config().transport.retry;
    if (outageRounds === 0) return backoffDelay(policy.maxRetries, policy);
    const ceiling = Math.min(300_000, Math.max(policy.maxDelayMs, 1) * 2 ** (outageRounds - 1));
    return Math.floor(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  async function attempt(
    entry: OutboxEntry,
    number: number,
    signal: AbortSignal,
  ): Promise<AttemptOutcome> {
    try {
      if (leased(entry) && !(await leases?.beforeAttempt(entry))) return { kind: 'taken' };
      const request = prepareRequest(ctx.config().transport, 'POST', {}, entry.body);
      const result = await attemptRequest(request, number, signal);
      if (result.ok) return { kind: 'delivered' };
      const { error, retryInMs, retryAfterMs, rateLimited } = result;
      if (retryInMs !== undefined) return { kind: 'retry', delayMs: retryInMs, rateLimited };
      return isTransient(error)
        ? { kind: 'transient', error, rateLimited, retryAfterMs }
        : { kind: 'refused', error };
    } catch (error) {
      return { kind: 'refused', error };
    }
  }

  function forget(entry: OutboxEntry): void {
    memoryOnly.delete(entry.id);
    leases?.release(entry.id);
    if (!outbox) return;
    const failed = (error: unknown) =>
      logger.error(
        `${logPrefix} could not delete payment ${describeId(entry.id)} from the outbox: ${messageOf(error)}`,
      );
    try {
      const result = outbox.delete(entry.id);
      if (isPromiseLike(result)) Promise.resolve(result).then(undefined, failed);
    } catch (error) {
      failed(error);
    }
  }

  /** Stores (when there is an outbox) and schedules a validated report. */
  function enqueue(entry: OutboxEntry, payment: PaymentInput, options?: TrackOptions): void {
    // While shutdown waits, a report (a checkout finishing during a graceful stop) still gets
    // the time left; once it has ended, nothing would deliver it.
    if (state === 'closed') {
      ctx.report(
        new DatafastError(
          'shut_down',
          `payment ${describeId(entry.id)} was tracked after shutdown() and is not sent: the client no longer delivers`,
        ),
        payment,
      );
      return;
    }
    if (storing.has(entry.id) || deliveries().has(entry.id) || draining.has(entry.id)) {
      ctx.debug(() => `payment ${describeId(entry.id)} is already pending: it is delivered once`);
      return;
    }
    const stored = store(entry);
    if (typeof stored !== 'boolean') {
      // An asynchronous store: the report is durable once it resolves; delivery starts then.
      let firstRound: Promise<void> | undefined;
      const scheduled = stored
        .then((kept) => {
          if (storing.get(entry.id)?.scheduled !== scheduled) return; // given up at shutdown
          storing.delete(entry.id);
          firstRound = schedule(entry, payment, kept);
        })
        .catch((error: unknown) => {
          logger.error(
            `${logPrefix} could not schedule payment ${describeId(entry.id)}: ${messageOf(error)}`,
          );
        });
      storing.set(entry.id, { entry, payment, scheduled });
      handToWaitUntil(
        entry.id,
        scheduled.then(() => firstRound),
        options,
      );
      return;
    }
    const started = schedule(entry, payment, stored);
    if (started) handToWaitUntil(entry.id, started, options);
  }

  /** Hands a stored report to the scheduler; the promise of its first round, if it fits. */
  function schedule(
    entry: OutboxEntry,
    payment: PaymentInput,
    kept: boolean,
  ): Promise<void> | undefined {
    if (!kept && outbox) memoryOnly.add(entry.id);
    const started = deliveries().add(entry, payment);
    if (!started) refuse(entry, payment, kept);
    return started;
  }

  /** `true` once the outbox holds the entry, `false` without an outbox or when it failed. */
  function store(entry: OutboxEntry): boolean | Promise<boolean> {
    if (!outbox) return false;
    // A shared outbox resolves false when the id was already stored: it holds it all the same.
    if (leases) return leases.put(entry).then((stored) => stored !== 'failed');
    const failed = (error: unknown) => {
      logger.error(
        `${logPrefix} the outbox could not store payment ${describeId(entry.id)} (${messageOf(error)}): it is delivered from memory only`,
      );
      return false;
    };
    try {
      const result = (outbox as Outbox).put(entry);
      // Any thenable: a driver's own promise type, or a promise from another realm.
      return isPromiseLike(result) ? Promise.resolve(result).then(() => true, failed) : true;
    } catch (error) {
      return failed(error);
    }
  }

  function refuse(entry: OutboxEntry, payment: PaymentInput, kept: boolean): void {
    memoryOnly.delete(entry.id);
    if (kept) {
      // Memory is full, but the outbox has it: a sweep delivers it once there is room.
      outboxBacklog = true;
      ctx.debug(
        () => `payment ${describeId(entry.id)} waits in the outbox (${work.pending()} pending)`,
      );
      return;
    }
    ctx.report(
      new DatafastError(
        'queue_full',
        `background queue is full (${work.pending()} deliveries pending): payment ${describeId(entry.id)} was dropped`,
      ),
      payment,
    );
  }

  function handToWaitUntil(id: string, started: Promise<void>, options?: TrackOptions): void {
    const explicit = options?.waitUntil ?? ctx.waitUntil;
    const waitUntil = explicit ?? vercelWaitUntil();
    if (!waitUntil) return;
    try {
      waitUntil(started);
      ctx.debug(
        () =>
          `payment ${describeId(id)} handed to ${explicit ? 'the platform' : "Vercel's request context"}'s waitUntil`,
      );
    } catch (error) {
      // Outside a request scope some platforms throw; the scheduler still delivers.
      ctx.warn(
        `waitUntil refused the delivery (${messageOf(error)}); it continues in the background`,
      );
    }
  }

  /** Delivers what an earlier process (or this one, past the memory bound) left in the outbox. */
  function recover(): Promise<void> {
    recovering ??= (async () => {
      try {
        if (!outbox || state !== 'open') return;
        try {
          ctx.config();
        } catch (error) {
          ctx.warnOnce(
            'outbox-config',
            `the outbox is kept, not delivered, until DataFast is configured: ${messageOf(error)}`,
          );
          return;
        }
        // A page at a time, what fits in memory: an outbox holding millions of reports after a
        // long outage is never read whole (nor held in memory whole).
        const deliver = deliveries();
        const { maxQueueSize, concurrency } = ctx.config();
        // A shared outbox is claimed, not listed: a lease keeps the other processes off what
        // this one takes, so it takes no more than it can attempt before the leases lapse.
        const page = leases
          ? Math.min(sharedPage(concurrency), maxQueueSize - deliver.pending)
          : maxQueueSize;
        outboxBacklog = false;
        if (page <= 0) {
          outboxBacklog = true;
          return;
        }
        const entries = [
          ...(await (leases ? leases.claim(page) : (outbox as Outbox).list({ limit: page }))),
        ].sort((a, b) => a.createdAt - b.createdAt);
        if (entries.length >= page) outboxBacklog = true; // more may wait beyond this page
        for (const [index, entry] of entries.entries()) {
          // Shut down while the outbox was read: the entries stay there for the next start.
          if (state !== 'open' || deliver.full) {
            // Claimed but not taken on: their leases lapse, and any process may have them.
            for (const left of entries.slice(index)) leases?.release(left.id);
            if (state !== 'open') return;
            outboxBacklog = true;
            break;
          }
          if (deliver.has(entry.id) || storing.has(entry.id) || draining.has(entry.id)) continue;
          let body: PaymentBody;
          try {
            body = buildPaymentBody(entry.body, ctx.warn);
          } catch (error) {
            // A store that holds something we never wrote: report it rather than retry it forever.
            forget(entry);
            ctx.report(error, entry.body);
            continue;
          }
          deliver.add({ id: entry.id, body, createdAt: createdAtOf(entry) }, entry.body);
        }
      } catch (error) {
        logger.error(`${logPrefix} could not read the outbox: ${messageOf(error)}`);
      } finally {
        recovering = undefined;
      }
    })();
    return recovering;
  }

  /** See {@link Datafast.drain}. */
  async function drain(options: DrainOptions = {}): Promise<DrainResult> {
    const config = ctx.config(); // a misconfigured client rejects here, as `create` would
    const { budgetMs, limit } = drainOptions(options);
    if (state === 'closed') return { delivered: 0, retried: 0, gaveUp: 0, remaining: 0 };
    if (!outbox) return drainPending(work, settled, budgetMs);
    // A cron's fresh process drains at once: the start-up sweep would take the same reports
    // into the scheduler (and a function frozen after the response). The minute sweep remains.
    clearTimeout(startUp);
    return drainOutbox(
      {
        outbox,
        leases,
        config,
        holds: (id) => deliveries().has(id) || storing.has(id),
        draining,
        forget,
        report: ctx.report,
        warn: ctx.warn,
        roundDelay,
        logError: (message) => logger.error(`${logPrefix} ${message}`),
      },
      budgetMs,
      limit,
    );
  }

  // The outbox is read at start-up and every minute, until shutdown.
  const startUp = outbox ? setTimeout(() => void recover(), 0) : undefined;
  const sweep = outbox ? setInterval(() => void recover(), outboxSweepMs) : undefined;
  unref(startUp);
  unref(sweep);

  // Reports in our hands: being stored, waiting or being delivered.
  const work: Work = {
    pending: () => storing.size + (scheduler?.pending ?? 0),
    // A put that settles schedules its report; a report tracked meanwhile adds a put.
    progress: () =>
      storing.size > 0
        ? Promise.all([...storing.values()].map((s) => s.scheduled))
        : (scheduler?.whenIdle() ?? Promise.resolve()),
  };

  const shutdown = shutdownOnce(work, {
    begin: () => {
      state = 'closing';
      clearTimeout(startUp);
      clearInterval(sweep);
    },
    end: () => {
      state = 'closed';
    },
    giveUp,
  });

  /** At the end of `shutdown`: hands each report still pending to `onError`, or to the outbox. */
  async function giveUp(waitedMs: number): Promise<number> {
    const gaveUp = (entry: OutboxEntry, why: string) =>
      new DatafastError(
        'shutdown_timeout',
        `gave up on payment ${describeId(entry.id)} at shutdown: ${why} after ${waitedMs} ms, it may not have reached DataFast`,
      );
    const unstored = [...storing.values()];
    storing.clear();
    for (const { entry, payment } of unstored) {
      // The outbox may still store it: then the next process delivers it, and DataFast counts
      // it once. It may not, too, so it is reported.
      ctx.report(gaveUp(entry, 'its outbox write had not finished'), payment);
    }
    const abandoned = scheduler
      ? await scheduler.abandon(
          (entry) => gaveUp(entry, 'still pending'),
          (entry, payment) => {
            if (outbox && !memoryOnly.has(entry.id)) {
              ctx.debug(
                () => `payment ${describeId(entry.id)} stays in the outbox for the next start`,
              );
            } else {
              ctx.report(gaveUp(entry, 'still pending'), payment);
            }
            memoryOnly.delete(entry.id);
          },
        )
      : 0;
    return unstored.length + abandoned;
  }

  return {
    enqueue,
    flush: (timeoutMs?: number) => flushWithin(work, timeoutMs),
    shutdown,
    /** Delivers what the outbox holds now (also runs at start-up and every minute). */
    recover,
    drain,
    get pending() {
      return work.pending();
    },
  };
}

/** Any thenable: a native promise, a driver's own promise type, or a promise from another realm. */
function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** A recovery page of a shared outbox: what the attempts in flight get through within a lease. */
function sharedPage(concurrency: number): number {
  return Math.max(64, concurrency * 8);
}
