import { sharedOutboxContract } from '@datafast-checkout/testing/contracts';
import { memorySharedOutbox } from './helpers/memory-shared-outbox.js';

// The reference implementation keeps the contract, so the contract suite itself is checked
// here before the engines' packages run it against PostgreSQL and Redis.
sharedOutboxContract({ make: memorySharedOutbox });
