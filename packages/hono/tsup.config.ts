import { libraryConfig } from '../../tsup.base.js';

// Neutral (the default): the middleware runs wherever Hono does (Node, Workers, Bun, Deno). Hono
// is only imported for types.
export default libraryConfig({ external: ['@datafast-checkout/core', 'hono'] });
