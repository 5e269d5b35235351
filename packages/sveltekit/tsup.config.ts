import { libraryConfig } from '../../tsup.base.js';

// Neutral (the default): the handle runs wherever SvelteKit does (Node, Workers, Vercel Edge,
// Deno, Bun). Kit is only imported for types.
export default libraryConfig({ external: ['@datafast-checkout/core', '@sveltejs/kit'] });
