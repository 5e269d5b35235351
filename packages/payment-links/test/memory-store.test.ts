import { sharedStoreContract } from '@datafast-checkout/testing/contracts';
import { memoryStore } from '../src/store.js';

// The default store keeps the contract the PostgreSQL and Redis stores are held to.
sharedStoreContract({ make: () => memoryStore() });
