import { libraryConfig } from '../../tsup.base.js';

// `file-outbox` is its own entry because it imports `node:fs`, which the main entry never may;
// `proxy` because most apps never load it; `node` (`/node`: Node request to Web Request, for the
// Express proxy and payment-links' `toExpress`, and flushOnShutdown) because only adapters on a
// Node-like server need it;
// `engine-error` (`/engine`) is for the storage engines' packages only.
export default libraryConfig({
  entry: [
    'src/index.ts',
    'src/file-outbox.ts',
    'src/proxy.ts',
    'src/node.ts',
    'src/engine-error.ts',
  ],
});
