export {
  type IoredisClient,
  type NodeRedisClient,
  type RedisClient,
  type RedisScripting,
  redisScripting,
} from './client.js';
export { RedisOutboxError } from './errors.js';
export { type RedisOutboxOptions, redisOutbox } from './outbox.js';
export {
  type RedisStore,
  type RedisStoreOptions,
  redisStore,
  type StoreEntryOptions,
} from './store.js';
