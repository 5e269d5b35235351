import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { call, del, envelope, OTHER_VISITOR, post, VISITOR } from './helpers.js';

let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer({
    websites: [
      { id: 'site_a', domain: 'a.test', apiKey: 'df_site_a' },
      { id: 'site_b', domain: 'b.test', apiKey: 'df_site_b' },
    ],
  });
});
afterAll(() => dev.close());

/** Four payments on site_a: two for VISITOR (May 1st and 10th), one for OTHER_VISITOR, one trial. */
beforeEach(async () => {
  await dev.reset();
  const seed = [
    { transaction_id: 'v1_may01', datafast_visitor_id: VISITOR, timestamp: '2026-05-01T10:00:00Z' },
    { transaction_id: 'v1_may10', datafast_visitor_id: VISITOR, timestamp: '2026-05-10T10:00:00Z' },
    {
      transaction_id: 'v2_may05',
      datafast_visitor_id: OTHER_VISITOR,
      timestamp: '2026-05-05T10:00:00Z',
    },
    { transaction_id: 'trial_may07', amount: 0, timestamp: '2026-05-07T10:00:00Z' },
  ];
  for (const fields of seed) expect((await post(dev, fields)).status).toBe(200);
});

const ids = () => dev.payments().map((p) => p.transaction_id);

describe('DELETE /api/v1/payments by transaction', () => {
  it('deletes one payment and answers { status: "success", data: [{ message, transaction_id }] }', async () => {
    const reply = await del(dev, { transaction_id: 'v1_may01' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      status: 'success',
      data: [{ message: 'Payment deleted successfully', transaction_id: 'v1_may01' }],
    });
    expect(ids()).toEqual(['v1_may10', 'v2_may05', 'trial_may07']);
  });

  it('accepts tx_id as an alias of transaction_id', async () => {
    const reply = await del(dev, { tx_id: 'v2_may05' });
    expect(reply.json.data[0]).toEqual({
      message: 'Payment deleted successfully',
      transaction_id: 'v2_may05',
    });
    expect(ids()).not.toContain('v2_may05');
  });

  it('deletes free-trial records too', async () => {
    expect((await del(dev, { transaction_id: 'trial_may07' })).status).toBe(200);
    expect(ids()).not.toContain('trial_may07');
  });

  it('answers 404 with the envelope for an unknown transaction', async () => {
    const reply = await del(dev, { transaction_id: 'nope' });
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual(envelope(404, 'Transaction not found'));
    expect(ids()).toHaveLength(4);
  });

  it('answers 404 for a transaction of another website', async () => {
    await post(dev, { transaction_id: 'b_only' }, { key: 'df_site_b' });
    const reply = await del(dev, { transaction_id: 'b_only' });
    expect(reply.status).toBe(404);
    expect(dev.payments().filter((p) => p.website_id === 'site_b')).toHaveLength(1);
  });

  it('answers 400 for an empty transaction_id', async () => {
    const reply = await del(dev, { transaction_id: '' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(envelope(400, 'transaction_id must not be empty'));
  });

  it('answers 400 when transaction_id and tx_id disagree', async () => {
    const reply = await del(dev, { transaction_id: 'v1_may01', tx_id: 'v2_may05' });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toMatch(/transaction_id and tx_id/);
    expect(ids()).toHaveLength(4);
  });

  it('frees the transaction_id: re-posting it afterwards stores a new payment', async () => {
    await del(dev, { transaction_id: 'v1_may01' });
    const reply = await post(dev, { transaction_id: 'v1_may01', amount: 5 });
    expect(reply.json.message).not.toMatch(/duplicate/i);
    expect(dev.payments().find((p) => p.transaction_id === 'v1_may01')?.amount).toBe(5);
  });
});

describe('DELETE /api/v1/payments priority order', () => {
  it('uses transaction_id first when every filter is present', async () => {
    const reply = await del(dev, {
      transaction_id: 'v2_may05',
      datafast_visitor_id: VISITOR,
      start: '2026-01-01T00:00:00Z',
      end: '2026-12-31T23:59:59Z',
    });
    expect(reply.json.data).toEqual([
      { message: 'Payment deleted successfully', transaction_id: 'v2_may05' },
    ]);
    expect(ids()).toEqual(['v1_may01', 'v1_may10', 'trial_may07']);
  });

  it('ignores lower-priority filters entirely, even invalid ones', async () => {
    const reply = await del(dev, {
      tx_id: 'v1_may01',
      datafast_visitor_id: 'not-a-uuid',
      start: 'garbage',
    });
    expect(reply.status).toBe(200);
    expect(ids()).not.toContain('v1_may01');
  });

  it('uses datafast_visitor_id next, narrowed by start and end', async () => {
    const reply = await del(dev, {
      datafast_visitor_id: VISITOR,
      start: '2026-05-09T00:00:00Z',
      end: '2026-05-31T00:00:00Z',
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      status: 'success',
      data: [
        {
          message: 'Deleted 1 payment for this visitor',
          datafast_visitor_id: VISITOR,
          timeRange: { start: '2026-05-09T00:00:00Z', end: '2026-05-31T00:00:00Z' },
        },
      ],
    });
    expect(ids()).toEqual(['v1_may01', 'v2_may05', 'trial_may07']);
  });

  it('reads start and end, and ignores startAt and endAt beside them (the delete page: "not startAt/endAt")', async () => {
    // Core sends both pairs (the Payments API overview names the range startAt/endAt).
    const range = { start: '2026-05-09T00:00:00Z', end: '2026-05-31T00:00:00Z' };
    const reply = await del(dev, {
      datafast_visitor_id: VISITOR,
      ...range,
      startAt: range.start,
      endAt: range.end,
    });
    expect(reply.status).toBe(200);
    expect(reply.json.data[0]).toMatchObject({ timeRange: range });
    expect(ids()).toEqual(['v1_may01', 'v2_may05', 'trial_may07']);
    const bulk = await del(dev, {
      start: '2026-05-01T00:00:00Z',
      end: '2026-05-05T23:00:00Z',
      startAt: '2026-05-01T00:00:00Z',
      endAt: '2026-05-05T23:00:00Z',
    });
    expect(bulk.json.data[0]).toMatchObject({ message: 'Deleted 2 payments in the time range' });
    expect(ids()).toEqual(['trial_may07']);
  });

  it("deletes all of a visitor's payments when no range is given", async () => {
    const reply = await del(dev, { datafast_visitor_id: VISITOR });
    expect(reply.json.data).toEqual([
      { message: 'Deleted 2 payments for this visitor', datafast_visitor_id: VISITOR },
    ]);
    expect(ids()).toEqual(['v2_may05', 'trial_may07']);
  });

  it('narrows a visitor delete by start alone', async () => {
    const reply = await del(dev, { datafast_visitor_id: VISITOR, start: '2026-05-05T00:00:00Z' });
    expect(reply.json.data[0].timeRange).toEqual({ start: '2026-05-05T00:00:00Z' });
    expect(ids()).toEqual(['v1_may01', 'v2_may05', 'trial_may07']);
  });

  it('matches the visitor id case-insensitively', async () => {
    await del(dev, { datafast_visitor_id: VISITOR.toUpperCase() });
    expect(ids()).toEqual(['v2_may05', 'trial_may07']);
  });

  it('answers success with 0 deleted for a visitor without payments', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';
    const reply = await del(dev, { datafast_visitor_id: unknown });
    expect(reply.status).toBe(200);
    expect(reply.json.data[0]).toEqual({
      message: 'Deleted 0 payments for this visitor',
      datafast_visitor_id: unknown,
    });
    expect(ids()).toHaveLength(4);
  });

  it('answers 400 for a visitor id that is not a UUID', async () => {
    const reply = await del(dev, { datafast_visitor_id: 'visitor-123' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(envelope(400, 'datafast_visitor_id must be a UUID'));
  });

  it('answers 400 for a visitor delete with an unparsable bound', async () => {
    const reply = await del(dev, { datafast_visitor_id: VISITOR, end: 'tomorrow' });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toMatch(/^end must be an ISO 8601 date/);
    expect(ids()).toHaveLength(4);
  });

  it('uses start and end last, deleting every payment in the range, bounds included', async () => {
    const reply = await del(dev, { start: '2026-05-05T10:00:00Z', end: '2026-05-10T10:00:00Z' });
    expect(reply.json).toEqual({
      status: 'success',
      data: [
        {
          message: 'Deleted 3 payments in the time range',
          timeRange: { start: '2026-05-05T10:00:00Z', end: '2026-05-10T10:00:00Z' },
        },
      ],
    });
    expect(ids()).toEqual(['v1_may01']);
  });

  it('deletes only within the website of the key', async () => {
    await post(
      dev,
      { transaction_id: 'b_may05', timestamp: '2026-05-05T10:00:00Z' },
      { key: 'df_site_b' },
    );
    await del(dev, { start: '2026-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z' });
    expect(ids()).toEqual(['b_may05']);
  });

  it('answers success with 0 deleted for a range without payments', async () => {
    const reply = await del(dev, { start: '2020-01-01T00:00:00Z', end: '2020-12-31T00:00:00Z' });
    expect(reply.status).toBe(200);
    expect(reply.json.data[0].message).toBe('Deleted 0 payments in the time range');
  });
});

describe('DELETE /api/v1/payments: 400s', () => {
  it.each([
    ['no filter at all', {}, /^No filter provided/],
    ['start without end', { start: '2026-05-01T00:00:00Z' }, /start and end are both required/],
    ['end without start', { end: '2026-05-01T00:00:00Z' }, /start and end are both required/],
    [
      'an unparsable start',
      { start: 'May 1st', end: '2026-05-19T23:59:59Z' },
      /^start must be an ISO 8601/,
    ],
    [
      'an unparsable end',
      { start: '2026-05-01T00:00:00Z', end: '2026-13-01' },
      /^end must be an ISO 8601/,
    ],
    [
      'start after end',
      { start: '2026-06-01T00:00:00Z', end: '2026-05-01T00:00:00Z' },
      /start must not be after end/,
    ],
    [
      'startAt/endAt instead of start/end',
      { startAt: '2026-05-01', endAt: '2026-05-19' },
      /^No filter provided/,
    ],
  ])('answers 400 for %s and deletes nothing', async (_name, query, message) => {
    const reply = await del(dev, query as Record<string, string>);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(envelope(400, expect.stringMatching(message)));
    expect(ids()).toHaveLength(4);
  });

  it('ignores a body: filters given only in a JSON body are no filter', async () => {
    const reply = await call(dev, { method: 'DELETE', body: { transaction_id: 'v1_may01' } });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toMatch(/^No filter provided/);
    expect(ids()).toHaveLength(4);
  });
});
