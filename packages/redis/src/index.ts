export {
  type IoredisClient,
  type NodeRedisClient,
  type RedisClient,
  type RedisScripting,
  redisScripting,
} from './client.js';
export { RedisOutboxError } from './errors.js';
export { type RedisOutboxOptions, redisOutbox } from './outbox.js';
export { type RedisStoreOptions, redisStore } from './store.js';
