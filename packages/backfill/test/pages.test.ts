import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderApi } from '@datafast-checkout/payment-links/backfill';
import { afterEach, describe, expect, it } from 'vitest';
import { readPage, retryAfterMs } from '../src/pages.js';

// A provider API on 127.0.0.1 that answers each request from a script of answers, recording when
// each came.
let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

async function providerAnswering(
  answers: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>,
) {
  const arrivals: number[] = [];
  server = createServer((_request, res) => {
    arrivals.push(performance.now());
    const answer = answers[Math.min(arrivals.length - 1, answers.length - 1)] ?? { status: 500 };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const api: ProviderApi = {
    name: 'Test API',
    base: `http://127.0.0.1:${port}`,
    headers: { authorization: 'Bearer sk_live_never_printed_123' },
  };
  return { api, arrivals };
}

describe('readPage', () => {
  it('waits out a 429 for its Retry-After, then reads the page', async () => {
    const { api, arrivals } = await providerAnswering([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: { data: [{ id: 'a' }] } },
    ]);
    const page = await readPage(api, '/v1/things', {}, { baseDelayMs: 1 });
    expect(page).toEqual({ data: [{ id: 'a' }] });
    expect(arrivals).toHaveLength(2);
    // Retry-After: 1 is honoured (the backoff alone would have retried after 1 ms).
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('retries a 5xx, then gives up with an error that names the API and status, never the key', async () => {
    const { api, arrivals } = await providerAnswering([{ status: 503 }]);
    const failure = await readPage(api, '/v1/things', {}, { attempts: 3, baseDelayMs: 1 }).catch(
      (error: Error) => error,
    );
    expect(arrivals).toHaveLength(3);
    expect(failure).toMatchObject({
      status: 503,
      message: 'Test API answered 503 to GET /v1/things',
    });
    expect(String((failure as Error).stack)).not.toContain('sk_live_never_printed_123');
  });

  it('does not retry a refused key', async () => {
    const { api, arrivals } = await providerAnswering([{ status: 401 }]);
    await expect(readPage(api, '/v1/things', {}, { baseDelayMs: 1 })).rejects.toMatchObject({
      status: 401,
    });
    expect(arrivals).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
