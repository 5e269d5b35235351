import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { envelope, OTHER_VISITOR, post, VISITOR } from './helpers.js';

let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

describe('POST /api/v1/payments: success', () => {
  it('answers 200 with the plain { message, transaction_id } and no status wrapper', async () => {
    const reply = await post(dev, { datafast_visitor_id: VISITOR });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(reply.json).sort()).toEqual(['message', 'transaction_id']);
    expect(reply.json).toEqual({
      message: 'Payment recorded and attributed successfully',
      transaction_id: 'txn_1',
    });
  });

  it('stores every documented field with the website it belongs to', async () => {
    const before = Date.now();
    await post(dev, {
      amount: 49,
      currency: 'eur',
      transaction_id: 'txn_full',
      datafast_visitor_id: VISITOR.toUpperCase(),
      email: 'ada@example.com',
      name: 'Ada',
      customer_id: 'cus_1',
      renewal: true,
      refunded: false,
      timestamp: '2026-05-21T12:00:00Z',
    });
    const [record] = dev.payments();
    expect(record).toEqual({
      website_id: dev.websiteId,
      transaction_id: 'txn_full',
      amount: 49,
      currency: 'EUR',
      datafast_visitor_id: VISITOR,
      email: 'ada@example.com',
      name: 'Ada',
      customer_id: 'cus_1',
      renewal: true,
      refunded: false,
      is_free_trial: false,
      timestamp: '2026-05-21T12:00:00.000Z',
      received_at: expect.any(String),
    });
    expect(Date.parse(record?.received_at ?? '')).toBeGreaterThanOrEqual(before - 1);
  });

  it('defaults timestamp to the time of the request', async () => {
    const before = Date.now();
    await post(dev);
    const after = Date.now();
    const stamp = Date.parse(dev.payments()[0]?.timestamp ?? '');
    expect(stamp).toBeGreaterThanOrEqual(before - 1);
    expect(stamp).toBeLessThanOrEqual(after + 1);
  });

  it('normalises a timestamp with an offset to UTC and reads one without an offset as UTC', async () => {
    await post(dev, { transaction_id: 'a', timestamp: '2026-05-21T14:00:00+02:00' });
    await post(dev, { transaction_id: 'b', timestamp: '2026-05-21T12:00:00' });
    await post(dev, { transaction_id: 'c', timestamp: '2026-05-21' });
    await post(dev, { transaction_id: 'd', timestamp: '2026-05-21T12:00:00.123Z' });
    await post(dev, { transaction_id: 'e', timestamp: '2026-05-21T17:30:00+0530' });
    expect(dev.payments().map((p) => p.timestamp)).toEqual([
      '2026-05-21T12:00:00.000Z',
      '2026-05-21T12:00:00.000Z',
      '2026-05-21T00:00:00.000Z',
      '2026-05-21T12:00:00.123Z',
      '2026-05-21T12:00:00.000Z',
    ]);
  });

  it('says the payment is not attributed when there is no visitor id', async () => {
    const reply = await post(dev);
    expect(reply.status).toBe(200);
    expect(reply.json.message).toMatch(/not attributed/);
    expect(dev.payments()[0]).not.toHaveProperty('datafast_visitor_id');
  });

  it('accepts amount 0 and infers is_free_trial', async () => {
    const reply = await post(dev, { amount: 0 });
    expect(reply.status).toBe(200);
    expect(reply.json.message).toBe('Free trial recorded successfully');
    expect(dev.payments()[0]).toMatchObject({ amount: 0, is_free_trial: true });
  });

  it('keeps an explicit is_free_trial: false with amount 0 (a fully discounted payment)', async () => {
    await post(dev, { amount: 0, is_free_trial: false });
    expect(dev.payments()[0]).toMatchObject({ amount: 0, is_free_trial: false });
  });

  it('does not infer a trial for a renewal of amount 0', async () => {
    await post(dev, { amount: 0, renewal: true });
    expect(dev.payments()[0]).toMatchObject({ renewal: true, is_free_trial: false });
  });

  it('accepts is_free_trial: true with an amount above 0 (a trial of a paid plan)', async () => {
    await post(dev, { amount: 29.99, is_free_trial: true });
    expect(dev.payments()[0]).toMatchObject({ amount: 29.99, is_free_trial: true });
  });

  it('records a refund with a positive amount and its own transaction id', async () => {
    await post(dev, { transaction_id: 'ch_1' });
    const reply = await post(dev, { transaction_id: 're_1', refunded: true });
    expect(reply.json).toEqual({ message: 'Refund recorded successfully', transaction_id: 're_1' });
    expect(dev.payments().map((p) => [p.transaction_id, p.refunded])).toEqual([
      ['ch_1', false],
      ['re_1', true],
    ]);
  });

  it('accepts customer_email and customer_name as aliases of email and name', async () => {
    await post(dev, { customer_email: 'ada@example.com', customer_name: 'Ada' });
    expect(dev.payments()[0]).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
  });

  it('accepts an alias and its field together when they agree', async () => {
    const reply = await post(dev, { email: 'a@example.com', customer_email: 'a@example.com' });
    expect(reply.status).toBe(200);
    expect(dev.payments()[0]?.email).toBe('a@example.com');
  });

  it('treats null optional fields as absent', async () => {
    const reply = await post(dev, { datafast_visitor_id: null, email: null, renewal: null });
    expect(reply.status).toBe(200);
    expect(dev.payments()[0]).not.toHaveProperty('datafast_visitor_id');
    expect(dev.payments()[0]).toMatchObject({ renewal: false });
  });

  it('ignores unknown fields and does not store them', async () => {
    const reply = await post(dev, { coupon: 'SPRING', visitorId: VISITOR, metadata: { a: 1 } });
    expect(reply.status).toBe(200);
    expect(dev.payments()[0]).not.toHaveProperty('coupon');
    expect(dev.payments()[0]).not.toHaveProperty('datafast_visitor_id');
  });

  it('accepts a content type with a charset parameter', async () => {
    const res = await fetch(`${dev.url}/api/v1/payments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${dev.apiKey}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ amount: 1, currency: 'USD', transaction_id: 'cs' }),
    });
    expect(res.status).toBe(200);
  });
});

describe('POST /api/v1/payments: 400 for each invalid field, naming it, storing nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['amount is missing', { amount: undefined }, 'Missing required field: amount'],
    ['amount is null', { amount: null }, 'Missing required field: amount'],
    ['amount is a string', { amount: '29.99' }, 'amount must be a number'],
    ['amount is negative', { amount: -1 }, 'amount must be greater than or equal to 0'],
    ['amount is a boolean', { amount: true }, 'amount must be a number'],
    ['currency is missing', { currency: undefined }, 'Missing required field: currency'],
    ['currency is a number', { currency: 840 }, 'currency must be a string'],
    ['currency has 2 letters', { currency: 'US' }, 'currency must be a 3-letter'],
    ['currency has 4 letters', { currency: 'USDT' }, 'currency must be a 3-letter'],
    ['currency has a symbol', { currency: 'U$D' }, 'currency must be a 3-letter'],
    [
      'transaction_id is missing',
      { transaction_id: undefined },
      'Missing required field: transaction_id',
    ],
    ['transaction_id is a number', { transaction_id: 123 }, 'transaction_id must be a string'],
    ['transaction_id is empty', { transaction_id: '' }, 'transaction_id must not be empty'],
    ['transaction_id is blank', { transaction_id: '   ' }, 'transaction_id must not be empty'],
    [
      'datafast_visitor_id is not a UUID',
      { datafast_visitor_id: 'visitor-id-from-cookie' },
      'datafast_visitor_id must be a UUID',
    ],
    [
      'datafast_visitor_id is empty',
      { datafast_visitor_id: '' },
      'datafast_visitor_id must be a UUID',
    ],
    [
      'datafast_visitor_id is a number',
      { datafast_visitor_id: 7 },
      'datafast_visitor_id must be a string',
    ],
    ['email is a number', { email: 42 }, 'email must be a string'],
    ['customer_email is an object', { customer_email: {} }, 'customer_email must be a string'],
    [
      'email and customer_email differ',
      { email: 'a@example.com', customer_email: 'b@example.com' },
      'Invalid field combination: email and customer_email',
    ],
    ['name is a number', { name: 1 }, 'name must be a string'],
    [
      'name and customer_name differ',
      { name: 'Ada', customer_name: 'Grace' },
      'Invalid field combination: name and customer_name',
    ],
    ['customer_id is a number', { customer_id: 99 }, 'customer_id must be a string'],
    ['renewal is the string "true"', { renewal: 'true' }, 'renewal must be a boolean'],
    ['refunded is 1', { refunded: 1 }, 'refunded must be a boolean'],
    ['is_free_trial is "yes"', { is_free_trial: 'yes' }, 'is_free_trial must be a boolean'],
    ['timestamp is not a date', { timestamp: 'yesterday' }, 'timestamp must be an ISO 8601'],
    [
      'timestamp is February 30th',
      { timestamp: '2026-02-30T00:00:00Z' },
      'timestamp must be an ISO 8601',
    ],
    [
      'timestamp has hour 24',
      { timestamp: '2026-05-21T24:00:00Z' },
      'timestamp must be an ISO 8601',
    ],
    [
      'timestamp is epoch milliseconds',
      { timestamp: 1716292800000 },
      'timestamp must be an ISO 8601',
    ],
    [
      'timestamp is an RFC 2822 date',
      { timestamp: 'Thu, 21 May 2026 12:00:00 GMT' },
      'timestamp must be an ISO 8601',
    ],
    [
      'a refund has amount 0',
      { refunded: true, amount: 0 },
      'Invalid field combination: refunded needs an amount greater than 0',
    ],
    [
      'a refund is also a free trial',
      { refunded: true, is_free_trial: true },
      'Invalid field combination: refunded and is_free_trial',
    ],
    [
      'a renewal is also a free trial',
      { renewal: true, is_free_trial: true },
      'Invalid field combination: renewal and is_free_trial',
    ],
  ];

  it.each(cases)('answers 400 when %s', async (_name, fields, message) => {
    const reply = await post(dev, fields);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(envelope(400, expect.stringContaining(message)));
    expect(dev.payments()).toEqual([]);
  });

  it('answers 400 when amount is not finite (1e999 overflows to Infinity)', async () => {
    const raw = '{"amount":1e999,"currency":"USD","transaction_id":"inf"}';
    const res = await fetch(`${dev.url}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dev.apiKey}`, 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(envelope(400, 'amount must be a finite number'));
    expect(dev.payments()).toEqual([]);
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"payment"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('answers 400 when the body is %s', async (_name, raw) => {
    const res = await fetch(`${dev.url}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dev.apiKey}`, 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(envelope(400, 'Request body must be a JSON object'));
  });
});

describe('POST /api/v1/payments: duplicates', () => {
  it('answers 200 with a duplicate message for a re-posted transaction_id and stores nothing new', async () => {
    await post(dev, { transaction_id: 'dup', amount: 10 });
    const reply = await post(dev, {
      transaction_id: 'dup',
      amount: 99,
      datafast_visitor_id: VISITOR,
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      message: expect.stringMatching(/duplicate/i),
      transaction_id: 'dup',
    });
    expect(dev.payments()).toHaveLength(1);
    expect(dev.payments()[0]).toMatchObject({ amount: 10 });
    expect(dev.payments()[0]).not.toHaveProperty('datafast_visitor_id');
    expect(dev.stats()).toMatchObject({ payments: 1, duplicates: 1 });
    expect(dev.requests().map((r) => r.duplicate ?? false)).toEqual([false, true]);
  });

  it('stores one record when the same transaction_id is posted 25 times at once', async () => {
    const replies = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        post(dev, { transaction_id: 'race', datafast_visitor_id: i % 2 ? VISITOR : OTHER_VISITOR }),
      ),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const duplicates = replies.filter((r) => /duplicate/i.test(r.json.message));
    expect(duplicates).toHaveLength(24);
    expect(dev.payments()).toHaveLength(1);
    expect(dev.stats().duplicates).toBe(24);
  });

  it('deduplicates per website: two websites may use the same transaction_id', async () => {
    const multi = await startDevServer({
      websites: [
        { id: 'site_a', domain: 'a.test', apiKey: 'df_site_a' },
        { id: 'site_b', domain: 'b.test', apiKey: 'df_site_b' },
      ],
    });
    try {
      expect(
        (await post(multi, { transaction_id: 'shared' }, { key: 'df_site_a' })).json.message,
      ).not.toMatch(/duplicate/i);
      expect(
        (await post(multi, { transaction_id: 'shared' }, { key: 'df_site_b' })).json.message,
      ).not.toMatch(/duplicate/i);
      expect(multi.payments().map((p) => p.website_id)).toEqual(['site_a', 'site_b']);
    } finally {
      await multi.close();
    }
  });
});
