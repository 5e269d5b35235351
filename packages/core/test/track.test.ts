import { describe, expect, it } from 'vitest';
import { createDatafast, type DatafastError, type PaymentInput } from '../src/index.js';
import { recordingLogger } from './helpers/logger.js';
import { closedPortUrl, useTestServer } from './helpers/server.js';

const payment = (transaction_id: string): PaymentInput => ({
  amount: 29.99,
  currency: 'USD',
  transaction_id,
});
const fast = { initialDelayMs: 5, maxDelayMs: 20 };
const server = useTestServer();

function failures() {
  const seen: Array<{ error: DatafastError; payment: PaymentInput | undefined }> = [];
  return {
    seen,
    onError: (error: DatafastError, p?: PaymentInput) => seen.push({ error, payment: p }),
  };
}

describe('track', () => {
  it('returns before the request is even sent, and delivers in the background', async () => {
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    const returned = datafast.track(payment('txn_bg'));
    expect(returned).toBeUndefined();
    expect(server.requests).toHaveLength(0);
    expect(datafast.pending).toBe(1);
    expect(await datafast.flush()).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain('txn_bg');
  });

  it('delivers with the same retries as create', async () => {
    server.script({ status: 503 }, { reset: true });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast });
    datafast.track(payment('txn_bg_retry'));
    await datafast.flush();
    expect(server.requests).toHaveLength(3);
    expect(server.stored).toContain('txn_bg_retry');
  });

  it('reports bad input to onError with the payment and sends nothing', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, onError });
    const bad = { amount: 29.99, currency: 'dollars', transaction_id: 'txn_bad' };
    expect(() => datafast.track(bad)).not.toThrow();
    await datafast.flush();
    expect(server.requests).toHaveLength(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.error).toMatchObject({ code: 'validation_error', field: 'currency' });
    expect(seen[0]?.payment).toBe(bad);
  });

  it('reports a missing key to onError instead of throwing', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({ apiKey: '', baseUrl: server.url, onError });
    datafast.track(payment('txn_nokey'));
    expect(seen[0]?.error.code).toBe('config_error');
  });

  it('reports a delivery that finally fails to onError with the payment', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: await closedPortUrl(),
      onError,
      maxRetries: 1,
      backoff: fast,
      maxAgeMs: 0, // give up after the first round of retries
    });
    datafast.track(payment('txn_down'));
    await datafast.flush();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.error.code).toBe('network_error');
    expect(seen[0]?.payment?.transaction_id).toBe('txn_down');
  });

  it('reports an API refusal to onError without retrying it', async () => {
    const { seen, onError } = failures();
    server.script({
      status: 401,
      body: { status: 'error', error: { code: 401, message: 'Invalid API key' } },
    });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, onError });
    datafast.track(payment('txn_401'));
    await datafast.flush();
    expect(server.requests).toHaveLength(1);
    expect(seen[0]?.error).toMatchObject({ code: 'api_error', status: 401 });
  });

  it('logs failures when no onError is given', async () => {
    const logger = recordingLogger();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, logger });
    datafast.track({ amount: -5, currency: 'USD', transaction_id: 'txn_logged' });
    expect(logger.lines).toEqual([
      expect.stringMatching(
        /^error: \[datafast-checkout\] payment "txn_logged" was not reported to DataFast: amount must be/,
      ),
    ]);
  });

  it('survives an onError that throws', async () => {
    const logger = recordingLogger();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      logger,
      onError: () => {
        throw new Error('handler bug');
      },
    });
    expect(() =>
      datafast.track({ amount: -5, currency: 'USD', transaction_id: 't' }),
    ).not.toThrow();
    expect(logger.lines.join('\n')).toContain('onError threw: handler bug');
  });

  it('drops what does not fit a full queue, reporting each drop, and delivers the rest', async () => {
    const { seen, onError } = failures();
    server.script({ hang: true });
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      onError,
      maxQueueSize: 3,
      concurrency: 1,
      timeoutMs: 300,
      backoff: fast,
    });
    for (let i = 0; i < 5; i++) datafast.track(payment(`txn_q${i}`));
    expect(datafast.pending).toBe(3);
    expect(seen.map((s) => [s.error.code, s.payment?.transaction_id])).toEqual([
      ['queue_full', 'txn_q3'],
      ['queue_full', 'txn_q4'],
    ]);
    await datafast.flush();
    expect(server.stored).toEqual(expect.arrayContaining(['txn_q0', 'txn_q1', 'txn_q2']));
    expect(server.stored).not.toContain('txn_q3');
  });

  it('keeps memory flat while DataFast is down: pending never exceeds the bound', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: await closedPortUrl(),
      onError,
      maxQueueSize: 50,
      maxRetries: 1,
      backoff: fast,
      maxAgeMs: 0,
    });
    for (let i = 0; i < 1000; i++) datafast.track(payment(`txn_flat_${i}`));
    expect(datafast.pending).toBe(50);
    await datafast.flush();
    expect(seen.filter((s) => s.error.code === 'queue_full')).toHaveLength(950);
    expect(seen.filter((s) => s.error.code === 'network_error')).toHaveLength(50);
  });

  it('runs at most `concurrency` deliveries at once', async () => {
    server.script({ hang: true }, { hang: true }, { hang: true });
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      concurrency: 2,
      timeoutMs: 1000,
      maxRetries: 0,
      maxAgeMs: 0,
    });
    for (let i = 0; i < 3; i++) datafast.track(payment(`txn_conc${i}`));
    await server.waitForRequests(2);
    const atPeak = server.requests.length;
    await datafast.flush();
    expect(atPeak).toBe(2);
    expect(server.requests).toHaveLength(3);
  });
});

describe('flush', () => {
  it('resolves at once when nothing is pending', async () => {
    expect(await createDatafast({ apiKey: 'df_k', baseUrl: server.url }).flush()).toEqual({
      settled: true,
      pending: 0,
    });
  });

  it('returns by its timeout even when a delivery hangs, saying what is left', async () => {
    server.script({ hang: true });
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      timeoutMs: 1000,
      maxRetries: 0,
    });
    datafast.track(payment('txn_slow'));
    await server.waitForRequests(1);
    expect(await datafast.flush(50)).toEqual({ settled: false, pending: 1 });
    // The delivery times out on its own (1 s); do not leave it running into the next test.
    expect(await datafast.flush()).toEqual({ settled: true, pending: 0 });
  });

  it('waits for deliveries tracked while it was waiting', async () => {
    server.script({ status: 503 });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast });
    datafast.track(payment('txn_first'));
    const flushed = datafast.flush();
    datafast.track(payment('txn_second'));
    expect(await flushed).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toEqual(expect.arrayContaining(['txn_first', 'txn_second']));
  });
});

describe('outages longer than one round of retries', () => {
  it('keeps a report through an outage and delivers it once DataFast answers again', async () => {
    server.script(...Array.from({ length: 6 }, () => ({ status: 503 })));
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      onError,
      maxRetries: 0,
      backoff: fast,
    });
    datafast.track(payment('txn_outage'));
    expect(await datafast.flush(10_000)).toEqual({ settled: true, pending: 0 });
    expect(server.requests).toHaveLength(7);
    expect(server.stored.filter((id) => id === 'txn_outage')).toHaveLength(1);
    expect(seen).toEqual([]);
  });

  it('gives up after maxAgeMs, reporting the last error with the payment', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: await closedPortUrl(),
      onError,
      maxRetries: 0,
      backoff: fast,
      maxAgeMs: 150,
    });
    datafast.track(payment('txn_too_old'));
    await datafast.flush();
    expect(seen.map((s) => [s.error.code, s.payment?.transaction_id])).toEqual([
      ['network_error', 'txn_too_old'],
    ]);
  });

  it('hands waitUntil a promise that settles after the first round, even while DataFast is down', async () => {
    const handed: Array<Promise<unknown>> = [];
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: await closedPortUrl(),
      onError,
      maxRetries: 0,
      waitUntil: (p) => handed.push(p),
    });
    datafast.track(payment('txn_first_round'));
    await handed[0];
    // A serverless function is not held for the whole outage; the report waits for its next round.
    expect(datafast.pending).toBe(1);
    expect(seen).toEqual([]);
    await datafast.shutdown(0);
    expect(seen.map((s) => s.error.code)).toEqual(['shutdown_timeout']);
  });

  it('delivers a payment tracked twice while it is pending once', async () => {
    server.script({ status: 503 });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast });
    datafast.track(payment('txn_twice'));
    datafast.track(payment('txn_twice'));
    expect(datafast.pending).toBe(1);
    await datafast.flush();
    expect(
      server.requests.map((r) => (r.json as { transaction_id: string }).transaction_id),
    ).toEqual(['txn_twice', 'txn_twice']); // the 503 and its retry: one report, not two
  });

  it('holds 6,000 reports through an outage by default, dropping none', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: await closedPortUrl(),
      onError,
      maxRetries: 0,
    });
    for (let i = 0; i < 6_000; i++) datafast.track(payment(`txn_hold_${i}`));
    expect(datafast.pending).toBe(6_000);
    expect(seen).toEqual([]);
    await datafast.shutdown(0);
    expect(seen).toHaveLength(6_000);
  });
});

describe('shutdown', () => {
  it('gives up what is still pending at its timeout, reporting each payment to onError', async () => {
    server.script({ hang: true });
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      onError,
      concurrency: 1,
      timeoutMs: 60_000,
    });
    datafast.track(payment('txn_hung')); // in flight, its server never answers
    datafast.track(payment('txn_waiting')); // behind it in the queue
    await server.waitForRequests(1);
    const result = await datafast.shutdown(100);
    expect(result).toEqual({ settled: false, pending: 2 });
    expect(datafast.pending).toBe(0);
    expect(seen.map((s) => [s.error.code, s.payment?.transaction_id])).toEqual([
      ['shutdown_timeout', 'txn_hung'],
      ['shutdown_timeout', 'txn_waiting'],
    ]);
    expect(seen[0]?.error.message).toContain('may not have reached DataFast');
    // The waiting one was never sent.
    expect(server.requests).toHaveLength(1);
  });

  it('settles like flush when everything is delivered in time', async () => {
    const { seen, onError } = failures();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, onError });
    datafast.track(payment('txn_in_time'));
    expect(await datafast.shutdown(5_000)).toEqual({ settled: true, pending: 0 });
    expect(server.stored).toContain('txn_in_time');
    expect(seen).toEqual([]);
  });

  it('gives up a delivery whose fetch ignores its abort signal', async () => {
    // Stub: a real fetch honours AbortSignal; this one never settles, as a broken custom fetch
    // or polyfill might, and must still not hold shutdown or the attempt's timeout.
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      onError,
      fetch: () => new Promise<Response>(() => {}),
    });
    datafast.track(payment('txn_deaf'));
    expect(await datafast.shutdown(50)).toEqual({ settled: false, pending: 1 });
    expect(seen[0]?.error.code).toBe('shutdown_timeout');
  });
});

describe('waitUntil', () => {
  it('hands each delivery to the client-level waitUntil, settling after the payment is stored', async () => {
    const handed: Array<Promise<unknown>> = [];
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      waitUntil: (p) => handed.push(p),
    });
    datafast.track(payment('txn_wu1'));
    datafast.track(payment('txn_wu2'));
    expect(handed).toHaveLength(2);
    await Promise.all(handed);
    expect(server.stored).toEqual(expect.arrayContaining(['txn_wu1', 'txn_wu2']));
  });

  it('prefers the per-call waitUntil', async () => {
    const clientLevel: unknown[] = [];
    const perCall: Array<Promise<unknown>> = [];
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      waitUntil: (p) => clientLevel.push(p),
    });
    datafast.track(payment('txn_wu3'), { waitUntil: (p) => perCall.push(p) });
    expect(clientLevel).toHaveLength(0);
    await perCall[0];
    expect(server.stored).toContain('txn_wu3');
  });

  it('hands over a promise that resolves even when delivery fails', async () => {
    const handed: Array<Promise<unknown>> = [];
    const { seen, onError } = failures();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: await closedPortUrl(),
      maxRetries: 0,
      maxAgeMs: 0,
      onError,
      waitUntil: (p) => handed.push(p),
    });
    datafast.track(payment('txn_wu_fail'));
    await expect(handed[0]).resolves.toBeUndefined();
    expect(seen[0]?.error.code).toBe('network_error');
  });

  it("hands deliveries to Vercel's request-context waitUntil when no waitUntil is given", async () => {
    // Stub: Vercel's Node runtime cannot run here. It installs this global (the one
    // `@vercel/functions` reads), whose get() returns the current request's context.
    const key = Symbol.for('@vercel/request-context');
    const handed: Array<Promise<unknown>> = [];
    const context = {
      waitUntil(this: unknown, promise: Promise<unknown>) {
        if (this !== context) throw new Error('waitUntil called detached');
        handed.push(promise);
      },
    };
    (globalThis as Record<symbol, unknown>)[key] = { get: () => context };
    try {
      const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
      datafast.track(payment('txn_vercel'));
      expect(handed).toHaveLength(1);
      await handed[0];
      expect(server.stored).toContain('txn_vercel');
      // An explicit waitUntil still wins over the detected one.
      const explicit: Array<Promise<unknown>> = [];
      datafast.track(payment('txn_vercel_explicit'), { waitUntil: (p) => explicit.push(p) });
      expect(handed).toHaveLength(1);
      await explicit[0];
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
  });

  it('still delivers when waitUntil throws (outside a request scope)', async () => {
    const logger = recordingLogger();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      logger,
      waitUntil: () => {
        throw new Error('called outside a request scope');
      },
    });
    expect(() => datafast.track(payment('txn_wu_throw'))).not.toThrow();
    await datafast.flush();
    expect(server.stored).toContain('txn_wu_throw');
    expect(logger.lines.join('\n')).toContain('waitUntil refused the delivery');
  });
});

describe('clients bound to a visitor', () => {
  const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
  const other = '0b6a5c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';

  it('forRequest fills the visitor id from the cookie', async () => {
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    const request = new Request('https://shop.example/checkout', {
      headers: { cookie: `theme=dark; datafast_visitor_id=${visitor}` },
    });
    const bound = datafast.forRequest(request);
    expect(bound.visitorId).toBe(visitor);
    bound.track(payment('txn_bound'));
    await bound.flush();
    await bound.payments.create(payment('txn_bound_create'));
    expect(
      server.requests.map((r) => (r.json as { datafast_visitor_id?: string }).datafast_visitor_id),
    ).toEqual([visitor, visitor]);
  });

  it("falls back to the bound visitor when the explicit id is '' or not a UUID", async () => {
    const logger = recordingLogger();
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, logger });
    const bound = datafast.forVisitor(visitor);
    // A form field left empty, or garbage from the request body, must not discard the cookie.
    await bound.payments.create({ ...payment('txn_empty'), datafast_visitor_id: '' });
    bound.track({ ...payment('txn_garbage'), datafast_visitor_id: 'not-a-uuid' });
    await bound.flush();
    expect(server.requests.map((r) => r.json)).toEqual([
      expect.objectContaining({ transaction_id: 'txn_empty', datafast_visitor_id: visitor }),
      expect.objectContaining({ transaction_id: 'txn_garbage', datafast_visitor_id: visitor }),
    ]);
    const warnings = logger.lines.filter((line) => line.includes('not a UUID'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('txn_garbage');
  });

  it('lets an explicit visitor id win, and null report unattributed', async () => {
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    const bound = datafast.forVisitor(visitor);
    await bound.payments.create({ ...payment('txn_explicit'), datafast_visitor_id: other });
    await bound.payments.create({ ...payment('txn_null'), datafast_visitor_id: null });
    expect(server.requests[0]?.json).toMatchObject({ datafast_visitor_id: other });
    expect(server.requests[1]?.json).not.toHaveProperty('datafast_visitor_id');
  });

  it('reports unattributed when the cookie is missing or garbage', async () => {
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    for (const cookie of [undefined, 'datafast_visitor_id=<script>', 'datafast_visitor_id=']) {
      const bound = datafast.forRequest(
        new Request('https://shop.example/', { headers: cookie ? { cookie } : {} }),
      );
      expect(bound.visitorId).toBeUndefined();
      await bound.payments.create(payment(`txn_anon_${server.requests.length}`));
    }
    for (const request of server.requests)
      expect(request.json).not.toHaveProperty('datafast_visitor_id');
  });

  it('says why a payment went out unattributed, with debug on', async () => {
    const lines: string[] = [];
    const logger = { ...recordingLogger(), debug: (line: string) => lines.push(line) };
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, logger, debug: true });
    const cases: Array<[string, HeadersInit]> = [
      ['no Cookie header', {}],
      ['no datafast_visitor_id', { cookie: 'theme=dark' }],
      ['is not a UUID', { cookie: 'datafast_visitor_id=abc' }],
    ];
    for (const [, headers] of cases) {
      const bound = datafast.forRequest(new Request('https://shop.example/', { headers }));
      await bound.payments.create(payment(`txn_why_${lines.length}`));
    }
    await datafast.forVisitor('garbage').payments.create(payment('txn_why_bound_garbage'));
    await datafast.payments.create({ ...payment('txn_why_null'), datafast_visitor_id: null });
    await datafast.forVisitor(visitor).payments.create(payment('txn_why_ok'));
    const unattributed = lines.filter((line) => line.includes('unattributed'));
    expect(unattributed).toHaveLength(5);
    cases.forEach(([reason], index) => {
      expect(unattributed[index]).toContain(reason);
    });
    expect(unattributed[3]).toContain('the visitor id "garbage" is not a UUID');
    expect(unattributed[4]).toContain('null');
    expect(lines.join('\n')).not.toContain('txn_why_ok');
  });

  it('logs nothing at debug level unless asked', async () => {
    const lines: string[] = [];
    const logger = { ...recordingLogger(), debug: (line: string) => lines.push(line) };
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, logger });
    datafast.forRequest(new Request('https://shop.example/')).track(payment('txn_quiet'));
    await datafast.flush();
    expect(lines).toEqual([]);
  });

  it('passes the bound waitUntil to each track', async () => {
    const handed: Array<Promise<unknown>> = [];
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    datafast
      .forVisitor(visitor, { waitUntil: (p) => handed.push(p) })
      .track(payment('txn_bound_wu'));
    await handed[0];
    expect(server.stored).toContain('txn_bound_wu');
  });
});

describe('transaction ids in log lines', () => {
  it('never let an id with line breaks forge a log line, nor a huge id flood one', async () => {
    const logger = recordingLogger();
    const forged =
      'txn_forged\r\n[datafast-checkout] debug: payment txn_other delivered (attempt 1)';
    const huge = `txn_${'x'.repeat(10_000)}`;
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      logger,
      debug: true,
      backoff: fast,
    });
    for (const id of [forged, huge]) {
      datafast.track({ ...payment(id), datafast_visitor_id: 'not-a-uuid' });
      datafast.track(payment(id)); // already pending
    }
    await datafast.flush();
    // And one given up at shutdown, logged by the default onError.
    server.script({ hang: true });
    datafast.track(payment(`${forged}_shutdown`));
    await datafast.shutdown(50);

    expect(logger.lines.length).toBeGreaterThanOrEqual(8);
    for (const line of logger.lines) {
      expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(line.length).toBeLessThan(600);
    }
    expect(logger.lines.join('\n')).toContain('"txn_forged\\r\\n');
    expect(server.stored).toEqual(expect.arrayContaining([forged, huge]));
  });
});
