import { describe, expect, it } from 'vitest';
import {
  createDatafast,
  type DatafastError,
  type OutboxEntry,
  type OutboxLease,
  type PaymentInput,
  type SharedOutbox,
} from '../src/index.js';
import { recordingLogger } from './helpers/logger.js';
import { type MemorySharedOutbox, memorySharedOutbox } from './helpers/memory-shared-outbox.js';
import { useTestServer } from './helpers/server.js';

const server = useTestServer();
const fast = { initialDelayMs: 5, maxDelayMs: 20 };
let counter = 0;
const uniqueId = (name: string) => `${name}_${Date.now().toString(36)}_${counter++}`;
const payment = (transaction_id: string): PaymentInput => ({
  amount: 29.99,
  currency: 'USD',
  transaction_id,
});

function entry(id: string, createdAt = Date.now()): OutboxEntry {
  return {
    id,
    body: {
      amount: 29.99,
      currency: 'USD',
      transaction_id: id,
      timestamp: new Date().toISOString(),
    },
    createdAt,
  };
}

/** The outbox, with every call the client made to it, in order. */
function spied(outbox: MemorySharedOutbox) {
  const calls: Array<{ method: string; id?: string; lease?: OutboxLease }> = [];
  const spy: SharedOutbox = {
    shared: true,
    put: (e, lease) => {
      calls.push({ method: 'put', id: e.id, lease });
      return outbox.put(e, lease);
    },
    claim: (options) => {
      calls.push({ method: 'claim', lease: options.lease });
      return outbox.claim(options);
    },
    renew: (id, lease) => {
      calls.push({ method: 'renew', id, lease });
      return outbox.renew(id, lease);
    },
    delete: (id) => {
      calls.push({ method: 'delete', id });
      return outbox.delete(id);
    },
    list: (options) => outbox.list(options),
  };
  return { spy, calls };
}

function failures() {
  const seen: Array<{ error: DatafastError; payment: PaymentInput | undefined }> = [];
  return {
    seen,
    onError: (error: DatafastError, p?: PaymentInput) => seen.push({ error, payment: p }),
  };
}

describe('a shared outbox', () => {
  it('stores a tracked report under a lease covering one attempt, sends it without a renew, and deletes it', async () => {
    const outbox = memorySharedOutbox();
    const { spy, calls } = spied(outbox);
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox: spy,
      timeoutMs: 2_000,
    });
    const id = uniqueId('shared_put');
    datafast.track(payment(id));
    expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    const mine = calls.filter((call) => call.id === id);
    expect(mine.map((call) => call.method)).toEqual(['put', 'delete']);
    // Twice the attempt timeout plus 5 s: an attempt, and room for the engine's round-trips.
    expect(mine[0]?.lease).toMatchObject({ owner: expect.any(String), ms: 9_000 });
    expect(await outbox.list()).toEqual([]);
    await datafast.shutdown();
  });

  it('leaves a report another process holds to it: no POST, no onError', async () => {
    const outbox = memorySharedOutbox();
    const id = uniqueId('shared_held');
    await outbox.put(entry(id), { owner: 'another-process', ms: 60_000 });
    const { seen, onError } = failures();
    const logger = { ...recordingLogger(), debug: (line: string) => debugLines.push(line) };
    const debugLines: string[] = [];
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox,
      onError,
      logger,
      debug: true,
    });
    datafast.track(payment(id));
    expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.requests).toHaveLength(0);
    expect(seen).toEqual([]);
    expect(outbox.leaseOf(id)?.owner).toBe('another-process');
    expect(debugLines.join('\n')).toContain('is left to another process');
    await datafast.shutdown();
  });

  it('renews before a later attempt, and after a failed round sets the lease to lapse when the retry is due', async () => {
    const outbox = memorySharedOutbox();
    const { spy, calls } = spied(outbox);
    server.script({ status: 503 }, { status: 503 });
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox: spy,
      maxRetries: 0,
      backoff: fast,
    });
    const id = uniqueId('shared_retry');
    datafast.track(payment(id));
    expect(await datafast.flush(5_000)).toMatchObject({ settled: true });
    const mine = calls.filter((call) => call.id === id);
    // The first attempt goes under put's lease. Each failed round sets the lease to lapse when
    // the next round is due; each later attempt renews it for one attempt first.
    expect(mine.map((call) => call.method)).toEqual([
      'put',
      'renew',
      'renew',
      'renew',
      'renew',
      'delete',
    ]);
    const owner = mine[0]?.lease?.owner;
    expect(mine.every((call) => call.method === 'delete' || call.lease?.owner === owner)).toBe(
      true,
    );
    const [retryTime, attempt] = [mine[1]?.lease?.ms ?? 0, mine[2]?.lease?.ms];
    // The retry delay (a few maxDelayMs with this backoff), not another attempt's lease.
    expect(retryTime).toBeGreaterThan(0);
    expect(retryTime).toBeLessThan(1_000);
    expect(attempt).toBe(25_000);
    expect(server.stored).toContain(id);
    await datafast.shutdown();
  });

  it('an unreachable engine never reaches track: the report is delivered from memory, the failure logged', async () => {
    const outbox = memorySharedOutbox();
    outbox.down = true;
    const logger = recordingLogger();
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox,
      logger,
      onError,
    });
    const id = uniqueId('shared_down');
    expect(() => datafast.track(payment(id))).not.toThrow();
    expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    expect(seen).toEqual([]);
    expect(logger.lines.join('\n')).toContain('could not store payment');
    await datafast.shutdown();
  });

  it('a hung engine holds no report: after the attempt timeout it is delivered from memory', async () => {
    const outbox = memorySharedOutbox();
    outbox.hung = true;
    const logger = recordingLogger();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox,
      logger,
      timeoutMs: 200,
    });
    const id = uniqueId('shared_hung');
    datafast.track(payment(id));
    expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    expect(logger.lines.join('\n')).toContain('did not answer put within 200 ms');
    await datafast.shutdown(100);
  });

  it("the start-up sweep claims what a dead process's lapsed lease left, and delivers it", async () => {
    const outbox = memorySharedOutbox();
    const id = uniqueId('shared_orphan');
    await outbox.put(entry(id), { owner: 'dead-process', ms: 1 });
    const held = uniqueId('shared_alive');
    await outbox.put(entry(held), { owner: 'live-process', ms: 60_000 });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    await server.waitForRequests(1);
    expect(await datafast.flush(5_000)).toMatchObject({ settled: true });
    expect(server.requests.map((r) => (r.json as PaymentInput).transaction_id)).toEqual([id]);
    expect((await outbox.list()).map((e) => e.id)).toEqual([held]);
    await datafast.shutdown();
  });

  it('two clients sharing one outbox never POST one transaction_id at the same time', async () => {
    // Two instances behind a load balancer, each reporting the same payments (a success page on
    // one, the webhook on the other) while DataFast is slow and failing.
    const outbox = memorySharedOutbox();
    const ids = Array.from({ length: 20 }, () => uniqueId('shared_pair'));
    for (let i = 0; i < 30; i++) server.script({ status: 503, delayMs: 50 });
    const clients = [0, 1].map(() =>
      createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, maxRetries: 1, backoff: fast }),
    );
    for (const id of ids) for (const client of clients) client.track(payment(id));
    await Promise.all(clients.map((client) => client.flush(15_000)));
    expect(server.overlapping).toEqual([]);
    expect([...server.stored].filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    await Promise.all(clients.map((client) => client.shutdown()));
  });
});
