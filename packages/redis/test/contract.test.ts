import { type RedisEngine, startRedis } from '@datafast-checkout/testing';
import { sharedOutboxContract, sharedStoreContract } from '@datafast-checkout/testing/contracts';
import { afterAll, beforeAll, describe } from 'vitest';
import { type RedisClient, redisOutbox, redisStore } from '../src/index.js';
import { type DriverClient, drivers } from './support/clients.js';

// The shared contract suites (the rules core's client and payment-links rely on), on a real
// redis-server through each driver; each test gets its own key prefix.

let redis: RedisEngine;
beforeAll(async () => {
  redis = await startRedis({ durable: false });
});
afterAll(() => redis?.stop());

let prefixes = 0;

describe.each(drivers)('with $name', (driver) => {
  let connected: DriverClient;
  beforeAll(async () => {
    connected = await driver.connect(redis.url);
  });
  afterAll(() => connected?.close());
  const client = () => connected.client as RedisClient;

  sharedOutboxContract({
    make: () => redisOutbox({ client: client(), prefix: `c${++prefixes}:` }),
  });
  sharedStoreContract({ make: () => redisStore({ client: client(), prefix: `c${++prefixes}:` }) });
});
