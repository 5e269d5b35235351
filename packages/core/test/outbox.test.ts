import { spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
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
import { startOwner } from './helpers/owner.js';
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

/** The log's files, oldest first: `outbox.jsonl` (an earlier version's), then `outbox.<n>.jsonl`. */
function logFiles(dir: string): string[] {
  const seq = (name: string) => (name === 'outbox.jsonl' ? 0 : Number(name.split('.')[1]));
  return readdirSync(dir)
    .filter((name) => /^outbox(\.\d+)?\.jsonl$/.test(name))
    .sort((a, b) => seq(a) - seq(b))
    .map((name) => join(dir, name));
}

const logLines = (dir: string) =>
  logFiles(dir).flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean));

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

/** About 1 KB a line: the log starts a new file every thousand or so. */
function large(id: string): OutboxEntry {
  const small = entry(id);
  return { ...small, body: { ...small.body, name: 'n'.repeat(900) } };
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
    const dir = folder();
    const outbox = open(dir);
    outbox.put(entry('txn_same'));
    outbox.put(entry('txn_same'));
    expect(outbox.list()).toHaveLength(1);
    expect(logLines(dir)).toHaveLength(1);
  });

  it('survives a crash in the middle of a write: only the torn entry is lost', () => {
    const dir = folder();
    const outbox = open(dir);
    outbox.put(entry('txn_whole_1'));
    outbox.put(entry('txn_whole_2'));
    outbox.close();
    // What a kill -9 halfway through writing the third line leaves behind.
    appendFileSync(logFiles(dir).at(-1) as string, '{"op":"put","entry":{"id":"txn_torn","bo');
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
    const dir = folder();
    const outbox = open(dir, { compactAfter: 20 });
    for (let i = 0; i < 3_000; i++) {
      outbox.put(large(`txn_${i}`));
      if (i % 10 !== 0) outbox.delete(`txn_${i}`);
    }
    // 3 MB in 5,700 lines without compaction; with it, the newest file (at most 1 MiB) and the
    // 300 live entries copied forward from the older ones.
    expect(outbox.size).toBe(300);
    const bytes = logFiles(dir).reduce((sum, file) => sum + statSync(file).size, 0);
    expect(bytes).toBeLessThan(1.5 * 2 ** 20);
    expect(outbox.list().map((e) => e.id)).toEqual(
      Array.from({ length: 300 }, (_, i) => `txn_${i * 10}`),
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

  it('lists a page: the oldest entries, as many as asked', () => {
    const outbox = open(folder());
    for (let i = 0; i < 50; i++) outbox.put(entry(`txn_${i}`, 1_000 + i));
    outbox.delete('txn_0');
    expect(outbox.list({ limit: 3 }).map((e) => e.id)).toEqual(['txn_1', 'txn_2', 'txn_3']);
    expect(outbox.list({ limit: 0 })).toEqual([]);
    expect(outbox.list()).toHaveLength(49);
  });

  it('starts on a log larger than the longest string Node can hold, reading it in chunks', () => {
    const dir = folder();
    const line = (e: OutboxEntry) => `${JSON.stringify({ op: 'put', entry: e })}\n`;
    const first = line(entry('txn_first', 1));
    const fd = openSync(join(dir, 'outbox.jsonl'), 'w');
    writeSync(fd, first);
    // 600 MiB of zeros between two entries, as a power loss can leave in a log (a hole here:
    // no disk space taken, and quick to make), then the last entry.
    writeSync(fd, `\n${line(entry('txn_last', 2))}`, first.length + 600 * 2 ** 20);
    closeSync(fd);

    expect(
      open(dir)
        .list()
        .map((e) => e.id),
    ).toEqual(['txn_first', 'txn_last']);
  });

  it("keeps customers' data to its user: directory 700, files 600, an earlier version's 644 log made 600", () => {
    const parent = folder();
    const dir = join(parent, 'outbox');
    open(dir).put(entry('txn_private'));
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    for (const name of readdirSync(dir)) {
      expect([name, (statSync(join(dir, name)).mode & 0o777).toString(8)]).toEqual([name, '600']);
    }

    // An earlier version's outbox: its directory 755, its log 644.
    const earlier = join(parent, 'earlier');
    mkdirSync(earlier);
    chmodSync(earlier, 0o755);
    writeFileSync(
      join(earlier, 'outbox.jsonl'),
      `${JSON.stringify({ op: 'put', entry: entry('txn_kept') })}\n`,
    );
    chmodSync(join(earlier, 'outbox.jsonl'), 0o644);
    expect(
      open(earlier)
        .list()
        .map((e) => e.id),
    ).toEqual(['txn_kept']);
    expect((statSync(join(earlier, 'outbox.jsonl')).mode & 0o777).toString(8)).toBe('600');
    // A directory it did not create keeps its mode: it may be shared on purpose.
    expect((statSync(earlier).mode & 0o777).toString(8)).toBe('755');
  });

  it('deletes files once their entries are delivered, and copies the few left forward', () => {
    const dir = folder();
    const outbox = open(dir, { compactAfter: 100 });
    for (let i = 0; i < 4_000; i++) outbox.put(large(`txn_${i}`));
    const files = logFiles(dir);
    expect(files.length).toBeGreaterThanOrEqual(4);
    // One report of the first file keeps failing; every other one is delivered.
    const kept = ['txn_0', 'txn_3999'];
    for (let i = 0; i < 4_000; i++) if (!kept.includes(`txn_${i}`)) outbox.delete(`txn_${i}`);

    // The files in between went as soon as their last report did; the first one's survivor was
    // copied forward, then it went too. What is left: the newest file (up to 1 MiB).
    expect(logFiles(dir).filter((file) => files.includes(file))).toEqual([files.at(-1)]);
    const bytes = logFiles(dir).reduce((sum, file) => sum + statSync(file).size, 0);
    expect(bytes).toBeLessThan(2 ** 20 + 256 * 1024);
    outbox.close();
    expect(
      open(dir)
        .list()
        .map((e) => e.id),
    ).toEqual(kept);
  });

  it('loses no acknowledged entry to a SIGKILL at any point of its writes, new files and reclaims (10 kills)', async () => {
    for (let kill = 0; kill < 10; kill++) {
      const dir = folder();
      const owner = startOwner(dir, ['--churn', '--compact-after', '5']);
      // Killed somewhere after 200 to 3,800 acknowledged puts: a new file every thousand or so,
      // and the survivors of the one before copied forward soon after.
      await owner.next(new RegExp(`^stored c${200 + kill * 400}$`));
      owner.child.kill('SIGKILL');
      await owner.exited;
      const live = new Set<string>();
      for (const line of owner.output().split('\n')) {
        const [event, id] = line.split(' ');
        if (event === 'stored') live.add(id as string);
        if (event === 'deleting') live.delete(id as string);
      }
      const listed = new Set(
        open(dir)
          .list()
          .map((e) => e.id),
      );
      expect([...live].filter((id) => !listed.has(id))).toEqual([]);
    }
  }, 120_000);

  it("refuses a live owner named in an earlier version's lock, and takes the lock over once it is gone", async () => {
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
    const dir = folder();
    const outbox = open(dir);
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    datafast.track(payment('txn_durable'));
    expect(logLines(dir).join('\n')).toContain('"txn_durable"');
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

  it('reads the outbox a page at a time: never more than maxQueueSize entries per sweep', async () => {
    const dir = folder();
    const seed = open(dir);
    const ids = Array.from({ length: 30 }, (_, i) => `txn_page_${i}`);
    ids.forEach((id, i) => {
      seed.put(entry(id, 1_000 + i));
    });
    seed.close();
    const file = open(dir);
    const asked: Array<number | undefined> = [];
    const listed: number[] = [];
    // The file outbox itself, watched: what each sweep asked it for, and what it read.
    const outbox: Outbox = {
      put: (e) => file.put(e),
      delete: (id) => file.delete(id),
      list: (options) => {
        const page = file.list(options);
        asked.push(options?.limit);
        listed.push(page.length);
        return page;
      },
    };
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox,
      maxQueueSize: 8,
      concurrency: 2,
    });
    await server.waitForRequests(30);
    await datafast.flush();
    expect(server.stored).toEqual(expect.arrayContaining(ids));
    expect(file.size).toBe(0);
    expect(new Set(asked)).toEqual(new Set([8]));
    expect(Math.max(...listed)).toBeLessThanOrEqual(8);
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
