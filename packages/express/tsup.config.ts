import { libraryConfig } from '../../tsup.base.js';

// Node: the shutdown helper listens to process signals.
export default libraryConfig({ platform: 'node' });
