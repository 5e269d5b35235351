import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DevServer, DevServerConfigError, startDevServer } from '../src/index.js';
import { call, envelope, post, VISITOR } from './helpers.js';

let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer({
    websites: [{ id: 'site_a', domain: 'shop.test', apiKey: 'df_control_key' }],
  });
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

const control = (path: string, method = 'GET', body?: unknown) =>
  call(dev, {
    method,
    path: `/__devserver${path}`,
    key: null,
    ...(body === undefined ? {} : { body }),
  });

describe('startDevServer()', () => {
  it('listens on an ephemeral port of 127.0.0.1 and gives the URL without a trailing slash', async () => {
    const own = await startDevServer();
    try {
      expect(own.port).toBeGreaterThan(0);
      expect(own.url).toBe(`http://127.0.0.1:${own.port}`);
    } finally {
      await own.close();
    }
  });

  it('creates a development website with a df_dev_ key when none is configured', async () => {
    const own = await startDevServer();
    try {
      expect(own.websiteId).toBe('dev-website');
      expect(own.apiKey).toMatch(/^df_dev_[0-9a-f]{32}$/);
      expect((await post(own)).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('uses the apiKey option for the generated website', async () => {
    const own = await startDevServer({ apiKey: 'df_shared_demo_key' });
    try {
      expect(own.apiKey).toBe('df_shared_demo_key');
      expect((await post(own, {}, { key: 'df_shared_demo_key' })).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it("gives the first configured website's key and id", () => {
    expect(dev.apiKey).toBe('df_control_key');
    expect(dev.websiteId).toBe('site_a');
  });

  it('prints nothing by default', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const own = await startDevServer();
      await post(own);
      await own.close();
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  it.each([
    [{ bodyLimit: Number.NaN }, /bodyLimit must be a whole number of bytes/],
    [{ bodyLimit: 0 }, /bodyLimit must be/],
    [{ port: 1.5 }, /port must be an integer from 0 to 65535/],
    [{ port: 70_000 }, /port must be/],
    [{ host: '' }, /host must be a non-empty string/],
    [{ quiet: 'no' }, /quiet must be a boolean/],
    [{ log: 'console' }, /log must be a function/],
    [{ dataFile: '' }, /dataFile must be a non-empty path/],
    [JSON.parse('{"toString": 1}'), /unknown property "toString"/],
  ])('refuses the option %o with a DevServerConfigError naming it', async (options, message) => {
    const error = await startDevServer(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevServerConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('stops listening on close(), and close() can be called twice', async () => {
    const own = await startDevServer();
    await own.close();
    await own.close();
    await expect(fetch(`${own.url}/`)).rejects.toThrow();
  });
});

describe('programmatic reads', () => {
  it('returns payments oldest first, as copies', async () => {
    await post(dev, { transaction_id: 'a' });
    await post(dev, { transaction_id: 'b' });
    const list = dev.payments();
    expect(list.map((p) => p.transaction_id)).toEqual(['a', 'b']);
    (list[0] as { amount: number }).amount = 999;
    expect(dev.payments()[0]?.amount).toBe(29.99);
  });

  it('logs every /api/v1 request with method, path, query, headers, body, status and time', async () => {
    await post(dev, { transaction_id: 'logged' }, { query: { websiteId: 'site_a' } });
    await call(dev, { method: 'POST', body: 'not json{' });
    const [ok, bad] = dev.requests();
    expect(ok).toMatchObject({
      id: 1,
      method: 'POST',
      path: '/api/v1/payments',
      query: { websiteId: 'site_a' },
      headers: { 'content-type': 'application/json', authorization: 'Bearer df_[redacted]' },
      body: { amount: 29.99, currency: 'USD', transaction_id: 'logged' },
      status: 200,
    });
    expect(Date.parse(ok?.at ?? '')).not.toBeNaN();
    expect(bad).toMatchObject({ id: 2, body: 'not json{', status: 400 });
  });

  it('counts stats by kind, duplicates, deletes, rejections and faults', async () => {
    await post(dev, { transaction_id: 'p' });
    await post(dev, { transaction_id: 'p' });
    await post(dev, { transaction_id: 'r', refunded: true });
    await post(dev, { transaction_id: 'n', renewal: true });
    await post(dev, { transaction_id: 't', amount: 0 });
    await post(dev, { transaction_id: 'x', currency: 'dollars' });
    await call(dev, { method: 'DELETE', query: { transaction_id: 'n' } });
    dev.setFaults({ failNext: { count: 1 } });
    await post(dev, { transaction_id: 'f' });
    expect(dev.stats()).toEqual({
      payments: 3,
      refunds: 1,
      renewals: 0,
      trials: 1,
      duplicates: 1,
      deleted: 1,
      requests: 8,
      rejected: 1,
      faulted: 1,
    });
  });
});

describe('waitForPayment()', () => {
  it('resolves at once with a payment already stored', async () => {
    await post(dev, { transaction_id: 'early' });
    await expect(dev.waitForPayment('early')).resolves.toMatchObject({ transaction_id: 'early' });
  });

  it('resolves when the payment arrives later', async () => {
    const waiting = dev.waitForPayment('later');
    await post(dev, { transaction_id: 'other' });
    await post(dev, { transaction_id: 'later', amount: 12 });
    await expect(waiting).resolves.toMatchObject({ transaction_id: 'later', amount: 12 });
  });

  it('takes a predicate', async () => {
    const waiting = dev.waitForPayment((p) => p.datafast_visitor_id === VISITOR);
    await post(dev, { transaction_id: 'anon' });
    await post(dev, { transaction_id: 'known', datafast_visitor_id: VISITOR });
    await expect(waiting).resolves.toMatchObject({ transaction_id: 'known' });
  });

  it('rejects with a clear error on timeout', async () => {
    await expect(dev.waitForPayment('never', { timeoutMs: 30 })).rejects.toThrow(
      /no payment matching transaction_id "never" arrived within 30 ms/,
    );
  });

  it('rejects when the server closes first', async () => {
    const own = await startDevServer();
    const waiting = own.waitForPayment('never');
    await own.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });
});

describe('control endpoints under /__devserver', () => {
  it('lists payments at GET /payments, filtered by transaction_id or visitor', async () => {
    await post(dev, { transaction_id: 'a', datafast_visitor_id: VISITOR });
    await post(dev, { transaction_id: 'b' });
    expect((await control('/payments')).json.payments).toHaveLength(2);
    expect((await control('/payments?transaction_id=b')).json.payments).toMatchObject([
      { transaction_id: 'b' },
    ]);
    expect((await control(`/payments?datafast_visitor_id=${VISITOR}`)).json.payments).toMatchObject(
      [{ transaction_id: 'a' }],
    );
  });

  it('lists requests at GET /requests', async () => {
    await post(dev, {}, { key: 'df_wrong' });
    expect((await control('/requests')).json.requests).toMatchObject([{ status: 401 }]);
  });

  it('reports stats at GET /stats and health at GET /health', async () => {
    await post(dev);
    expect((await control('/stats')).json).toMatchObject({ payments: 1, requests: 1 });
    expect((await control('/health')).json).toEqual({ ok: true });
  });

  it('lists websites at GET /websites without their keys', async () => {
    const reply = await control('/websites');
    expect(reply.json).toEqual({ websites: [{ id: 'site_a', domain: 'shop.test' }] });
    expect(reply.text).not.toContain('df_control_key');
  });

  it('clears payments, requests and faults at POST /reset', async () => {
    await post(dev);
    dev.setFaults({ latencyMs: 1 });
    const reply = await control('/reset', 'POST');
    expect(reply.json).toEqual({ ok: true });
    expect(dev.payments()).toEqual([]);
    expect(dev.requests()).toEqual([]);
    expect(dev.faults()).toEqual({});
    expect(dev.stats().requests).toBe(0);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const reply = await control('/reset', 'GET');
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
  });

  it('answers 404 for an unknown control endpoint', async () => {
    expect((await control('/nope')).json).toEqual(envelope(404));
  });

  it('refuses changes from a page on another origin', async () => {
    await post(dev);
    const reply = await call(dev, {
      method: 'POST',
      path: '/__devserver/reset',
      key: null,
      headers: { origin: 'http://evil.test' },
    });
    expect(reply.status).toBe(403);
    expect(dev.payments()).toHaveLength(1);
  });

  it('streams a snapshot, then each payment, at GET /events', async () => {
    await post(dev, { transaction_id: 'before' });
    const controller = new AbortController();
    const res = await fetch(`${dev.url}/__devserver/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(buffer)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    await until(/event: snapshot\ndata: .*"before"/);
    await post(dev, { transaction_id: 'live' });
    await until(/event: payment\ndata: .*"live"/);
    controller.abort();
    await reader.cancel().catch(() => {});
  });
});
