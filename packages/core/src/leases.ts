import { describeId, messageOf } from './errors.js';
import { type OutboxEntry, type OutboxLease, type SharedOutbox, storeFailed } from './outbox.js';
import { bounded } from './timers.js';

/** What the lease keeper needs from the client. */
export interface LeaseContext {
  outbox: SharedOutbox;
  /** How long one attempt may hold an entry: see {@link leaseMsFor}. */
  leaseMs(): number;
  /**
   * How long a call to the engine may take before the client goes on without it (the attempt
   * timeout): a partitioned engine whose driver never times out must not hold a report, a
   * delivery slot or the sweep forever.
   */
  engineTimeoutMs(): number;
  logError(message: string): void;
  debug(message: () => string): void;
}

/**
 * The lease on an attempt: one attempt may take the whole `timeoutMs`, and the engine's
 * round-trips and event-loop stalls come on top, so twice that plus 5 s (25 s with the default
 * 10 s timeout). A lease that lapses mid-attempt is not a loss: another process may then send
 * the report once more, and DataFast counts it once.
 */
export function leaseMsFor(timeoutMs: number): number {
  return 2 * timeoutMs + 5_000;
}

/**
 * This client's side of a {@link SharedOutbox}: a stable random owner id, the entries it holds a
 * lease on that no attempt has used yet (a fresh `put` or `claim` needs no renew before its
 * first attempt), and the rule that engine failures never reach `track`.
 */
export function createLeases(ctx: LeaseContext) {
  const { outbox } = ctx;
  const owner = randomOwner();
  // Entries whose lease was just taken by put or claim, with when (on this process's clock) it
  // stops covering a whole attempt: until then their next attempt needs no renew. Bounded in
  // time, so an entry that waits long in the scheduler (a sweep claimed it again while it was
  // queued) renews before its attempt rather than trusting a lease that may have lapsed.
  const fresh = new Map<string, number>();
  const lease = (ms = ctx.leaseMs()): OutboxLease => ({ owner, ms: Math.max(1, Math.ceil(ms)) });
  const markFresh = (id: string, ms: number) =>
    fresh.set(id, Date.now() + ms - ctx.engineTimeoutMs());

  return {
    owner,
    /** Stores a new entry under this client's lease; `'failed'` when the engine refused it. */
    async put(entry: OutboxEntry): Promise<boolean | 'failed'> {
      try {
        const stored = await bounded(outbox.put(entry, lease()), ctx.engineTimeoutMs(), 'put');
        if (stored) markFresh(entry.id, ctx.leaseMs());
        return stored;
      } catch (error) {
        storeFailed(entry, error, ctx.logError);
        return 'failed';
      }
    },

    /** Leases up to `limit` due entries to this client (the recovery sweep and the drain). */
    async claim(limit: number, ms?: number): Promise<OutboxEntry[]> {
      const taken = lease(ms);
      const claim = outbox.claim({ limit, lease: taken });
      const entries = await bounded(claim, ctx.engineTimeoutMs(), 'claim');
      for (const entry of entries) markFresh(entry.id, taken.ms);
      return entries;
    },

    /**
     * Before an attempt: `true` when this client holds the lease for it (taken now, or fresh
     * from put or claim). `false` when another process holds it or it is gone (delivered): the
     * caller drops it. An unreachable engine does not stop delivery: the attempt goes ahead
     * (DataFast deduplicates; nobody can claim it meanwhile either).
     */
    async beforeAttempt(entry: OutboxEntry): Promise<boolean> {
      const freshUntil = fresh.get(entry.id);
      fresh.delete(entry.id);
      if (freshUntil !== undefined && Date.now() < freshUntil) return true;
      try {
        const renew = outbox.renew(entry.id, lease());
        if (await bounded(renew, ctx.engineTimeoutMs(), 'renew')) return true;
      } catch (error) {
        ctx.logError(
          `could not renew the outbox lease on payment ${describeId(entry.id)} (${messageOf(error)}): sending it anyway`,
        );
        return true;
      }
      ctx.debug(
        () =>
          `payment ${describeId(entry.id)} is left to another process: it holds its lease or already delivered it`,
      );
      return false;
    },

    /**
     * After a failed attempt: the lease now lapses when the next attempt is due, so that, if this
     * process dies meanwhile, another one retries it then. Failures only cost that.
     */
    async waiting(entry: OutboxEntry, delayMs: number): Promise<void> {
      fresh.delete(entry.id);
      try {
        await outbox.renew(entry.id, lease(delayMs));
      } catch (error) {
        ctx.debug(
          () =>
            `could not set the retry time of payment ${describeId(entry.id)} in the outbox: ${messageOf(error)}`,
        );
      }
    },

    /** The entry left this client's hands (delivered, given up, abandoned). */
    release(id: string): void {
      fresh.delete(id);
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;

/** A random id for this client instance, from Web Crypto where there is one. */
function randomOwner(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
