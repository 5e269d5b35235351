import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatafast, type OutboxEntry, type PaymentInput } from '../src/index.js';
import { directoryOutbox } from './helpers/directory-outbox.js';
import { recordingLogger } from './helpers/logger.js';
import { useTestServer } from './helpers/server.js';

// A serverless function is frozen once its response is sent and what it handed to `waitUntil`
// has settled; a cron's function once `drain` has answered. A delivered report whose outbox
// delete was still in flight then stays in the outbox, and is sent again later.

const server = useTestServer();
const fast = { initialDelayMs: 5, maxDelayMs: 20 };
const folders: string[] = [];
let counter = 0;
const uniqueId = (name: string) => `${name}_${Date.now().toString(36)}_${counter++}`;
const payment = (transaction_id: string): PaymentInput => ({
  amount: 29.99,
  currency: 'USD',
  transaction_id,
});

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-deletes-'));
  folders.push(dir);
  return directoryOutbox(dir);
}

describe("an asynchronous outbox's deletes of delivered reports", () => {
  it('land before the promise handed to waitUntil settles', async () => {
    const outbox = store();
    const handed: Array<Promise<unknown>> = [];
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, backoff: fast });
    const id = uniqueId('wait_until_delete');
    datafast.track(payment(id), { waitUntil: (promise) => handed.push(promise) });
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(server.stored).toContain(id);
    expect(await outbox.ids()).toEqual([]);
    await datafast.shutdown(1_000);
  });

  it('land before flush resolves', async () => {
    const outbox = store();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, backoff: fast });
    const ids = [uniqueId('flush_delete'), uniqueId('flush_delete'), uniqueId('flush_delete')];
    for (const id of ids) datafast.track(payment(id));
    expect(await datafast.flush()).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toEqual(expect.arrayContaining(ids));
    expect(await outbox.ids()).toEqual([]);
    await datafast.shutdown(1_000);
  });

  it('land before drain resolves, for each report it delivered', async () => {
    const outbox = store();
    const ids = [uniqueId('drain_delete'), uniqueId('drain_delete'), uniqueId('drain_delete')];
    // What a function frozen while DataFast was down left behind.
    for (const [index, id] of ids.entries()) {
      const body = { ...payment(id), timestamp: new Date().toISOString() };
      await outbox.put({ id, body, createdAt: Date.now() - 1_000 + index } as OutboxEntry);
    }
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, backoff: fast });
    expect(await datafast.drain({ timeMs: 5_000 })).toEqual({
      delivered: 3,
      retried: 0,
      gaveUp: 0,
      remaining: 0,
    });
    expect(server.stored).toEqual(expect.arrayContaining(ids));
    expect(await outbox.ids()).toEqual([]);
    await datafast.shutdown(1_000);
  });

  it('hold flush no longer than the attempt timeout when the store never answers, and say so', async () => {
    const outbox = store();
    const logger = recordingLogger();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      // A store that never answers a delete (a partitioned database whose driver has no
      // timeout) cannot be made here: this delete never settles.
      outbox: { ...outbox, delete: () => new Promise<void>(() => {}) },
      backoff: fast,
      logger,
      timeoutMs: 200,
    });
    const id = uniqueId('hung_delete');
    datafast.track(payment(id));
    expect(await datafast.flush()).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    expect(logger.lines.join('\n')).toContain('could not delete payment');
    expect(logger.lines.join('\n')).toContain('did not answer delete within 200 ms');
    await datafast.shutdown(1_000);
  });
});
