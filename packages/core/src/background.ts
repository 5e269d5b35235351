// size: one lifecycle (track, store, schedule, shut down) whose steps share the same few maps of reports in hand.
import type { ClientConfig } from './config.js';
import { attemptDelivery } from './delivery-attempt.js';
import { DeliveryScheduler } from './delivery-scheduler.js';
import { checkedDrainOptions, type DrainOptions, type DrainResult } from './drain-options.js';
import { DatafastError, describeId, messageOf, queueFullError } from './errors.js';
import type { Log } from './log.js';
import {
  isSharedOutbox,
  type Outbox,
  type OutboxEntry,
  putInOutbox,
  type SharedOutbox,
  sharedPage,
  storeFailed,
} from './outbox.js';
import { createOutboxDeletes } from './outbox-deletes.js';
import type { OutboxDelivery } from './outbox-delivery.js';
import type { PaymentInput } from './payload.js';
import { backoffDelay } from './retry.js';
import { type FlushResult, flushWithin, shutdownOnce, type Work } from './settling.js';
import { unref } from './timers.js';
import { handToWaitUntil, type WaitUntil } from './wait-until.js';

/** Background delivery as the client drives it; background-front.ts loads this file lazily. */
export interface Background {
  /**
   * Takes a validated report. `prestored`: the plain outbox's `put`, when the front already
   * ran it; otherwise the report is stored here.
   */
  enqueue(
    entry: OutboxEntry,
    payment: PaymentInput,
    waitUntil?: WaitUntil,
    prestored?: boolean | Promise<boolean>,
  ): void;
  flush(timeoutMs?: number): Promise<FlushResult>;
  shutdown(timeoutMs: number): Promise<FlushResult>;
  drain(options?: DrainOptions): Promise<DrainResult>;
  /** Reports in hand: being stored, waiting or being delivered. */
  readonly pending: number;
}

/** What background delivery needs from the client that owns it. */
export interface BackgroundContext {
  outbox: Outbox | SharedOutbox | undefined;
  waitUntil: WaitUntil | undefined;
  /** The client's options, validated at the first call; throws while they are invalid. */
  config(): ClientConfig;
  report(error: unknown, payment: PaymentInput | undefined): void;
  log: Log;
}

const outboxSweepMs = 60_000;
// A shared outbox is swept more often: a dead instance's reports are due once its lease lapses
// (25 s by default), and a claim that finds nothing due is one indexed query.
const sharedOutboxSweepMs = 15_000;

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
 * A plain outbox's `put` and `delete` run here; the rest of the outbox machinery (the sweep, a
 * shared outbox's leases, `drain`) is loaded only by a client that has an outbox.
 */
export function createBackground(ctx: BackgroundContext): Background {
  const { outbox, log } = ctx;
  const shared = outbox !== undefined && isSharedOutbox(outbox);
  let state: 'open' | 'closing' | 'closed' = 'open';
  const backlog = { more: false };
  let scheduler: DeliveryScheduler | undefined;
  let machinery: OutboxDelivery | undefined;
  let loadingMachinery: Promise<OutboxDelivery> | undefined;
  // Counted by `pending`, `flush` and `shutdown` like scheduled reports: they are in our hands.
  const storing = new Map<string, Storing>();
  // Reports the outbox failed to store: at shutdown these are lost, not left for the next start.
  const memoryOnly = new Set<string>();
  // Reports `drain` is attempting outside the scheduler: the scheduler leaves them alone.
  const draining = new Set<string>();
  // Outcomes of the scheduler's reports, for `drain` without an outbox.
  const settled = { delivered: 0, gaveUp: 0 };
  /** Whether attempts on this entry go through the shared outbox's leases. */
  const leased = (entry: OutboxEntry) => shared && !memoryOnly.has(entry.id);
  const holds = (id: string) => storing.has(id) || deliveries().has(id);
  // Deletes of delivered reports: flush, shutdown, drain and waitUntil wait for them too.
  const deletes =
    outbox && createOutboxDeletes(outbox, log, () => ctx.config().transport.timeoutMs);
  /** A report's first round, and the delete from the outbox should it end delivered (or given up). */
  const roundAndDelete = (id: string, round: Promise<unknown>): Promise<void> =>
    deletes ? round.then(() => deletes.of(id)) : (round as Promise<void>);

  /** The outbox machinery, loaded once (only a client with an outbox asks for it). */
  function outboxDelivery(): Promise<OutboxDelivery> {
    loadingMachinery ??= import('./outbox-delivery.js').then((loaded) => {
      machinery = loaded.createOutboxDelivery({
        outbox: outbox as Outbox | SharedOutbox,
        config: ctx.config,
        log,
        report: ctx.report,
        deliveries,
        holds,
        draining,
        open: () => state === 'open',
        forget,
        roundDelay,
        backlog,
      });
      return machinery;
    });
    return loadingMachinery;
  }

  /** The scheduler, made at the first report (the options are valid by then). */
  function deliveries(): DeliveryScheduler {
    if (scheduler) return scheduler;
    const config = ctx.config();
    const made = new DeliveryScheduler(config.maxQueueSize, config.concurrency, {
      attempt: async (entry, number, signal) => {
        const leases = machinery?.leases;
        if (leased(entry) && leases && !(await leases.beforeAttempt(entry))) {
          return { kind: 'taken' };
        }
        return attemptDelivery(ctx.config(), entry, number, signal);
      },
      delivered: (entry, attempts) => {
        settled.delivered += 1;
        forget(entry);
        log.debug(() => `payment ${describeId(entry.id)} delivered (attempt ${attempts})`);
        // Refill from the outbox once half the room is free: one page read per many deliveries.
        // A shared outbox's page is smaller (claims lapse), so it refills when that page is done.
        const refillAt = shared ? sharedPage(config.concurrency) : config.maxQueueSize / 2;
        if (backlog.more && made.pending <= refillAt) void recover();
      },
      gaveUp: (entry, payment, error) => {
        settled.gaveUp += 1;
        forget(entry);
        ctx.report(error, payment);
      },
      taken: (entry) => {
        memoryOnly.delete(entry.id);
        machinery?.leases?.release(entry.id);
      },
      waiting: (entry, delayMs) => {
        if (leased(entry)) void machinery?.leases?.waiting(entry, delayMs);
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

  /** The report left our hands: removed from the outbox; the delete's promise while in flight. */
  function forget(entry: OutboxEntry): Promise<void> | undefined {
    memoryOnly.delete(entry.id);
    machinery?.leases?.release(entry.id);
    return deletes?.delete(entry.id);
  }

  /** Stores (when there is an outbox) and schedules a validated report. */
  function enqueue(
    entry: OutboxEntry,
    payment: PaymentInput,
    waitUntil?: WaitUntil,
    prestored?: boolean | Promise<boolean>,
  ): void {
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
    if (holds(entry.id) || draining.has(entry.id)) {
      log.debug(() => `payment ${describeId(entry.id)} is already pending: it is delivered once`);
      return;
    }
    const explicit = waitUntil ?? ctx.waitUntil;
    const stored = prestored ?? store(entry);
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
          log.error(`could not schedule payment ${describeId(entry.id)}: ${messageOf(error)}`);
        });
      storing.set(entry.id, { entry, payment, scheduled });
      handToWaitUntil(
        entry.id,
        roundAndDelete(
          entry.id,
          scheduled.then(() => firstRound),
        ),
        explicit,
        log,
      );
      return;
    }
    const started = schedule(entry, payment, stored);
    if (started) handToWaitUntil(entry.id, roundAndDelete(entry.id, started), explicit, log);
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

  /**
   * `true` once the outbox holds the entry, `false` without an outbox or when it failed. A
   * plain outbox's `put` runs before `track` returns, so a synchronous one is durable by then.
   */
  function store(entry: OutboxEntry): boolean | Promise<boolean> {
    if (!outbox) return false;
    // A shared outbox resolves false when the id was already stored: it holds it all the same.
    if (!shared) return putInOutbox(outbox as Outbox, entry, log);
    return outboxDelivery().then(
      (loaded) => loaded.storeShared(entry),
      (error: unknown) => storeFailed(entry, error, log.error),
    );
  }

  function refuse(entry: OutboxEntry, payment: PaymentInput, kept: boolean): void {
    memoryOnly.delete(entry.id);
    if (kept) {
      // Memory is full, but the outbox has it: a sweep delivers it once there is room.
      backlog.more = true;
      log.debug(
        () => `payment ${describeId(entry.id)} waits in the outbox (${work.pending()} pending)`,
      );
      return;
    }
    ctx.report(queueFullError(entry.id, work.pending()), payment);
  }

  /** Delivers what the outbox holds now (also runs at start-up and every minute). */
  function recover(): Promise<void> {
    if (!outbox || state !== 'open') return Promise.resolve();
    return outboxDelivery().then(
      (loaded) => loaded.recover(),
      (error: unknown) => log.error(`could not read the outbox: ${messageOf(error)}`),
    );
  }

  /** See {@link Datafast.drain}. */
  async function drain(options: DrainOptions = {}): Promise<DrainResult> {
    ctx.config(); // a misconfigured client rejects here, as `create` would
    const { budgetMs, limit } = checkedDrainOptions(options);
    if (state === 'closed') return { delivered: 0, retried: 0, gaveUp: 0, remaining: 0 };
    if (!outbox) return (await import('./drain.js')).drainPending(work, settled, budgetMs);
    // A cron's fresh process drains at once: the start-up sweep would take the same reports
    // into the scheduler (and a function frozen after the response). The minute sweep remains.
    clearTimeout(startUp);
    const result = await (await outboxDelivery()).drain(budgetMs, limit);
    // A cron's function may be frozen once it answers: the sweep's deletes land before, too.
    await deletes?.settled();
    return result;
  }

  // The outbox is read at start-up and every minute (every 15 s when shared), until shutdown.
  const startUp = outbox ? setTimeout(() => void recover(), 0) : undefined;
  const sweep = outbox
    ? setInterval(() => void recover(), shared ? sharedOutboxSweepMs : outboxSweepMs)
    : undefined;
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
    deleting: () => deletes?.settled(),
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
              log.debug(
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
    drain,
    get pending() {
      return work.pending();
    },
  };
}
