import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatafast, DatafastApiError, type DatafastError } from '../src/index.js';

// The client against the devserver, an independent implementation of DataFast's API pages:
// what the client sends must be what the API accepts, and its faults are real HTTP faults.
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const websiteId = '665f0b3c4d2e1a0012345678';
const fast = { initialDelayMs: 5, maxDelayMs: 20 };
let dev: DevServer;

beforeAll(async () => {
  dev = await startDevServer({
    websites: [
      { id: websiteId, domain: 'shop.example', apiKey: 'df_shop_key' },
      { id: '665f0b3c4d2e1a0087654321', domain: 'other.example', apiKey: 'df_other_key' },
    ],
    tokens: [
      { token: 'dft_writer', permissions: ['payments:write'], websites: [websiteId] },
      { token: 'dft_reader', permissions: ['stats:read'], websites: '*' },
      { token: 'dft_admin', permissions: ['*'], websites: '*' },
    ],
  });
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

const client = (options: Parameters<typeof createDatafast>[0] = {}) =>
  createDatafast({ apiKey: 'df_shop_key', baseUrl: dev.url, backoff: fast, ...options });

describe('against the devserver', () => {
  it('records a payment with every field, once, attributed', async () => {
    const datafast = client();
    const result = await datafast.payments.create({
      amount: 29.99,
      currency: 'usd',
      transaction_id: 'txn_full',
      datafast_visitor_id: visitor,
      customer_email: 'ada@example.com',
      customer_name: 'Ada',
      customer_id: 'cus_1',
      renewal: false,
      timestamp: new Date('2026-05-21T12:00:00Z'),
    });
    expect(result.transaction_id).toBe('txn_full');
    await datafast.payments.create({ amount: 29.99, currency: 'USD', transaction_id: 'txn_full' });
    expect(dev.payments()).toEqual([
      expect.objectContaining({
        website_id: websiteId,
        transaction_id: 'txn_full',
        amount: 29.99,
        currency: 'USD',
        datafast_visitor_id: visitor,
        email: 'ada@example.com',
        name: 'Ada',
        customer_id: 'cus_1',
        renewal: false,
        refunded: false,
        is_free_trial: false,
        timestamp: '2026-05-21T12:00:00.000Z',
      }),
    ]);
    expect(dev.stats().duplicates).toBe(1);
  });

  it('records trials, zero-amount renewals and refunds the way the API reads them', async () => {
    const datafast = client();
    await datafast.payments.create({ amount: 0, currency: 'USD', transaction_id: 'trial_1' });
    await datafast.payments.create({
      amount: 0,
      currency: 'USD',
      transaction_id: 'renewal_0',
      renewal: true,
    });
    await datafast.payments.create({
      amount: 29.99,
      currency: 'USD',
      transaction_id: 're_1',
      refunded: true,
    });
    const byId = Object.fromEntries(dev.payments().map((p) => [p.transaction_id, p]));
    expect(byId.trial_1).toMatchObject({ is_free_trial: true });
    expect(byId.renewal_0).toMatchObject({ is_free_trial: false, renewal: true });
    expect(byId.re_1).toMatchObject({ refunded: true, amount: 29.99 });
  });

  it('authenticates a dft_ token with its websiteId', async () => {
    await client({ apiKey: 'dft_writer', websiteId }).payments.create({
      amount: 5,
      currency: 'EUR',
      transaction_id: 'txn_token',
    });
    expect(dev.payments()[0]).toMatchObject({ website_id: websiteId, transaction_id: 'txn_token' });
  });

  it.each([
    [401, 'an unknown key', { apiKey: 'df_unknown' }],
    [403, 'a token without payments:write', { apiKey: 'dft_reader', websiteId }],
    [
      403,
      'a token for another website',
      { apiKey: 'dft_writer', websiteId: '665f0b3c4d2e1a0087654321' },
    ],
    [404, 'an unknown website', { apiKey: 'dft_admin', websiteId: '000000000000000000000000' }],
  ])('surfaces a %i for %s as DatafastApiError without retrying', async (status, _, options) => {
    const error = await client(options)
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_auth' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastApiError);
    expect(error).toMatchObject({ status, attempts: 1 });
    expect((error as DatafastApiError).body).toMatchObject({
      status: 'error',
      error: { code: status },
    });
    expect(dev.requests()).toHaveLength(1);
  });

  it('deletes by transaction, by visitor and by range, resolving the data array', async () => {
    const datafast = client();
    await datafast.payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'd1',
      datafast_visitor_id: visitor,
      timestamp: '2026-05-02T00:00:00Z',
    });
    await datafast.payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'd2',
      datafast_visitor_id: visitor,
      timestamp: '2026-05-03T00:00:00Z',
    });
    await datafast.payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'd3',
      timestamp: '2026-05-04T00:00:00Z',
    });
    await datafast.payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'd4',
      timestamp: '2026-06-04T00:00:00Z',
    });

    expect(await datafast.payments.delete({ transaction_id: 'd1' })).toEqual([
      expect.objectContaining({ transaction_id: 'd1' }),
    ]);
    expect(await datafast.payments.delete({ datafast_visitor_id: visitor })).toEqual([
      expect.objectContaining({ datafast_visitor_id: visitor }),
    ]);
    const range = await datafast.payments.delete({
      start: new Date('2026-05-01T00:00:00Z'),
      end: '2026-05-31T23:59:59Z',
    });
    expect(range[0]?.timeRange).toBeDefined();
    expect(dev.payments().map((p) => p.transaction_id)).toEqual(['d4']);
    await expect(datafast.payments.delete({ transaction_id: 'nope' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('rides out injected 503s and records the payment once', async () => {
    dev.setFaults({ failNext: { count: 2, mode: 'status', status: 503 } });
    await client().payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_faults' });
    expect(dev.requests().map((r) => r.status)).toEqual([503, 503, 200]);
    expect(dev.payments().filter((p) => p.transaction_id === 'txn_faults')).toHaveLength(1);
  });

  it('retries dropped connections', async () => {
    dev.setFaults({ failNext: { count: 2, mode: 'drop' } });
    await client().payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_drop' });
    expect(dev.payments().map((p) => p.transaction_id)).toEqual(['txn_drop']);
  });

  it('waits out a 429 Retry-After before the retry', async () => {
    dev.setFaults({ failNext: { count: 1, mode: 'rate-limit' }, retryAfter: '1' });
    await client().payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_429' });
    const [limited, accepted] = dev.requests();
    expect(limited?.status).toBe(429);
    expect(Date.parse(accepted?.at ?? '') - Date.parse(limited?.at ?? '')).toBeGreaterThanOrEqual(
      1000 - 15,
    );
  });

  it('times out a hanging request and delivers on the next attempt', async () => {
    dev.setFaults({ failNext: { count: 1, mode: 'hang' } });
    const datafast = client({ timeoutMs: 200 });
    datafast.track({ amount: 1, currency: 'USD', transaction_id: 'txn_hang' });
    expect((await dev.waitForPayment('txn_hang')).transaction_id).toBe('txn_hang');
    expect(dev.requests()).toHaveLength(2);
  });

  it('reports to onError when every attempt fails, storing nothing', async () => {
    dev.setFaults({ failureRate: 1, failureStatus: 500 });
    const seen: DatafastError[] = [];
    const datafast = client({ maxRetries: 2, maxAgeMs: 0, onError: (error) => seen.push(error) });
    datafast.track({ amount: 1, currency: 'USD', transaction_id: 'txn_lost' });
    await datafast.flush();
    expect(
      seen.map((e) => [e.code, (e as DatafastApiError).status, (e as DatafastApiError).attempts]),
    ).toEqual([['api_error', 500, 3]]);
    expect(dev.payments()).toEqual([]);
  });
});
