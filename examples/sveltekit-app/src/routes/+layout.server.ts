import { building, dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import type { LayoutServerLoad } from './$types';

let warned = false;

// Read per request from the environment (`$env/dynamic`), not baked in at build time.
export const load: LayoutServerLoad = ({ url }) => {
  const originMissing = isOriginMissing(url);
  if (originMissing && !warned) {
    warned = true;
    console.warn(
      '[sveltekit-app] ORIGIN is not set: form posts and the tracker get 403 unless the site is served over https. Start with ORIGIN=<the address you open>, e.g. ORIGIN=http://localhost:3000 npm start',
    );
  }
  return {
    tracker: {
      // The tracker proxy (hooks.server.ts) serves DataFast's script on this origin, where ad
      // blockers do not block it (locally, the devserver's stand-in); DATAFAST_SCRIPT_URL loads
      // it from elsewhere instead.
      src: env.DATAFAST_SCRIPT_URL || '/js/script.js',
      // The tag's own variable: DATAFAST_WEBSITE_ID is the client's `?websiteId=` for dft_ tokens.
      websiteId: env.DATAFAST_SCRIPT_WEBSITE_ID || 'dfid_local',
      domain: url.hostname,
    },
    originMissing,
  };
};

/**
 * adapter-node without ORIGIN (or PROTOCOL_HEADER) takes the site for https://<host>: over plain
 * http SvelteKit then refuses its form posts and the tracker's events (403). Said in the log
 * (once) and on every page, so it is not a silent failure.
 */
function isOriginMissing(url: URL): boolean {
  return !dev && !building && !env.ORIGIN && !env.PROTOCOL_HEADER && url.protocol === 'https:';
}
