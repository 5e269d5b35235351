export type {
  IoredisClient,
  NodeRedisClient,
  RedisClient,
  RedisScripting,
} from './client.js';
export { isRedisError, RedisError, type RedisOperation } from './errors.js';
export { type RedisOutboxOptions, redisOutbox } from './outbox.js';
export {
  type RedisStore,
  type RedisStoreOptions,
  redisStore,
  type StoreEntryOptions,
} from './store.js';
