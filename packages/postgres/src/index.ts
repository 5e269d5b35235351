export type { PostgresClient, PostgresJsSql, PostgresQueryable } from './client.js';
export {
  isPostgresError,
  PostgresError,
  type PostgresOperation,
} from './errors.js';
export {
  type MigrateOptions,
  migratePostgresOutbox,
  migratePostgresStore,
  postgresOutboxSql,
  postgresStoreSql,
} from './migrate.js';
export { type PostgresOutbox, type PostgresOutboxOptions, postgresOutbox } from './outbox.js';
export { type PostgresStore, type PostgresStoreOptions, postgresStore } from './store.js';
