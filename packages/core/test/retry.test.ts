import { describe, expect, it } from 'vitest';
import { createDatafast, DatafastApiError, DatafastNetworkError } from '../src/index.js';
import { backoffDelay, parseRetryAfter, retryDelay } from '../src/retry.js';
import { defaultRetryPolicy } from '../src/retry-policy.js';
import { closedPortUrl, useTestServer } from './helpers/server.js';

const payment = (transaction_id: string) => ({ amount: 29.99, currency: 'USD', transaction_id });
const fast = { initialDelayMs: 5, maxDelayMs: 20 };
const server = useTestServer();

describe('retries against a real server', () => {
  it('retries 503, 503, then records the payment once on 200', async () => {
    server.script({ status: 503 }, { status: 503 });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast });
    const result = await datafast.payments.create(payment('txn_503'));
    expect(result.transaction_id).toBe('txn_503');
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((r) => r.json)).toEqual(Array(3).fill(server.requests[0]?.json));
    expect(server.stored.filter((id) => id === 'txn_503')).toHaveLength(1);
  });

  it.each([408, 429, 500, 502, 504])('retries a %i', async (status) => {
    server.script({ status });
    await createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast }).payments.create(
      payment(`txn_${status}`),
    );
    expect(server.requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 422])(
    'never retries a %i and throws DatafastApiError',
    async (status) => {
      server.script({
        status,
        body: { status: 'error', error: { code: status, message: `nope ${status}` } },
      });
      const error = await createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast })
        .payments.create(payment('txn_4xx'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatafastApiError);
      expect(error).toMatchObject({ status, attempts: 1 });
      expect(server.requests).toHaveLength(1);
    },
  );

  it('gives up after maxRetries and reports the last status and the attempts', async () => {
    server.script({ status: 500 }, { status: 502 }, { status: 503 });
    const error = await createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      backoff: fast,
      maxRetries: 2,
    })
      .payments.create(payment('txn_giveup'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'api_error', status: 503, attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(server.stored).not.toContain('txn_giveup');
  });

  it('waits at least the Retry-After seconds of a 429', async () => {
    server.script({ status: 429, headers: { 'retry-after': '1' } });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast });
    await datafast.payments.create(payment('txn_429'));
    expect(server.requests).toHaveLength(2);
    const gap = arrival(1) - arrival(0);
    expect(gap).toBeGreaterThanOrEqual(1000 - 15);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const inOneSecond = new Date(Date.now() + 1500).toUTCString();
    server.script({ status: 503, headers: { 'retry-after': inOneSecond } });
    await createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast }).payments.create(
      payment('txn_date'),
    );
    expect(server.requests).toHaveLength(2);
    expect(arrival(1)).toBeGreaterThanOrEqual(Date.parse(inOneSecond) - 15);
  });

  it('caps a huge Retry-After at maxRetryAfterMs', async () => {
    server.script({ status: 429, headers: { 'retry-after': '86400' } });
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      backoff: { ...fast, maxRetryAfterMs: 50 },
    });
    await datafast.payments.create(payment('txn_cap'));
    expect(server.stored).toContain('txn_cap');
    // The wait is the cap (50 ms) plus backoff under 5 ms, not a day: measured between the
    // attempts' arrivals, so a missing cap fails here rather than as a test timeout.
    const gap = arrival(1) - arrival(0);
    expect(gap).toBeGreaterThanOrEqual(50 - 15);
    expect(gap).toBeLessThan(10_000);
  });

  it('times out a server that never answers, per attempt, and retries', async () => {
    server.script({ hang: true }, { hang: true });
    const error = await createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      backoff: fast,
      timeoutMs: 150,
      maxRetries: 1,
    })
      .payments.create(payment('txn_hang'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastNetworkError);
    expect(error).toMatchObject({ code: 'timeout', attempts: 2 });
    expect((error as Error).message).toContain('did not answer within 150 ms');
    expect(server.requests).toHaveLength(2);
  });

  it('times out a server that sends headers and then stalls the body', async () => {
    server.script({ stallBody: true });
    const result = await createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      backoff: fast,
      timeoutMs: 150,
    }).payments.create(payment('txn_stall'));
    expect(result.transaction_id).toBe('txn_stall');
    expect(server.requests).toHaveLength(2);
  });

  it('retries a connection reset', async () => {
    server.script({ reset: true }, { reset: true });
    const result = await createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      backoff: fast,
    }).payments.create(payment('txn_reset'));
    expect(result.transaction_id).toBe('txn_reset');
    expect(server.requests).toHaveLength(3);
    expect(server.stored).toContain('txn_reset');
  });

  it('reports a refused connection as a network_error after its retries', async () => {
    const error = await createDatafast({
      apiKey: 'df_k',
      baseUrl: await closedPortUrl(),
      backoff: fast,
      maxRetries: 2,
    })
      .payments.create(payment('txn_refused'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastNetworkError);
    expect(error).toMatchObject({ code: 'network_error', attempts: 3 });
    expect((error as Error).message).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('stops retrying when the caller aborts', async () => {
    server.script({ hang: true });
    const controller = new AbortController();
    const pending = createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast })
      .payments.create(payment('txn_abort'), { signal: controller.signal })
      .catch((e: unknown) => e);
    await server.waitForRequests(1);
    controller.abort();
    expect(await pending).toMatchObject({ code: 'aborted' });
    expect(server.requests).toHaveLength(1);
  });

  it('takes per-call maxRetries', async () => {
    server.script({ status: 503 });
    const error = await createDatafast({ apiKey: 'df_k', baseUrl: server.url, backoff: fast })
      .payments.create(payment('txn_per_call'), { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
  });

  it('takes a per-call timeoutMs over the client one', async () => {
    server.script({ hang: true });
    const error = await createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      backoff: fast,
      timeoutMs: 60_000,
    })
      .payments.create(payment('txn_per_call_timeout'), { timeoutMs: 100, maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', attempts: 1 });
    expect((error as Error).message).toContain('did not answer within 100 ms');
  });

  it.each([
    [{ timeoutMs: Number.NaN }, 'timeoutMs'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ timeoutMs: 1e12 }, 'timeoutMs'],
    [{ maxRetries: Number.POSITIVE_INFINITY }, 'maxRetries'],
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ maxRetries: 1.5 }, 'maxRetries'],
  ])('refuses the per-call option %o naming %s, and sends nothing', async (options, field) => {
    const error = await createDatafast({ apiKey: 'df_k', baseUrl: server.url })
      .payments.create(payment('txn_bad_option'), options as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'validation_error', field });
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [{ timeoutMs: Number.NaN }, 'timeoutMs'],
    [{ maxRetries: Number.POSITIVE_INFINITY }, 'maxRetries'],
    [{ backoff: { initialDelayMs: Number.NaN } }, 'backoff.initialDelayMs'],
    [{ backoff: { maxDelayMs: -5 } }, 'backoff.maxDelayMs'],
    [{ backoff: { maxRetryAfterMs: 1e12 } }, 'backoff.maxRetryAfterMs'],
    [{ maxQueueSize: 0 }, 'maxQueueSize'],
    [{ concurrency: 2.5 }, 'concurrency'],
  ])('refuses the client option %o, naming %s, at the first call', async (options, name) => {
    const error = await createDatafast({ apiKey: 'df_k', baseUrl: server.url, ...options })
      .payments.create(payment('txn_bad_client_option'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config_error' });
    expect((error as Error).message).toContain(`option ${name} `);
    expect(server.requests).toHaveLength(0);
  });
});

describe('the retry policy', () => {
  it('draws full-jitter backoff below an exponentially growing, capped ceiling', () => {
    const policy = { ...defaultRetryPolicy, initialDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(retry, policy, () => 0.999999))).toEqual(
      [99, 199, 399, 799, 999, 999],
    );
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores garbage', () => {
    const now = Date.parse('2026-05-21T12:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 2.5 ', now)).toBe(2500);
    expect(parseRetryAfter('Thu, 21 May 2026 12:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 21 May 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('waits the longer of backoff and Retry-After, capped', () => {
    const policy = {
      ...defaultRetryPolicy,
      initialDelayMs: 100,
      maxDelayMs: 1000,
      maxRetryAfterMs: 5000,
    };
    expect(retryDelay(0, policy, 2000, () => 0.5)).toBe(2000);
    expect(retryDelay(0, policy, 10, () => 0.5)).toBe(50);
    expect(retryDelay(0, policy, 3_600_000, () => 0.5)).toBe(5000);
  });
});

function arrival(index: number): number {
  const at = server.requests[index]?.at;
  if (at === undefined) throw new Error(`no request ${index}`);
  return at;
}
