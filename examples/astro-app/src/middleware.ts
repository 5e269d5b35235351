import { sequence } from 'astro:middleware';
import { datafast, datafastProxy, flushOnShutdown } from '@datafast-checkout/astro';
import { fileOutbox } from '@datafast-checkout/core/file-outbox';

// Reads DATAFAST_API_KEY and DATAFAST_BASE_URL from the environment when the first report goes
// out (not at build time), so one build runs anywhere. With DATAFAST_OUTBOX_DIR, every report is
// on disk before the customer gets an answer and stays there until DataFast confirms it, so a
// crash, an OOM kill or a long outage loses none (one process per directory).
const outboxDir = process.env.DATAFAST_OUTBOX_DIR;
const reporting = datafast(outboxDir ? { outbox: fileOutbox(outboxDir) } : undefined);

// @astrojs/node's server has no shutdown hook of its own: on SIGTERM/SIGINT (a deploy, Ctrl-C)
// this waits up to 5 s for reports still in flight, then lets the signal end the process; with
// the outbox, what is still pending then stays in it for the next start.
flushOnShutdown(reporting);

// The tracker proxy first: GET /js/script.js and POST /api/events, forwarded to DataFast
// (locally, to the devserver's stand-in tracker) from this origin, so ad blockers that block
// datafa.st do not cost the visitor's attribution. It tells DataFast the visitor's IP: Astro's
// clientAddress, the connection's address. Behind a load balancer or reverse proxy you run (most
// hosts have one), trust it, or every visitor appears at the proxy's address:
//   datafastProxy({ clientIp: { trustedProxies: 1 } }) // the number of proxies in front
// (or DATAFAST_TRUSTED_PROXIES=1). Reached directly, leave it off: X-Forwarded-For then comes
// from the visitor and is ignored.
// Then `locals.datafast` on every request, bound to the visitor in the datafast_visitor_id cookie.
export const onRequest = sequence(datafastProxy(), reporting);
