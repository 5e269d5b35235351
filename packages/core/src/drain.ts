import type { ClientConfig } from './config.js';
import type { DrainResult } from './drain-options.js';
import { describeId, messageOf } from './errors.js';
import type { Leases } from './leases.js';
import type { Outbox, OutboxEntry, SharedOutbox } from './outbox.js';
import { buildPaymentBody, type PaymentInput } from './payload.js';
import { isTransient } from './retry.js';
import { flushWithin, type Work } from './settling.js';
import { attemptRequest, prepareRequest } from './transport.js';

/** An entry's `createdAt`, or now when the store lost it (so that it is not given up at once). */
export function createdAtOf(entry: OutboxEntry): number {
  return Number.isFinite(entry.createdAt) ? entry.createdAt : Date.now();
}

/** How one drained report ended; `skipped` ones (another process or this one has it) are not counted. */
export type DrainEntryOutcome = 'delivered' | 'retried' | 'gaveUp' | 'skipped';

/** What {@link runDrain} works with. */
export interface DrainRun {
  /** The time budget: no attempt starts after it. */
  budgetMs: number;
  /** At most this many reports taken. */
  limit: number;
  /** Attempts in flight at once. */
  concurrency: number;
  /**
   * Up to `count` more reports to attempt, oldest first (a claim, or a page of a list); fewer
   * than `count` means nothing more is due. Rejecting ends the drain.
   */
  next(count: number): Promise<OutboxEntry[]>;
  /** One attempt at a report; `budgetLeftMs` says how much of the budget is left. Never rejects. */
  attempt(entry: OutboxEntry, budgetLeftMs: () => number): Promise<DrainEntryOutcome>;
  /** The source failed (an unreachable engine): logged, and the drain ends with what it did. */
  failed(error: unknown): void;
}

/**
 * Attempts reports from `run.next` once each, `concurrency` at a time, until the budget, the
 * limit or the reports run out; resolves once the attempts in flight have settled. A page is
 * `concurrency` long and read once the last one is handed out, so a claimed report waits at most
 * one attempt's time for a slot before its own attempt (its lease covers two).
 *
 * @example
 * await runDrain({ budgetMs: 10_000, limit: Infinity, concurrency: 8, next, attempt, failed })
 */
export async function runDrain(run: DrainRun): Promise<DrainResult> {
  const deadline = Date.now() + run.budgetMs;
  const budgetLeftMs = () => Math.max(0, deadline - Date.now());
  const result: DrainResult = { delivered: 0, retried: 0, gaveUp: 0, remaining: 0 };
  const running = new Set<Promise<void>>();
  const page: OutboxEntry[] = [];
  let taken = 0;
  let exhausted = false;

  for (;;) {
    if (budgetLeftMs() === 0 || taken >= run.limit) break;
    // The next page is read as soon as the last one is handed out, so that a drain stopped by
    // its budget holds the next reports due (its `remaining`), and slots never wait for a read.
    if (page.length === 0 && !exhausted) {
      const count = Math.min(run.concurrency, run.limit - taken);
      try {
        const entries = await run.next(count);
        if (entries.length < count) exhausted = true;
        page.push(...entries);
      } catch (error) {
        run.failed(error);
        exhausted = true;
      }
      continue;
    }
    if (page.length === 0) break;
    if (running.size >= run.concurrency) {
      await Promise.race(running);
      continue;
    }
    const entry = page.shift() as OutboxEntry;
    taken += 1;
    const attempt: Promise<void> = run.attempt(entry, budgetLeftMs).then((outcome) => {
      running.delete(attempt);
      if (outcome === 'skipped') taken -= 1;
      else result[outcome] += 1;
    });
    running.add(attempt);
  }
  await Promise.all(running);
  // Claimed, but no time (or `limit`) was left: due again once their lease lapses.
  result.remaining = page.length;
  return result;
}

/** Counts of the reports this process delivered or gave up on so far. */
export interface SettledCounts {
  delivered: number;
  gaveUp: number;
}

/**
 * `drain` without an outbox: waits like `flush` for the reports this process holds, within the
 * budget, and counts how they ended; those still pending are `retried` (this process keeps
 * retrying them).
 *
 * @example
 * await drainPending(work, settled, 10_000) // { delivered: 3, retried: 0, gaveUp: 0, remaining: 0 }
 */
export async function drainPending(
  work: Work,
  settled: SettledCounts,
  budgetMs: number,
): Promise<DrainResult> {
  const before = { ...settled };
  const { pending } = await flushWithin(work, budgetMs);
  return {
    delivered: settled.delivered - before.delivered,
    retried: pending,
    gaveUp: settled.gaveUp - before.gaveUp,
    remaining: 0,
  };
}

/** What {@link drainOutbox} needs from the client's background delivery. */
export interface OutboxDrainContext {
  outbox: Outbox | SharedOutbox;
  /** This client's leases when the outbox is shared. */
  leases: Leases | undefined;
  config: ClientConfig;
  /** Whether this process already delivers the report (tracked here, or taken by a sweep). */
  holds(id: string): boolean;
  /** Reports being drained: the scheduler leaves them alone meanwhile. */
  draining: Set<string>;
  /** Removes a delivered or given-up report from the outbox; the delete's promise while in flight. */
  forget(entry: OutboxEntry): Promise<void> | undefined;
  report(error: unknown, payment: PaymentInput | undefined): void;
  warn(message: string): void;
  /** The pause a background retry would take: see the scheduler's rounds. */
  roundDelay(outageRounds: number): number;
  logError(message: string): void;
}

/**
 * `drain` with an outbox: claims (shared) or lists (plain) due reports and attempts each once
 * within the budget; every report taken ends delivered, retried (left due after a retry delay,
 * not within this drain) or given up (refused, or past `maxAgeMs`: removed and reported).
 *
 * @example
 * await drainOutbox(context, 10_000, Number.POSITIVE_INFINITY)
 */
export function drainOutbox(
  ctx: OutboxDrainContext,
  budgetMs: number,
  limit: number,
): Promise<DrainResult> {
  const { leases, config } = ctx;
  let listed = false;
  return runDrain({
    budgetMs,
    limit,
    concurrency: config.concurrency,
    next: async (count) => {
      if (leases) return leases.claim(count);
      // A plain outbox has no due times nor claims: its oldest entries, once.
      if (listed) return [];
      listed = true;
      const entries = await (ctx.outbox as Outbox).list({
        limit: Math.min(limit, config.maxQueueSize),
      });
      return [...entries].sort((a, b) => a.createdAt - b.createdAt);
    },
    attempt: (stored, budgetLeftMs) => attemptOnce(ctx, stored, budgetLeftMs),
    failed: (error) => ctx.logError(`drain could not read the outbox: ${messageOf(error)}`),
  });
}

/** One attempt at a report taken from the outbox; every way it ends is accounted for. */
async function attemptOnce(
  ctx: OutboxDrainContext,
  stored: OutboxEntry,
  budgetLeftMs: () => number,
): Promise<DrainEntryOutcome> {
  const { leases, draining } = ctx;
  if (ctx.holds(stored.id) || draining.has(stored.id)) {
    leases?.release(stored.id);
    return 'skipped';
  }
  draining.add(stored.id);
  try {
    let entry: OutboxEntry;
    try {
      entry = {
        ...stored,
        body: buildPaymentBody(stored.body, ctx.warn),
        createdAt: createdAtOf(stored),
      };
    } catch (error) {
      // A store that holds something we never wrote: report it rather than retry it forever.
      await ctx.forget(stored);
      ctx.report(error, stored.body);
      return 'gaveUp';
    }
    if (leases && !(await leases.beforeAttempt(entry))) return 'skipped';
    const { transport, maxAgeMs } = ctx.config;
    const result = await attemptRequest(prepareRequest(transport, 'POST', {}, entry.body), 1);
    // Each taken report's delete lands before `drain` resolves: a cron function frozen once it
    // answers would leave the row, and the report would be sent again.
    if (result.ok) {
      await ctx.forget(entry);
      return 'delivered';
    }
    if (!isTransient(result.error) || Date.now() - entry.createdAt >= maxAgeMs) {
      await ctx.forget(entry);
      ctx.report(result.error, stored.body);
      return 'gaveUp';
    }
    // Due again after the pause a background retry would take, and not within this drain.
    const delayMs = Math.max(ctx.roundDelay(1), result.retryAfterMs ?? 0, budgetLeftMs());
    await leases?.waiting(entry, delayMs);
    return 'retried';
  } catch (error) {
    // Not expected (attempts never reject); the report stays in the outbox for later.
    ctx.logError(`drain: payment ${describeId(stored.id)}: ${messageOf(error)}`);
    return 'retried';
  } finally {
    draining.delete(stored.id);
  }
}
