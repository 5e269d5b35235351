import { type AddressInfo, createServer, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { type RedisEngine, startRedis } from '@datafast-checkout/testing';
import { Redis as Ioredis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  isRedisError,
  type RedisClient,
  RedisError,
  redisOutbox,
  redisStore,
} from '../src/index.js';

// What a failing Redis rejects with: our own error, never the client's password or URL.

const password = 'hunter2-redis-secret';
let redis: RedisEngine;
beforeAll(async () => {
  redis = await startRedis({ durable: false, password });
});
afterAll(() => redis?.stop());

const lease = { owner: 'a', ms: 1_000 };
const entry = {
  id: 'pi_1',
  createdAt: 1,
  body: { amount: 1, currency: 'USD', transaction_id: 'pi_1' },
} as never;

/** Everything an error shows to a log. */
const shown = (error: unknown) =>
  `${String(error)}\n${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error)}`;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

it('rejects with a RedisError free of the password when node-redis has lost the server', async () => {
  const client = createClient({ url: redis.url, disableOfflineQueue: true });
  client.on('error', () => {});
  await client.connect();
  const outbox = redisOutbox({ client });
  expect(await outbox.put(entry, lease)).toBe(true);
  await redis.kill();
  try {
    const error = await failure(outbox.claim({ limit: 1, lease }));
    expect(error).toBeInstanceOf(RedisError);
    expect(isRedisError(error)).toBe(true);
    expect((error as RedisError).operation).toBe('claim');
    expect((error as Error).cause).toBeUndefined();
    expect(shown(error)).not.toContain(password);
  } finally {
    client.destroy();
    await redis.restart();
  }
});

it('rejects with a RedisError free of the password when ioredis has lost the server', async () => {
  const client = new Ioredis(redis.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  client.on('error', () => {});
  await client.connect();
  const store = redisStore({ client });
  await store.set('k', 'v', { ttlMs: 1_000 });
  await redis.kill();
  try {
    const error = await failure(store.get('k'));
    expect((error as RedisError).operation).toBe('get');
    expect(shown(error)).not.toContain(password);
  } finally {
    client.disconnect();
    await redis.restart();
  }
});

it('takes credentials out of a message that quotes the URL', async () => {
  // A client that reports its URL in errors, as some wrappers do: made up here because neither
  // tested driver quotes it, which is what the two tests above show.
  const client: RedisClient = {
    eval: () =>
      Promise.reject(new Error(`connect to redis://default:${password}@cache.example:6379 failed`)),
  };
  const error = await failure(redisOutbox({ client }).list());
  expect((error as Error).message).toBe(
    'redis: list failed: Error: connect to redis://[redacted]@cache.example:6379 failed',
  );
});

it('takes out the password a node-redis client was configured with, wherever a message quotes it', async () => {
  const client = createClient({ url: redis.url });
  const quoting = Object.assign(Object.create(client) as object, {
    eval: () => Promise.reject(new Error(`WRONGPASS for ${password}`)),
  }) as RedisClient;
  const error = await failure(redisOutbox({ client: quoting }).list());
  expect(shown(error)).not.toContain(password);
});

it("names Redis's error prefix as the code: a full Redis (maxmemory, noeviction) answers OOM", async () => {
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.configSet({ maxmemory: '1', 'maxmemory-policy': 'noeviction' });
    const error = await failure(redisOutbox({ client }).put(entry, lease));
    expect(error).toMatchObject({ operation: 'put', code: 'OOM' });
    expect((error as Error).message).toMatch(/^redis: put failed: .*OOM command not allowed/);
  } finally {
    await client.configSet({ maxmemory: '0' });
    client.destroy();
  }
});

it('rejects a command unanswered within timeoutMs with code timeout', async () => {
  // A server that accepts connections and never answers (a hung or partitioned Redis).
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  const client = new Ioredis(port, '127.0.0.1', { enableReadyCheck: false });
  client.on('error', () => {});
  try {
    const error = await failure(redisOutbox({ client, timeoutMs: 200 }).claim({ limit: 1, lease }));
    expect(error).toMatchObject({ operation: 'claim', code: 'timeout' });
  } finally {
    client.disconnect();
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

it('refuses a client that cannot run scripts, naming what it takes', () => {
  expect(() => redisOutbox({ client: {} as RedisClient })).toThrow(/node-redis 5 or ioredis/);
});
