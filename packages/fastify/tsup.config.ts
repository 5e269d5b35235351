import { libraryConfig } from '../../tsup.base.js';

// Node: Fastify runs on Node only.
export default libraryConfig({ platform: 'node' });
