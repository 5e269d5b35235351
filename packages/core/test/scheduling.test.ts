import { describe, expect, it } from 'vitest';
import { createDatafast, type PaymentInput } from '../src/index.js';
import { useTestServer } from './helpers/server.js';

const server = useTestServer();
const fast = { initialDelayMs: 5, maxDelayMs: 20 };

const payment = (transaction_id: string): PaymentInput => ({
  amount: 29.99,
  currency: 'USD',
  transaction_id,
});

/** The transaction id of each request, in the order they arrived. */
const arrivals = () =>
  server.requests.map((r) => (r.json as { transaction_id: string }).transaction_id);

describe('background delivery under faults', () => {
  it("a report waiting out a 429's Retry-After holds no delivery slot: the next report goes first", async () => {
    server.script({ status: 429, headers: { 'retry-after': '1' } });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, concurrency: 1 });
    datafast.track(payment('txn_rate_limited'));
    datafast.track(payment('txn_behind_it'));
    expect(await datafast.flush(10_000)).toEqual({ settled: true, pending: 0 });
    expect(arrivals()).toEqual(['txn_rate_limited', 'txn_behind_it', 'txn_rate_limited']);
    // The retry still waited out the Retry-After.
    const [first, , retry] = server.requests;
    expect((retry?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('a report backing off after a 503 holds no delivery slot', async () => {
    server.script({ status: 503, headers: { 'retry-after': '1' } });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, concurrency: 1 });
    datafast.track(payment('txn_unavailable'));
    datafast.track(payment('txn_not_stalled'));
    expect(await datafast.flush(10_000)).toEqual({ settled: true, pending: 0 });
    expect(arrivals()).toEqual(['txn_unavailable', 'txn_not_stalled', 'txn_unavailable']);
  });

  it('keeps the round of attempts of each report: maxRetries + 1 attempts, then a later round', async () => {
    server.script({ status: 503 }, { status: 503 }, { status: 503 });
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      concurrency: 1,
      maxRetries: 1,
      backoff: fast,
      debug: true,
      logger: { warn: () => {}, error: () => {}, debug: (line) => lines.push(line) },
    });
    const lines: string[] = [];
    datafast.track(payment('txn_rounds'));
    expect(await datafast.flush(10_000)).toEqual({ settled: true, pending: 0 });
    // Round 1: two 503s; round 2: a 503, then delivered on its second attempt.
    expect(arrivals()).toEqual(Array.from({ length: 4 }, () => 'txn_rounds'));
    expect(lines.join('\n')).toContain('payment txn_rounds delivered (attempt 2)');
  });

  it("waits out the Retry-After of a 429 that ended a round before the report's next round", async () => {
    server.script({ status: 429, headers: { 'retry-after': '1' } });
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      maxRetries: 0, // each attempt is a round of its own
      backoff: fast, // so the pause between rounds alone would be 10 to 20 ms
    });
    datafast.track(payment('txn_round_retry_after'));
    expect(await datafast.flush(10_000)).toEqual({ settled: true, pending: 0 });
    const [limited, next] = server.requests;
    expect((next?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('slows new sends after 429s, as a rate limit means, one at a time until DataFast accepts again', async () => {
    const limited = { status: 429, headers: { 'retry-after': '1' } };
    // Four at once are rate limited; the next one is answered slowly.
    server.script(limited, limited, limited, limited, { status: 200, delayMs: 300 });
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url, concurrency: 4 });
    for (let i = 0; i < 8; i++) datafast.track(payment(`txn_window_${i}`));
    expect(await datafast.flush(10_000)).toEqual({ settled: true, pending: 0 });
    const ids = Array.from({ length: 8 }, (_, i) => `txn_window_${i}`);
    expect(server.stored).toEqual(expect.arrayContaining(ids));
    // After four 429s, one attempt at a time: the sixth report was sent only once the fifth
    // was answered, not beside it.
    const fifth = server.requests[4];
    const sixth = server.requests[5];
    expect(arrivals().slice(0, 6)).toEqual(ids.slice(0, 6));
    expect((sixth?.at ?? 0) - (fifth?.at ?? 0)).toBeGreaterThanOrEqual(300);
  });
});
