import { datafastProxy } from '@datafast-checkout/next';

/**
 * The tracker proxy: DataFast's script (`GET /js/script.js`) and its events (`POST /api/events`)
 * served from this site's own origin, so ad blockers that block datafa.st do not cost the
 * visitor's attribution. Forwards to DATAFAST_BASE_URL (the devserver locally). Runs on the
 * Node.js runtime (Next 16's proxy.ts), only for the two paths of the matcher.
 *
 * The visitor's IP, sent to DataFast, is the `x-real-ip` header, else the first
 * `x-forwarded-for` entry: what Vercel and most hosts' proxies set (a bare `next start` sets
 * `x-forwarded-for` from the connection when the request has none). Where visitors reach
 * `next start` directly, those headers are theirs to write: pass `clientIp` with what your own
 * proxy sets.
 */
export default datafastProxy();

// Next reads the matcher statically: it must be written out here.
export const config = { matcher: ['/js/script.js', '/api/events'] };
