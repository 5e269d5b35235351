import { createDatafast, type DatafastError } from '@datafast-checkout/core';
import type { DevServer, RequestLogEntry } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from './support/capture.js';
import { startDataFast, storedTwice } from './support/devserver.js';
import { secrets } from './support/secrets.js';

const reports = 2_000;
const maxRetries = 3;
const attemptsPerRound = maxRetries + 1;
// The devserver answers Retry-After: 1 s; the client honours it up to this cap.
const maxRetryAfterMs = 250;

// The devserver checks drops, then rate limits, then failures, each on what the earlier ones
// left: these conditional rates give 10 % resets, 5 % 429s and 30 % 503s of all requests.
const faults = {
  dropRate: 0.1,
  rateLimitRate: 0.05 / 0.9,
  failureRate: 0.3 / 0.85,
  retryAfter: '1',
  latencyMs: { min: 0, max: 40 },
};

let dev: DevServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dev = await startDataFast('flaky-api', { faults });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await dev?.close();
});

/** The `/api/v1` requests of each transaction id, oldest first. */
function attemptsById(log: RequestLogEntry[]): Map<string, RequestLogEntry[]> {
  const byId = new Map<string, RequestLogEntry[]>();
  for (const entry of log) {
    const id = (entry.body as { transaction_id?: string } | undefined)?.transaction_id;
    if (typeof id !== 'string') throw new Error(`request ${entry.id} has no transaction_id`);
    byId.set(id, [...(byId.get(id) ?? []), entry]);
  }
  return byId;
}

describe('a flaky DataFast (30 % 503, 10 % resets, 5 % 429 with Retry-After, random latency)', () => {
  it('stores all 2,000 reports exactly once, within the retry policy, with no unhandled rejection', async () => {
    const logger = capturingLogger('flaky-api-client');
    const lost: Array<{ error: DatafastError; id: unknown }> = [];
    const datafast = createDatafast({
      apiKey: secrets.apiKey,
      baseUrl: dev.url,
      maxRetries,
      backoff: { initialDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs },
      concurrency: 16,
      debug: true,
      logger,
      onError: (error, payment) => lost.push({ error, id: payment?.transaction_id }),
    });

    const ids = Array.from({ length: reports }, (_, i) => `txn_flaky_${i}`);
    for (const [i, id] of ids.entries()) {
      datafast.track({ amount: 10 + (i % 90), currency: 'USD', transaction_id: id });
    }
    const flushed = await datafast.flush(120_000);

    expect(flushed).toEqual({ settled: true, pending: 0 });
    expect(lost).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(dev.payments()).toHaveLength(reports);
    expect(new Set(dev.payments().map((p) => p.transaction_id))).toEqual(new Set(ids));
    expect(storedTwice(dev)).toEqual([]);
    // Not one report was sent again after DataFast had accepted it.
    expect(dev.stats().duplicates).toBe(0);

    // The client's own account of each report's last round: "delivered (attempt k)".
    const lastRound = new Map<string, number>();
    for (const line of logger.lines) {
      const match = /payment (\S+) delivered \(attempt (\d+)\)/.exec(line);
      if (match) lastRound.set(match[1] as string, Number(match[2]));
    }
    expect(lastRound.size).toBe(reports);

    const log = dev.requests();
    const byId = attemptsById(log);
    const rounds = new Map<number, number>();
    const faultsSeen = { drop: 0, 'rate-limit': 0, failure: 0 } as Record<string, number>;
    let retryAfterGaps = 0;
    for (const id of ids) {
      const attempts = byId.get(id) ?? [];
      const last = attempts.at(-1);
      // Every attempt but the last met an injected fault; the last one stored the payment.
      expect(last, id).toMatchObject({ status: 200 });
      expect(last?.fault, id).toBeUndefined();
      for (const attempt of attempts.slice(0, -1)) {
        expect(attempt.fault, `${id}: request ${attempt.id}`).toBeDefined();
        faultsSeen[attempt.fault as string] = (faultsSeen[attempt.fault as string] ?? 0) + 1;
      }
      // Rounds of at most maxRetries + 1 attempts: every round but the last used them all.
      const inLastRound = lastRound.get(id) ?? 0;
      expect(inLastRound, id).toBeGreaterThanOrEqual(1);
      expect(inLastRound, id).toBeLessThanOrEqual(attemptsPerRound);
      expect((attempts.length - inLastRound) % attemptsPerRound, id).toBe(0);
      const roundCount = (attempts.length - inLastRound) / attemptsPerRound + 1;
      rounds.set(roundCount, (rounds.get(roundCount) ?? 0) + 1);
      // Inside a round, the retry after a 429 waited out Retry-After (up to the cap).
      attempts.forEach((attempt, i) => {
        const next = attempts[i + 1];
        const endsRound = (i + 1) % attemptsPerRound === 0;
        if (attempt.fault !== 'rate-limit' || !next || endsRound) return;
        retryAfterGaps += 1;
        expect(Date.parse(next.at) - Date.parse(attempt.at), id).toBeGreaterThanOrEqual(
          maxRetryAfterMs,
        );
      });
    }

    const share = (n: number) => `${((100 * n) / log.length).toFixed(1)} %`;
    console.log(
      `[reliability] flaky API: ${reports} reports stored once in ${log.length} requests ` +
        `(resets ${share(faultsSeen.drop ?? 0)}, 429 ${share(faultsSeen['rate-limit'] ?? 0)}, ` +
        `503 ${share(faultsSeen.failure ?? 0)}); rounds per report ${JSON.stringify(Object.fromEntries([...rounds].sort(([a], [b]) => a - b)))}; ` +
        `${retryAfterGaps} retries after a 429 waited >= ${maxRetryAfterMs} ms`,
    );
    // The faults really happened, in about the proportions asked for.
    expect(faultsSeen.drop).toBeGreaterThan(0);
    expect(faultsSeen['rate-limit']).toBeGreaterThan(0);
    expect(faultsSeen.failure).toBeGreaterThan(0);
    expect(retryAfterGaps).toBeGreaterThan(0);
  });
});
