import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatafast, type DatafastError, type Outbox, type OutboxEntry } from '../src/index.js';
import { memorySharedOutbox } from './helpers/memory-shared-outbox.js';
import { useTestServer } from './helpers/server.js';

// The main entry loads the delivery engine (queue, scheduler, transport, retries), the outbox
// machinery (sweep, shared leases, drain), `payments.delete`'s filter and the API-key walk over
// a failed request's error with `import()`, when first used.
// These are the behaviours that loading could break: a report in our hands before the code that
// delivers it has loaded, and the CJS build, where those imports are inlined.
const server = useTestServer();
let counter = 0;
const uniqueId = (name: string) => `${name}_${Date.now().toString(36)}_${counter++}`;
const payment = (id: string) => ({
  amount: 29.99,
  currency: 'USD',
  transaction_id: id,
});

function failures() {
  const seen: DatafastError[] = [];
  return { seen, onError: (error: DatafastError) => seen.push(error) };
}

/** A plain outbox in memory, synchronous like a file or SQLite. */
function memoryOutbox(entries: OutboxEntry[] = []) {
  const held = new Map(entries.map((entry) => [entry.id, entry]));
  const outbox: Outbox = {
    put: (entry) => {
      held.set(entry.id, entry);
    },
    delete: (id) => {
      held.delete(id);
    },
    list: () => [...held.values()],
  };
  return { outbox, held };
}

describe('what the main entry loads lazily', () => {
  it('delivers a report tracked into a shared outbox right after createDatafast, then shutdown, losing nothing', async () => {
    const outbox = memorySharedOutbox();
    const { seen, onError } = failures();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, onError });
    const id = uniqueId('lazy_shared');
    datafast.track(payment(id));
    // In our hands before the outbox machinery has loaded: counted, and waited for.
    expect(datafast.pending).toBe(1);
    expect(await datafast.shutdown(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    expect(await outbox.list()).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('stores a report in a synchronous outbox before track returns', async () => {
    const { outbox, held } = memoryOutbox();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    const id = uniqueId('lazy_sync_put');
    datafast.track(payment(id));
    expect([...held.keys()]).toEqual([id]);
    expect(await datafast.shutdown(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    expect(held.size).toBe(0);
  });

  it('drains a plain outbox right after createDatafast, before the start-up sweep takes it', async () => {
    const id = uniqueId('lazy_drain');
    const { outbox, held } = memoryOutbox([
      { id, body: { ...payment(id), timestamp: new Date().toISOString() }, createdAt: Date.now() },
    ]);
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    expect(await datafast.drain({ timeMs: 5_000 })).toEqual({
      delivered: 1,
      retried: 0,
      gaveUp: 0,
      remaining: 0,
    });
    expect(server.stored).toContain(id);
    expect(held.size).toBe(0);
    await datafast.shutdown(1_000);
  });

  it('rejects a bad delete filter with a DatafastValidationError naming the field', async () => {
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    const filter = { transactionId: 'pi_1' } as unknown as { transaction_id: string };
    await expect(datafast.payments.delete(filter)).rejects.toMatchObject({
      name: 'DatafastValidationError',
      field: 'transactionId',
      message: 'unknown filter "transactionId": did you mean "transaction_id"?',
    });
    expect(server.requests).toEqual([]);
  });

  it('removes the API key from the error of a failed request (the walk loads at the first failure)', async () => {
    const apiKey = 'df_secret_lazy_walk';
    const datafast = createDatafast({
      apiKey,
      baseUrl: server.url,
      maxRetries: 0,
      fetch: () => Promise.reject(new Error(`refused: Authorization: Bearer ${apiKey}`)),
    });
    const error = await datafast.payments
      .create(payment(uniqueId('lazy_redact')))
      .catch((thrown: unknown) => thrown as DatafastError);
    expect(error).toMatchObject({ name: 'DatafastNetworkError', code: 'network_error' });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(apiKey);
    expect(String((error as Error & { cause?: Error }).cause?.message)).toContain('[redacted]');
  });
});

describe('reports tracked before the delivery engine has loaded (each client loads it at its first report)', () => {
  it('counts a report at once and shutdown right after track delivers it', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, onError });
    const id = uniqueId('engine_shutdown');
    datafast.track(payment(id));
    expect(datafast.pending).toBe(1);
    expect(await datafast.shutdown(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    expect(seen).toEqual([]);
  });

  it('flush right after track waits for the report', async () => {
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    const id = uniqueId('engine_flush');
    datafast.track(payment(id));
    expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    await datafast.shutdown(1_000);
  });

  it('turns a report beyond maxQueueSize away to onError as queue_full at once, with the payment', async () => {
    const seen: Array<{ error: DatafastError; payment: unknown }> = [];
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      onError: (error, failed) => seen.push({ error, payment: failed }),
      maxQueueSize: 2,
    });
    const ids = [uniqueId('engine_full'), uniqueId('engine_full'), uniqueId('engine_full')];
    const third = payment(ids[2] as string);
    datafast.track(payment(ids[0] as string));
    datafast.track(payment(ids[1] as string));
    datafast.track(third);
    // Before any await: the engine has not loaded yet.
    expect(datafast.pending).toBe(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.error).toMatchObject({ code: 'queue_full' });
    expect(seen[0]?.payment).toBe(third);
    expect(await datafast.shutdown(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toEqual(expect.arrayContaining(ids.slice(0, 2)));
    expect(server.stored).not.toContain(ids[2]);
  });

  it('counts and delivers a transaction tracked twice once, and settles what each track handed to waitUntil', async () => {
    const handed: Promise<unknown>[] = [];
    const waitUntil = (promise: Promise<unknown>) => handed.push(promise);
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, waitUntil });
    const id = uniqueId('engine_twice');
    datafast.track(payment(id));
    datafast.track(payment(id));
    expect(datafast.pending).toBe(1);
    expect(handed).toHaveLength(1);
    await Promise.all(handed);
    await datafast.shutdown(5_000);
    expect(server.requests.filter((request) => request.body.includes(id))).toHaveLength(1);
  });

  it("hands the report's delivery to waitUntil during track, settled once it is delivered", async () => {
    const handed: Promise<unknown>[] = [];
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    const id = uniqueId('engine_wait_until');
    datafast.track(payment(id), { waitUntil: (promise) => handed.push(promise) });
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(server.stored).toContain(id);
    await datafast.shutdown(1_000);
  });
});

describe('a delivery engine that fails to load (its chunk missing from a copy of the ESM build)', () => {
  // A real fault: the built package with the engine's chunk deleted, as a broken deploy would be.
  const copy = mkdtempSync(join(tmpdir(), 'datafast-core-lazy-'));
  cpSync(new URL('../dist', import.meta.url), copy, { recursive: true });
  for (const name of readdirSync(copy)) {
    if (/^background-.*\.js$/.test(name)) rmSync(join(copy, name));
  }
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  const load = () =>
    import(pathToFileURL(join(copy, 'index.js')).href) as Promise<typeof import('../src/index.js')>;

  it('reports each report to onError with its payment, never drops it in silence', async () => {
    const core = await load();
    const seen: Array<{ error: DatafastError; payment: unknown }> = [];
    const logged: string[] = [];
    const datafast = core.createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      onError: (error, failed) => seen.push({ error, payment: failed }),
      logger: { warn: (line) => logged.push(line), error: (line) => logged.push(line) },
    });
    const first = payment(uniqueId('engine_missing'));
    datafast.track(first);
    expect(datafast.pending).toBe(1);
    expect(await datafast.flush(5_000)).toEqual({ settled: true, pending: 0 });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.error).toMatchObject({ code: 'unexpected_error' });
    expect(seen[0]?.error.message).toContain('could not be loaded');
    expect(seen[0]?.payment).toBe(first);
    // The next report tries again, and is reported again.
    const second = payment(uniqueId('engine_missing'));
    datafast.track(second);
    expect(await datafast.shutdown(1_000)).toEqual({ settled: true, pending: 0 });
    expect(seen.map((failure) => failure.payment)).toEqual([first, second]);
    await expect(datafast.drain()).rejects.toThrow();
    expect(logged).toContainEqual(expect.stringContaining('could not load the delivery code'));
    expect(server.requests).toEqual([]);
  });
});

describe('the CJS build (lazy imports inlined)', () => {
  // The built bundle, as `require('@datafast-checkout/core')` loads it.
  const core = createRequire(import.meta.url)(
    '../dist/index.cjs',
  ) as typeof import('../src/index.js');

  it('tracks into an outbox, drains it and shuts down', async () => {
    const left = uniqueId('cjs_left');
    const { outbox, held } = memoryOutbox([
      {
        id: left,
        body: { ...payment(left), timestamp: new Date().toISOString() },
        createdAt: Date.now(),
      },
    ]);
    const { seen, onError } = failures();
    const datafast = core.createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox, onError });
    expect(await datafast.drain({ timeMs: 5_000 })).toMatchObject({ delivered: 1, gaveUp: 0 });
    const tracked = uniqueId('cjs_tracked');
    datafast.track(payment(tracked));
    expect(held.has(tracked)).toBe(true);
    expect(await datafast.shutdown(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toEqual(expect.arrayContaining([left, tracked]));
    expect(held.size).toBe(0);
    expect(seen).toEqual([]);
  });

  it('tracks into a shared outbox right after createDatafast and loses nothing at shutdown', async () => {
    const outbox = memorySharedOutbox();
    const datafast = core.createDatafast({ apiKey: 'df_k', baseUrl: server.url, outbox });
    const id = uniqueId('cjs_shared');
    datafast.track(payment(id));
    expect(await datafast.shutdown(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain(id);
    expect(await outbox.list()).toEqual([]);
  });
});
