// size: one class; its rounds, retries, outage pause and 429 window only make sense read together.
import type { OutboxEntry } from './outbox.js';
import type { PaymentInput } from './payload.js';
import { unref } from './timers.js';

/** How one attempt of a background delivery ended. */
export type AttemptOutcome =
  | { kind: 'delivered' }
  // Another attempt of this round is due after `delayMs` (the policy's backoff or Retry-After).
  | { kind: 'retry'; delayMs: number; rateLimited: boolean }
  // The round's last attempt failed transiently: worth another round later, not before the
  // server's Retry-After when it sent one.
  | { kind: 'transient'; error: unknown; rateLimited: boolean; retryAfterMs?: number }
  // Permanent: retrying cannot help.
  | { kind: 'refused'; error: unknown }
  // Not attempted: another process of a shared outbox holds it, or already delivered it.
  | { kind: 'taken' };

/** What the scheduler needs from the client. */
export interface DeliveryHooks {
  /** Runs attempt number `attempt` (1-based, within its round) for an entry; never rejects. */
  attempt(entry: OutboxEntry, attempt: number, signal: AbortSignal): Promise<AttemptOutcome>;
  /** The entry was delivered (`attempts` in its last round). */
  delivered(entry: OutboxEntry, attempts: number): void;
  /** The entry is given up: refused or too old; the payment reaches `onError`. */
  gaveUp(entry: OutboxEntry, payment: PaymentInput, error: unknown): void;
  /** The entry left the scheduler unattempted: another process has it (`taken`). */
  taken?(entry: OutboxEntry): void;
  /** After a failed attempt: the entry's next attempt is due in `delayMs`. */
  waiting?(entry: OutboxEntry, delayMs: number): void;
  /**
   * Wait before the next round of an entry, `outageRounds` of whose rounds found DataFast down
   * (0: it delivered others meanwhile, so this report was only unlucky).
   */
  roundDelay(outageRounds: number): number;
  /** Transient failures are retried for this long after the entry was created. */
  maxAgeMs: number;
  /**
   * Whether waiting for the next attempt keeps the process alive. Without a durable outbox it
   * must (the report lives only in memory); with one, the next process delivers it.
   */
  keepAlive: boolean;
}

interface Pending {
  entry: OutboxEntry;
  payment: PaymentInput;
  /** Rounds that ended without delivery. */
  rounds: number;
  /** Of those, the rounds during which DataFast delivered nothing at all (it looked down). */
  outageRounds: number;
  /** Attempts made in the current round. */
  attempts: number;
  /** When the current round's first attempt started. */
  roundStartedAt: number;
  /** The next attempt waits until then. */
  notBefore: number;
  controller: AbortController | undefined;
  /** Settles after the first round, whatever its outcome: what serverless `waitUntil` gets. */
  firstRound: Promise<void>;
  endFirstRound: () => void;
  /** Settles when the entry leaves the scheduler. */
  done: Promise<void>;
  end: () => void;
}

/**
 * The reports waiting for DataFast, at most `maxSize` (running or waiting) so memory stays
 * bounded, at most `concurrency` attempts in flight. A report waiting for its next attempt
 * (a backoff, a `Retry-After`, the pause between rounds) holds no slot, so one unlucky report
 * never stalls the others. A round (an attempt and its retries) that fails transiently is
 * retried later until `maxAgeMs`, so an outage of minutes or hours loses nothing. Two signals
 * slow everyone down: a round that fails while DataFast delivers nothing at all (it is down)
 * pauses the other reports' later rounds until its own; and each 429 narrows the window of
 * attempts in flight by one, each delivery widens it by one, so while DataFast rate-limits more
 * than it accepts, fewer attempts go out, down to one at a time.
 */
export class DeliveryScheduler {
  readonly #pending = new Map<string, Pending>();
  readonly #maxSize: number;
  readonly #concurrency: number;
  readonly #hooks: DeliveryHooks;
  #running = 0;
  #window: number;
  #pausedUntil = 0;
  #lastDeliveredAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = 0;
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(maxSize: number, concurrency: number, hooks: DeliveryHooks) {
    this.#maxSize = maxSize;
    this.#concurrency = concurrency;
    this.#window = concurrency;
    this.#hooks = hooks;
  }

  /** Reports running or waiting. */
  get pending(): number {
    return this.#pending.size;
  }

  /** True when an entry with this id is already waiting or running. */
  has(id: string): boolean {
    return this.#pending.has(id);
  }

  /** Room for more entries. */
  get full(): boolean {
    return this.#pending.size >= this.#maxSize;
  }

  /**
   * Takes an entry; returns a promise that settles after its first round (never rejects), the
   * existing one when the id is already pending, or `undefined` when the scheduler is full.
   */
  add(entry: OutboxEntry, payment: PaymentInput): Promise<void> | undefined {
    const existing = this.#pending.get(entry.id);
    if (existing) return existing.firstRound;
    if (this.full) return undefined;
    let endFirstRound = () => {};
    let end = () => {};
    const firstRound = new Promise<void>((resolve) => {
      endFirstRound = resolve;
    });
    const done = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.#pending.set(entry.id, {
      entry,
      payment,
      rounds: 0,
      outageRounds: 0,
      attempts: 0,
      roundStartedAt: 0,
      notBefore: 0,
      controller: undefined,
      firstRound,
      endFirstRound,
      done,
      end,
    });
    this.#pump();
    return firstRound;
  }

  /** Resolves once nothing is pending (at once when nothing is). */
  whenIdle(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    if (!this.#idle) {
      let resolve = () => {};
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }

  /**
   * Takes every pending entry out of the scheduler: running ones are aborted with `reason`, and
   * `each` decides what becomes of each (kept in an outbox, or reported lost). Resolves once the
   * aborted attempts have settled.
   */
  async abandon(
    reason: (entry: OutboxEntry) => unknown,
    each: (entry: OutboxEntry, payment: PaymentInput) => void,
  ): Promise<number> {
    const abandoned = [...this.#pending.values()];
    const running: Promise<void>[] = [];
    for (const pending of abandoned) {
      this.#pending.delete(pending.entry.id);
      if (pending.controller) {
        pending.controller.abort(reason(pending.entry));
        running.push(pending.done);
      } else {
        pending.endFirstRound();
        pending.end();
      }
      each(pending.entry, pending.payment);
    }
    this.#settleIfIdle();
    await Promise.all(running);
    return abandoned.length;
  }

  #pump(): void {
    const now = Date.now();
    let nextAt = Number.POSITIVE_INFINITY;
    for (const pending of this.#pending.values()) {
      if (this.#running >= this.#window) break;
      if (pending.controller) continue;
      const readyAt = this.#readyAt(pending);
      if (readyAt > now) {
        nextAt = Math.min(nextAt, readyAt);
        continue;
      }
      this.#start(pending);
    }
    if (nextAt !== Number.POSITIVE_INFINITY) this.#wakeAt(nextAt);
  }

  #readyAt(pending: Pending): number {
    // Inside a round, only the report's own backoff (or Retry-After) counts.
    if (pending.attempts > 0) return pending.notBefore;
    // A first round never waits: serverless `waitUntil` waits on it.
    if (pending.rounds === 0) return 0;
    // A later round also waits out the pause of an outage.
    return Math.max(pending.notBefore, this.#pausedUntil);
  }

  #start(pending: Pending): void {
    const controller = new AbortController();
    pending.controller = controller;
    if (pending.attempts === 0) pending.roundStartedAt = Date.now();
    pending.attempts += 1;
    this.#running += 1;
    this.#hooks
      .attempt(pending.entry, pending.attempts, controller.signal)
      .then(
        (outcome) => this.#finishAttempt(pending, outcome, controller),
        // Not expected (the hook never rejects); should it, the report still ends accounted for.
        (error: unknown) => this.#finishAttempt(pending, { kind: 'refused', error }, controller),
      )
      .finally(() => {
        this.#running -= 1;
        pending.controller = undefined;
        this.#pump();
        this.#settleIfIdle();
      });
  }

  #finishAttempt(pending: Pending, outcome: AttemptOutcome, controller: AbortController): void {
    const mine = this.#pending.get(pending.entry.id) === pending;
    if (controller.signal.aborted || !mine) {
      // Abandoned: `abandon` already decided what becomes of it.
      pending.endFirstRound();
      pending.end();
      return;
    }
    const now = Date.now();
    if (outcome.kind === 'delivered') {
      this.#lastDeliveredAt = now;
      this.#pausedUntil = 0; // DataFast answers again: everyone may go.
      this.#window = Math.min(this.#concurrency, this.#window + 1);
      this.#pending.delete(pending.entry.id);
      this.#hooks.delivered(pending.entry, pending.attempts);
      pending.endFirstRound();
      pending.end();
      return;
    }
    if (outcome.kind === 'taken') {
      this.#pending.delete(pending.entry.id);
      this.#hooks.taken?.(pending.entry);
      pending.endFirstRound();
      pending.end();
      return;
    }
    if (outcome.kind !== 'refused' && outcome.rateLimited) {
      this.#window = Math.max(1, this.#window - 1);
    }
    if (outcome.kind === 'retry') {
      pending.notBefore = now + outcome.delayMs;
      this.#hooks.waiting?.(pending.entry, outcome.delayMs);
      return;
    }
    if (outcome.kind === 'transient' && this.#nextRound(pending, now, outcome.retryAfterMs)) {
      this.#hooks.waiting?.(pending.entry, pending.notBefore - now);
      return;
    }
    this.#pending.delete(pending.entry.id);
    this.#hooks.gaveUp(pending.entry, pending.payment, outcome.error);
    pending.endFirstRound();
    pending.end();
  }

  /** Schedules the next round of an entry whose round failed; `false` once it is too old. */
  #nextRound(pending: Pending, now: number, retryAfterMs = 0): boolean {
    const age = now - pending.entry.createdAt;
    if (age >= this.#hooks.maxAgeMs) return false;
    // Nothing delivered since this round began: DataFast looks down, so the pause grows with
    // each such round and the others' later rounds wait it out too. Had it delivered others,
    // this report was only unlucky with a flaky API.
    const down = this.#lastDeliveredAt < pending.roundStartedAt;
    if (down) pending.outageRounds += 1;
    pending.rounds += 1;
    pending.attempts = 0;
    const delay = Math.min(
      Math.max(this.#hooks.roundDelay(down ? pending.outageRounds : 0), retryAfterMs),
      this.#hooks.maxAgeMs - age,
    );
    pending.notBefore = now + delay;
    if (down) this.#pausedUntil = Math.max(this.#pausedUntil, pending.notBefore);
    pending.endFirstRound();
    return true;
  }

  #wakeAt(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#pump();
      },
      Math.max(0, at - Date.now()),
    );
    if (!this.#hooks.keepAlive) unref(this.#timer);
  }

  #settleIfIdle(): void {
    if (this.#pending.size > 0) return;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const idle = this.#idle;
    this.#idle = undefined;
    idle?.resolve();
  }
}
