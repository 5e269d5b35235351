import { libraryConfig } from '../../tsup.base.js';

// `file-outbox` is its own entry because it imports `node:fs`, which the main entry never may;
// `proxy` because most apps never load it; `node-request` (`/node`: Node request to Web Request,
// for the Express proxy and payment-links' `toExpress`) because only Node adapters need it;
// `engine-error` (`/engine`) is for the storage engines' packages only.
export default libraryConfig({
  entry: [
    'src/index.ts',
    'src/file-outbox.ts',
    'src/proxy.ts',
    'src/node-request.ts',
    'src/engine-error.ts',
  ],
});
