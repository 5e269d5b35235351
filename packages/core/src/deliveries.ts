import type { OutboxEntry } from './outbox.js';
import type { PaymentInput } from './payload.js';

/** What `flush` and `shutdown` found: whether everything settled, and what is left. */
export interface FlushResult {
  settled: boolean;
  pending: number;
}

/** How one round of attempts (a request with its retries) ended. */
export type RoundOutcome =
  | { kind: 'delivered'; attempts: number }
  | { kind: 'refused'; error: unknown } // permanent: retrying cannot help
  | { kind: 'transient'; error: unknown }; // worth another round later

/** What the scheduler needs from the client. */
export interface DeliveryHooks {
  /** Runs one round for an entry; never rejects. */
  round(entry: OutboxEntry, signal: AbortSignal): Promise<RoundOutcome>;
  /** The entry was delivered (`attempts` in its last round). */
  delivered(entry: OutboxEntry, attempts: number): void;
  /** The entry is given up: refused, too old, or abandoned; the payment reaches `onError`. */
  gaveUp(entry: OutboxEntry, payment: PaymentInput, error: unknown): void;
  /** Wait before the next round of an entry that failed `rounds` rounds so far. */
  roundDelay(rounds: number): number;
  /** Transient failures are retried for this long after the entry was created. */
  maxAgeMs: number;
  /**
   * Whether waiting for the next round keeps the process alive. Without a durable outbox it
   * must (the report lives only in memory); with one, the next process delivers it.
   */
  keepAlive: boolean;
}

interface Pending {
  entry: OutboxEntry;
  payment: PaymentInput;
  rounds: number;
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
 * bounded, at most `concurrency` in flight. A round that fails transiently is retried later with
 * a growing delay until `maxAgeMs`, so an outage of minutes or hours loses nothing; while an
 * entry waits for its next round the others wait too (DataFast is probably down), except new
 * reports, which always get their first round at once.
 */
export class DeliveryScheduler {
  readonly #pending = new Map<string, Pending>();
  readonly #idleWaiters = new Set<() => void>();
  readonly #maxSize: number;
  readonly #concurrency: number;
  readonly #hooks: DeliveryHooks;
  #running = 0;
  #pausedUntil = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = 0;

  constructor(maxSize: number, concurrency: number, hooks: DeliveryHooks) {
    this.#maxSize = maxSize;
    this.#concurrency = concurrency;
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

  /** Resolves when nothing is left, or after `timeoutMs` with what is still pending. */
  flush(timeoutMs?: number): Promise<FlushResult> {
    if (this.#pending.size === 0) return Promise.resolve({ settled: true, pending: 0 });
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onIdle = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve({ settled: true, pending: 0 });
      };
      this.#idleWaiters.add(onIdle);
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () => {
            this.#idleWaiters.delete(onIdle);
            resolve({ settled: this.#pending.size === 0, pending: this.#pending.size });
          },
          Math.max(0, timeoutMs),
        );
      }
    });
  }

  /**
   * Takes every pending entry out of the scheduler: running ones are aborted with `reason`, and
   * `each` decides what becomes of each (kept in an outbox, or reported lost). Resolves once the
   * aborted rounds have settled.
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
      if (this.#running >= this.#concurrency) break;
      if (pending.controller) continue;
      // Retry rounds wait out the pause; a first round never does (serverless waits on it).
      const readyAt = pending.rounds === 0 ? 0 : Math.max(pending.notBefore, this.#pausedUntil);
      if (readyAt > now) {
        nextAt = Math.min(nextAt, readyAt);
        continue;
      }
      this.#start(pending);
    }
    if (nextAt !== Number.POSITIVE_INFINITY) this.#wakeAt(nextAt);
  }

  #start(pending: Pending): void {
    const controller = new AbortController();
    pending.controller = controller;
    this.#running += 1;
    this.#hooks
      .round(pending.entry, controller.signal)
      .then((outcome) => this.#finishRound(pending, outcome, controller))
      .finally(() => {
        this.#running -= 1;
        pending.controller = undefined;
        this.#pump();
        this.#settleIfIdle();
      });
  }

  #finishRound(pending: Pending, outcome: RoundOutcome, controller: AbortController): void {
    pending.rounds += 1;
    const mine = this.#pending.get(pending.entry.id) === pending;
    if (controller.signal.aborted || !mine) {
      // Abandoned: `abandon` already decided what becomes of it.
      pending.endFirstRound();
      pending.end();
      return;
    }
    if (outcome.kind === 'transient') {
      const age = Date.now() - pending.entry.createdAt;
      if (age < this.#hooks.maxAgeMs) {
        const delay = Math.min(
          this.#hooks.roundDelay(pending.rounds),
          Math.max(0, this.#hooks.maxAgeMs - age),
        );
        pending.notBefore = Date.now() + delay;
        this.#pausedUntil = Math.max(this.#pausedUntil, pending.notBefore);
        pending.endFirstRound();
        return;
      }
    }
    this.#pending.delete(pending.entry.id);
    if (outcome.kind === 'delivered') {
      this.#pausedUntil = 0; // DataFast answers again: everyone may go.
      this.#hooks.delivered(pending.entry, outcome.attempts);
    } else {
      this.#hooks.gaveUp(pending.entry, pending.payment, outcome.error);
    }
    pending.endFirstRound();
    pending.end();
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
    const waiters = [...this.#idleWaiters];
    this.#idleWaiters.clear();
    for (const waiter of waiters) waiter();
  }
}

/** Lets Node exit while the timer waits (`unref` exists only on Node's timers). */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
