import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createDatafast,
  DatafastApiError,
  DatafastConfigError,
  isDatafast,
  resolveDatafast,
  VERSION,
} from '../src/index.js';
import { recordingLogger } from './helpers/logger.js';
import { useTestServer } from './helpers/server.js';

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const server = useTestServer();

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('payments.create on the wire', () => {
  it('POSTs the JSON body to /api/v1/payments with the bearer key and resolves the answer', async () => {
    const datafast = createDatafast({ apiKey: 'df_wire_key', baseUrl: server.url });
    const result = await datafast.payments.create({
      amount: 29.99,
      currency: 'USD',
      transaction_id: 'txn_wire',
      datafast_visitor_id: visitor,
      email: 'customer@example.com',
      timestamp: '2026-05-21T12:00:00Z',
    });

    expect(result).toEqual({
      message: 'Payment recorded and attributed successfully',
      transaction_id: 'txn_wire',
    });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/payments');
    expect(request?.query).toEqual({});
    expect(request?.headers.authorization).toBe('Bearer df_wire_key');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toBe(`@datafast-checkout/core/${VERSION}`);
    expect(request?.json).toEqual({
      amount: 29.99,
      currency: 'USD',
      transaction_id: 'txn_wire',
      datafast_visitor_id: visitor,
      email: 'customer@example.com',
      timestamp: '2026-05-21T12:00:00.000Z',
    });
  });

  it('adds ?websiteId= for a dft_ account token', async () => {
    const datafast = createDatafast({
      apiKey: 'dft_account_token',
      websiteId: '665f0b3c4d2e1a0012345678',
      baseUrl: server.url,
    });
    await datafast.payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_dft' });
    expect(server.requests[0]?.query).toEqual({ websiteId: '665f0b3c4d2e1a0012345678' });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer dft_account_token');
  });

  it('sends no websiteId with a df_ key, even when DATAFAST_WEBSITE_ID is set, and warns once', async () => {
    vi.stubEnv('DATAFAST_WEBSITE_ID', 'dfid_for_the_tracker_tag');
    const logger = recordingLogger();
    const datafast = createDatafast({ apiKey: 'df_website_key', baseUrl: server.url, logger });
    await datafast.payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_df_1' });
    await datafast.payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_df_2' });
    expect(server.requests.map((r) => r.query)).toEqual([{}, {}]);
    const warnings = logger.lines.filter((line) => line.includes('websiteId'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('DATAFAST_SCRIPT_WEBSITE_ID');
  });

  it('builds the endpoint under a base path', async () => {
    await createDatafast({
      apiKey: 'df_k',
      baseUrl: `${server.url}/proxy/datafast`,
    }).payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_path' });
    expect(server.requests[0]?.path).toBe('/proxy/datafast/api/v1/payments');
  });

  it('accepts a baseUrl that already ends in /api/v1 or a slash', async () => {
    for (const baseUrl of [`${server.url}/`, `${server.url}/api/v1`, `${server.url}/api/v1/`]) {
      await createDatafast({ apiKey: 'df_k', baseUrl }).payments.create({
        amount: 1,
        currency: 'USD',
        transaction_id: 'txn_base',
      });
    }
    expect(server.requests.map((r) => r.path)).toEqual(Array(3).fill('/api/v1/payments'));
  });

  it('treats a re-posted transaction_id (a duplicate answer) as success', async () => {
    const datafast = createDatafast({ apiKey: 'df_k', baseUrl: server.url });
    await datafast.payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_dup' });
    const again = await datafast.payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_dup',
    });
    expect(again.transaction_id).toBe('txn_dup');
    expect(again.message).toMatch(/duplicate/i);
    expect(server.stored.filter((id) => id === 'txn_dup')).toHaveLength(1);
  });

  it("treats any 2xx carrying the API's JSON as success, whatever its message", async () => {
    server.script({ status: 201, body: { message: 'Created' } });
    const result = await createDatafast({ apiKey: 'df_k', baseUrl: server.url }).payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_201',
    });
    expect(result).toEqual({ message: 'Created', transaction_id: 'txn_201' });
  });

  it.each([
    [
      'an HTML page',
      {
        status: 200,
        body: '<!doctype html><h1>Welcome</h1>',
        headers: { 'content-type': 'text/html' },
      },
    ],
    ['an empty body', { status: 201, body: '' }],
    ['a JSON array', { status: 200, body: [] }],
  ])('refuses a 2xx with %s: nothing was recorded', async (_, behaviour) => {
    server.script(behaviour);
    const error = await createDatafast({ apiKey: 'df_k', baseUrl: server.url })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_html' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastApiError);
    expect(error).toMatchObject({ code: 'unexpected_response', attempts: 1 });
    expect((error as Error).message).toContain('not the DataFast API');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects with DatafastApiError carrying the status and the envelope message', async () => {
    const envelope = { status: 'error', error: { code: 404, message: 'Website not found' } };
    server.script({ status: 404, body: envelope });
    const error = await createDatafast({ apiKey: 'df_k', baseUrl: server.url })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_404' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastApiError);
    expect(error).toMatchObject({ status: 404, code: 'api_error', body: envelope, attempts: 1 });
    expect((error as Error).message).toBe('DataFast API answered 404: Website not found');
  });

  it('does not follow a redirect (a redirected POST would become a GET and lose the payment)', async () => {
    server.script({ status: 301, headers: { location: 'https://elsewhere.example/api' } });
    const error = await createDatafast({ apiKey: 'df_k', baseUrl: server.url })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_redirect' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 301, code: 'api_error' });
    expect((error as Error).message).toContain('redirect to https://elsewhere.example/api');
    expect(server.requests).toHaveLength(1);
  });
});

describe('payments.delete on the wire', () => {
  it('sends a transaction filter as a query parameter and resolves the data array', async () => {
    const data = [{ transaction_id: 'txn_1', message: 'Payment deleted successfully' }];
    server.script({ status: 200, body: { status: 'success', data } });
    const result = await createDatafast({ apiKey: 'df_k', baseUrl: server.url }).payments.delete({
      transaction_id: 'txn_1',
    });
    expect(result).toEqual(data);
    expect(server.requests[0]).toMatchObject({
      method: 'DELETE',
      path: '/api/v1/payments',
      query: { transaction_id: 'txn_1' },
      body: '',
    });
    expect(server.requests[0]?.headers['content-type']).toBeUndefined();
  });

  it('treats a 404 on a retry of a transaction delete as done: the lost first answer deleted it', async () => {
    server.script(
      { reset: true },
      {
        status: 404,
        body: { status: 'error', error: { code: 404, message: 'Transaction not found' } },
      },
    );
    const result = await createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      backoff: { initialDelayMs: 5, maxDelayMs: 20 },
    }).payments.delete({ transaction_id: 'txn_gone' });
    expect(server.requests).toHaveLength(2);
    expect(result).toEqual([
      { transaction_id: 'txn_gone', message: expect.stringContaining('most likely deleted it') },
    ]);
  });

  it('still rejects a 404 on the first attempt of a delete', async () => {
    server.script({
      status: 404,
      body: { status: 'error', error: { code: 404, message: 'Transaction not found' } },
    });
    const error = await createDatafast({ apiKey: 'df_k', baseUrl: server.url })
      .payments.delete({ transaction_id: 'txn_never' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, attempts: 1 });
  });

  it('sends a visitor with a range, Dates as ISO strings, under both names of the range', async () => {
    server.script({ status: 200, body: { status: 'success', data: [] } });
    await createDatafast({ apiKey: 'dft_t', websiteId: 'w1', baseUrl: server.url }).payments.delete(
      {
        datafast_visitor_id: visitor,
        start: new Date(Date.UTC(2026, 4, 1)),
        end: '2026-05-19T23:59:59Z',
      },
    );
    expect(server.requests[0]?.query).toEqual({
      websiteId: 'w1',
      datafast_visitor_id: visitor,
      start: '2026-05-01T00:00:00.000Z',
      end: '2026-05-19T23:59:59.000Z',
      startAt: '2026-05-01T00:00:00.000Z',
      endAt: '2026-05-19T23:59:59.000Z',
    });
  });

  it('sends a bulk range delete', async () => {
    server.script({
      status: 200,
      body: { status: 'success', data: [{ message: 'ok', timeRange: { start: 'a', end: 'b' } }] },
    });
    const result = await createDatafast({ apiKey: 'df_k', baseUrl: server.url }).payments.delete({
      start: '2026-05-01T00:00:00Z',
      end: '2026-05-19T23:59:59Z',
    });
    expect(server.requests[0]?.query).toEqual({
      start: '2026-05-01T00:00:00.000Z',
      end: '2026-05-19T23:59:59.000Z',
      startAt: '2026-05-01T00:00:00.000Z',
      endAt: '2026-05-19T23:59:59.000Z',
    });
    expect(result[0]?.timeRange).toEqual({ start: 'a', end: 'b' });
  });
});

describe('configuration', () => {
  it('reads DATAFAST_API_KEY, DATAFAST_WEBSITE_ID and DATAFAST_BASE_URL at the first call', async () => {
    const datafast = createDatafast();
    vi.stubEnv('DATAFAST_API_KEY', 'dft_from_env');
    vi.stubEnv('DATAFAST_WEBSITE_ID', 'site_env');
    vi.stubEnv('DATAFAST_BASE_URL', server.url);
    await datafast.payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_env' });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer dft_from_env');
    expect(server.requests[0]?.query).toEqual({ websiteId: 'site_env' });
  });

  it('lets explicit options win over the environment', async () => {
    vi.stubEnv('DATAFAST_API_KEY', 'df_env_key');
    vi.stubEnv('DATAFAST_BASE_URL', 'https://example.invalid');
    await createDatafast({ apiKey: 'df_explicit', baseUrl: server.url }).payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_explicit',
    });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer df_explicit');
  });

  it('creates a client without a key, and fails clearly at the first call', async () => {
    vi.stubEnv('DATAFAST_API_KEY', '');
    const datafast = createDatafast({ baseUrl: server.url });
    const error = await datafast.payments
      .create({ amount: 1, currency: 'USD', transaction_id: 't' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastConfigError);
    expect(error).toMatchObject({ code: 'config_error' });
    expect((error as Error).message).toContain('DATAFAST_API_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a dft_ token without a websiteId', async () => {
    vi.stubEnv('DATAFAST_WEBSITE_ID', '');
    const error = await createDatafast({ apiKey: 'dft_token', baseUrl: server.url })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 't' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastConfigError);
    expect((error as Error).message).toContain('websiteId');
    expect(server.requests).toHaveLength(0);
  });

  it.each(['http://datafa.st', 'http://10.0.0.5:4100', 'ftp://127.0.0.1', 'not a url'])(
    'refuses the insecure or invalid baseUrl %s',
    async (baseUrl) => {
      const error = await createDatafast({ apiKey: 'df_k', baseUrl })
        .payments.create({ amount: 1, currency: 'USD', transaction_id: 't' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatafastConfigError);
      expect((error as Error).message).toMatch(/baseUrl/);
    },
  );

  it.each([
    ['a query', '?env=dev'],
    ['a fragment', '#api'],
    ['an empty query', '?'],
  ])('refuses a baseUrl with %s, which would post to the wrong place', async (_, suffix) => {
    const error = await createDatafast({ apiKey: 'df_k', baseUrl: `${server.url}/${suffix}` })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 't' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastConfigError);
    expect((error as Error).message).toMatch(/query or fragment/);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a baseUrl with credentials, without repeating them', async () => {
    const error = await createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url.replace('http://', 'http://user:hunter2@'),
    })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 't' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastConfigError);
    expect((error as Error).message).not.toContain('hunter2');
    expect(server.requests).toHaveLength(0);
  });

  it('allows plain http to a non-loopback host only with allowHttp (a devserver in CI)', async () => {
    // 0.0.0.0 is not a loopback name, yet reaches this machine's test server, like a
    // docker-compose service name would reach a devserver container.
    const baseUrl = server.url.replace('127.0.0.1', '0.0.0.0');
    const refused = await createDatafast({ apiKey: 'df_k', baseUrl })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_http_refused' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DatafastConfigError);
    expect((refused as Error).message).toContain('allowHttp');

    const logger = recordingLogger();
    await createDatafast({ apiKey: 'df_k', baseUrl, allowHttp: true, logger }).payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_http_allowed',
    });
    vi.stubEnv('DATAFAST_ALLOW_HTTP', 'true');
    await createDatafast({ apiKey: 'df_k', baseUrl }).payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_http_env',
    });
    expect(server.stored).toEqual(expect.arrayContaining(['txn_http_allowed', 'txn_http_env']));
    expect(logger.lines.filter((line) => line.includes('plain http'))).toHaveLength(1);
  });

  it.each([
    ['a space', 'df_abc def'],
    ['a line break', 'df_abc\ndef'],
    ['a NUL', 'df_abc\u0000def'],
    ['a non-ASCII character', 'df_abc\u00a0def'],
  ])('refuses a key with %s at configuration, without quoting it', async (_, apiKey) => {
    const error = await createDatafast({ apiKey, baseUrl: server.url })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 't' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatafastConfigError);
    expect((error as Error).message).toContain('position 7');
    expect((error as Error).message).not.toContain('abc');
    expect(server.requests).toHaveLength(0);
  });

  it('trims a key pasted with surrounding whitespace and a trailing newline', async () => {
    await createDatafast({ apiKey: '  df_pasted\n', baseUrl: server.url }).payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_trimmed',
    });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer df_pasted');
  });

  it.each([
    'http://localhost:1',
    'http://127.0.0.1:1',
    'http://[::1]:1',
    'http://app.localhost:1',
    'https://datafa.st',
  ])('accepts %s as a baseUrl', async (baseUrl) => {
    // Stub: datafa.st cannot be reached from here, so fetch fails as an offline network would.
    // Reaching fetch at all is the point: configuration accepted the URL.
    const error = await createDatafast({
      apiKey: 'df_k',
      baseUrl,
      maxRetries: 0,
      timeoutMs: 2000,
      fetch: () => Promise.reject(new TypeError('offline')),
    })
      .payments.create({ amount: 1, currency: 'USD', transaction_id: 't' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network_error' });
  });

  it('enabled: false validates, sends nothing and says so once', async () => {
    const logger = recordingLogger();
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      enabled: false,
      logger,
    });
    const result = await datafast.payments.create({
      amount: 1,
      currency: 'USD',
      transaction_id: 'txn_off',
    });
    datafast.track({ amount: 1, currency: 'USD', transaction_id: 'txn_off_2' });
    expect(await datafast.payments.delete({ transaction_id: 'txn_off' })).toEqual([]);
    await expect(
      datafast.payments.create({ amount: -1, currency: 'USD', transaction_id: 'x' }),
    ).rejects.toMatchObject({
      field: 'amount',
    });
    expect(result).toEqual({
      message: 'Not sent: DataFast reporting is disabled',
      transaction_id: 'txn_off',
    });
    expect(server.requests).toHaveLength(0);
    expect(logger.lines.filter((line) => line.includes('disabled'))).toHaveLength(1);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const datafast = createDatafast({
      apiKey: 'df_k',
      baseUrl: server.url,
      fetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    });
    await datafast.payments.create({ amount: 1, currency: 'USD', transaction_id: 'txn_fetch' });
    expect(calls).toEqual([`${server.url}/api/v1/payments`]);
  });
});

describe('resolveDatafast, for adapters', () => {
  it('returns a client as it is, recognised by its brand', () => {
    const client = createDatafast({ apiKey: 'df_k' });
    expect(isDatafast(client)).toBe(true);
    expect(isDatafast({ forRequest() {}, track() {} })).toBe(false);
    expect(resolveDatafast(client)).toBe(client);
  });

  it('warns once when many clients are made from distinct options objects', () => {
    const logger = recordingLogger();
    // Options written inside a handler: a new object, so a new client, on every call.
    for (let call = 0; call < 12; call++) resolveDatafast({ apiKey: 'df_k', logger });
    const warnings = logger.lines.filter((line) => line.includes('different options objects'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('module level');
  });

  it('makes one client per options object, and one shared default', () => {
    const options = { apiKey: 'df_k' };
    expect(resolveDatafast(options)).toBe(resolveDatafast(options));
    expect(resolveDatafast(options)).not.toBe(resolveDatafast({ apiKey: 'df_k' }));
    expect(resolveDatafast()).toBe(resolveDatafast());
    expect(isDatafast(resolveDatafast(options))).toBe(true);
  });
});
