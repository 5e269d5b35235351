import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileOutbox } from '../src/file-outbox.js';
import {
  createDatafast,
  type DatafastError,
  type OutboxEntry,
  type PaymentInput,
} from '../src/index.js';
import { recordingLogger } from './helpers/logger.js';
import { memorySharedOutbox } from './helpers/memory-shared-outbox.js';
import { useTestServer } from './helpers/server.js';

const server = useTestServer();
let counter = 0;
const uniqueId = (name: string) => `${name}_${Date.now().toString(36)}_${counter++}`;
const postedIds = () => server.requests.map((r) => (r.json as PaymentInput).transaction_id);

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

function failures() {
  const seen: Array<{ error: DatafastError; payment: PaymentInput | undefined }> = [];
  return {
    seen,
    onError: (error: DatafastError, p?: PaymentInput) => seen.push({ error, payment: p }),
  };
}

/** A shared outbox holding `entries` as a process that died left them: due. */
async function leftByADeadProcess(entries: OutboxEntry[]) {
  const outbox = memorySharedOutbox();
  for (const e of entries) await outbox.put(e, { owner: 'dead-process', ms: 1 });
  await new Promise((resolve) => setTimeout(resolve, 5)); // the 1 ms leases lapse
  return outbox;
}

describe('drain', () => {
  it('attempts each due report once and counts how each ended; refusals and expired reports reach onError', async () => {
    const hour = 60 * 60_000;
    const [ok1, ok2, refused, transient, expired] = [
      'ok1',
      'ok2',
      'refused',
      'transient',
      'expired',
    ].map(uniqueId) as string[];
    const outbox = await leftByADeadProcess([
      entry(expired as string, Date.now() - 2 * hour),
      entry(ok1 as string, Date.now() - 5_000),
      entry(refused as string, Date.now() - 4_000),
      entry(transient as string, Date.now() - 3_000),
      entry(ok2 as string, Date.now() - 2_000),
    ]);
    // Oldest first, one at a time: the expired one, ok1, refused, transient, ok2.
    server.script(
      { status: 503 },
      { status: 200 },
      { status: 400, body: { status: 'error', error: { code: 400, message: 'Invalid amount' } } },
      { status: 503 },
      { status: 200 },
    );
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox,
      onError,
      concurrency: 1,
      maxAgeMs: hour,
    });
    const result = await datafast.drain({ timeMs: 10_000 });
    expect(result).toEqual({ delivered: 2, retried: 1, gaveUp: 2, remaining: 0 });
    expect(postedIds()).toEqual([expired, ok1, refused, transient, ok2]);
    expect(seen.map((s) => [s.payment?.transaction_id, s.error.code])).toEqual([
      [expired, 'api_error'],
      [refused, 'api_error'],
    ]);
    // Only the transient one is left, due again after the drain (not within it).
    expect((await outbox.list()).map((e) => e.id)).toEqual([transient]);
    expect(outbox.leaseOf(transient as string)?.until).toBeGreaterThan(Date.now());
    await datafast.shutdown();
  });

  it('stops starting attempts when the time budget is spent and says how many it left', async () => {
    const ids = Array.from({ length: 12 }, () => uniqueId('budget'));
    const outbox = await leftByADeadProcess(ids.map((id, i) => entry(id, Date.now() - 10_000 + i)));
    // DataFast answers slowly: two attempts at a time, 400 ms each, within a 300 ms budget.
    for (const _ of ids) server.script({ status: 200, delayMs: 400 });
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox,
      concurrency: 2,
    });
    const result = await datafast.drain({ timeMs: 300 });
    expect(result.delivered).toBe(2);
    expect(result.remaining).toBeGreaterThan(0);
    expect(result.retried + result.gaveUp).toBe(0);
    // Nothing else was sent, and the rest is still in the outbox for the next drain.
    expect(server.requests).toHaveLength(2);
    expect(await outbox.list()).toHaveLength(ids.length - 2);
    await datafast.shutdown();
  });

  it('respects limit', async () => {
    const ids = Array.from({ length: 5 }, () => uniqueId('limit'));
    const outbox = await leftByADeadProcess(ids.map((id) => entry(id)));
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    expect(await datafast.drain({ limit: 3 })).toMatchObject({
      delivered: 3,
      retried: 0,
      gaveUp: 0,
    });
    expect(await outbox.list()).toHaveLength(2);
    await datafast.shutdown();
  });

  it('leaves reports another process holds or this process is delivering', async () => {
    const held = uniqueId('held');
    const due = uniqueId('due');
    const outbox = await leftByADeadProcess([entry(due)]);
    await outbox.put(entry(held), { owner: 'live-process', ms: 60_000 });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    expect(await datafast.drain()).toEqual({ delivered: 1, retried: 0, gaveUp: 0, remaining: 0 });
    expect(postedIds()).toEqual([due]);
    await datafast.shutdown();
  });

  it('ends early, with what it did, when the engine is unreachable', async () => {
    const outbox = memorySharedOutbox();
    outbox.down = true;
    const logger = recordingLogger();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, logger });
    expect(await datafast.drain()).toEqual({ delivered: 0, retried: 0, gaveUp: 0, remaining: 0 });
    expect(logger.lines.join('\n')).toContain('drain could not read the outbox');
    await datafast.shutdown();
  });

  it('works on a plain outbox (the file outbox): what it lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'datafast-drain-'));
    try {
      const ids = [uniqueId('file'), uniqueId('file')];
      const earlier = fileOutbox(dir);
      for (const id of ids) earlier.put(entry(id));
      earlier.close();
      const outbox = fileOutbox(dir);
      server.script({ status: 503 });
      const datafast = createDatafast({
        apiKey: 'df_k',
        baseUrl: server.url,
        outbox,
        concurrency: 1,
      });
      expect(await datafast.drain()).toEqual({ delivered: 1, retried: 1, gaveUp: 0, remaining: 0 });
      expect(outbox.list().map((e) => e.id)).toEqual([ids[0]]);
      await datafast.shutdown();
      outbox.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without an outbox, waits for what this process holds, like flush, and counts it', async () => {
    server.script({ status: 400, body: { status: 'error', error: { code: 400, message: 'bad' } } });
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      onError,
      concurrency: 1,
    });
    const refused = uniqueId('mem');
    const ok = uniqueId('mem');
    datafast.track({ amount: 1, currency: 'USD', transaction_id: refused });
    datafast.track({ amount: 1, currency: 'USD', transaction_id: ok });
    expect(await datafast.drain({ timeMs: 5_000 })).toEqual({
      delivered: 1,
      retried: 0,
      gaveUp: 1,
      remaining: 0,
    });
    expect(seen.map((s) => s.payment?.transaction_id)).toEqual([refused]);
    await datafast.shutdown();
  });

  it('refuses a budget that is not a positive number, naming the field', async () => {
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    await expect(datafast.drain({ timeMs: -1 })).rejects.toMatchObject({
      code: 'validation_error',
      field: 'timeMs',
    });
    await expect(datafast.drain({ limit: 0 })).rejects.toMatchObject({
      code: 'validation_error',
      field: 'limit',
    });
    await datafast.shutdown();
  });
});
