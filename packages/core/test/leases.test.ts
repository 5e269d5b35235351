import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLeases, leaseMsFor } from '../src/leases.js';
import type { OutboxEntry } from '../src/outbox.js';
import { memorySharedOutbox } from './helpers/memory-shared-outbox.js';

// The lease keeper alone, on the reference outbox (whose engine clock is Date.now()): fake
// timers move both clocks together, so "the lease lapsed while the entry waited" is exact.
const timeoutMs = 10_000;
const leaseMs = leaseMsFor(timeoutMs); // 25 s

function keeper(outbox: ReturnType<typeof memorySharedOutbox>) {
  return createLeases({
    outbox,
    leaseMs: () => leaseMs,
    engineTimeoutMs: () => timeoutMs,
    logError: () => {},
    debug: () => {},
  });
}

const entry = (id: string): OutboxEntry => ({
  id,
  createdAt: Date.now(),
  body: { transaction_id: id, amount: 10, currency: 'USD', datafast_visitor_id: 'v' } as never,
});

describe('leases', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('attempts a freshly claimed entry without a renew while its lease still covers an attempt', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const outbox = memorySharedOutbox();
    const a = keeper(outbox);
    expect(await a.put(entry('tx_1'))).toBe(true);
    const renew = vi.spyOn(outbox, 'renew');
    vi.setSystemTime(Date.now() + leaseMs - timeoutMs - 1);
    expect(await a.beforeAttempt(entry('tx_1'))).toBe(true);
    expect(renew).not.toHaveBeenCalled();
  });

  it('renews before the attempt once a claim is too old to cover it, and yields to the process that claimed it since', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const outbox = memorySharedOutbox();
    const a = keeper(outbox);
    const b = keeper(outbox);
    await outbox.put(entry('tx_2'), { owner: 'nobody', ms: 1 });
    vi.setSystemTime(Date.now() + 2);
    // A's sweep claims it, but its attempt waits in A's queue past the lease...
    expect((await a.claim(10)).map((e) => e.id)).toEqual(['tx_2']);
    vi.setSystemTime(Date.now() + leaseMs + 1);
    // ...which lapses, and B's sweep takes it.
    expect((await b.claim(10)).map((e) => e.id)).toEqual(['tx_2']);
    // A must not send it as well: its old claim no longer holds.
    expect(await a.beforeAttempt(entry('tx_2'))).toBe(false);
    expect(await b.beforeAttempt(entry('tx_2'))).toBe(true);
  });
});
