import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileOutbox, fileOutbox } from '../src/file-outbox.js';
import {
  createDatafast,
  type DatafastError,
  type Outbox,
  type OutboxEntry,
  type PaymentInput,
} from '../src/index.js';
import { closedPortUrl, useTestServer } from './helpers/server.js';

const server = useTestServer();
const fast = { initialDelayMs: 5, maxDelayMs: 20 };
const opened: FileOutbox[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const outbox of opened.splice(0)) outbox.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-outbox-'));
  folders.push(dir);
  return dir;
}

function open(dir: string, options?: Parameters<typeof fileOutbox>[1]): FileOutbox {
  const outbox = fileOutbox(dir, options);
  opened.push(outbox);
  return outbox;
}

function entry(id: string, createdAt = Date.now()): OutboxEntry {
  return {
    id,
    body: {
      amount: 29.99,
      currency: 'USD',
      transaction_id: id,
      timestamp: '2026-11-23T12:00:00.000Z',
    },
    createdAt,
  };
}

const payment = (transaction_id: string): PaymentInput => ({
  amount: 29.99,
  currency: 'USD',
  transaction_id,
});

function failures() {
  const seen: Array<{ error: DatafastError; payment: PaymentInput | undefined }> = [];
  return {
    seen,
    onError: (error: DatafastError, p?: PaymentInput) => seen.push({ error, payment: p }),
  };
}

describe('fileOutbox', () => {
  it('keeps entries across a close and a reopen, oldest first, and forgets deleted ones', () => {
    const dir = folder();
    const first = open(dir);
    first.put(entry('txn_b', 2));
    first.put(entry('txn_a', 1));
    first.put(entry('txn_c', 3));
    first.delete('txn_b');
    first.close();
    const again = open(dir);
    expect(again.list().map((e) => e.id)).toEqual(['txn_a', 'txn_c']);
    expect(again.size).toBe(2);
  });

  it('stores a payment put twice once', () => {
    const outbox = open(folder());
    outbox.put(entry('txn_same'));
    outbox.put(entry('txn_same'));
    expect(outbox.list()).toHaveLength(1);
    expect(readFileSync(outbox.file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('survives a crash in the middle of a write: only the torn entry is lost', () => {
    const dir = folder();
    const outbox = open(dir);
    outbox.put(entry('txn_whole_1'));
    outbox.put(entry('txn_whole_2'));
    outbox.close();
    // What a kill -9 halfway through writing the third line leaves behind.
    appendFileSync(join(dir, 'outbox.jsonl'), '{"op":"put","entry":{"id":"txn_torn","bo');
    const reopened = open(dir);
    expect(reopened.list().map((e) => e.id)).toEqual(['txn_whole_1', 'txn_whole_2']);
    // The file is whole again: the next entry does not land on the torn line.
    reopened.put(entry('txn_after'));
    reopened.close();
    expect(
      open(dir)
        .list()
        .map((e) => e.id),
    ).toEqual(['txn_whole_1', 'txn_whole_2', 'txn_after']);
  });

  it('compacts the log as entries are delivered', () => {
    const outbox = open(folder(), { compactAfter: 20 });
    for (let i = 0; i < 500; i++) {
      outbox.put(entry(`txn_${i}`));
      if (i % 10 !== 0) outbox.delete(`txn_${i}`);
    }
    // 950 lines without compaction; with it, dead lines never outnumber live ones by much.
    const lines = readFileSync(outbox.file, 'utf8').trim().split('\n').length;
    expect(outbox.size).toBe(50);
    expect(lines).toBeLessThanOrEqual(2 * 50 + 1);
    expect(outbox.list().map((e) => e.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => `txn_${i * 10}`),
    );
  });

  it('keeps a report put just before the process is killed, with the default batched sync', async () => {
    const dir = folder();
    // The built entry (turbo builds before tests): Node 20 runs no TypeScript.
    const module = new URL('../dist/file-outbox.js', import.meta.url).href;
    // The child stores one report and kills itself at once: no turn of the loop, no fsync yet.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { fileOutbox } = await import(${JSON.stringify(module)});
         fileOutbox(${JSON.stringify(dir)}).put(${JSON.stringify(entry('txn_before_kill'))});
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { stdio: 'ignore' },
    );
    const signal = await new Promise((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    expect(
      open(dir)
        .list()
        .map((e) => e.id),
    ).toEqual(['txn_before_kill']);
  });

  it("fsyncs inside put with sync: 'each', and refuses another mode", () => {
    const outbox = open(folder(), { sync: 'each' });
    outbox.put(entry('txn_synced'));
    expect(outbox.list().map((e) => e.id)).toEqual(['txn_synced']);
    expect(() => fileOutbox(folder(), { sync: 'never' as never })).toThrow(/sync must be/);
  });

  it('refuses a second outbox on the same directory in this process', () => {
    const dir = folder();
    open(dir);
    expect(() => fileOutbox(dir)).toThrow(/already open in this process/);
  });

  it('refuses a directory locked by another live process, naming it', async () => {
    const dir = folder();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    try {
      writeFileSync(join(dir, 'outbox.lock'), String(other.pid));
      expect(() => fileOutbox(dir)).toThrow(`in use by process ${other.pid}`);
    } finally {
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // Its owner gone, the lock is stale and taken over.
    expect(open(dir).list()).toEqual([]);
  });
});

describe('createDatafast({ outbox })', () => {
  it('writes the report to the outbox before track returns, and removes it once delivered', async () => {
    const outbox = open(folder());
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    datafast.track(payment('txn_durable'));
    expect(readFileSync(outbox.file, 'utf8')).toContain('"txn_durable"');
    await datafast.flush();
    expect(server.stored).toContain('txn_durable');
    expect(outbox.list()).toEqual([]);
  });

  it('keeps what DataFast did not confirm, and the next process delivers it at start-up', async () => {
    const dir = folder();
    const outbox = open(dir);
    const { seen, onError } = failures();
    const down = createDatafast({
      apiKey: 'df_k',
      baseUrl: await closedPortUrl(),
      outbox,
      onError,
      maxRetries: 0,
    });
    down.track(payment('txn_left_1'));
    down.track(payment('txn_left_2'));
    // The deploy's SIGTERM: nothing is lost, nothing is reported lost.
    expect(await down.shutdown(50)).toEqual({ settled: false, pending: 2 });
    expect(seen).toEqual([]);
    outbox.close();

    const next = open(dir);
    const up = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox: next });
    await server.waitForRequests(2);
    await up.flush();
    expect(server.stored).toEqual(expect.arrayContaining(['txn_left_1', 'txn_left_2']));
    expect(next.list()).toEqual([]);
  });

  it('reports a permanently refused entry to onError and removes it', async () => {
    server.script({
      status: 400,
      body: { status: 'error', error: { code: 400, message: 'Invalid currency' } },
    });
    const outbox = open(folder());
    const { seen, onError } = failures();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, onError });
    datafast.track(payment('txn_refused'));
    await datafast.flush();
    expect(seen.map((s) => [s.error.code, s.payment?.transaction_id])).toEqual([
      ['api_error', 'txn_refused'],
    ]);
    expect(outbox.list()).toEqual([]);
  });

  it('drops nothing past the memory bound: the outbox holds the rest until there is room', async () => {
    const outbox = open(folder());
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox,
      onError,
      maxQueueSize: 5,
      concurrency: 2,
    });
    for (let i = 0; i < 40; i++) datafast.track(payment(`txn_room_${i}`));
    expect(datafast.pending).toBe(5);
    expect(outbox.size).toBe(40);
    const ids = Array.from({ length: 40 }, (_, i) => `txn_room_${i}`);
    await server.waitForRequests(40);
    await datafast.flush();
    expect(seen).toEqual([]);
    expect(server.stored).toEqual(expect.arrayContaining(ids));
    expect(outbox.size).toBe(0);
  });

  it('works with an asynchronous store of your own', async () => {
    const rows = new Map<string, OutboxEntry>();
    const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
    const store: Outbox = {
      put: async (e) => {
        await tick();
        rows.set(e.id, e);
      },
      delete: async (id) => {
        await tick();
        rows.delete(id);
      },
      list: async () => [...rows.values()],
    };
    const handed: Array<Promise<unknown>> = [];
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox: store,
      backoff: fast,
      waitUntil: (p) => handed.push(p),
    });
    datafast.track(payment('txn_async_store'));
    await handed[0];
    await datafast.flush();
    await tick();
    expect(server.stored).toContain('txn_async_store');
    expect(rows.size).toBe(0);
  });

  it('still delivers from memory when the outbox cannot store, and says so', async () => {
    const lines: string[] = [];
    const broken: Outbox = {
      put: () => {
        throw new Error('ENOSPC: no space left on device');
      },
      delete: () => {},
      list: () => [],
    };
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox: broken,
      logger: { warn: (l) => lines.push(l), error: (l) => lines.push(l) },
    });
    datafast.track(payment('txn_no_space'));
    await datafast.flush();
    expect(server.stored).toContain('txn_no_space');
    expect(lines.join('\n')).toContain('could not store payment txn_no_space');
  });
});
