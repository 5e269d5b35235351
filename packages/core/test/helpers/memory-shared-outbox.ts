import type { OutboxEntry, OutboxLease, SharedOutbox } from '@datafast-checkout/core';

/**
 * A {@link SharedOutbox} in this process's memory: the reference implementation of the contract
 * that core's own tests use, so that the client's lease logic is tested without an engine here.
 * It is not a stand-in for PostgreSQL or Redis: those are tested against real servers in their
 * own packages (`@datafast-checkout/postgres`, `@datafast-checkout/redis`), with the same contract
 * suite (`@datafast-checkout/testing/contracts`) this one passes. Its "engine clock" is
 * `Date.now()`. Several clients given the same instance share it as processes share a database.
 */
export interface MemorySharedOutbox extends SharedOutbox {
  /** Who holds each entry and until when (for assertions). */
  leaseOf(id: string): { owner: string; until: number } | undefined;
  /** While set, every method rejects, as an unreachable engine would. */
  down: boolean;
  /** While set, no method ever settles, as with a partitioned engine and a driver without a timeout. */
  hung: boolean;
}

export function memorySharedOutbox(): MemorySharedOutbox {
  const rows = new Map<string, { entry: OutboxEntry; owner: string; until: number }>();
  const copy = (entry: OutboxEntry): OutboxEntry => structuredClone(entry);
  const byAge = () => [...rows.values()].sort((a, b) => a.entry.createdAt - b.entry.createdAt);
  const outbox: MemorySharedOutbox = {
    shared: true,
    down: false,
    hung: false,
    async put(entry, lease: OutboxLease) {
      await check();
      if (rows.has(entry.id)) return false;
      rows.set(entry.id, { entry: copy(entry), owner: lease.owner, until: Date.now() + lease.ms });
      return true;
    },
    async claim({ limit, lease }) {
      await check();
      const now = Date.now();
      const due = byAge()
        .filter((row) => row.until <= now)
        .slice(0, limit);
      for (const row of due) {
        row.owner = lease.owner;
        row.until = now + lease.ms;
      }
      return due.map((row) => copy(row.entry));
    },
    async renew(id, lease) {
      await check();
      const row = rows.get(id);
      const now = Date.now();
      if (!row || (row.owner !== lease.owner && row.until > now)) return false;
      row.owner = lease.owner;
      row.until = now + lease.ms;
      return true;
    },
    async delete(id) {
      await check();
      rows.delete(id);
    },
    async list(options) {
      await check();
      return byAge()
        .slice(0, options?.limit ?? Number.POSITIVE_INFINITY)
        .map((row) => copy(row.entry));
    },
    leaseOf(id) {
      const row = rows.get(id);
      return row && { owner: row.owner, until: row.until };
    },
  };
  async function check() {
    if (outbox.hung) await new Promise(() => {});
    if (outbox.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }
  return outbox;
}
