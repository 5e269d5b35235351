import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FaultInjector } from '../src/faults.js';
import { type DevServer, startDevServer } from '../src/index.js';
import { call, envelope, post } from './helpers.js';

let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

/** POSTs a valid payment with node:http, resolving with the status or rejecting with the socket error. */
function nodePost(server: DevServer, transactionId = 'txn_node'): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ amount: 1, currency: 'USD', transaction_id: transactionId });
    const req = request(
      `${server.url}/api/v1/payments`,
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${server.apiKey}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('failure rate', () => {
  it('answers the failure status with the envelope and stores nothing', async () => {
    dev.setFaults({ failureRate: 1 });
    const reply = await post(dev);
    expect(reply.status).toBe(503);
    expect(reply.json).toEqual(envelope(503));
    expect(dev.payments()).toEqual([]);
    expect(dev.requests()[0]).toMatchObject({ status: 503, fault: 'failure' });
    expect(dev.stats().faulted).toBe(1);
  });

  it('uses the chosen failure status', async () => {
    dev.setFaults({ failureRate: 1, failureStatus: 500 });
    expect((await post(dev)).status).toBe(500);
  });

  it('never fails at rate 0', async () => {
    dev.setFaults({ failureRate: 0, dropRate: 0, rateLimitRate: 0 });
    for (const id of ['a', 'b', 'c'])
      expect((await post(dev, { transaction_id: id })).status).toBe(200);
  });

  it('stores a payment once when the client retries after an injected failure', async () => {
    dev.setFaults({ failNext: { count: 1 } });
    expect((await post(dev, { transaction_id: 'retry' })).status).toBe(503);
    expect((await post(dev, { transaction_id: 'retry' })).json.message).not.toMatch(/duplicate/i);
    expect((await post(dev, { transaction_id: 'retry' })).json.message).toMatch(/duplicate/i);
    expect(dev.payments()).toHaveLength(1);
  });
});

describe('latency', () => {
  it('delays a request by a fixed latency', async () => {
    dev.setFaults({ latencyMs: 60 });
    const started = performance.now();
    expect((await post(dev)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(dev.requests()[0]?.latencyMs).toBe(60);
  });

  it('delays a request by a random latency within the range', async () => {
    dev.setFaults({ latencyMs: { min: 40, max: 50 } });
    const started = performance.now();
    await post(dev);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    const latency = dev.requests()[0]?.latencyMs ?? 0;
    expect(latency).toBeGreaterThanOrEqual(40);
    expect(latency).toBeLessThanOrEqual(50);
  });

  it('delays only the share of requests that latencyRate asks for', async () => {
    dev.setFaults({ latencyMs: 60_000, latencyRate: 0 });
    expect((await post(dev)).status).toBe(200);
    expect(dev.requests()[0]?.latencyMs).toBeUndefined();
    // Each request is delayed when its draw falls below the rate.
    const draws = [0.05, 0.5, 0.149, 0.151];
    const injector = new FaultInjector(
      { latencyMs: 100, latencyRate: 0.15 },
      () => draws.shift() ?? 1,
    );
    expect([1, 2, 3, 4].map(() => injector.latency())).toEqual([100, 0, 100, 0]);
    expect(() => dev.setFaults({ latencyRate: 1.5 })).toThrow(
      'latencyRate must be a number from 0 to 1',
    );
  });

  it('delays many concurrent requests without a listener-leak warning', async () => {
    // Each delayed request listens for close() on one shared signal; past 10 at once Node used
    // to print a MaxListenersExceededWarning into the developer's terminal.
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      dev.setFaults({ latencyMs: 30 });
      const ids = Array.from({ length: 20 }, (_, i) => `txn_latency_${i}`);
      const replies = await Promise.all(ids.map((id) => post(dev, { transaction_id: id })));
      expect(replies.map((reply) => reply.status)).toEqual(ids.map(() => 200));
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 with the envelope and Retry-After: 1 by default', async () => {
    dev.setFaults({ rateLimitRate: 1 });
    const reply = await post(dev);
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('1');
    expect(reply.json).toEqual(envelope(429));
    expect(dev.payments()).toEqual([]);
  });

  it('sends the Retry-After value chosen, in seconds or as an HTTP date', async () => {
    dev.setFaults({ rateLimitRate: 1, retryAfter: '7' });
    expect((await post(dev)).headers.get('retry-after')).toBe('7');
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    dev.setFaults({ rateLimitRate: 1, retryAfter: date });
    expect((await post(dev)).headers.get('retry-after')).toBe(date);
  });
});

describe('dropped connections', () => {
  it('resets the connection without any response and stores nothing', async () => {
    dev.setFaults({ dropRate: 1 });
    await expect(nodePost(dev)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(dev.payments()).toEqual([]);
    expect(dev.requests()[0]).toMatchObject({ status: null, fault: 'drop' });
  });

  it('makes fetch fail too', async () => {
    dev.setFaults({ dropRate: 1 });
    await expect(post(dev)).rejects.toThrow(TypeError);
  });
});

describe('fail the next N requests', () => {
  it('fails exactly the next N requests, then answers normally', async () => {
    dev.setFaults({ failNext: { count: 2 } });
    const statuses = [];
    for (const id of ['a', 'b', 'c'])
      statuses.push((await post(dev, { transaction_id: id })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(dev.payments().map((p) => p.transaction_id)).toEqual(['c']);
    expect(dev.faults().failNext?.count).toBe(0);
  });

  it('uses the chosen status', async () => {
    dev.setFaults({ failNext: { count: 1, mode: 'status', status: 502 } });
    expect((await post(dev)).status).toBe(502);
  });

  it('rate-limits in mode rate-limit', async () => {
    dev.setFaults({ failNext: { count: 1, mode: 'rate-limit' }, retryAfter: '3' });
    const reply = await post(dev);
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('3');
  });

  it('resets the connection in mode drop', async () => {
    dev.setFaults({ failNext: { count: 1, mode: 'drop' } });
    await expect(nodePost(dev, 'first')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(await nodePost(dev, 'second')).toBe(200);
    expect(dev.payments().map((p) => p.transaction_id)).toEqual(['second']);
  });

  it('takes precedence over the rates', async () => {
    dev.setFaults({ failNext: { count: 1, mode: 'status', status: 500 }, rateLimitRate: 1 });
    expect((await post(dev)).status).toBe(500);
    expect((await post(dev)).status).toBe(429);
  });

  it('hangs in mode hang until close(), which ends the connection', async () => {
    const own = await startDevServer({ faults: { failNext: { count: 1, mode: 'hang' } } });
    const pending = nodePost(own);
    const settled = pending.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    await vi.waitFor(() => expect(own.requests()[0]?.fault).toBe('hang'), { timeout: 5000 });
    expect(own.requests()[0]?.status).toBeNull();
    await own.close();
    expect(await settled).toBe('ECONNRESET');
    expect(own.payments()).toEqual([]);
  });
});

describe('scope and control', () => {
  it('applies faults only to /api/v1, never to the dashboard, the script or /__devserver', async () => {
    dev.setFaults({ failureRate: 1, dropRate: 1, rateLimitRate: 1, latencyMs: 0 });
    for (const path of [
      '/',
      '/js/script.js',
      '/__devserver/payments',
      '/__devserver/faults',
      '/__devserver/dashboard.js',
    ]) {
      const res = await fetch(`${dev.url}${path}`);
      expect(res.status, path).toBe(200);
    }
  });

  it('applies before authentication, like a failing proxy in front of the API', async () => {
    dev.setFaults({ failureRate: 1 });
    expect((await post(dev, {}, { key: null })).status).toBe(503);
  });

  it('takes faults from the startDevServer options', async () => {
    const own = await startDevServer({ faults: { failureRate: 1, failureStatus: 504 } });
    try {
      expect((await post(own)).status).toBe(504);
    } finally {
      await own.close();
    }
  });

  it('replaces faults with setFaults and clears them with setFaults({})', async () => {
    dev.setFaults({ failureRate: 1 });
    dev.setFaults({ rateLimitRate: 1 });
    expect(dev.faults()).toEqual({ rateLimitRate: 1 });
    expect((await post(dev)).status).toBe(429);
    dev.setFaults({});
    expect((await post(dev)).status).toBe(200);
  });

  it('clears faults on reset', async () => {
    dev.setFaults({ failureRate: 1 });
    await dev.reset();
    expect(dev.faults()).toEqual({});
  });

  it.each([
    [{ failureRate: 2 }, 'failureRate'],
    [{ failureStatus: 200 }, 'failureStatus'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ latencyMs: { min: 50, max: 10 } }, 'latencyMs.min'],
    [{ retryAfter: 'soon' }, 'retryAfter'],
    [{ failNext: { count: 1, mode: 'explode' } }, 'failNext.mode'],
    [{ failNext: { count: -1 } }, 'failNext.count'],
    [{ slowness: 1 }, 'slowness'],
  ])('rejects invalid settings %j with a TypeError naming %s', (faults, name) => {
    expect(() => dev.setFaults(faults as never)).toThrow(TypeError);
    expect(() => dev.setFaults(faults as never)).toThrow(name);
  });

  it('sets, reads and clears faults at runtime through /__devserver/faults', async () => {
    const put = await call(dev, {
      method: 'PUT',
      path: '/__devserver/faults',
      body: { failNext: { count: 2 } },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ faults: { failNext: { count: 2 } } });
    expect((await post(dev)).status).toBe(503);
    const read = await call(dev, { method: 'GET', path: '/__devserver/faults' });
    expect(read.json).toEqual({ faults: { failNext: { count: 1 } } });
    const cleared = await call(dev, { method: 'DELETE', path: '/__devserver/faults' });
    expect(cleared.json).toEqual({ faults: {} });
    expect((await post(dev)).status).toBe(200);
  });

  it('answers 400 to invalid faults at runtime and keeps the old ones', async () => {
    dev.setFaults({ rateLimitRate: 1 });
    const put = await call(dev, {
      method: 'PUT',
      path: '/__devserver/faults',
      body: { dropRate: 'often' },
    });
    expect(put.status).toBe(400);
    expect(put.json).toEqual(envelope(400, expect.stringContaining('dropRate')));
    expect(dev.faults()).toEqual({ rateLimitRate: 1 });
  });
});

describe('fault values that would break at runtime are refused up front', () => {
  it.each([
    ['a NUL', '1\u0000'],
    ['a newline', '1\nSet-Cookie: x=1'],
    ['a NUL after an HTTP date', 'Wed, 21 Oct 2026 07:28:00 GMT\u0000'],
    ['a loose date', 'May 1'],
    ['a non-ASCII character', '5\u00e9'],
    ['an empty string', ''],
  ])('refuses a retryAfter with %s, everywhere a fault can be set', async (_what, retryAfter) => {
    expect(() => dev.setFaults({ rateLimitRate: 1, retryAfter })).toThrow(/retryAfter/);
    const put = await call(dev, {
      method: 'PUT',
      path: '/__devserver/faults',
      body: { rateLimitRate: 1, retryAfter },
    });
    expect(put.status).toBe(400);
    expect(put.json).toEqual(envelope(400, expect.stringContaining('retryAfter')));
    await expect(startDevServer({ faults: { retryAfter } })).rejects.toThrow(/retryAfter/);
    // Nothing was set, so requests are still answered normally, never with a 500.
    expect((await post(dev)).status).toBe(200);
  });

  it.each([
    ['1e12', 1e12],
    ['2^31', 2 ** 31],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses latencyMs %s (a timer past 2^31-1 ms fires at once)', async (_what, latencyMs) => {
    expect(() => dev.setFaults({ latencyMs })).toThrow(/latencyMs/);
    expect(() => dev.setFaults({ latencyMs: { min: 0, max: latencyMs } })).toThrow(
      /latencyMs\.max/,
    );
    // JSON has no Infinity: it arrives as null, which is refused the same way.
    const put = await call(dev, {
      method: 'PUT',
      path: '/__devserver/faults',
      body: { latencyMs },
    });
    expect(put.status).toBe(400);
    expect(put.json).toEqual(envelope(400, expect.stringContaining('latencyMs')));
    await expect(startDevServer({ faults: { latencyMs } })).rejects.toThrow(/latencyMs/);
    expect(dev.faults()).toEqual({});
  });

  it('accepts the longest latency a timer can wait (2^31-1 ms)', () => {
    dev.setFaults({ latencyMs: 2 ** 31 - 1 });
    expect(dev.faults()).toEqual({ latencyMs: 2 ** 31 - 1 });
  });

  it.each([
    ['1e12', 1e12],
    ['NaN', Number.NaN],
    ['-1', -1],
  ])('refuses a waitForPayment timeout of %s', async (_what, timeoutMs) => {
    await expect(dev.waitForPayment('never', { timeoutMs })).rejects.toThrow(/timeoutMs must be/);
  });
});
