import { libraryConfig } from '../../tsup.base.js';

// `file-outbox` is its own entry: it imports `node:fs`, which the main entry never may.
export default libraryConfig({ entry: ['src/index.ts', 'src/file-outbox.ts'] });
