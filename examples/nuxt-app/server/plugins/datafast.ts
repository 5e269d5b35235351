import { datafast } from '@datafast-checkout/nuxt/server';

// The client behind `event.context.datafast`, configured from DATAFAST_API_KEY and
// DATAFAST_BASE_URL at run time (not at build), so one build runs anywhere. Reports go out in the
// background, through Nitro's `event.waitUntil`; when the server closes (SIGTERM on a deploy,
// Ctrl-C) it waits up to 5 s for those still in flight.
export default datafast({
  // What still fails after retries lands here. A real app would send it to its error tracker.
  onError: (error, payment) => {
    console.error(
      `[nuxt-app] payment ${payment?.transaction_id ?? '(unknown)'} was not reported to DataFast: ${error.message}`,
    );
  },
});
