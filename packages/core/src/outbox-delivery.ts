import type { ClientConfig } from './config.js';
import type { DeliveryScheduler } from './delivery-scheduler.js';
import { createdAtOf, drainOutbox } from './drain.js';
import type { DrainResult } from './drain-options.js';
import { messageOf } from './errors.js';
import { createLeases, leaseMsFor } from './leases.js';
import type { Log } from './log.js';
import {
  isSharedOutbox,
  type Outbox,
  type OutboxEntry,
  type SharedOutbox,
  sharedPage,
} from './outbox.js';
import { buildPaymentBody, type PaymentBody, type PaymentInput } from './payload.js';

/** What delivering from an outbox needs from the client's background delivery. */
export interface OutboxDeliveryContext {
  outbox: Outbox | SharedOutbox;
  /** The client's options, validated at the first call; throws while they are invalid. */
  config(): ClientConfig;
  log: Log;
  report(error: unknown, payment: PaymentInput | undefined): void;
  /** The client's scheduler. */
  deliveries(): DeliveryScheduler;
  /** Whether this process already has the report in hand (being stored or scheduled). */
  holds(id: string): boolean;
  /** Reports `drain` is attempting outside the scheduler: the scheduler leaves them alone. */
  draining: Set<string>;
  /** False from the first `shutdown`: nothing more is taken from the outbox. */
  open(): boolean;
  /** Removes a delivered or given-up report from the outbox; the delete's promise while in flight. */
  forget(entry: OutboxEntry): Promise<void> | undefined;
  /** The pause before a background report's next round: see the scheduler. */
  roundDelay(outageRounds: number): number;
  /** Whether more reports wait in the outbox than memory took (read again once there is room). */
  backlog: { more: boolean };
}

/**
 * The outbox machinery a reporting-only client never loads: the sweep that delivers what an
 * earlier process (or this one, past the memory bound) left in the outbox, a shared outbox's
 * leases, and `drain`. Loaded by the first client made with an `outbox`.
 */
export function createOutboxDelivery(ctx: OutboxDeliveryContext) {
  const { outbox, log } = ctx;
  // With a shared outbox every attempt is made under a lease (see SharedOutbox).
  const leases = isSharedOutbox(outbox)
    ? createLeases({
        outbox,
        leaseMs: () => leaseMsFor(ctx.config().transport.timeoutMs),
        engineTimeoutMs: () => ctx.config().transport.timeoutMs,
        logError: log.error,
        debug: log.debug,
      })
    : undefined;
  let recovering: Promise<void> | undefined;

  /** Delivers what the outbox holds now, a page at a time (at start-up and on each sweep). */
  function recover(): Promise<void> {
    recovering ??= (async () => {
      try {
        if (!ctx.open()) return;
        try {
          ctx.config();
        } catch (error) {
          log.warnOnce(
            'outbox-config',
            `the outbox is kept, not delivered, until DataFast is configured: ${messageOf(error)}`,
          );
          return;
        }
        // A page at a time, what fits in memory: an outbox holding millions of reports after a
        // long outage is never read whole (nor held in memory whole).
        const deliver = ctx.deliveries();
        const { maxQueueSize, concurrency } = ctx.config();
        // A shared outbox is claimed, not listed: a lease keeps the other processes off what
        // this one takes, so it takes no more than it can attempt before the leases lapse.
        const page = leases
          ? Math.min(sharedPage(concurrency), maxQueueSize - deliver.pending)
          : maxQueueSize;
        ctx.backlog.more = false;
        if (page <= 0) {
          ctx.backlog.more = true;
          return;
        }
        const entries = [
          ...(await (leases ? leases.claim(page) : (outbox as Outbox).list({ limit: page }))),
        ].sort((a, b) => a.createdAt - b.createdAt);
        if (entries.length >= page) ctx.backlog.more = true; // more may wait beyond this page
        for (const [index, entry] of entries.entries()) {
          // Shut down while the outbox was read: the entries stay there for the next start.
          if (!ctx.open() || deliver.full) {
            // Claimed but not taken on: their leases lapse, and any process may have them.
            for (const left of entries.slice(index)) leases?.release(left.id);
            if (!ctx.open()) return;
            ctx.backlog.more = true;
            break;
          }
          if (ctx.holds(entry.id) || ctx.draining.has(entry.id)) continue;
          let body: PaymentBody;
          try {
            body = buildPaymentBody(entry.body, log.warn);
          } catch (error) {
            // A store that holds something we never wrote: report it rather than retry it forever.
            ctx.forget(entry);
            ctx.report(error, entry.body);
            continue;
          }
          deliver.add({ id: entry.id, body, createdAt: createdAtOf(entry) }, entry.body);
        }
      } catch (error) {
        log.error(`could not read the outbox: ${messageOf(error)}`);
      } finally {
        recovering = undefined;
      }
    })();
    return recovering;
  }

  /** See {@link Datafast.drain}: what is due in the outbox, within the budget. */
  function drain(budgetMs: number, limit: number): Promise<DrainResult> {
    return drainOutbox(
      {
        outbox,
        leases,
        config: ctx.config(),
        holds: ctx.holds,
        draining: ctx.draining,
        forget: ctx.forget,
        report: ctx.report,
        warn: log.warn,
        roundDelay: ctx.roundDelay,
        logError: log.error,
      },
      budgetMs,
      limit,
    );
  }

  /**
   * Stores a report in a shared outbox under this client's lease: `true` when the outbox holds
   * it (stored now, or already), `false` when the engine failed (logged).
   */
  async function storeShared(entry: OutboxEntry): Promise<boolean> {
    return leases !== undefined && (await leases.put(entry)) !== 'failed';
  }

  return { leases, recover, drain, storeShared };
}

export type OutboxDelivery = ReturnType<typeof createOutboxDelivery>;
