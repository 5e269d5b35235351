import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
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
import { buildDeleteQuery } from '../src/delete-filter.js';
import { createDatafast, DatafastValidationError } from '../src/index.js';
import { buildPaymentBody, type PaymentInput } from '../src/payload.js';

// Core's half of the table it shares with the devserver (internal/testing/src/payload-cases.ts).
// What core accepts goes through payments.create to a real devserver, so the record the table
// names is what the independent oracle stored: core never sends what the API would refuse.
let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

const client = () => {
  const warnings: string[] = [];
  const datafast = createDatafast({
    apiKey: dev.apiKey,
    baseUrl: dev.url,
    maxRetries: 0,
    logger: { warn: (m) => warnings.push(m), error: () => {} },
  });
  return { datafast, warnings };
};

/** The input as a caller passes it: BASE_PAYMENT with the case's fields, `undefined` ones left out. */
function paymentOf(input: Record<string, unknown>): PaymentInput {
  const merged: Record<string, unknown> = { ...BASE_PAYMENT, ...input };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged as unknown as PaymentInput;
}

function refusal(build: () => unknown): DatafastValidationError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(DatafastValidationError);
    return error as DatafastValidationError;
  }
  throw new Error('expected a DatafastValidationError, but the input was accepted');
}

describe('the shared table explains itself', () => {
  it.each(byName([...PAYMENT_CASES, ...DELETE_CASES]))(
    '%s: differs is given exactly when core and the devserver differ',
    (_name, c) => {
      const same = JSON.stringify(c.core) === JSON.stringify(c.devserver);
      expect(c.differs === undefined).toBe(same);
    },
  );
});

describe('payments.create against the shared table', () => {
  it.each(byName(PAYMENT_CASES))('%s', async (_name, { input, core }: PaymentCase) => {
    const payment = paymentOf(input);
    const built: string[] = [];
    if ('refuses' in core) {
      expect(refusal(() => buildPaymentBody(payment, (m) => built.push(m))).field).toBe(
        core.refuses,
      );
      const { datafast } = client();
      await expect(datafast.payments.create(payment)).rejects.toMatchObject({
        field: core.refuses,
      });
      expect(dev.requests()).toEqual([]);
      return;
    }
    buildPaymentBody(payment, (m) => built.push(m));
    expect(built.length > 0).toBe(core.warns === true);

    const { datafast, warnings } = client();
    await datafast.payments.create(payment);
    expect(warnings.length > 0).toBe(core.warns === true);
    expect(storedView(dev.payments()[0], core.stores)).toEqual(core.stores);
  });
});

describe('payments.delete against the shared table', () => {
  it.each(byName(DELETE_CASES))('%s', async (_name, { input, core }: DeleteCase) => {
    const { datafast } = client();
    for (const seed of DELETE_SEED) await datafast.payments.create({ ...BASE_PAYMENT, ...seed });
    if ('refuses' in core) {
      expect(refusal(() => buildDeleteQuery(input as never)).field).toBe(core.refuses);
      await expect(datafast.payments.delete(input as never)).rejects.toMatchObject({
        field: core.refuses,
      });
      expect(dev.payments()).toHaveLength(DELETE_SEED.length);
      return;
    }
    await datafast.payments.delete(input as never);
    expect(deletedFromSeed(dev.payments().map((p) => p.transaction_id))).toEqual(core.deletes);
  });
});
