// The contract suites an engine package runs against its real server (`@datafast-checkout/postgres`,
// `@datafast-checkout/redis`), kept apart from the package's main entry because they import vitest.
export {
  outboxEntry,
  type SharedOutboxContractOptions,
  sharedOutboxContract,
} from './shared-outbox.js';
export { type SharedStoreContractOptions, sharedStoreContract } from './shared-store.js';
