import { createDatafast } from '@datafast-checkout/next';

/**
 * The app's one DataFast client. It reads `DATAFAST_API_KEY` and `DATAFAST_BASE_URL` when the
 * first payment is reported, not at build time, so one build runs against any environment.
 *
 * @example
 * export const POST = withDatafast(handler, datafastClient)
 */
export const datafastClient = createDatafast({
  // Reports run after the response, so a failure can only be logged: do it in a line that your
  // log search finds. The key is never part of an error message.
  onError: (error, payment) =>
    console.error(
      `[checkout] payment ${payment?.transaction_id ?? '(unknown)'} was not reported to DataFast (${error.code}): ${error.message}`,
    ),
});
