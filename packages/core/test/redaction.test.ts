import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatafast, type DatafastError } from '../src/index.js';
import { closedPortUrl } from './helpers/server.js';

// An injected `fetch` is often a wrapper (ofetch, ky, an app's own retry helper) whose error
// carries the request it made, Authorization header included. Each wrapper below calls the real
// fetch against a closed port (a real connection failure) and throws the way such libraries do.
// What the caller then prints of the error (util.inspect with getters and hidden properties,
// JSON.stringify, String, the stack) must not show the key, wherever the wrapper put it.

const secret = 'df_5ecret_k3y_that_must_never_leak_0123456789';
let deadUrl: string;
beforeAll(async () => {
  deadUrl = await closedPortUrl();
});

type Sent = { url: string; init: RequestInit & { headers: Record<string, string> } };
type Shape = (sent: Sent, cause: unknown) => unknown;

function wrapping(shape: Shape): typeof fetch {
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (cause) {
      throw shape({ url: String(input), init: init as Sent['init'] }, cause);
    }
  };
}

/** Shaped after ofetch's FetchError (unjs/ofetch src/error.ts): `request`, `options` as getters. */
class FetchError extends Error {
  override name = 'FetchError';
}
const ofetchLike: Shape = ({ url, init }, cause) => {
  const error = new FetchError(`[POST] "${url}": <no response> fetch failed`, { cause });
  const options = { ...init, headers: new Headers(init.headers) };
  Object.defineProperty(error, 'request', { get: () => url });
  Object.defineProperty(error, 'options', { get: () => options });
  return error;
};

const shapes: Record<string, Shape> = {
  'getters returning the options with a Headers (ofetch)': ofetchLike,
  'an enumerable config with plain headers and the Request (axios-style)': ({ url, init }, cause) =>
    Object.assign(new TypeError('fetch failed', { cause }), {
      config: { url, method: init.method, headers: { ...init.headers } },
      request: new Request(url, init),
    }),
  'three causes deep, inside an array': ({ init }, cause) =>
    new Error('retries exhausted', {
      cause: new Error('last attempt', {
        cause: Object.assign(new Error('attempt failed', { cause }), { attempts: [{ init }] }),
      }),
    }),
  'a cycle through the error and its context': ({ init }, cause) => {
    const error = Object.assign(new Error('fetch failed', { cause }), {
      context: {} as Record<string, unknown>,
    });
    error.context.error = error;
    error.context.init = init;
    return error;
  },
  'a Map, a Set, URLSearchParams and a symbol key': ({ init }) =>
    Object.assign(new Error('fetch failed'), {
      meta: new Map([['authorization', init.headers.Authorization]]),
      tags: new Set([init.headers.Authorization]),
      query: new URLSearchParams({ auth: String(init.headers.Authorization) }),
      [Symbol('request')]: init,
    }),
  'an AggregateError whose errors quote the header': ({ init }) =>
    new AggregateError(
      [new Error(`refused: ${init.headers.Authorization}`)],
      'every address failed',
    ),
  'a string thrown as is': ({ init }) => `fetch failed with ${init.headers.Authorization}`,
};

/** What a log line or a crash report can show of a value. */
function exposures(value: unknown): string[] {
  const error = value as Error;
  return [
    String(value),
    error?.message ?? '',
    error?.stack ?? '',
    JSON.stringify(value) ?? '',
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }),
  ];
}

async function failures(shape: Shape): Promise<unknown[]> {
  const seen: unknown[] = [];
  const datafast = createDatafast({
    apiKey: secret,
    baseUrl: deadUrl,
    fetch: wrapping(shape),
    maxRetries: 0,
    maxAgeMs: 0,
    logger: { warn: () => {}, error: () => {} },
    onError: (error) => seen.push(error),
  });
  seen.push(
    await datafast.payments
      .create({ amount: 1, currency: 'USD', transaction_id: 'txn_redact' })
      .catch((e: unknown) => e),
  );
  datafast.track({ amount: 1, currency: 'USD', transaction_id: 'txn_redact_track' });
  await datafast.flush();
  return seen;
}

describe("the API key, carried by an injected fetch's error", () => {
  it.each(Object.entries(shapes))('is removed from %s', async (_name, shape) => {
    const seen = await failures(shape);
    expect(seen).toHaveLength(2);
    for (const error of seen) {
      expect((error as DatafastError).code).toBe('network_error');
      for (const text of exposures(error)) expect(text).not.toContain(secret);
    }
  });

  it('is removed while the rest stays: class, fields, other headers, the chain', async () => {
    const [error] = (await failures(ofetchLike)) as Array<DatafastError & { cause: FetchError }>;
    const cause = error?.cause as FetchError & { options: { headers: Headers; method: string } };
    expect(cause).toBeInstanceOf(FetchError);
    expect(cause.name).toBe('FetchError');
    expect(cause.options.method).toBe('POST');
    expect(cause.options.headers.get('authorization')).toBe('Bearer [redacted]');
    expect(cause.options.headers.get('content-type')).toBe('application/json');
    expect((cause.cause as Error).message).toBe('fetch failed');
  });

  it('still hands over a DatafastError when the error cannot be walked (a Proxy that throws)', async () => {
    const hostile = ({ init }: Sent) =>
      Object.assign(new Error(`fetch failed: ${init.headers.Authorization}`), {
        request: new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('no looking');
            },
          },
        ),
      });
    const seen = await failures(hostile);
    for (const error of seen) {
      expect((error as DatafastError).code).toBe('network_error');
      expect((error as DatafastError).cause).toMatch(/^\[removed: /);
      for (const text of exposures(error)) expect(text).not.toContain(secret);
    }
  });

  it('leaves an error that does not hold it as it is', async () => {
    const thrown = new TypeError('fetch failed');
    const [error] = (await failures(() => thrown)) as Array<{ cause: unknown }>;
    expect(error?.cause).toBe(thrown);
  });

  it('is removed from an error too deep or too large to walk whole, at a bounded cost', async () => {
    const deep = ({ init }: Sent) => {
      let nested: Record<string, unknown> = { init };
      for (let i = 0; i < 200; i++) nested = { nested };
      return Object.assign(new Error('fetch failed'), { nested });
    };
    const wide = ({ init }: Sent) =>
      Object.assign(new Error('fetch failed'), {
        attempts: Array.from({ length: 100_000 }, () => String(init.headers.Authorization)),
      });
    for (const shape of [deep, wide]) {
      const seen = await failures(shape);
      for (const error of seen) {
        expect((error as Error).message).toContain('fetch failed');
        for (const text of exposures(error)) expect(text).not.toContain(secret);
      }
    }
  });
});
