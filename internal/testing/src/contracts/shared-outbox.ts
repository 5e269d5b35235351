import { describe, expect, it } from 'vitest';
import type {
  OutboxEntry,
  OutboxLease,
  SharedOutbox,
} from '../../../../packages/core/src/outbox.js';

/** What {@link sharedOutboxContract} needs from an engine's test file. */
export interface SharedOutboxContractOptions {
  /** A new, empty outbox for each test (a fresh table, key prefix or database). */
  make(): SharedOutbox | Promise<SharedOutbox>;
  /** Lets go of an outbox after its test (drop the table, delete the keys). */
  dispose?(outbox: SharedOutbox): void | Promise<void>;
  /**
   * The short lease the lapse tests use, and how long they wait for it to lapse on the engine's
   * clock. Default 50 ms and 250 ms: raise them for an engine whose clock is coarser.
   */
  shortLeaseMs?: number;
  lapseWaitMs?: number;
}

const held = 60_000;
let counter = 0;

/** An entry as the client stores it; `age` makes older entries (a larger age is older). */
export function outboxEntry(id = `tx_${(counter++).toString(36)}`, age = 0): OutboxEntry {
  return {
    id,
    body: {
      amount: 29.99,
      currency: 'USD',
      transaction_id: id,
      timestamp: '2026-12-07T12:00:00.000Z',
      datafast_visitor_id: '3cff4252-fa96-4d8b-8a5c-5a5e3f1e6e2d',
      email: 'ada@example.com',
      name: 'Ada Lovelace — “Pro” plan ✓',
      renewal: false,
    },
    createdAt: 1_796_644_800_000 - age,
  };
}

/**
 * The rules every {@link SharedOutbox} keeps, as a vitest suite: what core's client relies on
 * (see the interface's TSDoc). Each engine's package runs it against its real server; core runs
 * it against its in-memory reference implementation.
 *
 * The lapse tests wait for a short lease to run out: the lapse is the engine's clock passing,
 * so a wait is what they test, not a stand-in for synchronisation.
 *
 * @example
 * sharedOutboxContract({ make: () => postgresOutbox({ pool, table: freshTable() }) })
 */
export function sharedOutboxContract(options: SharedOutboxContractOptions): void {
  const shortMs = options.shortLeaseMs ?? 50;
  const lapseWaitMs = options.lapseWaitMs ?? 250;
  const lease = (owner: string, ms = held): OutboxLease => ({ owner, ms });
  const lapse = () => new Promise((resolve) => setTimeout(resolve, lapseWaitMs));

  async function withOutbox(test: (outbox: SharedOutbox) => Promise<void>): Promise<void> {
    const outbox = await options.make();
    try {
      expect(outbox.shared).toBe(true);
      await test(outbox);
    } finally {
      await options.dispose?.(outbox);
    }
  }

  describe('SharedOutbox contract', () => {
    it('put stores an entry as given and resolves true; list reads it back exactly', () =>
      withOutbox(async (outbox) => {
        const entry = outboxEntry();
        expect(await outbox.put(entry, lease('a'))).toBe(true);
        expect(await outbox.list()).toEqual([entry]);
      }));

    it('put of a stored id resolves false and leaves that entry untouched: body, lease and due time', () =>
      withOutbox(async (outbox) => {
        const first = outboxEntry('tx_same');
        expect(await outbox.put(first, lease('a', shortMs))).toBe(true);
        const second = { ...outboxEntry('tx_same', 5_000), body: { ...first.body, amount: 1 } };
        expect(await outbox.put(second, lease('b'))).toBe(false);
        expect(await outbox.list()).toEqual([first]);
        // The second put did not lease it to b for a minute: a's short lease still decides.
        await lapse();
        expect(await outbox.claim({ limit: 10, lease: lease('c') })).toEqual([first]);
      }));

    it('an entry is not claimed while the lease put gave it holds', () =>
      withOutbox(async (outbox) => {
        await outbox.put(outboxEntry(), lease('a'));
        expect(await outbox.claim({ limit: 10, lease: lease('b') })).toEqual([]);
        expect(await outbox.claim({ limit: 10, lease: lease('a') })).toEqual([]);
      }));

    it('an entry whose lease lapsed is claimed, and then held by its claimer', () =>
      withOutbox(async (outbox) => {
        const entry = outboxEntry();
        await outbox.put(entry, lease('a', shortMs));
        await lapse();
        expect(await outbox.claim({ limit: 10, lease: lease('b') })).toEqual([entry]);
        expect(await outbox.claim({ limit: 10, lease: lease('c') })).toEqual([]);
        expect(await outbox.renew(entry.id, lease('a'))).toBe(false);
        expect(await outbox.renew(entry.id, lease('b'))).toBe(true);
      }));

    it('claim takes the oldest due entries first, at most limit', () =>
      withOutbox(async (outbox) => {
        const entries = [4, 1, 3, 0, 2].map((age) => outboxEntry(`tx_age_${age}`, age * 1000));
        for (const entry of entries) await outbox.put(entry, lease('a', shortMs));
        await lapse();
        const first = await outbox.claim({ limit: 2, lease: lease('b') });
        expect(first.map((e) => e.id)).toEqual(['tx_age_4', 'tx_age_3']);
        const rest = await outbox.claim({ limit: 10, lease: lease('c') });
        expect(rest.map((e) => e.id)).toEqual(['tx_age_2', 'tx_age_1', 'tx_age_0']);
      }));

    it('concurrent claims never hand one entry to two owners', () =>
      withOutbox(async (outbox) => {
        const ids = Array.from({ length: 60 }, (_, i) => `tx_race_${i}`);
        await Promise.all(ids.map((id) => outbox.put(outboxEntry(id), lease('a', shortMs))));
        await lapse();
        const claims = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            outbox.claim({ limit: 7, lease: lease(`owner_${i}`) }),
          ),
        );
        const claimed = claims.flat().map((e) => e.id);
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed.length).toBe(ids.length);
        expect(await outbox.claim({ limit: 100, lease: lease('late') })).toEqual([]);
      }));

    it('renew: the holder extends its lease; another owner is refused while it holds', () =>
      withOutbox(async (outbox) => {
        const entry = outboxEntry();
        await outbox.put(entry, lease('a', shortMs));
        expect(await outbox.renew(entry.id, lease('a'))).toBe(true);
        await lapse();
        // Extended to a minute: not due, not the other owner's.
        expect(await outbox.renew(entry.id, lease('b'))).toBe(false);
        expect(await outbox.claim({ limit: 10, lease: lease('b') })).toEqual([]);
      }));

    it('renew takes an entry whose lease lapsed, from any owner', () =>
      withOutbox(async (outbox) => {
        const entry = outboxEntry();
        await outbox.put(entry, lease('a', shortMs));
        await lapse();
        expect(await outbox.renew(entry.id, lease('b'))).toBe(true);
        expect(await outbox.renew(entry.id, lease('a'))).toBe(false);
        expect(await outbox.claim({ limit: 10, lease: lease('c') })).toEqual([]);
      }));

    it('renew with a retry delay makes the entry due when it lapses', () =>
      withOutbox(async (outbox) => {
        const entry = outboxEntry();
        await outbox.put(entry, lease('a'));
        expect(await outbox.renew(entry.id, lease('a', shortMs))).toBe(true);
        await lapse();
        expect(await outbox.claim({ limit: 10, lease: lease('b') })).toEqual([entry]);
      }));

    it('renew of an id that is not stored resolves false', () =>
      withOutbox(async (outbox) => {
        expect(await outbox.renew('tx_never_stored', lease('a'))).toBe(false);
      }));

    it('delete forgets an entry whoever holds it; unknown ids are not an error', () =>
      withOutbox(async (outbox) => {
        const kept = outboxEntry();
        const gone = outboxEntry();
        await outbox.put(kept, lease('a', shortMs));
        await outbox.put(gone, lease('a', shortMs));
        await outbox.delete(gone.id);
        await outbox.delete('tx_never_stored');
        expect(await outbox.renew(gone.id, lease('a'))).toBe(false);
        expect(await outbox.list()).toEqual([kept]);
        await lapse();
        expect(await outbox.claim({ limit: 10, lease: lease('b') })).toEqual([kept]);
        // A deleted id may be stored again (a payment tracked anew).
        expect(await outbox.put(gone, lease('a'))).toBe(true);
      }));

    it('list reads every entry oldest first, held or not, or the oldest limit of them', () =>
      withOutbox(async (outbox) => {
        const entries = [2, 0, 1].map((age) => outboxEntry(`tx_list_${age}`, age * 1000));
        await outbox.put(entries[0] as OutboxEntry, lease('a'));
        await outbox.put(entries[1] as OutboxEntry, lease('a', shortMs));
        await outbox.put(entries[2] as OutboxEntry, lease('b'));
        expect((await outbox.list()).map((e) => e.id)).toEqual([
          'tx_list_2',
          'tx_list_1',
          'tx_list_0',
        ]);
        expect((await outbox.list({ limit: 2 })).map((e) => e.id)).toEqual([
          'tx_list_2',
          'tx_list_1',
        ]);
      }));
  });
}
