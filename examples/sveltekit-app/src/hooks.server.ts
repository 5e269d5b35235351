import { datafast, datafastProxy } from '@datafast-checkout/sveltekit';
import type { Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';

/**
 * The tracker proxy: DataFast's script (GET /js/script.js) and its events (POST /api/events) from
 * this site's own origin, so ad blockers that block datafa.st do not cost the visitor's
 * attribution. The visitor's IP it sends is getClientAddress(): the connection's address, or
 * behind a proxy of yours, the header adapter-node's ADDRESS_HEADER names. DATAFAST_BASE_URL
 * applies (locally, the devserver's stand-in tracker).
 */
const trackerProxy = datafastProxy();

/**
 * Puts `locals.datafast` on every request, bound to the visitor's `datafast_visitor_id` cookie.
 * The API key and base URL come from DATAFAST_API_KEY and DATAFAST_BASE_URL, read at the first
 * report (not at build time), so one build runs anywhere.
 */
const reporting = datafast({
  // Reports are sent in the background; what still fails after retries lands here. A real app
  // would send it to its error tracker. On Node a report in flight also keeps the process alive
  // through SIGTERM until it is delivered (or finally fails), so none is lost on deploy.
  onError: (error, payment) => {
    console.error(
      `[sveltekit-app] payment ${payment?.transaction_id ?? '(unknown)'} was not reported to DataFast: ${error.message}`,
    );
  },
});

/** A handle most apps have: a request id for logs and support, echoed in the response. */
const requestId: Handle = async ({ event, resolve }) => {
  event.locals.requestId = event.request.headers.get('x-request-id') ?? crypto.randomUUID();
  const response = await resolve(event);
  response.headers.set('x-request-id', event.locals.requestId);
  return response;
};

export const handle = sequence(trackerProxy, reporting, requestId);
