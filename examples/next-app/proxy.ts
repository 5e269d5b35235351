import { datafastProxy } from '@datafast-checkout/next';

/**
 * The tracker proxy: DataFast's script (`GET /js/script.js`) and its events (`POST /api/events`)
 * served from this site's own origin, so ad blockers that block datafa.st do not cost the
 * visitor's attribution. Forwards to DATAFAST_BASE_URL (the devserver locally). Runs on the
 * Node.js runtime (Next 16's proxy.ts), only for the two paths of the matcher.
 *
 * The visitor's IP, sent to DataFast, comes only from what the visitor cannot forge: on Vercel,
 * Netlify and Cloudflare the platform's own header, found by itself. Behind proxies of your own
 * (nginx in front of `next start`), set DATAFAST_TRUSTED_PROXIES to how many append to
 * X-Forwarded-For (1 for one nginx). Reached directly, nothing in a request is trustworthy, so
 * none is sent. Per host: docs/tracker-proxy.md in the datafast-checkout repository.
 */
export default datafastProxy();

// Next reads the matcher statically: it must be written out here.
export const config = { matcher: ['/js/script.js', '/api/events'] };
