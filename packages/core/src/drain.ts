import type { OutboxEntry } from './outbox.js';
import { flushWithin, type Work } from './settling.js';
import type { DrainResult } from './types.js';

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
 * limit or the reports run out; resolves once the attempts in flight have settled. It takes a
 * page only when the last one is used up and a page is `concurrency` long, so a claimed report
 * waits at most one attempt's time before its own (its lease covers two).
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
    if (running.size >= run.concurrency) {
      await Promise.race(running);
      continue;
    }
    if (page.length === 0) {
      if (exhausted) break;
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
