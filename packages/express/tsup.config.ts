import { libraryConfig } from '../../tsup.base.js';

// Node: Express runs there (flushOnShutdown, which listens to process signals, now comes from core/node).
export default libraryConfig({ platform: 'node' });
