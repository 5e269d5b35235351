/**
 * A provider-API read whose `fetch` rejects must not carry the provider's key out in what it
 * throws: instrumentation and polyfill libraries wrap `fetch` and hang the request's options (and
 * so its Authorization header) on their errors, as ofetch's `FetchError.options` does.
 */
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getJson, lookupFailureKind, type ProviderApi } from '../src/provider-api.js';

const key = 'pdl_sdbx_apikey_01hzx9k2m3n4p5q6r7s8t9v0w1';

/** A port on 127.0.0.1 that nothing listens on: a real refused connection. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The real `fetch`, wrapped as ofetch wraps it: its error keeps the request and its options. */
const wrappedFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (cause) {
    const error = new Error(`[GET] "${String(input)}": <no response> fetch failed (${key})`, {
      cause,
    });
    Object.assign(error, { request: input, options: init });
    throw error;
  }
};

describe('getJson', () => {
  it('throws an error without the key, and read as transient, when fetch rejects with its options', async () => {
    const api: ProviderApi = {
      name: 'Paddle API',
      base: `http://127.0.0.1:${await closedPort()}`,
      headers: { authorization: `Bearer ${key}` },
      fetch: wrappedFetch,
    };
    const error = await getJson(api, '/transactions/txn_1').then(
      () => expect.unreachable('the connection is refused'),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('Paddle API did not answer GET /transactions/txn_1');
    expect((error as Error).message).toContain('[redacted]');
    expect(inspect(error, { depth: 10, showHidden: true, getters: true })).not.toContain(key);
    expect(JSON.stringify(error)).not.toContain(key);
    expect(lookupFailureKind(error)).toBe('transient');
  });
});
