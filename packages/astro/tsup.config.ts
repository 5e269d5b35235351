import { libraryConfig } from '../../tsup.base.js';

// Neutral (the default): the middleware runs wherever Astro's adapters do (Node, Cloudflare,
// Vercel, Netlify, Deno). Astro is only imported for types.
export default libraryConfig({ external: ['@datafast-checkout/core', 'astro'] });
