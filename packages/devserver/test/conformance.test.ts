import {
  BASE_PAYMENT,
  byName,
  DELETE_CASES,
  DELETE_SEED,
  type DeleteCase,
  deletedFromSeed,
  PAYMENT_CASES,
  type PaymentCase,
  storedView,
} from '@datafast-checkout/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { call, del, post } from './helpers.js';

// The devserver's half of the table it shares with core (internal/testing/src/payload-cases.ts),
// over real HTTP. Core's half is packages/core/test/conformance.test.ts.
let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

describe('POST /api/v1/payments against the shared table', () => {
  it.each(byName(PAYMENT_CASES))('%s', async (_name, { input, devserver }: PaymentCase) => {
    const reply = await call(dev, { method: 'POST', body: { ...BASE_PAYMENT, ...input } });
    if ('refuses' in devserver) {
      expect(reply.status).toBe(400);
      expect(reply.json.error.message).toContain(devserver.refuses);
      expect(dev.payments()).toEqual([]);
      return;
    }
    expect(reply.status, reply.text).toBe(200);
    expect(storedView(dev.payments()[0], devserver.stores)).toEqual(devserver.stores);
  });
});

describe('DELETE /api/v1/payments against the shared table', () => {
  it.each(byName(DELETE_CASES))('%s', async (_name, { input, devserver }: DeleteCase) => {
    for (const seed of DELETE_SEED) expect((await post(dev, seed)).status).toBe(200);
    const reply = await del(dev, input);
    const left = dev.payments().map((p) => p.transaction_id);
    if ('refuses' in devserver) {
      expect(reply.status).toBe(400);
      expect(reply.json.error.message).toContain(devserver.refuses);
      expect(left).toHaveLength(DELETE_SEED.length);
      return;
    }
    expect(reply.status, reply.text).toBe(200);
    expect(deletedFromSeed(left)).toEqual(devserver.deletes);
  });
});
