import { env } from '$env/dynamic/private';
import type { LayoutServerLoad } from './$types';

// Read per request from the environment (`$env/dynamic`), not baked in at build time.
export const load: LayoutServerLoad = ({ url }) => {
  const baseUrl = (env.DATAFAST_BASE_URL || 'https://datafa.st').replace(/\/+$/, '');
  return {
    tracker: {
      // Locally, the devserver serves a stand-in tracker here; in production, DataFast's own.
      src: env.DATAFAST_SCRIPT_URL || `${baseUrl}/js/script.js`,
      // The tag's own variable: DATAFAST_WEBSITE_ID is the client's `?websiteId=` for dft_ tokens.
      websiteId: env.DATAFAST_SCRIPT_WEBSITE_ID || 'dfid_local',
      domain: url.hostname,
    },
  };
};
