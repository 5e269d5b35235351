import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDatafast,
  type DatafastError,
  type Outbox,
  type OutboxEntry,
  type PaymentInput,
} from '../src/index.js';
import { recordingLogger } from './helpers/logger.js';
import { closedPortUrl, useTestServer } from './helpers/server.js';

const server = useTestServer();
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

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

/**
 * An asynchronous outbox over a real file, the shape of a Redis or SQL one: each `put` appends
 * the entry to the file once the test opens its gate, as a store does once its server answers.
 */
function gatedFileOutbox() {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-gated-outbox-'));
  folders.push(dir);
  const file = join(dir, 'outbox.jsonl');
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const puts: Array<Promise<void>> = [];
  const outbox: Outbox = {
    put: (entry) => {
      const put = (async () => {
        await gate;
        await appendFile(file, `${JSON.stringify({ put: entry })}\n`);
      })();
      puts.push(put);
      return put;
    },
    delete: (id) => appendFile(file, `${JSON.stringify({ delete: id })}\n`),
    list: () => [],
  };
  const lines = () =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { put?: OutboxEntry; delete?: string });
  return { outbox, openGate: () => open(), lines, puts };
}

/** Runs `script` (an ES module body with `core` imported from the build) in a child Node. */
function runScript(script: string, env: Record<string, string>) {
  const core = new URL('../dist/index.js', import.meta.url).href;
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `import * as core from ${JSON.stringify(core)};\n${script}`],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  // A process that does not end by itself is a failure of the test, not a hung suite: it is
  // killed after a bound far above what ending takes (well under a second here).
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

describe('reports whose asynchronous outbox put is still in flight', () => {
  it('are counted by pending and flush, and delivered once stored', async () => {
    const store = gatedFileOutbox();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox: store.outbox });
    datafast.track(payment('txn_put_in_flight'));
    expect(datafast.pending).toBe(1);
    expect(await datafast.flush(100)).toEqual({ settled: false, pending: 1 });
    expect(server.requests).toHaveLength(0);

    store.openGate();
    expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain('txn_put_in_flight');
    expect(store.lines()[0]?.put?.id).toBe('txn_put_in_flight');
  });

  it('are waited for by shutdown, then delivered', async () => {
    const store = gatedFileOutbox();
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox: store.outbox,
      onError,
    });
    datafast.track(payment('txn_put_then_shutdown'));
    const closing = datafast.shutdown(5_000);
    store.openGate();
    expect(await closing).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain('txn_put_then_shutdown');
    expect(seen).toEqual([]);
  });

  it('reach onError when shutdown ends before their put does, and are never sent after it', async () => {
    const store = gatedFileOutbox();
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox: store.outbox,
      onError,
    });
    const late = payment('txn_put_outlives_shutdown');
    datafast.track(late);
    expect(await datafast.shutdown(100)).toEqual({ settled: false, pending: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.error.code).toBe('shutdown_timeout');
    expect(seen[0]?.error.message).toContain('outbox');
    expect(seen[0]?.payment).toBe(late);

    // The store finishes after all: the entry waits there for the next process, and this client,
    // shut down, sends nothing.
    store.openGate();
    await Promise.all(store.puts);
    expect(store.lines().map((line) => line.put?.id)).toEqual(['txn_put_outlives_shutdown']);
    expect(server.requests).toHaveLength(0);
    expect(datafast.pending).toBe(0);
  });

  it('are not lost unreported by a script that shuts down and exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'datafast-slow-outbox-'));
    folders.push(dir);
    // A store whose writes take a while (a remote database), then `process.exit` right after
    // shutdown: the report must be delivered, or reach onError, before the process is gone.
    const result = await runScript(
      `import { appendFile } from 'node:fs/promises';
       const outbox = {
         put: async (entry) => {
           await new Promise((resolve) => setTimeout(resolve, 300));
           await appendFile(process.env.OUTBOX_FILE, JSON.stringify(entry) + '\\n');
         },
         delete: async () => {},
         list: () => [],
       };
       const datafast = core.createDatafast({
         apiKey: 'df_k', baseUrl: process.env.BASE_URL, outbox,
         onError: (error, payment) => console.log('lost', payment?.transaction_id, error.code),
       });
       datafast.track({ amount: 29.99, currency: 'USD', transaction_id: 'txn_script_exit' });
       const result = await datafast.shutdown(5000);
       console.log('shutdown', JSON.stringify(result));
       process.exit(0);`,
      { BASE_URL: server.url, OUTBOX_FILE: join(dir, 'outbox.jsonl') },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('shutdown {"settled":true,"pending":0}');
    expect(server.stored).toContain('txn_script_exit');
  });
});

describe('outbox results that are not native promises', () => {
  it('awaits a promise from another realm: a rejected put or delete is logged, never an unhandled rejection', async () => {
    const realm = createContext({});
    const rejected = (message: string) =>
      runInContext(`Promise.reject(new Error(${JSON.stringify(message)}))`, realm) as Promise<void>;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const logger = recordingLogger();
      const outbox: Outbox = {
        put: () => rejected('READONLY You cannot write against a read only replica'),
        delete: () => rejected('connection lost'),
        list: () => [],
      };
      const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, logger });
      datafast.track(payment('txn_other_realm'));
      expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
      // The delete's rejection is handled in a later turn: wait until it has been logged.
      await expect
        .poll(() => logger.lines.join('\n'), { timeout: 5_000, interval: 10 })
        .toContain('could not delete payment txn_other_realm');
      expect(logger.lines.join('\n')).toContain(
        'the outbox could not store payment txn_other_realm (READONLY You cannot write against a read only replica): it is delivered from memory only',
      );
      expect(server.stored).toContain('txn_other_realm');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('awaits a thenable put before counting the report as stored', async () => {
    const logger = recordingLogger();
    // A driver's own deferred type (a thenable, not a Promise) that fails.
    const outbox: Outbox = {
      put: () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: the point of the test is a bare thenable
          then: (_resolve: () => void, reject: (error: Error) => void) =>
            queueMicrotask(() => reject(new Error('ETIMEDOUT'))),
        }) as unknown as Promise<void>,
      delete: () => {},
      list: () => [],
    };
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, logger });
    datafast.track(payment('txn_thenable'));
    expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
    expect(logger.lines.join('\n')).toContain(
      'could not store payment txn_thenable (ETIMEDOUT): it is delivered from memory only',
    );
    expect(server.stored).toContain('txn_thenable');
  });
});

describe('shutdown', () => {
  it('refuses a later track loudly: onError gets the payment and a clear error, nothing is sent', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, onError });
    await datafast.shutdown();
    const late = payment('txn_after_shutdown');
    expect(datafast.track(late)).toBeUndefined();
    expect(datafast.forVisitor(null).track(payment('txn_bound_after_shutdown'))).toBeUndefined();
    expect(seen.map((s) => [s.error.code, s.payment?.transaction_id])).toEqual([
      ['shut_down', 'txn_after_shutdown'],
      ['shut_down', 'txn_bound_after_shutdown'],
    ]);
    expect(seen[0]?.payment).toBe(late);
    expect(seen[0]?.error.message).toMatch(/after shutdown\(\).*not sent/);
    expect(datafast.pending).toBe(0);
    expect(await datafast.flush(1_000)).toEqual({ settled: true, pending: 0 });
    expect(server.requests).toHaveLength(0);
  });

  it('stops the outbox sweep: a client shut down at once reads and sends nothing from its outbox', async () => {
    const left: OutboxEntry = {
      id: 'txn_left_by_last_process',
      body: {
        amount: 29.99,
        currency: 'USD',
        transaction_id: 'txn_left_by_last_process',
        timestamp: '2026-11-23T12:00:00.000Z',
      },
      createdAt: Date.now(),
    };
    let reads = 0;
    const outbox: Outbox = {
      put: () => {},
      delete: () => {},
      list: () => {
        reads += 1;
        return [left];
      },
    };
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    await datafast.shutdown();
    // The start-up sweep was due in the timer turn after creation: let that turn pass.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reads).toBe(0);
    expect(datafast.pending).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('cuts a waiting shutdown short when called again with a shorter bound (a second signal)', async () => {
    server.script({ hang: true });
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      onError,
      timeoutMs: 60_000,
    });
    datafast.track(payment('txn_second_signal'));
    await server.waitForRequests(1);
    const first = datafast.shutdown(60_000);
    const second = datafast.shutdown(0);
    expect(await second).toEqual({ settled: false, pending: 1 });
    expect(await first).toEqual({ settled: false, pending: 1 });
    expect(seen.map((s) => [s.error.code, s.payment?.transaction_id])).toEqual([
      ['shutdown_timeout', 'txn_second_signal'],
    ]);
  });

  it('reports a payment whose outbox put failed at shutdown, since the outbox does not hold it', async () => {
    server.script({ hang: true });
    const { seen, onError } = failures();
    const outbox: Outbox = {
      put: () => {
        throw new Error('ENOSPC: no space left on device');
      },
      delete: () => {},
      list: () => [],
    };
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      outbox,
      onError,
      timeoutMs: 60_000,
      logger: recordingLogger(),
    });
    datafast.track(payment('txn_memory_only'));
    await server.waitForRequests(1);
    expect(await datafast.shutdown(50)).toEqual({ settled: false, pending: 1 });
    expect(seen.map((s) => [s.error.code, s.payment?.transaction_id])).toEqual([
      ['shutdown_timeout', 'txn_memory_only'],
    ]);
  });
});

describe('a script', () => {
  it('that tracks, shuts down as the README says and tracks again ends by itself, every payment reported', async () => {
    // DataFast is down: without shutdown the client would keep the script alive for maxAgeMs to
    // deliver the report; with it, the script ends and each payment reaches onError.
    const result = await runScript(
      `const datafast = core.createDatafast({
         apiKey: 'df_k', baseUrl: process.env.BASE_URL,
         onError: (error, payment) => console.log(payment?.transaction_id, error.code),
       });
       datafast.track({ amount: 29.99, currency: 'USD', transaction_id: 'txn_script' });
       await datafast.shutdown(300);
       // A late callback of the script (a webhook retry, a timer) reports one more payment.
       setTimeout(() => datafast.track({ amount: 1, currency: 'USD', transaction_id: 'txn_late' }), 10);`,
      { BASE_URL: await closedPortUrl() },
    );
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'txn_script shutdown_timeout',
      'txn_late shut_down',
    ]);
  });

  it('that tracks and ends without any call ends once the report is delivered', async () => {
    const result = await runScript(
      `const datafast = core.createDatafast({ apiKey: 'df_k', baseUrl: process.env.BASE_URL });
       datafast.track({ amount: 29.99, currency: 'USD', transaction_id: 'txn_no_call' });`,
      { BASE_URL: server.url },
    );
    expect(result.code).toBe(0);
    expect(server.stored).toContain('txn_no_call');
  });
});
