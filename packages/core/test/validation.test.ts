import { beforeEach, describe, expect, it } from 'vitest';
import {
  createDatafast,
  type Datafast,
  DatafastValidationError,
  type PaymentInput,
} from '../src/index.js';
import { recordingLogger } from './helpers/logger.js';
import { useTestServer } from './helpers/server.js';

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const valid = { amount: 29.99, currency: 'USD', transaction_id: 'txn_valid' };

const server = useTestServer();
let datafast: Datafast;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(() => {
  logger = recordingLogger();
  datafast = createDatafast({ apiKey: 'df_test_validation', baseUrl: server.url, logger });
});

async function rejection(input: unknown): Promise<DatafastValidationError> {
  const error = await datafast.payments.create(input as PaymentInput).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatafastValidationError);
  return error as DatafastValidationError;
}

async function sentBody(input: Record<string, unknown>): Promise<Record<string, unknown>> {
  await datafast.payments.create(input as unknown as PaymentInput);
  return server.requests.at(-1)?.json as Record<string, unknown>;
}

describe('validation before the network', () => {
  it.each([
    ['a missing amount', { currency: 'USD', transaction_id: 't' }, 'amount'],
    ['an amount given as a string', { ...valid, amount: '29.99' }, 'amount'],
    ['a negative amount', { ...valid, amount: -1 }, 'amount'],
    ['NaN', { ...valid, amount: Number.NaN }, 'amount'],
    ['Infinity', { ...valid, amount: Number.POSITIVE_INFINITY }, 'amount'],
    ['a missing currency', { amount: 1, transaction_id: 't' }, 'currency'],
    ['a 2-letter currency', { ...valid, currency: 'US' }, 'currency'],
    ['a currency with digits', { ...valid, currency: 'U5D' }, 'currency'],
    ['a currency name', { ...valid, currency: 'dollars' }, 'currency'],
    ['a missing transaction_id', { amount: 1, currency: 'USD' }, 'transaction_id'],
    ['an empty transaction_id', { ...valid, transaction_id: '  ' }, 'transaction_id'],
    ['a numeric transaction_id', { ...valid, transaction_id: 42 }, 'transaction_id'],
    ['an unparsable timestamp', { ...valid, timestamp: 'yesterday' }, 'timestamp'],
    ['an impossible date', { ...valid, timestamp: '2026-02-30T10:00:00Z' }, 'timestamp'],
    ['a time without a zone', { ...valid, timestamp: '2026-05-21T12:00:00' }, 'timestamp'],
    ['an invalid Date', { ...valid, timestamp: new Date('nope') }, 'timestamp'],
    ['an epoch number timestamp', { ...valid, timestamp: 1_760_000_000 }, 'timestamp'],
    // ISO 8601 has four-digit years; the API refuses toISOString's '+010000-…' and '-000001-…'.
    ['a Date after the year 9999', { ...valid, timestamp: new Date(8.64e15) }, 'timestamp'],
    [
      'a Date before the year 0',
      { ...valid, timestamp: new Date('-000001-06-01T00:00:00Z') },
      'timestamp',
    ],
    [
      'an offset that moves 9999 into 10000',
      { ...valid, timestamp: '9999-12-31T23:30:00-01:00' },
      'timestamp',
    ],
    [
      'an offset that moves 0000 into -0001',
      { ...valid, timestamp: '0000-01-01T00:30:00+01:00' },
      'timestamp',
    ],
    ['a string boolean', { ...valid, renewal: 'true' }, 'renewal'],
    ['a numeric boolean', { ...valid, refunded: 1 }, 'refunded'],
    ['a non-boolean is_free_trial', { ...valid, is_free_trial: 'yes' }, 'is_free_trial'],
    ['a non-string email', { ...valid, email: 7 }, 'email'],
    ['a non-string customer_id', { ...valid, customer_id: 12 }, 'customer_id'],
    [
      'conflicting email aliases',
      { ...valid, email: 'a@x.io', customer_email: 'b@x.io' },
      'customer_email',
    ],
    ['conflicting name aliases', { ...valid, name: 'Ada', customer_name: 'Bob' }, 'customer_name'],
    ['a refund of nothing', { ...valid, amount: 0, refunded: true }, 'amount'],
    ['a refunded free trial', { ...valid, refunded: true, is_free_trial: true }, 'is_free_trial'],
    [
      'a camelCase transactionId',
      { amount: 1, currency: 'USD', transaction_id: 't', transactionId: 't' },
      'transactionId',
    ],
    ['an unknown field', { ...valid, coupon: 'X' }, 'coupon'],
    ['an array instead of a payment', [valid], 'payment'],
    ['null instead of a payment', null, 'payment'],
  ])(
    'refuses %s with a DatafastValidationError naming the field and sends nothing',
    async (_, input, field) => {
      const error = await rejection(input);
      expect(error.field).toBe(field);
      expect(error.code).toBe('validation_error');
      expect(error.message).toContain(field === 'payment' ? 'payment' : field);
      expect(server.requests).toHaveLength(0);
    },
  );

  it('points a misspelt field at its real name', async () => {
    const error = await rejection({ ...valid, visitorId: visitor });
    expect(error.message).toContain('did you mean "datafast_visitor_id"');
  });
});

describe('the body that is sent', () => {
  it('upper-cases the currency and trims the transaction id', async () => {
    const body = await sentBody({ amount: 5, currency: 'eur', transaction_id: ' txn_1 ' });
    expect(body.currency).toBe('EUR');
    expect(body.transaction_id).toBe('txn_1');
  });

  it('sends the aliases under the API names email and name', async () => {
    const body = await sentBody({
      ...valid,
      customer_email: 'ada@example.com',
      customer_name: 'Ada',
    });
    expect(body.email).toBe('ada@example.com');
    expect(body.name).toBe('Ada');
    expect(body).not.toHaveProperty('customer_email');
    expect(body).not.toHaveProperty('customer_name');
  });

  it('accepts the same value under both alias names', async () => {
    const body = await sentBody({ ...valid, email: 'a@x.io', customer_email: 'a@x.io' });
    expect(body.email).toBe('a@x.io');
  });

  it('infers a free trial when the amount is 0', async () => {
    const body = await sentBody({ ...valid, amount: 0 });
    expect(body.is_free_trial).toBe(true);
  });

  it('keeps an explicit is_free_trial: false for a zero-amount payment', async () => {
    const body = await sentBody({ ...valid, amount: 0, is_free_trial: false });
    expect(body.is_free_trial).toBe(false);
  });

  it('sends the booleans, customer id and refunds as given', async () => {
    const body = await sentBody({
      ...valid,
      transaction_id: 're_1',
      refunded: true,
      renewal: false,
      customer_id: 'cus_1',
    });
    expect(body).toMatchObject({
      refunded: true,
      renewal: false,
      customer_id: 'cus_1',
      amount: 29.99,
    });
  });

  it('turns a Date timestamp and an offset timestamp into UTC ISO strings', async () => {
    expect(
      (await sentBody({ ...valid, timestamp: new Date(Date.UTC(2026, 4, 21, 12)) })).timestamp,
    ).toBe('2026-05-21T12:00:00.000Z');
    expect((await sentBody({ ...valid, timestamp: '2026-05-21T14:30:00.5+02:00' })).timestamp).toBe(
      '2026-05-21T12:30:00.500Z',
    );
    expect((await sentBody({ ...valid, timestamp: '2026-05-21' })).timestamp).toBe(
      '2026-05-21T00:00:00.000Z',
    );
  });

  it('stamps the time of reporting when no timestamp is given', async () => {
    const before = Date.now();
    const body = await sentBody(valid);
    const stamped = Date.parse(body.timestamp as string);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });

  it('lower-cases a valid visitor id', async () => {
    const body = await sentBody({ ...valid, datafast_visitor_id: visitor.toUpperCase() });
    expect(body.datafast_visitor_id).toBe(visitor);
  });

  it('drops a visitor id that is not a UUID, with a warning, and still sends the payment', async () => {
    const body = await sentBody({ ...valid, datafast_visitor_id: 'visitor-id-from-cookie' });
    expect(body).not.toHaveProperty('datafast_visitor_id');
    expect(body.transaction_id).toBe('txn_valid');
    expect(logger.lines.join('\n')).toMatch(
      /warn: .*datafast_visitor_id "visitor-id-from-cookie" is not a UUID/,
    );
  });

  it('omits empty optional fields instead of sending empty strings or nulls', async () => {
    const body = await sentBody({
      ...valid,
      email: '',
      name: null,
      datafast_visitor_id: null,
      renewal: undefined,
    });
    expect(Object.keys(body).sort()).toEqual(['amount', 'currency', 'timestamp', 'transaction_id']);
  });
});

describe('payments.delete filters', () => {
  const remove = (filter: unknown) =>
    datafast.payments.delete(filter as Parameters<Datafast['payments']['delete']>[0]).then(
      () => undefined,
      (e: unknown) => e as DatafastValidationError,
    );

  it.each([
    ['no filter', {}, 'filter'],
    ['a start without an end', { start: '2026-05-01T00:00:00Z' }, 'end'],
    ['an end without a start', { end: '2026-05-01T00:00:00Z' }, 'start'],
    ['a visitor with half a range', { datafast_visitor_id: visitor, start: '2026-05-01' }, 'end'],
    ['an unparsable start', { start: 'May 1st', end: '2026-05-02' }, 'start'],
    ['a range that ends before it starts', { start: '2026-05-02', end: '2026-05-01' }, 'end'],
    ['a visitor id that is not a UUID', { datafast_visitor_id: 'abc' }, 'datafast_visitor_id'],
    ['an empty transaction id', { transaction_id: '' }, 'transaction_id'],
    [
      'a transaction id combined with a visitor',
      { transaction_id: 't', datafast_visitor_id: visitor },
      'datafast_visitor_id',
    ],
    ['the tx_id spelling', { tx_id: 't' }, 'tx_id'],
  ])('refuses %s before sending anything', async (_, filter, field) => {
    const error = await remove(filter);
    expect(error).toBeInstanceOf(DatafastValidationError);
    expect(error?.field).toBe(field);
    expect(server.requests).toHaveLength(0);
  });
});
