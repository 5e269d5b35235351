import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createDatafast, type DatafastError } from '../src/index.js';
import { recordingLogger } from './helpers/logger.js';
import { closedPortUrl, useTestServer } from './helpers/server.js';

const secret = 'df_5ecret_k3y_that_must_never_leak_0123456789';
const fast = { initialDelayMs: 5, maxDelayMs: 20 };
const server = useTestServer();

function exposures(value: unknown): string[] {
  const error = value as Error & { cause?: unknown };
  return [
    String(value),
    error?.message ?? '',
    error?.stack ?? '',
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 10, showHidden: true }),
  ];
}

describe('the API key never leaks', () => {
  it('is absent from the client object however it is printed', () => {
    const datafast = createDatafast({ apiKey: secret, baseUrl: server.url });
    const bound = datafast.forRequest('datafast_visitor_id=a3ab2331-989f-4cfa-91c6-2461c9e3c6bd');
    for (const text of [...exposures(datafast), ...exposures(bound)])
      expect(text).not.toContain(secret);
  });

  it('is absent from API errors, even when the server echoes it back', async () => {
    server.script({
      status: 401,
      body: {
        status: 'error',
        error: { code: 401, message: `Invalid API key ${secret}` },
        echo: `Bearer ${secret}`,
      },
    });
    const error = await createDatafast({ apiKey: secret, baseUrl: server.url })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_secret' })
      .catch((e: unknown) => e);
    expect((error as DatafastError).code).toBe('api_error');
    for (const text of exposures(error)) expect(text).not.toContain(secret);
    expect((error as Error).message).toContain('[redacted]');
  });

  it('is absent from network, timeout, config and validation errors', async () => {
    const errors: unknown[] = [];
    const capture = (promise: Promise<unknown>) => promise.catch((e: unknown) => errors.push(e));
    await capture(
      createDatafast({
        apiKey: secret,
        baseUrl: await closedPortUrl(),
        maxRetries: 0,
      }).payments.create({ amount: 1, currency: 'USD', transaction_id: 'a' }),
    );
    server.script({ hang: true });
    await capture(
      createDatafast({
        apiKey: secret,
        baseUrl: server.url,
        timeoutMs: 50,
        maxRetries: 0,
      }).payments.create({ amount: 1, currency: 'USD', transaction_id: 'b' }),
    );
    await capture(
      createDatafast({ apiKey: `dft_${secret}`, baseUrl: server.url }).payments.create({
        amount: 1,
        currency: 'USD',
        transaction_id: 'c',
      }),
    );
    await capture(
      createDatafast({ apiKey: secret, baseUrl: 'http://datafa.st' }).payments.create({
        amount: 1,
        currency: 'USD',
        transaction_id: 'd',
      }),
    );
    await capture(
      createDatafast({ apiKey: secret, baseUrl: server.url }).payments.create({
        amount: -1,
        currency: 'USD',
        transaction_id: 'e',
      }),
    );
    expect((errors as DatafastError[]).map((e) => e.code)).toEqual([
      'network_error',
      'timeout',
      'config_error',
      'config_error',
      'validation_error',
    ]);
    for (const error of errors)
      for (const text of exposures(error)) expect(text).not.toContain(secret);
  });

  it('is absent from what onError receives and from every log line', async () => {
    const logger = recordingLogger();
    const seen: unknown[] = [];
    const withHandler = createDatafast({
      apiKey: secret,
      baseUrl: await closedPortUrl(),
      maxRetries: 1,
      backoff: fast,
      maxAgeMs: 0,
      logger,
      onError: (error, payment) => seen.push(error, payment),
    });
    withHandler.track({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_leak',
      datafast_visitor_id: 'garbage',
    });
    await withHandler.flush();
    const withLogs = createDatafast({
      apiKey: secret,
      baseUrl: await closedPortUrl(),
      maxRetries: 0,
      maxAgeMs: 0,
      logger,
      enabled: true,
    });
    withLogs.track({ amount: 1, currency: 'USD', transaction_id: 'txn_leak_2' });
    await withLogs.flush();
    createDatafast({ apiKey: secret, enabled: false, logger }).track({
      amount: 1,
      currency: 'USD',
      transaction_id: 'x',
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(logger.lines.length).toBeGreaterThanOrEqual(3);
    for (const value of seen)
      for (const text of exposures(value)) expect(text).not.toContain(secret);
    for (const line of logger.lines) expect(line).not.toContain(secret);
  });

  it('is absent from a key that a header cannot carry: refused at configuration, never quoted', async () => {
    const logger = recordingLogger();
    const seen: unknown[] = [];
    const broken = `${secret}\n`; // a trailing newline is trimmed; one inside is refused
    const inside = `${secret.slice(0, 20)} ${secret.slice(20)}`;
    for (const apiKey of [`${broken}x`, inside, `${secret}\u0000`]) {
      const datafast = createDatafast({
        apiKey,
        baseUrl: server.url,
        logger,
        onError: (error, payment) => seen.push(error, payment),
      });
      seen.push(
        await datafast.payments
          .create({ amount: 1, currency: 'USD', transaction_id: 'txn_header' })
          .catch((e: unknown) => e),
      );
      datafast.track({ amount: 1, currency: 'USD', transaction_id: 'txn_header_track' });
      await datafast.flush();
    }
    createDatafast({ apiKey: inside, baseUrl: server.url, logger }).track({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_header_logged',
    });
    expect(server.requests).toHaveLength(0);
    const codes = seen.filter((v): v is DatafastError => v instanceof Error).map((e) => e.code);
    expect(codes).toEqual(Array(6).fill('config_error'));
    const fragments = [secret.slice(0, 20), secret.slice(20)];
    for (const value of seen)
      for (const text of exposures(value))
        for (const fragment of fragments) expect(text).not.toContain(fragment);
    for (const line of logger.lines)
      for (const fragment of fragments) expect(line).not.toContain(fragment);
  });

  it('is redacted from a network error however the runtime words it', async () => {
    // Stub: with the key validated at configuration, no real runtime can be made to quote it any
    // more; this fetch fails the way undici does for a bad header, message and cause included.
    const fetchQuotingTheKey = async () => {
      throw new TypeError('fetch failed', {
        cause: new TypeError(`invalid header value: "Bearer ${secret}"`),
      });
    };
    const seen: unknown[] = [];
    const logger = recordingLogger();
    const datafast = createDatafast({
      apiKey: secret,
      baseUrl: server.url,
      maxRetries: 1,
      backoff: fast,
      fetch: fetchQuotingTheKey,
      maxAgeMs: 0,
      logger,
    });
    seen.push(
      await datafast.payments
        .create({ amount: 1, currency: 'USD', transaction_id: 'txn_quoted' })
        .catch((e: unknown) => e),
    );
    datafast.track({ amount: 1, currency: 'USD', transaction_id: 'txn_quoted_track' });
    await datafast.flush();
    expect((seen[0] as DatafastError).code).toBe('network_error');
    expect((seen[0] as Error).message).toContain('[redacted]');
    for (const value of seen)
      for (const text of exposures(value)) expect(text).not.toContain(secret);
    expect(logger.lines.length).toBe(1);
    for (const line of logger.lines) expect(line).not.toContain(secret);
  });
});
