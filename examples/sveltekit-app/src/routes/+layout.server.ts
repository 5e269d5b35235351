import { building, dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import type { LayoutServerLoad } from './$types';

// Read per request from the environment (`$env/dynamic`), not baked in at build time.
export const load: LayoutServerLoad = ({ url }) => ({
  tracker: {
    // The tracker proxy (hooks.server.ts) serves DataFast's script on this origin, where ad
    // blockers do not block it (locally, the devserver's stand-in); DATAFAST_SCRIPT_URL loads
    // it from elsewhere instead.
    src: env.DATAFAST_SCRIPT_URL || '/js/script.js',
    // The tag's own variable: DATAFAST_WEBSITE_ID is the client's `?websiteId=` for dft_ tokens.
    websiteId: env.DATAFAST_SCRIPT_WEBSITE_ID || 'dfid_local',
    domain: url.hostname,
  },
  // adapter-node without ORIGIN (or PROTOCOL_HEADER) takes this site for https://<host>: over
  // plain http SvelteKit then refuses its form posts and the tracker's events (403). Said on
  // the page, so it is not a silent failure.
  originMissing:
    !dev && !building && !env.ORIGIN && !env.PROTOCOL_HEADER && url.protocol === 'https:',
});
